"""JavaScript/TypeScript analysis at token level: exec, eval of decoded data, env and secret access, network.

A regex pass over comment-stripped lines is enough for what matters here and never fails on TypeScript, JSX or
minified code (where a real JS parser would raise). Flows are file-level: a file that both reads secrets or
the environment and sends data out yields ``js.flow``.
"""

from __future__ import annotations

import re

from skillyard.scan.analyzers.secrets import secret_kind
from skillyard.scan.analyzers.view import Fact, SkillView, Snippet

_EXEC = re.compile(
    r"\b(?:child_process|execSync|execFileSync|spawnSync|exec|spawn|execFile)\s*\(|require\(\s*['\"]"
    r"child_process['\"]\s*\)|from\s+['\"](?:node:)?child_process['\"]|Bun\.spawn|Deno\.Command"
)
_EVAL_DECODED = re.compile(
    r"\b(?:eval|Function|setTimeout|setInterval)\s*\(\s*(?:[^)]*\b(?:atob|Buffer\.from"
    r"|decodeURIComponent|unescape|fromCharCode|String\.raw)\b|[^)]*\\x[0-9a-f]{2})",
    re.IGNORECASE,
)
# Code built at run time: a downloaded string compiled with ``new Function(...)(...)`` / ``vm.runIn*``, or
# command words split into fragments / char codes (``["cu","rl"].join("")``, ``String.fromCharCode``).
_RUN_DOWNLOADED = re.compile(r"\bnew\s+Function\s*\([^;]*\)\s*\(|\bvm\.runIn\w*Context\s*\(|\beval\s*\(\s*\w+\s*\)")
_SPLIT_WORD = re.compile(r"\[\s*([\"'])[a-z]{1,4}\1\s*(?:,\s*([\"'])[a-z]{1,4}\2\s*)+\]\s*\.join\(|fromCharCode", re.I)
# A network response handed to a command runner: ``.then((t) => execSync(t))`` or ``x = await fetch...; exec(x)``.
_THEN_EXEC = re.compile(
    r"\.then\(\s*\(?\s*(\w+)\s*\)?\s*=>\s*[{(]?\s*(?:\w+\.)?(?:exec|execSync|spawn|spawnSync|eval|Function)\s*\(\s*\1\b"
)
_ENV = re.compile(r"\bprocess\.env\b|\bDeno\.env\b|\bBun\.env\b|import\.meta\.env\b")
_ENV_DUMP = re.compile(
    r"JSON\.stringify\(\s*process\.env\s*\)|Object\.(?:entries|keys|assign)\(\s*(?:\{\}\s*,\s*)?"
    r"process\.env\s*\)|\.\.\.process\.env\b(?![^}]*\b\w+:)"
    # ``JSON.stringify({cwd, env: process.env})``
    r"|JSON\.stringify\(\s*\{[^;{}]{0,200}?\b\w+\s*:\s*process\.env\s*[,}]"
)
# ``process`` handed on as a value (minified wrappers: ``!function(e){...e.env...}(process)``, ``const p=process``):
# then ``JSON.stringify(e.env)`` serialises the whole environment under another name
_PROCESS_VALUE = re.compile(r"[(,=:]\s*process\s*[,)};]")
_ENV_DUMP_ALIAS = re.compile(
    r"JSON\.stringify\(\s*[\w$]+\.env\s*[,)]|Object\.(?:entries|keys|assign)\(\s*(?:\{\}\s*,\s*)?[\w$]+\.env\s*\)"
)
_NET = re.compile(
    r"\bfetch\s*\(|\baxios\b|\bhttps?\.request\s*\(|\bXMLHttpRequest\b|\bnew WebSocket\b|\bgot\s*\("
    r"|\bnode-fetch\b|\bundici\b|\bnet\.connect\s*\(|\bsuperagent\b|\bdns\.(?:resolve\w*|lookup)\s*\("
    r"|\brequire\(\s*['\"](?:node:)?https?['\"]\s*\)\s*\.(?:request|get)\s*\("
)
# ``const h = require('https')`` / ``import * as h from "node:https"``: ``h.get(...)`` is a network call too
_NET_ALIAS = re.compile(
    r"\b(\w+)\s*=\s*require\(\s*['\"](?:node:)?(?:https?|http2|net|tls|dgram|dns(?:/promises)?)['\"]\s*\)"
    r"|\bimport\s+(?:\*\s+as\s+)?(\w+)\s+from\s+['\"](?:node:)?(?:https?|http2|net|tls|dgram|dns(?:/promises)?)['\"]"
)
_FS_READ = re.compile(r"\b(?:readFileSync|readFile|createReadStream|readdirSync|readdir|glob)\s*\(")
# What a browser extension or app plugin can reach that is not its own: every cookie or the browsing history
# (``chrome.cookies.getAll``), a whole Obsidian vault (``app.vault.getMarkdownFiles()`` read file by file), a page's
# whole localStorage. Sent out together with a network call, it is the extension stealer pattern.
_APP_DATA = re.compile(
    r"\b(?:chrome|browser)\.(?:cookies\.getAll|history\.search)\s*\(|\bvault\.(?:getMarkdownFiles|getFiles"
    r"|getAllLoadedFiles)\s*\(|JSON\.stringify\(\s*(?:window\.)?localStorage\s*\)"
)
_STR = re.compile(r"(['\"`])((?:\\.|(?!\1).){1,300})\1")
_URL = re.compile(r"https?://[^\s'\"`)]+")


