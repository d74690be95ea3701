"""Shell analysis: pipelines, substitutions, ``bash -c`` strings and decoded payloads.

Each snippet is parsed with ``bashlex`` (a real bash parser); real-world shell it cannot handle (heredocs,
``[[ ]]``, zsh-isms, prompts) falls back to a quote-aware tokenizer, so nothing is skipped. The result is a list
of pipelines (commands as word lists); rules read facts derived from them:

``sh.pipe_to_shell``  downloaded content piped/substituted into an interpreter (``value`` = the URL)
``sh.decode_to_shell`` decoded (base64/hex) data run by an interpreter; literal payloads are decoded and
                       re-scanned up to ``max_decode_depth`` layers
``sh.reverse_shell``  interactive shell bound to a network socket
``sh.upload``         a file or secret sent with curl/wget (``value`` = the URL)
``sh.download_run``   a downloaded file made executable / run / an archive opened with a password
"""

from __future__ import annotations

import base64
import binascii
import re

from skillyard.scan.analyzers.downloads import (
    download_target,
    powershell_download_runs,
    redirected_downloads,
    runs_downloaded,
)
from skillyard.scan.analyzers.hosts import URL
from skillyard.scan.analyzers.shell_parse import Command, fallback_pipelines, logical_lines, parse_pipelines
from skillyard.scan.analyzers.shell_vars import fed_secret
from skillyard.scan.analyzers.view import Fact, SkillView, Snippet, fold

INTERPRETERS = frozenset(
    {
        "bash",
        "sh",
        "zsh",
        "dash",
        "ksh",
        "fish",
        "python",
        "python3",
        "python2",
        "perl",
        "ruby",
        "node",
        "php",
        "iex",
        "invoke-expression",
        "pwsh",
        "powershell",
        "source",
        ".",
        "osascript",
        "eval",
        "exec",
        "deno",
        "bun",
    }
)
DOWNLOADERS = frozenset(
    {
        "curl",
        "wget",
        "fetch",
        "iwr",
        "invoke-webrequest",
        "irm",
        "invoke-restmethod",
        "aria2c",
        "http",
        "https",
        "lwp-download",
        "lynx",
        "certutil",
    }
)
# Only statements that can pipe, substitute, decode, upload or unpack are worth the real parser's time; the
# rest are tokenized (every statement is still split into pipelines).
_WORTH_PARSING = re.compile(
    r"\|\s*(?:sudo\s+)?(?:\S*/)?(?:ba|z|da|k)?sh\b|\|\s*(?:python|perl|ruby|node|php|iex|pwsh|powershell|source|eval)"
    r"|\$\(|`|<\(|\s-c\s|\beval\b|\bcurl\b|\bwget\b|base64|xxd|openssl|\bunzip\b|\b7z|\bunrar\b",
    re.IGNORECASE,
)
# A curl/wget with no pipe, substitution, upload or output file cannot produce a fact: not worth tokenizing.
_PLAIN_FETCH = re.compile(r"^\s*(?:sudo\s+)?(?:curl|wget)\b(?!.*(?:\||\$\(|`|<\(|&&|;|\bbase64\b|\bxxd\b))")
_FETCH_DETAIL = re.compile(r"@|\s-T\s|--upload|--post-file|--body-file|\s-[a-zA-Z]*[oO]\s|--output|/dev/tcp")
# Pipes, substitutions and ``-c`` strings need the real parser; plain commands are tokenized.
_B64_LIT = re.compile(r"^[A-Za-z0-9+/=_-]{16,}$")
_HEX_LIT = re.compile(r"^(?:[0-9a-fA-F]{2}){8,}$")
_REVSHELL = re.compile(
    r"/dev/(?:tcp|udp)/[\w.\-]+/\d+|\b(?:nc|ncat|netcat)\b[^|;&\n]*\s-[a-z]*e\s*\S+|socat\b[^\n]*exec:"
    r"|mkfifo\b[^\n]*\b(?:nc|ncat|telnet)\b|\bconnect\b[^\n]*\bpty\.spawn\(|socket\.socket\([^\n]*\bconnect\b.*\bdup2\b"
    r"|\bsh\s+-i\s*[<>]&|\bbash\s+-i\s*[<>]&|New-Object\s+System\.Net\.Sockets\.TCPClient",
    re.IGNORECASE,
)

