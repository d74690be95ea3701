"""Supply chain (SC001, SC002, SC004): remote code run by a shell — pipe-to-shell and fetched-then-evaluated
variables, PowerShell download cradles and encoded commands, decoded payloads, download-and-run binaries.

The checks are wired into rules in :mod:`skillyard.scan.rules.supply_chain`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.concealed_url import concealed_url
from skillyard.scan.analyzers.gates import Gated
from skillyard.scan.analyzers.hosts import URL, host_class, host_of, vendor_declared
from skillyard.scan.analyzers.view import WINDOW, Fact, Line, SkillView, TextFile
from skillyard.scan.context import base_context, documentation
from skillyard.scan.rules.base import Hit, line_rule, snippet

_PS_CRADLE = re.compile(
    r"\b(?:iex|Invoke-Expression)\b[^\n]{0,80}(?:DownloadString|DownloadData|iwr|irm|Invoke-WebRequest|Invoke-RestMethod"
    r"|Net\.WebClient)|(?:DownloadString|iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\b[^\n]{0,120}\|\s*(?:iex|"
    r"Invoke-Expression)\b|\bmshta\s+https?://|\bregsvr32\b[^\n]*/i:https?://|certutil\s+-urlcache",
    re.IGNORECASE,
)
_PS_BARE = re.compile(
    r"\b(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod|DownloadString)\b[\s(\"']+(?:-Uri\s+)?[\"']?"
    r"((?:[a-z0-9-]+\.)+[a-z]{2,24}(?:/[^\s\"')|]*)?)",
    re.IGNORECASE,
)
_PS_ENCODED = re.compile(
    r"\b(?:powershell|pwsh)(?:\.exe)?\b[^\n]*\s-(?:e|enc|encodedcommand|ec)\s+[A-Za-z0-9+/=]{20,}", re.IGNORECASE
)
_BINARY_URL = re.compile(
    r"https?://[^\s\"'`<>)]+\.(?:exe|msi|dmg|pkg|scr|bat|cmd|ps1|vbs|jar|apk|appimage|bin"
    r"|zip|rar|7z|tar\.gz|tgz)\b",
    re.IGNORECASE,
)
_RUN_VERB = re.compile(r"\b(?:run|execute|launch|open|install|double[- ]click|start|chmod\s+\+x)\b", re.IGNORECASE)
_DOWNLOAD_RUN_PROSE = re.compile(
    r"\b(?:download|get|grab)\b[^\n]{0,80}\b[\w.-]+\.(?:exe|msi|dmg|pkg|scr|appimage|bin|zip|rar|7z)\b[^\n]{0,120}"
    r"\b(?:run|execute|launch|open|install|double[- ]click)\b",
    re.IGNORECASE,
)


# Remote content stored in a variable and run later: ``c=$(curl -s URL); eval "$c"`` / ``sh -c "$c"``.
_FETCH_VAR = re.compile(
    r"\b(\w+)=[\"']?\$\(\s*(?:curl|wget|iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\b[^)\n]*?(https?://[^\s\"')]+)",
    re.IGNORECASE,
)
_RUN_VAR = r"(?:\beval\s+|\b(?:ba|z|da|k)?sh\s+-c\s+|\bsource\s+|\bInvoke-Expression\s+|\biex\s+)[\"']?\$\{{?{name}\b"


def _fetched_then_run(view: SkillView) -> Iterator[tuple[str, int, str, str]]:
    """(file, line, evidence, url) for each variable filled from the network and then evaluated by a shell."""
    for tf in view.files:
        if "$(" not in tf.text or tf.lang in ("python", "javascript"):
            continue
        for m in _FETCH_VAR.finditer(tf.text):
            run = re.compile(_RUN_VAR.format(name=re.escape(m.group(1))), re.IGNORECASE).search(tf.text, m.end())
            if run is not None:
                line = tf.text.count("\n", 0, run.start()) + 1
                yield tf.path, line, snippet(tf.text, m.start(), run.end()).replace("\n", " "), m.group(2)


def _every_commit(path: str) -> bool:
    """A pre-commit hook file: its entry runs on every commit, so a download piped to a shell there is fetched and
    run again each time - not a one-off install step, even from the skill's own vendor host."""
    return path.rsplit("/", 1)[-1].lower() in (
        ".pre-commit-config.yaml",
        ".pre-commit-config.yml",
        ".pre-commit-hooks.yaml",
    )


_HOOK_CONFIGS = ("lefthook.yml", "lefthook.yaml", ".lefthook.yml", "lefthook-local.yml")
_PLACEHOLDER = (".example", ".test", ".invalid", "example.com", "example.org", "example.net")
_DETACHED = re.compile(r"/dev/null[^\n]*?(?<![&>|])&(?![&>])|(?<![&>|])&\s*\)")