# Names holding a network response: ``const r = await fetch(u)``, then anything assigned from them
# (``const meta = await r.json()``, ``const {patch} = meta``). A code or command sink given one runs remote code.
_ASSIGN = re.compile(r"\b(?:const|let|var)\s+(?:(\w+)|\{([^}]*)\})\s*=\s*([^;\n]+)")
_FETCHES = re.compile(r"\b(?:fetch|axios(?:\.\w+)?|got|request|needle|superagent)\s*\(")
# ``new (Object.getPrototypeOf(async function () {}).constructor)(…, src)`` is ``new AsyncFunction(…, src)``: the
# Function constructor reached without writing its name (blind13 tauri-app-packager).
_CODE_SINK = re.compile(r"(?<![\w$.])(?:eval|Function)\s*\(|\bnew\s+Function\s*\(|\bvm\.runIn\w*Context\s*\("
                        r"|\bnew\s*\(\s*Object\.getPrototypeOf\(\s*async\s+function\s*\*?\s*\(\s*\)\s*\{\s*\}\s*\)"
                        r"\s*\.constructor\s*\)\s*\(")  # fmt: skip
_CMD_SINK = re.compile(r"(?<![\w$.])(?:exec|execSync|spawn|spawnSync)\s*\(|\b(?:child_process|cp|childProcess)\."
                       r"(?:exec|execSync|spawn|spawnSync)\s*\(")  # fmt: skip


# A value decoded at run time (hex/base64 ``Buffer.from``, ``atob``, a reversed string, char codes): a code sink
# given a name assigned from one runs hidden code (``const p = Buffer.from(h, 'hex').toString(); eval(p)``).
_DECODE_EXPR = re.compile(
    r"\bBuffer\.from\s*\([^)]*,\s*['\"](?:hex|base64|base64url)['\"]|\batob\s*\(|\.reverse\(\)\s*\.join\("
    r"|\b(?:decodeURIComponent|unescape)\s*\(|\bfromCharCode\b"
)


def _decoded_runs(text: str) -> list[tuple[int, str]]:
    """(offset, evidence) of each code sink given a name assigned from a run-time decoding."""
    if "eval" not in text and "Function" not in text and "runIn" not in text:
        return []
    names = [m.group(1) for m in _ASSIGN.finditer(text) if m.group(1) and _DECODE_EXPR.search(m.group(3))]
    if not names:
        return []
    alt = "|".join(map(re.escape, names))
    sink = re.compile(rf"(?:{_CODE_SINK.pattern})\s*(?:{alt})\b")
    return [(m.start(), m.group(0)[:200]) for m in sink.finditer(text)]


def _remote_runs(text: str, spawns: bool) -> list[tuple[int, str]]:
    """Offsets and evidence of eval/Function (or, with child_process, exec/spawn) of a network response."""
    if "await" not in text and ".then" not in text:
        return []
    tainted: set[str] = set()
    assigns = [(m.group(1) or m.group(2), m.group(3)) for m in _ASSIGN.finditer(text)]
    for _ in range(3):
        for names, rhs in assigns:
            words = set(re.findall(r"[A-Za-z_$][\w$]*", rhs))
            if _FETCHES.search(rhs) or words & tainted:
                tainted.update(n.split(":")[-1].strip() for n in names.split(",") if n.strip())
    tainted.discard("")
    if not tainted:
        return []
    out = []
    for rx in (_CODE_SINK, _CMD_SINK) if spawns else (_CODE_SINK,):
        for m in rx.finditer(text):
            args = text[m.end() : m.end() + 200].split(")", 1)[0]
            # a command sink counts only when it is handed the response itself (``exec(body.cmd)``), not a
            # command line that merely interpolates a fetched value (``exec(`git clone ${repo.url}`)``)
            if rx is _CMD_SINK and not re.fullmatch(r"\s*[A-Za-z_$][\w$.\[\]'\"]*\s*(?:,.*)?", args):
                continue
            if set(re.findall(r"[A-Za-z_$][\w$]*", args)) & tainted:
                out.append((m.start(), text[m.start() : m.end() + len(args) + 1][:200]))
    return out