# Speed: the three patterns above run on every snippet (whole scripts included), and a case-insensitive alternation
# is slow to search. Each is tried only when the case-folded text (``view.fold``) holds a literal that every match
# of it contains, so skipping never loses a match; the reverse-shell pattern is tried branch by branch that way.
_PLACEHOLDER_KEYS = ("attacker", "evil", "victim", "<ip", "<host", "yourip", "your_ip")
_WORTH_KEYS = ("|", "$(", "`", "<(", "-c", "eval", "curl", "wget", "base64", "xxd", "openssl", "unzip", "7z", "unrar")
_REVSHELL_BRANCHES = tuple(
    (keys, re.compile(branch, re.IGNORECASE))
    for keys, branch in (
        (("/dev/tcp/", "/dev/udp/"), r"/dev/(?:tcp|udp)/[\w.\-]+/\d+"),
        (("nc", "netcat"), r"\b(?:nc|ncat|netcat)\b[^|;&\n]*\s-[a-z]*e\s*\S+"),
        (("socat",), r"socat\b[^\n]*exec:"),
        (("mkfifo",), r"mkfifo\b[^\n]*\b(?:nc|ncat|telnet)\b"),
        # ``pty.spawn("/bin/bash")`` alone upgrades a shell one already has (a TTY); with a connect it is the shell
        (("pty.spawn(",), r"\bconnect\b[^\n]*\bpty\.spawn\("),
        (("socket.socket(",), r"socket\.socket\([^\n]*\bconnect\b.*\bdup2\b"),
        (("-i",), r"\bsh\s+-i\s*[<>]&|\bbash\s+-i\s*[<>]&"),
        (("new-object",), r"New-Object\s+System\.Net\.Sockets\.TCPClient"),
    )
)


def _worth_parsing(text: str, low: str) -> bool:
    """``_WORTH_PARSING.search(text)``, skipped when ``low`` (``fold(text)``) holds none of its literals."""
    return any(k in low for k in _WORTH_KEYS) and _WORTH_PARSING.search(text) is not None


def _reverse_shell(text: str, low: str) -> bool:
    """``_REVSHELL.search(text)``, one branch at a time, each only when ``low`` holds a literal it needs."""
    return any(any(k in low for k in keys) and rx.search(text) for keys, rx in _REVSHELL_BRANCHES)


def _is_decoder(c: Command) -> bool:
    n, w = c.name, [x.lower() for x in c.args]
    if n in ("base64", "gbase64"):
        return any(x in ("-d", "--decode", "-D", "-di") or x.startswith("-d") for x in w)
    if n == "xxd":
        return any(x.startswith("-r") for x in w)
    if n == "openssl":
        return "-d" in w or ("-a" in w and "-d" in w)
    if n == "tr":
        return _tr_cipher(c)
    if n in ("printf", "echo"):  # ``printf '\x63\x75...'``: the text spelled as hex escapes
        return any(_HEX_ESC.search(x) for x in c.args)
    if n.startswith("python") and "-c" in w:  # ``python3 -c "print(bytes.fromhex('6375...').decode())"``
        return any(k in x for x in c.args for k in ("fromhex", "unhexlify", "b64decode"))
    return n in ("rev", "gunzip", "zcat", "uudecode", "b64decode")


