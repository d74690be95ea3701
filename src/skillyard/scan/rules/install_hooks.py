"""Code that runs at build, install or CI time, and code that fetches a program and starts it.

Marketplace droppers rarely put ``curl | sh`` in SKILL.md any more: it sits in the files a tool runs on its own -
a Makefile ``setup`` target, a GitHub Actions step the skill asks to copy, ``setup.py``'s install command, an npm
``postinstall`` script - or in a helper that downloads a binary, marks it executable and spawns it detached.
These files are configuration or data to the generic line rules (their lines are weighted as references), so this
module reads them as what they are: commands that run.

- SC020: a build/CI/install hook fetches code from the network and runs it (pipe to a shell, download then
  chmod/exec, ``urlopen(...).read()`` handed to ``exec``). Official installer hosts are not reported.
- SC021: a Python/JavaScript/Go/Ruby script downloads a file and starts it (module ``fetch_and_start``).
- SC022: a PowerShell ``-EncodedCommand`` payload (decoded and described) and names assembled from pieces to
  get past scanners (``require('child' + '_process')``, ``process['e' + 'nv']``, a URL built from char codes or
  base64 in code that talks to the network).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL, host_class, host_of
from skillyard.scan.analyzers.ps_payload import payload_does
from skillyard.scan.analyzers.view import PS_LANGS, SkillView, TextFile
from skillyard.scan.context import SCRIPT, Context
from skillyard.scan.rules.base import Family, Hit, Rule, snippet
from skillyard.scan.rules.fetch_and_start import CODE_NET, LANGS, downloads_and_runs
from skillyard.scan.rules.npm_inline import inline_fetch_eval

# -- SC020 ----------------------------------------------------------------------------------------------------

_HOOK_NAME = re.compile(
    r"(?:^|/)(?:makefile|gnumakefile|[\w.-]+\.mk|justfile|taskfile\.ya?ml|jenkinsfile|\.gitlab-ci\.ya?ml"
    r"|azure-pipelines\.ya?ml|bitbucket-pipelines\.yml|\.github/workflows/[^/]+\.ya?ml|\.circleci/config\.yml"
    r"|setup\.py)$",
    re.IGNORECASE,
)
_FETCH = r"(?:curl|wget|iwr|irm|Invoke-WebRequest|Invoke-RestMethod|fetch)\b"
_PIPE_SH = re.compile(
    _FETCH + r"[^|\n]*?(?P<url>(?:https?://|\b\d{1,3}(?:\.\d{1,3}){3})[^\s|\"')]*)[^|\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?"
    r"(?:ba|z|da|k)?sh\b|" + _FETCH + r"[^|\n]*?(?P<url2>(?:https?://|\b\d{1,3}(?:\.\d{1,3}){3})[^\s|\"')]*)"
    r"[^|\n]*\|\s*(?:python\d?|node|perl|ruby|iex|Invoke-Expression)\b"
    # bash <(curl URL), sh -c "$(curl URL)", iex (iwr URL)
    r"|(?:ba|z|da)?sh\s+(?:-\w+\s+)*(?:<\(|-c\s+[\"']?\$\()\s*" + _FETCH + r"[^)\n]*?"
    r"(?P<url3>(?:https?://|\b\d{1,3}(?:\.\d{1,3}){3})[^\s|\"')]*)"
    r"|\b(?:iex|Invoke-Expression)\s*\(?\s*(?:\(\s*)?" + _FETCH + r"[^)\n]*?(?P<url4>https?://[^\s|\"')]*)",
    re.IGNORECASE,
)
_DOWNLOAD_RUN = re.compile(
    r"\b(?:curl|wget)\b[^\n]*?(?P<url>(?:https?://|\b\d{1,3}(?:\.\d{1,3}){3})[^\s\"')]*)[^\n]*?"
    r"(?:\s-O\s*|\s-o\s*|>\s*)(?P<dst>\S+)[^\n]*?(?:&&|;)\s*(?:chmod\s+(?:\+x|[0-7]*[1357][0-7]*)\b|nohup\b|\./|sh\s|bash\s)",
    re.IGNORECASE,
)
# a download to a file (``curl -o DST URL``, ``wget -O DST``): the run may come on one of the next recipe lines
_DOWNLOAD_TO = re.compile(
    r"\b(?:curl|wget)\b[^\n]*?(?:\s-[a-zA-Z]*[oO]\s*|\s--output(?:-document)?[= ]|>\s*)(?P<dst>[^\s;&|]+)"
)
_PY_NET = re.compile(r"\b(?:urlopen|urlretrieve|requests\.get|httpx\.get|urllib3|http\.client)\b")
_PY_RUN = re.compile(r"\b(?:exec|eval)\s*\(|\bcompile\s*\(|\bos\.system\s*\(|\bsubprocess\.\w+\s*\(|\bPopen\s*\(")
_CMDCLASS = re.compile(r"\bcmdclass\b|\bclass\s+\w+\s*\(\s*(?:install|develop|egg_info|build_py|sdist)\b")
_LIFECYCLE = ("preinstall", "install", "postinstall", "prepare", "prepublish", "prepack")
_RUN_FILE = re.compile(r"\b(?:node|python3?|sh|bash)\s+(?:\./)?([\w./-]+\.(?:js|cjs|mjs|py|sh))\b")


def _host_severity(url: str) -> Severity | None:
    cls = host_class(url)
    if cls in ("trusted", "local"):
        return None
    if cls == "github":
        return Severity.MEDIUM
    return None if url.startswith(("$", "{")) else Severity.HIGH


def _shell_lines(view: SkillView, tf: TextFile, what: str) -> Iterator[Hit]:
    for n, row in enumerate(tf.rows, 1):
        if "curl" not in row and "wget" not in row and "iwr" not in row.lower() and "irm" not in row.lower():
            continue
        for rx, verb in ((_PIPE_SH, "pipes a downloaded script into an interpreter"),
                         (_DOWNLOAD_RUN, "downloads a program and runs it")):  # fmt: skip
            m = rx.search(row)
            if m is None:
                continue
            url = next((v for k, v in m.groupdict().items() if k.startswith("url") and v), "")
            url = url if url.startswith("http") else "http://" + url
            sev = _host_severity(url)
            if sev is None:
                continue
            yield Hit("SC020", tf.path, n, f"{what} {verb}", snippet(row, m.start(), m.end()), SCRIPT, sev)
            break
        else:
            yield from _download_then_run(tf, n, row, what)


def _download_then_run(tf: TextFile, n: int, row: str, what: str) -> Iterator[Hit]:
    """``curl -o /tmp/x URL`` on one recipe line, ``chmod +x /tmp/x && sudo /tmp/x`` on one of the next five."""
    m = _DOWNLOAD_TO.search(row)
    urls = URL.findall(row)
    if m is None or not urls:
        return
    dst = m.group("dst").strip("\"'")
    sev = _host_severity(urls[0])
    if sev is None or len(dst) < 2 or "$" in dst.split("/")[-1]:
        return
    runs = re.compile(rf"(?:chmod\s+(?:\+x|[0-7]*[1357][0-7]*)\s+|(?:^|[;&|(]|\bsudo|\bsh|\bbash)\s*)"
                      rf"{re.escape(dst)}(?:\s|$|;|&|\))")  # fmt: skip
    for later in tf.rows[n : n + 5]:
        if runs.search(later.strip()):
            yield Hit("SC020", tf.path, n, f"{what} downloads a program and runs it (on a later line)",
                      snippet(row, m.start(), m.end()), SCRIPT, sev)  # fmt: skip
            return


def _setup_py(tf: TextFile) -> Iterator[Hit]:
    text = tf.text
    if not _PY_NET.search(text) or not _PY_RUN.search(text):
        return
    if not _CMDCLASS.search(text) and "setup(" not in text:
        return
    urls = URL.findall(text)
    if urls and all(host_class(u) in ("trusted", "local") for u in urls):
        return
    n = next((i for i, r in enumerate(tf.rows, 1) if _PY_NET.search(r)), 1)
    yield Hit(
        "SC020",
        tf.path,
        n,
        "setup.py fetches code from the network and runs it while the package installs",
        snippet(tf.rows[n - 1]),
        SCRIPT,
    )


def _npm_hooks(view: SkillView, tf: TextFile) -> Iterator[Hit]:
    try:
        data = json.loads(tf.text)
    except ValueError:
        return
    scripts = data.get("scripts") if isinstance(data, dict) else None
    if not isinstance(scripts, dict):
        return
    base = tf.path.rsplit("/", 1)[0] + "/" if "/" in tf.path else ""
    for name in _LIFECYCLE:
        cmd = scripts.get(name)
        if not isinstance(cmd, str):
            continue
        n = next((i for i, r in enumerate(tf.rows, 1) if f'"{name}"' in r), 1)
        m = _PIPE_SH.search(cmd) or _DOWNLOAD_RUN.search(cmd)
        if m is not None:
            url = next((v for k, v in m.groupdict().items() if k.startswith("url") and v), "")
            sev = _host_severity(url if url.startswith("http") else "http://" + url)
            if sev is not None:
                yield Hit("SC020", tf.path, n, f"npm {name} hook fetches code and runs it", snippet(cmd), SCRIPT, sev)
            continue
        inline = inline_fetch_eval(cmd)
        if inline is not None and (sev := _host_severity(inline[1] or "http://unknown.invalid")) is not None:
            where = host_of(inline[1]) or "a computed URL"
            why = f"npm {name} hook runs inline JS that fetches code from {where} and evaluates it"
            yield Hit("SC020", tf.path, n, why, snippet(cmd), SCRIPT, sev)
            continue
        for target in _RUN_FILE.findall(cmd):
            script = view.file(base + target.removeprefix("./"))
            if script is not None and downloads_and_runs(script):
                yield Hit(
                    "SC020",
                    tf.path,
                    n,
                    f"npm {name} hook runs {target}, which downloads a program and starts it",
                    snippet(cmd),
                    SCRIPT,
                )


def _hooks(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test":
            continue
        low = tf.path.lower()
        if low.rsplit("/", 1)[-1] == "package.json":
            yield from _npm_hooks(view, tf)
        elif _HOOK_NAME.search(low):
            if low.endswith("setup.py"):
                yield from _setup_py(tf)
            else:
                what = "CI workflow" if low.endswith((".yml", ".yaml")) or "jenkinsfile" in low else "build recipe"
                yield from _shell_lines(view, tf, what)


# -- SC021 ----------------------------------------------------------------------------------------------------


def _download_run(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or tf.lang not in LANGS:
            continue
        n = downloads_and_runs(tf)
        if n:
            detached = "detached" in tf.text or ".unref()" in tf.text or "start_new_session" in tf.text
            why = ", detached from the terminal" if detached else ""
            yield Hit(
                "SC021",
                tf.path,
                n,
                f"downloads a file, marks it executable and starts it{why}",
                snippet(tf.rows[n - 1]),
                SCRIPT,
            )


# -- SC022 ----------------------------------------------------------------------------------------------------

_ENC_CMD = re.compile(r"-(?:e|ec|enc|encodedcommand)\b['\"]?\s*[,]?\s*['\"]?([A-Za-z0-9+/]{24,}={0,2})", re.IGNORECASE)
_SPLIT_NAME = re.compile(
    r"""(?:require|import|__import__|importlib\.import_module)\s*\(\s*(?P<q1>['"])(?P<a>[\w./-]*)(?P=q1)\s*\+\s*"""
    r"""(?P<q2>['"])(?P<b>[\w./-]*)(?P=q2)"""
    r"""|\b(?:process|globalThis|window|global|os|builtins|__builtins__)\s*\[\s*(?P<q3>['"])(?P<c>\w*)(?P=q3)\s*\+\s*"""
    r"""(?P<q4>['"])(?P<d>\w*)(?P=q4)"""
    r"""|\bgetattr\s*\(\s*[\w.]+\s*,\s*(?P<q5>['"])(?P<e>\w*)(?P=q5)\s*\+\s*(?P<q6>['"])(?P<f>\w*)(?P=q6)""",
)
_SENSITIVE = frozenset(
    {"child_process", "env", "eval", "exec", "system", "popen", "subprocess", "os", "http", "https", "net",
     "socket", "urllib", "urllib.request", "requests", "fs", "function", "spawn", "execsync", "mainmodule",
     "dgram", "dns", "vm", "ctypes", "marshal", "pty", "builtins", "compile", "urlopen"}
)  # fmt: skip
_CHARCODES = re.compile(r"\bString\.fromCharCode\s*\(\s*((?:\d{2,3}\s*,\s*){8,}\d{2,3})\s*\)")
_B64_LIT = re.compile(r"""(?:Buffer\.from|atob|b64decode|base64\.b64decode)\s*\(\s*b?(['"])([A-Za-z0-9+/=]{16,})\1""")


# ``-EncodedCommand $e`` / ``-ArgumentList '-NoP','-ec',$e``: the payload kept in a variable of the same file
_ENC_VAR = re.compile(r"-(?:e|ec|enc|encodedcommand)\b['\"]?\s*,?\s*\$(\w+)", re.IGNORECASE)


def _ps_var(text: str, name: str) -> str:
    m = re.search(rf"\${re.escape(name)}\s*=\s*['\"]([A-Za-z0-9+/]{{24,}}={{0,2}})['\"]", text)
    return m.group(1) if m else ""


def _decode_ps(blob: str) -> str:
    if not blob:
        return ""

    try:
        raw = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=False)
    except (binascii.Error, ValueError):
        return ""
    for enc in ("utf-16-le", "utf-8"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if text.isprintable() or all(c.isprintable() or c in "\r\n\t" for c in text):
            return text
    return ""


def _hidden_names(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test":
            continue
        low = tf.lower
        if tf.lang == "powershell" or tf.has_any(("powershell", "pwsh")):
            for n, row in enumerate(tf.rows, 1):
                m = _ENC_CMD.search(row) or _ENC_VAR.search(row)
                if m is None or not re.search(r"powershell|pwsh|Start-Process", row, re.IGNORECASE):
                    continue
                decoded = _decode_ps(m.group(1) if m.re is _ENC_CMD else _ps_var(tf.text, m.group(1)))
                if not decoded:
                    continue
                bad = payload_does(decoded)
                hidden = re.search(r"-w(?:indowstyle)?['\"]?\s*[, ]\s*['\"]?hidden", row, re.IGNORECASE)
                sev = Severity.CRITICAL if bad and hidden else Severity.HIGH if bad or hidden else Severity.MEDIUM
                yield Hit(
                    "SC022",
                    tf.path,
                    n,
                    f"runs a base64-encoded PowerShell command{' in a hidden window' if hidden else ''}"
                    f"{' that ' + bad if bad else ''}; it decodes to: {snippet(decoded, 0, None, 100)}",
                    snippet(row, m.start(), m.end()),
                    tf.line_objs(n)[0].ctx if tf.line_objs(n) else None,
                    sev,
                )
        ps = tf.lang == "powershell" or (tf.lang == "markdown" and tf.has_any(("powershell", "pwsh", "```ps")))
        if ps and ("+" in tf.text or "[char]" in low or "frombase64string" in low or "-join" in low or "-f " in low):
            yield from _ps_pieces(tf)
        if tf.lang not in ("python", "javascript", "typescript"):
            continue
        for n, row in enumerate(tf.rows, 1):
            for m in _SPLIT_NAME.finditer(row):
                parts = _parts(m)
                name = "".join(parts)
                if name.lower() in _SENSITIVE and all(parts):
                    yield Hit(
                        "SC022",
                        tf.path,
                        n,
                        f"assembles the name {name!r} from pieces so a scanner does not see it",
                        snippet(row, m.start(), m.end()),
                        SCRIPT,
                    )
            net = bool(CODE_NET.search(tf.text))
            if not net:
                continue
            for m in _CHARCODES.finditer(row):
                try:
                    s = "".join(chr(int(x)) for x in re.findall(r"\d+", m.group(1)))
                except ValueError:
                    continue
                if s.lower().startswith(("http://", "https://", "ws://", "wss://")):
                    yield Hit("SC022", tf.path, n, f"hides a URL in character codes ({s[:60]}) and calls the network",
                              snippet(row, m.start(), m.end()), SCRIPT)  # fmt: skip
            for m in _B64_LIT.finditer(row):
                try:
                    s = base64.b64decode(m.group(2) + "=" * (-len(m.group(2)) % 4)).decode("utf-8")
                except (binascii.Error, ValueError, UnicodeDecodeError):
                    continue
                if s.lower().startswith(("http://", "https://", "ws://", "wss://")):
                    yield Hit("SC022", tf.path, n, f"hides a URL in base64 ({s[:60]}) and calls the network",
                              snippet(row, m.start(), m.end()), SCRIPT)  # fmt: skip


# PowerShell: a name glued from quoted pieces (``& ('I' + 'EX')``, ``New-Object ('Net.' + 'WebClient')``,
# ``$wc.('Download' + 'String')``) or a URL kept as ``[char]`` codes.
_PS_CONCAT = re.compile(r"""(['"])[\w.-]*\1(?:\s*\+\s*(['"])[\w.-]*\2)+""")
_PS_SENSITIVE = frozenset(
    {"iex", "invoke-expression", "net.webclient", "system.net.webclient", "downloadstring", "downloadfile",
     "downloaddata", "invoke-webrequest", "invoke-restmethod", "frombase64string", "start-process",
     "add-mppreference", "set-mppreference", "invoke-command", "new-object", "webclient"}
)  # fmt: skip
# ... or from a list joined (``-join ('I','E','X')``, ``('Net.','WebClient') -join ''``) or formatted
# (``('{1}{0}' -f 'EX','I')``)
_PS_QUOTED = r"""['"][\w.-]*['"]"""
_PS_JOIN = re.compile(
    rf"""-join\s*\(\s*({_PS_QUOTED}(?:\s*,\s*{_PS_QUOTED})+)\s*\)"""
    rf"""|\(\s*({_PS_QUOTED}(?:\s*,\s*{_PS_QUOTED})+)\s*\)\s*-join\s*(?:''|"")""",
    re.IGNORECASE,
)
_PS_FORMAT = re.compile(
    rf"""\(\s*(['"])((?:[\w.-]*\{{\d\}})+[\w.-]*)\1\s*-f\s*({_PS_QUOTED}(?:\s*,\s*{_PS_QUOTED})*)\s*\)""",
    re.IGNORECASE,
)


def _ps_assembled(row: str) -> Iterator[tuple[re.Match[str], str]]:
    """(match, name) for each name a PowerShell row builds by ``-join`` or the ``-f`` format operator."""
    low = row.lower()
    for m in _PS_JOIN.finditer(row) if "-join" in low else ():
        yield m, "".join(re.findall(r"""['"]([\w.-]*)['"]""", m.group(1) or m.group(2)))
    for m in _PS_FORMAT.finditer(row) if "-f" in low else ():
        args = re.findall(r"""['"]([\w.-]*)['"]""", m.group(3))
        parts = re.split(r"\{(\d)\}", m.group(2))  # literal, index, literal, index, ..., literal
        if all(int(i) < len(args) for i in parts[1::2]):
            yield m, "".join(p if k % 2 == 0 else args[int(p)] for k, p in enumerate(parts))


_PS_B64 = re.compile(r"FromBase64String\(\s*['\"]([A-Za-z0-9+/]{16,}={0,2})['\"]", re.IGNORECASE)
_PS_CODES = re.compile(r"\(\s*((?:\d{2,3}\s*,\s*){8,}\d{2,3})\s*\)")


def _ps_rows(tf: TextFile) -> Iterator[tuple[int, str, Context]]:
    """PowerShell lines: every line of a .ps1 file, or of a PowerShell fence in markdown (with its own context)."""
    if tf.md is None:
        yield from ((n, row, SCRIPT) for n, row in enumerate(tf.rows, 1))
        return
    for first, last, lang in tf.md.code_blocks():
        if lang in PS_LANGS:
            for n in range(first, last + 1):
                objs = tf.line_objs(n)
                if objs:
                    yield n, tf.rows[n - 1], objs[0].ctx


def _ps_pieces(tf: TextFile) -> Iterator[Hit]:
    chars = "[char]" in tf.lower
    for n, row, ctx in _ps_rows(tf):
        for m in _PS_CONCAT.finditer(row) if "+" in row else ():
            name = "".join(re.findall(r"""['"]([\w.-]*)['"]""", m.group(0)))
            if name.lower() in _PS_SENSITIVE:
                yield Hit("SC022", tf.path, n, f"assembles the name {name!r} from pieces so a scanner does not see it",
                          snippet(row, m.start(), m.end()), ctx)  # fmt: skip
        for m, name in _ps_assembled(row):
            if name.lower() in _PS_SENSITIVE:
                yield Hit("SC022", tf.path, n, f"assembles the name {name!r} from pieces so a scanner does not see it",
                          snippet(row, m.start(), m.end()), ctx)  # fmt: skip
        for m in _PS_CODES.finditer(row) if chars else ():
            s = "".join(chr(int(x)) for x in re.findall(r"\d+", m.group(1)))
            if s.lower().startswith(("http://", "https://", "ftp://")):
                yield Hit("SC022", tf.path, n, f"hides a URL in character codes ({s[:60]})",
                          snippet(row, m.start(), m.end()), ctx)  # fmt: skip
        for m in _PS_B64.finditer(row) if "frombase64string" in row.lower() else ():
            s = _decode_ps(m.group(1))
            if s.lower().startswith(("http://", "https://", "ftp://")):
                yield Hit("SC022", tf.path, n, f"hides a URL in base64 ({s[:60]})",
                          snippet(row, m.start(), m.end()), ctx)  # fmt: skip


def _parts(m: re.Match[str]) -> list[str]:
    for a, b in (("a", "b"), ("c", "d"), ("e", "f")):
        if m.group(a) is not None:
            return [m.group(a), m.group(b)]
    return []


RULES = [
    Rule(
        "SC020",
        "Build, CI or install hook fetches and runs code",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.8,
        "Makefile targets, CI workflow steps, setup.py install commands and npm lifecycle scripts run without the "
        "user reading them; one that downloads a script or binary from a host the skill does not vouch for and runs "
        "it is a dropper hidden where nobody looks.",
        "Pin the tool through a package manager or an official installer, or vendor it with a checksum; never run "
        "network content from a build hook.",
        _hooks,
        mitre="T1195.002",
    ),
    Rule(
        "SC021",
        "Script downloads a program and starts it",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.8,
        "A helper that fetches a file, sets its executable bit and spawns it (often detached, into a temp path) "
        "runs a program nobody reviewed; the download URL is frequently encoded.",
        "Ship the dependency through a package manager with a pinned version, or document the manual install.",
        _download_run,
        mitre="T1105",
    ),
    Rule(
        "SC022",
        "Encoded command or name assembled to evade review",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.8,
        "PowerShell -EncodedCommand, require('child' + '_process'), process['e' + 'nv'] and URLs kept as char "
        "codes or base64 exist to hide what code does from a reader or scanner; honest code names things plainly.",
        "Write the command, module and URL in plain text.",
        _hidden_names,
        mitre="T1027",
    ),
]