def analyse_javascript(view: SkillView) -> None:
    """Add ``js.*`` facts for every JavaScript/TypeScript file of the skill."""
    for tf in view.files:
        if tf.lang != "javascript":
            continue
        reads: list[Fact] = []
        sends: list[Fact] = []
        aliases = (
            {a for pair in _NET_ALIAS.findall(tf.text) for a in pair if a}
            if "require" in tf.text or ("import" in tf.text)
            else set()
        )
        net_alias = (
            re.compile(
                r"(?<![\w.])(?:"
                + "|".join(map(re.escape, sorted(aliases)))
                + r")\.(?:get|request|connect|send|resolve\w*|lookup)\s*\("
            )
            if aliases
            else None
        )
        networked = bool(_NET.search(tf.text) or re.search(r"\bhttps?\.get\s*\(", tf.text))
        networked = networked or bool(net_alias and net_alias.search(tf.text))
        spawns = bool(_EXEC.search(tf.text))
        aliased = "process" in tf.text and ".env" in tf.text and bool(_PROCESS_VALUE.search(tf.text))
        for ln in tf.lines:
            t = ln.text
            s = t.lstrip()
            if s.startswith(("//", "*", "/*")):
                continue
            if _EVAL_DECODED.search(t):
                view.facts.append(
                    Fact("js.obf_exec", tf.path, ln.lineno, "eval/Function of decoded data", ln.ctx, s[:200])
                )
            if networked and spawns and _THEN_EXEC.search(t):
                view.facts.append(
                    Fact("js.obf_exec", tf.path, ln.lineno, "runs a network response as a command", ln.ctx, s[:200])
                )
            if networked and _RUN_DOWNLOADED.search(t):
                view.facts.append(
                    Fact(
                        "js.obf_exec",
                        tf.path,
                        ln.lineno,
                        "compiles and runs a string at run time in a file that downloads data",
                        ln.ctx,
                        s[:200],
                    )
                )
            elif spawns and _SPLIT_WORD.search(t) and len(_SPLIT_WORD.findall(tf.text)) >= 2:
                view.facts.append(
                    Fact(
                        "js.obf_exec",
                        tf.path,
                        ln.lineno,
                        "assembles strings from fragments or char codes in a file that runs commands",
                        ln.ctx,
                        s[:200],
                    )
                )
            if _EXEC.search(t):
                view.facts.append(Fact("js.exec", tf.path, ln.lineno, "runs commands (child_process)", ln.ctx, s[:200]))
                for m in _STR.finditer(t):
                    if " " in m.group(2):
                        view.snippets.append(Snippet(tf.path, ln.lineno, m.group(2), ln.ctx, "javascript"))
            if _ENV_DUMP.search(t) or (aliased and _ENV_DUMP_ALIAS.search(t)):
                f = Fact("js.env_dump", tf.path, ln.lineno, "collects the whole environment", ln.ctx, s[:200])
                view.facts.append(f)
                reads.append(f)
            elif _ENV.search(t):
                reads.append(Fact("js.env", tf.path, ln.lineno, "reads environment variables", ln.ctx, s[:200]))
            if _FS_READ.search(t) or "homedir()" in t:
                k = secret_kind(t)
                if k in ("credential", "store", "env_file", "user_files"):
                    f = Fact("js.secret_read", tf.path, ln.lineno, f"reads {k} location", ln.ctx, s[:200], k)
                    view.facts.append(f)
                    reads.append(f)
            if ("cookies" in t or "history" in t or "vault" in t or "localStorage" in t) and _APP_DATA.search(t):
                k = "user_files" if "vault" in t else "store"
                what = "a whole note vault" if k == "user_files" else "the browser's cookies, history or storage"
                f = Fact("js.secret_read", tf.path, ln.lineno, f"reads {what}", ln.ctx, s[:200], k)
                view.facts.append(f)
                reads.append(f)
            if _NET.search(t) or (net_alias is not None and net_alias.search(t)):
                urls = _URL.findall(t)
                f = Fact("js.network", tf.path, ln.lineno, "network request", ln.ctx, s[:200], urls[0] if urls else "")
                view.facts.append(f)
                sends.append(f)
        for off, ev in _decoded_runs(tf.text):
            line = tf.text.count("\n", 0, off) + 1
            objs = tf.line_objs(line)
            if objs:
                view.facts.append(
                    Fact(
                        "js.obf_exec",
                        tf.path,
                        line,
                        f"{ev}): eval/Function of a decoded value",
                        objs[0].ctx,
                        objs[0].text.strip()[:200],
                    )
                )
        if networked:
            for off, ev in _remote_runs(tf.text, spawns):
                line = tf.text.count("\n", 0, off) + 1
                objs = tf.line_objs(line)
                if objs:
                    view.facts.append(
                        Fact(
                            "js.obf_exec",
                            tf.path,
                            line,
                            "runs a network response as code or a command",
                            objs[0].ctx,
                            ev,
                        )
                    )
        strong = [r for r in reads if r.kind in ("js.secret_read", "js.env_dump")]
        if strong and sends:
            r, s2 = strong[0], sends[0]
            view.facts.append(
                Fact(
                    "js.flow",
                    tf.path,
                    s2.line,
                    f"{r.detail} (line {r.line}) and sends data out",
                    s2.ctx,
                    s2.evidence,
                    "secret->network",
                )
            )