def _hidden_or_implicit(tf: TextFile | None, line: int, url: str, evidence: str = "") -> str | None:
    """Why a pipe-to-shell from a placeholder-TLD host still counts: the host is a placeholder only in name when the
    download runs detached with its output discarded (``(curl … | sh >/dev/null 2>&1 &)``: nobody is meant to see
    it; blind13 polyglot-toolchain-pin) or inside a Homebrew formula, whose ``install``/``post_install`` run on
    ``brew install`` and never pipe a download into a shell (blind13 homebrew-devtools-tap)."""
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    if tf is None or not host.endswith(_PLACEHOLDER) or not 0 < line <= len(tf.rows):
        return None
    low = tf.path.lower()
    if low.endswith(".rb") and ("formula/" in low or "casks/" in low or re.search(r"<\s*Formula\b", tf.text)):
        return "in a Homebrew formula's install hook"
    if _every_commit(low) or low.rsplit("/", 1)[-1] in _HOOK_CONFIGS or low.startswith(".husky/"):
        return "in a git hook that runs on every commit"
    if _DETACHED.search(tf.rows[line - 1]) or _DETACHED.search(evidence):
        return "run detached with its output discarded"
    return None


def pipe_to_shell(view: SkillView) -> Iterator[Hit]:
    claim = f"{view.skill.name} {view.skill.description}"
    extra = view.options.trusted_installer_hosts
    facts = list(view.facts_of("sh.pipe_to_shell"))
    for path, line, ev, url in _fetched_then_run(view):
        tf = view.file(path)
        ctx = next((ln.ctx for ln in tf.line_objs(line)), None) if tf is not None else None
        facts.append(Fact("sh.pipe_to_shell", path, line, "", ctx or base_context("script"), ev, url))
    for f in facts:
        cls = host_class(f.value, extra) if f.value else "unknown"
        why = _hidden_or_implicit(view.file(f.file), f.line, f.value) if cls == "local" and f.value else None
        if cls == "local" and why is None:
            continue
        if why:
            sev, conf, cls = Severity.HIGH, 0.8, "placeholder-named"
        elif cls in ("ip", "paste", "shortener", "exfil"):
            sev, conf = Severity.CRITICAL, 0.95
        elif cls == "trusted" or (cls == "github" and vendor_declared(f.value, claim)):
            sev, conf = Severity.LOW, 0.6
        elif (
            cls == "github"
            or (f.value and vendor_declared(f.value, claim) and not _every_commit(f.file))
            or not f.value
        ):
            sev, conf = Severity.MEDIUM, 0.6
        else:
            sev, conf = Severity.HIGH, 0.8
        tf = view.file(f.file)
        hidden = concealed_url(tf, f.evidence) if not f.value and tf is not None else None
        if hidden:  # the host is kept from the reader on purpose
            sev, conf, cls = Severity.HIGH, 0.8, f"URL {hidden}, unknown"
        yield Hit(
            "SC001",
            f.file,
            f.line,
            f"remote script ({cls} host) piped into an interpreter" + (f", {why}" if why else ""),
            f.evidence,
            f.ctx,
            sev,
            conf,
        )
    for h in line_rule(
        "SC001",
        _PS_CRADLE,
        "PowerShell download cradle executes remote code",
        keywords=("iex", "invoke-expression", "mshta", "regsvr32", "certutil"),
    )(view):
        url = next(iter(URL.findall(h.evidence)), "")
        if not url and (bare := _PS_BARE.search(h.evidence)) is not None:  # ``irm get.tool.dev/i | iex``
            url = "https://" + bare.group(1)
        cls = host_class(url, extra) if url else "unknown"
        if cls == "local":
            continue
        if cls in ("ip", "paste", "shortener", "exfil"):
            sev, conf = Severity.CRITICAL, 0.95
        elif cls == "trusted" or (cls == "github" and vendor_declared(url, claim)):
            sev, conf = Severity.LOW, 0.6
        elif cls == "github" or (url and vendor_declared(url, claim)) or not url:
            sev, conf = Severity.MEDIUM, 0.6
        else:
            sev, conf = Severity.HIGH, 0.8
        tf = view.file(h.file)
        hidden = concealed_url(tf, h.evidence) if not url and tf is not None else None
        if hidden:  # ``$u = -join [char[]](104, 116, ...)`` then ``IEX ....DownloadString($u)``
            sev, conf, cls = Severity.HIGH, 0.8, f"URL {hidden}, unknown"
        yield Hit(h.rule, h.file, h.line, f"{h.message} ({cls} host)", h.evidence, h.context, sev, conf)


# An encoded literal cut short with "..." (``echo 'L2Jpbi9i...' | base64 -d | sh``) cannot run: it is a sample quoted
# in prose (an analyst's "inputs you will see"), not a payload. Only markdown counts; a script's literal is code.
_ELIDED = re.compile(r"""[A-Za-z0-9+/=]{6,}(?:\.{3}|…)\s*['"]?\s*\|""")


def decoded_payload(view: SkillView) -> Iterator[Hit]:
    for f in view.facts_of("sh.decode_to_shell"):
        msg = "decoded payload executed by a shell" + (f": {f.value[:80]!r}" if f.value else "")
        ctx = f.ctx
        tf = view.file(f.file)
        if tf is not None and tf.lang == "markdown" and _ELIDED.search(f.evidence):
            ctx, msg = documentation("elided sample"), msg + " (sample cut short with '...')"
        yield Hit("SC002", f.file, f.line, msg, f.evidence, ctx)
    yield from line_rule("SC002", _PS_ENCODED, "PowerShell runs an encoded command", keywords=("powershell", "pwsh"))(
        view
    )
    yield from _ps_encoded_var(view)