def _tr_set(spec: str) -> str:
    """A ``tr`` character set with its ``a-z`` ranges expanded (classes and escapes are left as written)."""
    out: list[str] = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-" and spec[i] <= spec[i + 2]:
            out.extend(chr(x) for x in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            out.append(spec[i])
            i += 1
    return "".join(out)


def _tr_cipher(c: Command) -> bool:
    """``tr 'A-Za-z' 'N-ZA-Mn-za-m'`` and the like: a letter substitution (rot13, any rotation or shuffled
    alphabet) that decodes hidden text. Case conversion (``tr a-z A-Z``, swapping case) and deleting or squeezing
    characters are not ciphers."""
    sets = [a for a in c.args if not a.startswith("-")]
    if len(sets) != 2:
        return False
    a, b = _tr_set(sets[0]), _tr_set(sets[1])
    if len(a) < 10 or len(a) != len(b) or a == b or set(a) != set(b) or not a.isalpha():
        return False
    return any(x.lower() != y.lower() for x, y in zip(a, b, strict=True))


# ``NAME=$(...)`` / ``local NAME="$(...)"``: a variable filled by a command substitution
_ASSIGN_SUB = re.compile(r"^\s*(?:(?:local|export|readonly|typeset|declare)\s+)?(\w+)=[\"']?\$\(")


def _runs_var(stmt: str, names: list[str]) -> bool:
    """``stmt`` evaluates one of the variables ``names`` as code (``eval "$v"``, ``sh -c "$v"``, ``source <(echo
    $v)``, ``echo "$v" | sh``)."""
    if "$" not in stmt:
        return False
    alt = "|".join(map(re.escape, names))
    return (
        re.search(
            rf"(?:\beval\s+|\b(?:ba|z|da|k)?sh\s+-c\s+|\bsource\s+<\(\s*(?:echo|printf)\s+|\bexec\s+)[\"']?\$\{{?(?:{alt})\b"
            rf"|\b(?:echo|printf)\s+(?:-\w+\s+)*[\"']?\$\{{?(?:{alt})\b[\"'}}]*\s*\|\s*(?:ba|z|da|k)?sh\b",
            stmt,
        )
        is not None
    )


_HEX_ESC = re.compile(r"(?:\\x[0-9a-fA-F]{2}){8}")


def _decode_literal(lit: str) -> str | None:
    s = lit.strip().strip("'\"")
    try:
        if _HEX_ESC.search(s):
            raw = re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), s).encode("latin-1")
        elif _HEX_LIT.match(s):
            raw = binascii.unhexlify(s)
        elif _B64_LIT.match(s):
            raw = base64.b64decode(s + "=" * (-len(s) % 4), altchars=b"-_" if "-" in s or "_" in s else None)
        else:
            return None
    except (binascii.Error, ValueError):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if text.isprintable() or "\n" in text else None


def _reads_code_from_stdin(c: Command) -> bool:
    """``python3 -c CODE`` or ``node script.js`` read *data* on stdin; ``bash``, ``sh -s``, ``python -`` read code."""
    args = c.args
    if c.name in ("eval", "exec", "source", ".", "iex", "invoke-expression"):
        return True
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-c", "-e", "--eval", "-m", "-r", "--command", "-command", "-File", "-file"):
            return False
        if a in ("-", "-s", "/dev/stdin", "--"):
            return True
        if not a.startswith("-"):
            return False  # a script path: stdin is its input data
        i += 1
    return True


# JavaScript run inline (``node -e "require('child_process').exec('curl … | sh')"``): the command strings quoted in
# it are shell, re-scanned like ``bash -c`` strings.
_JS_INLINE = frozenset({"node", "nodejs", "deno", "bun"})
_QUOTED = re.compile(r"'([^'\n]{4,})'|\"([^\"\n]{4,})\"|`([^`\n]{4,})`")


def _inline_js_commands(c: Command) -> list[str]:
    if c.name not in _JS_INLINE:
        return []
    idx = next((i for i, w in enumerate(c.words) if w in ("-e", "--eval", "-p", "--print")), -1)
    if idx < 0 or idx + 1 >= len(c.words):
        return []
    found = ("".join(g) for g in _QUOTED.findall(c.words[idx + 1]))
    return [q for q in found if _WORTH_PARSING.search(q)]