# ``$e = '<base64>'`` ... ``powershell -enc $e``: the encoded command passed through a variable
_PS_ENC_VAR = re.compile(r"\b(?:powershell|pwsh)(?:\.exe)?\b[^\n]*\s-(?:e|enc|encodedcommand|ec)\s+\$(\w+)", re.I)


def _ps_encoded_var(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or "-e" not in tf.lower or ("powershell" not in tf.lower and "pwsh" not in tf.lower):
            continue
        for n, row in enumerate(tf.rows, 1):
            m = _PS_ENC_VAR.search(row) if "$" in row else None
            if m and re.search(rf"\${re.escape(m.group(1))}\s*=\s*['\"][A-Za-z0-9+/=]{{20,}}['\"]", tf.text):
                objs = tf.line_objs(n)
                ctx = objs[0].ctx if objs else base_context("script")
                yield Hit(
                    "SC002", tf.path, n, "PowerShell runs an encoded command kept in a variable", snippet(row), ctx
                )


_BINARY_EXTS = (".exe", ".msi", ".dmg", ".pkg", ".zip", ".rar", ".7z", ".appimage", ".scr", ".bin", ".tgz", ".tar.gz")
_BINARY_URL_G, _DOWNLOAD_RUN_PROSE_G = Gated(_BINARY_URL), Gated(_DOWNLOAD_RUN_PROSE)


def _binary_lines(tf: TextFile) -> Iterator[Line]:
    """``tf.candidates(_BINARY_EXTS)`` less the lines neither pattern matches, tested on the row before its Line
    object is built (a windowed long row is kept whole)."""
    rows, low = tf.rows, tf.lower_rows
    for n in tf.candidate_numbers(_BINARY_EXTS):
        row = rows[n - 1]
        if len(row) <= WINDOW and not (
            _BINARY_URL_G.search(row, low[n - 1]) or _DOWNLOAD_RUN_PROSE_G.search(row, low[n - 1])
        ):
            continue
        yield from tf.line_objs(n)


_GENERIC_LABELS = frozenset({"app", "apps", "dev", "cdn", "dl", "get", "download", "downloads", "releases", "static"})


def _owner_named(url: str, claim: str) -> bool:
    """The registrable name of the URL's host (``acme`` of ``dl.acme.io``) appears in the skill's name or
    description. Subdomains are the downloader's to choose (``swift-format.dev-tools-cdn.com``), so they do not
    count; nor do generic labels."""
    labels = host_of(url).split(".")
    owner = labels[-2] if len(labels) >= 2 else ""
    if len(owner) < 4 or owner in _GENERIC_LABELS:
        return False
    flat = re.sub(r"[-_\s.]", "", claim.lower())
    return owner.replace("-", "") in flat


def download_run(view: SkillView) -> Iterator[Hit]:
    claim = f"{view.skill.name} {view.skill.description}"
    for f in view.facts_of("sh.download_run"):
        cls = host_class(f.value) if f.value else "unknown"
        # a placeholder-named host still counts where nobody is meant to see the run (as for a pipe to a shell)
        why = (
            _hidden_or_implicit(view.file(f.file), f.line, f.value, f.evidence) if cls == "local" and f.value else None
        )
        if cls == "trusted" or (cls == "local" and why is None):
            continue
        # the vendor is the host's owner: a binary merely named like the skill proves nothing about where it is from
        own = cls == "github" or bool(f.value and _owner_named(f.value, claim))
        sev = (
            Severity.CRITICAL
            if cls in ("ip", "paste", "shortener")
            else (Severity.HIGH if why else (Severity.MEDIUM if own else None))
        )
        where = f"a {cls} host" if why is None else f"a placeholder-named host, {why}"
        yield Hit("SC004", f.file, f.line, f"downloads a file from {where} and runs it", f.evidence, f.ctx, sev)
    for tf in view.files:
        for ln in _binary_lines(tf):
            m = _BINARY_URL.search(ln.text)
            prose = _DOWNLOAD_RUN_PROSE.search(ln.text)
            if m is None and prose is None:
                continue
            named = URL.search(ln.text) if m is None else None  # "download X from <site> and run it"
            url = m.group(0) if m else (named.group(0) if named else "")
            cls = host_class(url) if url else "unknown"
            if cls in ("trusted", "local") or (url and vendor_declared(url, claim) and cls != "ip"):
                continue
            if m is not None and not (_RUN_VERB.search(ln.text) or cls in ("ip", "paste", "shortener")):
                continue
            sev = (
                Severity.CRITICAL
                if cls in ("ip", "paste", "shortener")
                else (Severity.MEDIUM if cls == "github" else None)
            )
            yield Hit(
                "SC004",
                tf.path,
                ln.lineno,
                f"tells the user/agent to download and run a binary ({cls} host)",
                ln.text.strip()[:160],
                ln.ctx,
                sev,
            )