def _interp(c: Command) -> bool:
    n = c.name
    if n in INTERPRETERS:
        return True
    return n.startswith("python") or n.startswith("bash")


# a host named without a scheme (``curl -fsSL get.tool.dev/i | sh``: curl assumes http)
BARE_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,24})(?::\d+)?(?:/\S*)?$", re.IGNORECASE)
_FILE_EXT = re.compile(r"\.(?:sh|py|js|txt|json|tar|gz|tgz|zip|ps1|exe|md|deb|rpm|pkg|dmg)$", re.IGNORECASE)


DO_SHELL = re.compile(r'do\s+shell\s+script\s+"((?:[^"\\]|\\.){1,4000})"', re.IGNORECASE)


def _urls(cmds: list[Command]) -> list[str]:
    urls = [m.group(0) for c in cmds for w in c.words for m in URL.finditer(w)]
    if urls:
        return urls
    # no scheme: the first argument of a downloader that reads as host[/path] (not a local file name)
    for c in cmds:
        if c.name in DOWNLOADERS:
            for w in c.args:
                if not w.startswith("-") and BARE_HOST.match(w) and ("/" in w or not _FILE_EXT.search(w)):
                    return ["https://" + w]
    return []


_PLACEHOLDER = re.compile(
    r"ATTACKER|EVIL|VICTIM|\battacker\b|\bevil\b|<(?:ip|host|attacker)[\w-]*>|YOUR_?IP", re.IGNORECASE
)


def download_run_facts(view: SkillView, sn: Snippet, low: str) -> None:
    """``sh.download_run`` facts for PowerShell-style downloads (``-OutFile``, ``DownloadFile``, certutil, BITS)
    that the snippet later runs; shell snippets get theirs from the parsed pipelines too."""
    if "-outfile" in low or "download" in low or "certutil" in low or "bitsadmin" in low:
        for off, ev, url in powershell_download_runs(sn.text):
            view.facts.append(
                Fact("sh.download_run", sn.file, sn.line + off, "runs a file it downloaded", sn.ctx, ev, url)
            )


def analyse_snippet(view: SkillView, sn: Snippet) -> None:
    """Parse one snippet and append facts (and decoded snippets) to ``view``."""
    from skillyard.scan.context import ContextKind, documentation

    low_all = fold(sn.text)
    if (
        any(k in low_all for k in _PLACEHOLDER_KEYS)
        and _PLACEHOLDER.search(sn.text)
        and sn.ctx.kind is not ContextKind.DOCUMENTATION  # (last: most snippets never need their context)
    ):
        sn = Snippet(
            sn.file, sn.line, sn.text, documentation("uses attacker placeholders"), sn.origin, sn.lang, sn.depth
        )
    download_run_facts(view, sn, low_all)
    if not (_worth_parsing(sn.text, low_all) or _reverse_shell(sn.text, low_all)):
        return
    downloaded: dict[str, str] = {}  # file -> the URL it was downloaded from
    decoded_vars: list[str] = []
    first_url: str | None = None
    for off, stmt in logical_lines(sn.text):
        line = sn.line + off
        low = fold(stmt)
        worth = _worth_parsing(stmt, low)
        if decoded_vars and _runs_var(stmt, decoded_vars):
            # ``t=$(... | base64 -d)`` (or rot13 via ``tr``, ``xxd -r``...) then ``eval "$t"``: decoded, then run
            view.facts.append(
                Fact("sh.decode_to_shell", sn.file, line, "decoded data stored in a variable and run", sn.ctx,
                     stmt[:200])
            )  # fmt: skip
        if downloaded and not worth:
            for pl in fallback_pipelines(stmt):
                if ran := next(filter(None, (runs_downloaded(c, downloaded) for c in pl)), None):
                    view.facts.append(
                        Fact(
                            "sh.download_run",
                            sn.file,
                            line,
                            "runs a file it downloaded",
                            sn.ctx,
                            stmt[:200],
                            downloaded[ran] or first_url or "",
                        )
                    )
        if not worth or (_PLAIN_FETCH.search(stmt) and not _FETCH_DETAIL.search(stmt)):
            if _reverse_shell(stmt, low):
                view.facts.append(
                    Fact("sh.reverse_shell", sn.file, line, "interactive shell over a socket", sn.ctx, stmt[:200])
                )
            continue
        pipelines, _ = parse_pipelines(stmt)
        if _reverse_shell(stmt, low):
            view.facts.append(
                Fact("sh.reverse_shell", sn.file, line, "interactive shell over a socket", sn.ctx, stmt[:200])
            )
        downloaded_sub = any(c.substituted and c.name in DOWNLOADERS for pl in pipelines for c in pl)
        decoded_sub = any(c.substituted and _is_decoder(c) for pl in pipelines for c in pl)
        if decoded_sub and (am := _ASSIGN_SUB.match(stmt)):
            decoded_vars.append(am.group(1))
            if _runs_var(stmt[am.end() :], decoded_vars[-1:]):  # ``t=$(...); eval "$t"`` on one line
                view.facts.append(
                    Fact("sh.decode_to_shell", sn.file, line, "decoded data stored in a variable and run", sn.ctx,
                         stmt[:200])
                )  # fmt: skip
        for pl in pipelines:
            names = [c.name for c in pl]
            # downloader | interpreter, or interpreter fed by a substituted download
            if len(pl) > 1:
                dl = [i for i, c in enumerate(pl) if c.name in DOWNLOADERS]
                dec = [i for i, c in enumerate(pl) if _is_decoder(c)]
                run = [i for i, c in enumerate(pl) if _interp(c) and _reads_code_from_stdin(c)]
                if dl and run and max(run) > min(dl):
                    urls = _urls(pl) or [""]
                    view.facts.append(
                        Fact("sh.pipe_to_shell", sn.file, line, f"{' | '.join(names)}", sn.ctx, stmt[:200], urls[0])
                    )
                if dec and run and max(run) > min(dec):
                    payload = _find_payload(pl, stmt)
                    decoded = _decode_literal(payload) if payload else None
                    view.facts.append(
                        Fact(
                            "sh.decode_to_shell",
                            sn.file,
                            line,
                            "decoded data run by a shell",
                            sn.ctx,
                            stmt[:200],
                            (decoded or "")[:200],
                        )
                    )
                    if decoded and sn.depth < view.options.max_decode_depth:
                        view.snippets.append(Snippet(sn.file, line, decoded, sn.ctx, "decoded", depth=sn.depth + 1))
            for c in pl:
                if _interp(c) and not c.substituted:
                    args = " ".join(c.args).lower()
                    if downloaded_sub or "<(curl" in low or "<(wget" in low:
                        view.facts.append(
                            Fact(
                                "sh.pipe_to_shell",
                                sn.file,
                                line,
                                f"{c.name} runs downloaded code",
                                sn.ctx,
                                stmt[:200],
                                (_urls([c]) or URL.findall(stmt) or [""])[0],
                            )
                        )
                    elif decoded_sub and ("-c" in c.words or c.name in ("eval", "exec")):
                        view.facts.append(
                            Fact("sh.decode_to_shell", sn.file, line, "decoded data run by a shell", sn.ctx, stmt[:200])
                        )
                    if "-c" in c.words and c.name in ("bash", "sh", "zsh", "dash") and sn.depth < 3:
                        idx = c.words.index("-c")
                        inner = c.words[idx + 1] if idx + 1 < len(c.words) else ""
                        if inner and ("$(" not in inner or "curl" in inner or "wget" in inner):
                            view.snippets.append(Snippet(sn.file, line, inner, sn.ctx, "bash -c", depth=sn.depth + 1))
                    if sn.depth < 3:
                        for cmd in _inline_js_commands(c):
                            view.snippets.append(Snippet(sn.file, line, cmd, sn.ctx, "node -e", depth=sn.depth + 1))
                    del args
                if c.name == "osascript" and sn.depth < 3:  # ``osascript -e 'do shell script "curl … | sh"'``
                    for w in c.args:
                        for m in DO_SHELL.finditer(w):
                            inner = m.group(1).replace('\\"', '"')
                            view.snippets.append(Snippet(sn.file, line, inner, sn.ctx, "osascript", depth=sn.depth + 1))
                if c.name in ("curl", "wget") and (_uploads(c) or fed_secret(c, pl, pipelines)):
                    view.facts.append(
                        Fact(
                            "sh.upload",
                            sn.file,
                            line,
                            "file or secret sent with " + c.name,
                            sn.ctx,
                            stmt[:200],
                            (_urls([c]) or [""])[0],
                        )
                    )
                if c.name in ("unzip", "7z", "7za", "7zz", "unrar") and any(
                    (w.startswith(("-P", "-p")) and len(w) > 2) or w in ("-P", "-p") for w in c.args
                ):
                    view.facts.append(
                        Fact("sh.password_archive", sn.file, line, "password-protected archive", sn.ctx, stmt[:200])
                    )
        urls_here = URL.findall(stmt)
        if urls_here and first_url is None and any(c.name in DOWNLOADERS for pl in pipelines for c in pl):
            first_url = urls_here[0]
        if any(c.name in DOWNLOADERS for pl in pipelines for c in pl):
            downloaded.update(dict.fromkeys(redirected_downloads(stmt), (urls_here or [""])[0]))
        for pl in pipelines:
            for c in pl:
                out = download_target(c)
                if out:
                    downloaded[out] = next((w for w in c.words if "://" in w), "")
                elif downloaded and (ran := runs_downloaded(c, downloaded)):
                    view.facts.append(
                        Fact(
                            "sh.download_run",
                            sn.file,
                            line,
                            "runs a file it downloaded",
                            sn.ctx,
                            stmt[:200],
                            downloaded[ran] or first_url or "",
                        )
                    )
        if re.search(
            r"(curl|wget)\b[^\n]*\s(-o|-O|--output)\s*\S+[^\n]*(&&|;)\s*(chmod\s+\+?[0-7]*x|\./|open\s|"
            r"sudo\s+\./|bash\s|sh\s)",
            stmt,
        ):
            view.facts.append(
                Fact(
                    "sh.download_run",
                    sn.file,
                    line,
                    "downloads a file and runs it",
                    sn.ctx,
                    stmt[:200],
                    (URL.findall(stmt) or [""])[0],
                )
            )


def _uploads(c: Command) -> bool:
    w = c.args
    for i, x in enumerate(w):
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if x in ("-d", "--data", "--data-binary", "--data-raw", "--data-urlencode", "-F", "--form") and (
            ("@" in nxt and not nxt.startswith("@-")) or "$(" in nxt or "`" in nxt
        ):
            return True
        if x.startswith(("--data-binary=@", "--data=@", "-d@", "--post-file", "--body-file", "-T", "--upload-file")):
            return True
        if x in ("-T", "--upload-file", "--post-file", "--body-file") and nxt:
            return True
    return False


def _find_payload(pl: list[Command], stmt: str) -> str | None:
    for c in pl:
        if c.name.startswith("python") and (m := re.search(r"\(\s*b?['\"]([\w+/=]{16,})['\"]", " ".join(c.args))):
            return m.group(1)
        if c.name in ("echo", "printf", "cat") and c.args:
            cands = [w for w in c.args if not w.startswith("-")]
            if cands:
                return max(cands, key=len)
    m = re.search(r"<<<\s*['\"]?([A-Za-z0-9+/=]{16,})", stmt)
    return m.group(1) if m else None
