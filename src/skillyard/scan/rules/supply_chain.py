"""Supply chain (SC*): remote scripts, decoded payloads, fake prerequisites, paste sites, obfuscated code,
bundled binaries/archives/bytecode, typosquatted and unpinned dependencies."""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL, host_class
from skillyard.scan.analyzers.packages import (
    POPULAR_JS,
    POPULAR_PY,
    dependencies,
    npm_scopes,
    scope_lookalike,
    typosquat_of,
)
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.rules.base import Check, Family, Hit, Rule, hit_at, line_rule
from skillyard.scan.rules.js_hidden_exec import js_hidden_exec
from skillyard.scan.rules.remote_code import decoded_payload, download_run, pipe_to_shell

F = Family.SUPPLY_CHAIN

_PW = r"(?:password|passcode|passphrase|passwd|pwd|pass|пароль|contraseña|mot\s+de\s+passe|kennwort)"
_ARC = r"(?:\.zip|\.rar|\.7z|\barchive\b|\bzip\s+file|\bunzip\b|\bunpack\w*|\bextract\w*)"
_ARCHIVE_PASSWORD = re.compile(
    _ARC + r"[^\n]{0,120}\b" + _PW + r"\b\s*(?:is\b|:|=|—|\s-\s)\s*[`\"'*]*[\w!@#$%^&*.-]{3,}"
    r"|\b"
    + _PW
    + r"\b\s*(?:is\b|:|=|—|\s-\s)\s*[`\"'*]*[\w!@#$%^&*.-]{3,}[^\n]{0,80}"
    + _ARC
    + r"|"
    + _ARC
    + r"[^\n]{0,80}\b(?:with|using)\s+(?:the\s+)?"
    + _PW
    + r"\b\s*[`\"'*:]+\s*[\w!@#$%^&*.-]{3,}",
    re.IGNORECASE,
)


def _typosquat(view: SkillView) -> Iterator[Hit]:
    for eco, tok, ln, _ in dependencies(view):
        name = (
            re.split(r"[=<>~!\[@; ]", tok.lstrip("@"), maxsplit=1)[0]
            if eco == "py"
            else (
                tok if tok.startswith("@") and tok.count("@") == 1 else tok.rsplit("@", 1)[0] if "@" in tok[1:] else tok
            )
        )
        target = typosquat_of(name, POPULAR_PY if eco == "py" else POPULAR_JS)
        if target:
            yield hit_at("SC010", ln, f"dependency {name!r} imitates popular package {target!r}")
    for scope, ln in npm_scopes(view):
        real = scope_lookalike(scope)
        if real:
            yield hit_at("SC010", ln, f"npm scope @{scope} imitates @{real}")


def _unpinned(view: SkillView) -> Iterator[Hit]:
    for eco, tok, ln, _ in dependencies(view):
        if eco != "py" or tok.startswith(("-", ".", "git+", "http")):
            continue
        if ln.file.endswith("requirements.txt") and not re.search(r"==|@|\.whl|\.tar\.gz", tok):
            yield hit_at("SC011", ln, f"dependency {tok!r} is not pinned")


def _fake_prereq(view: SkillView) -> Iterator[Hit]:
    for f in view.facts_of("sh.password_archive"):
        yield Hit("SC003", f.file, f.line, "extracts a password-protected archive", f.evidence, f.ctx)
    yield from line_rule(
        "SC003",
        _ARCHIVE_PASSWORD,
        "download of a password-protected archive",
        keywords=("password", "passcode", "pwd", "pass"),
    )(view)


_MEDIA = re.compile(r"\.(?:png|jpe?g|gif|webp|svg|mp4|webm|mov|mp3|wav|ico|bmp)(?:[?#]|$)", re.IGNORECASE)


def _paste(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        for ln in tf.candidates(
            (
                "paste",
                "glot.io",
                "rentry",
                "hastebin",
                "ghostbin",
                "termbin",
                "ix.io",
                "sprunge",
                "0x0.st",
                "controlc",
                "justpaste",
                "gist.",
                "transfer.sh",
                "file.io",
                "catbox",
                "gofile",
                "temp.sh",
                "bpa.st",
                "mega.nz",
                "oshi.at",
                "anonfiles",
                "bashupload",
            )
        ):
            for m in URL.finditer(ln.text):
                if host_class(m.group(0)) == "paste" and not _MEDIA.search(m.group(0)):
                    gist = "gist." in m.group(0)
                    yield Hit(
                        "SC005",
                        tf.path,
                        ln.lineno,
                        "content hosted on a paste/file-drop site",
                        ln.text.strip()[:160],
                        ln.ctx,
                        Severity.MEDIUM if gist else None,
                        0.5 if gist else None,
                    )
                    break


_INLINE_OBF = re.compile(
    r"\b(?:exec|eval)\s*\(\s*(?:__import__\(\s*['\"](?:base64|zlib|codecs|marshal|binascii)['\"]\s*\)|base64\.|zlib\."
    r"|codecs\.|marshal\.|binascii\.|bytes\.fromhex|atob\s*\(|Buffer\.from\s*\()",
)


# A command word spelled in escapes and substituted into the command line: ``$(printf '\x63\x75\x72\x6c') ...``.
_ESCAPED_WORD = re.compile(
    r"\$\(\s*(?:printf|echo\s+-e|echo\s+-ne)\s+[\"']?(?:\\x[0-9a-fA-F]{2}|\\[0-7]{3}){3,}[\"']?\s*\)"
)


# Ruby/Perl evaluating what it downloads (blind12 rails-api-kit): ``eval(Net::HTTP.get(URI("http://…")), binding)``
# in a Gemfile runs at every ``bundle``; ``instance_eval(URI.open(u).read)``, Perl ``eval(get("http://…"))``
# (LWP::Simple). Like Python's ``exec(urlopen(u).read())``: high whatever the host.
_RB_PL_FETCH_EVAL = re.compile(
    r"\b(?:eval|instance_eval|class_eval|module_eval)\s*\(?\s*(?:Net::HTTP\.get(?:_response)?\b|URI\.open\b"
    r"|URI(?:\.parse)?\([^)\n]*\)\.(?:read|open)\b|(?:Kernel\.)?open\(\s*[\"']https?://|HTTParty\.get\b"
    r"|Faraday\.get\b|RestClient\.get\b|(?:LWP::Simple::)?get\s*\(\s*[\"']https?://|\$\w+->get\()"
)
_RUBY_NAMES = ("gemfile", "rakefile", "podfile", "fastfile", "guardfile", "brewfile", "dangerfile")


def _fetch_eval(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        name = tf.path.lower().rsplit("/", 1)[-1]
        ruby = tf.lang == "ruby" or name in _RUBY_NAMES or name.endswith(".gemspec")
        if tf.role == "test" or not (ruby or tf.lang == "perl") or not tf.has_any(("eval",)):
            continue
        for ln in tf.candidates(("eval",)):
            if _RB_PL_FETCH_EVAL.search(ln.text):
                yield Hit("SC006", tf.path, ln.lineno, "evaluates code downloaded at run time", ln.text.strip()[:160],
                          ln.ctx)  # fmt: skip


def _obf(view: SkillView) -> Iterator[Hit]:
    yield from line_rule(
        "SC006",
        _ESCAPED_WORD,
        "builds a command from escape sequences",
        keywords=("printf", "echo -e", "echo -ne"),
        kinds=frozenset({"code"}),
    )(view)
    seen = set()
    for f in view.facts_of("py.obf_exec", "js.obf_exec"):
        if (f.file, f.line) in seen:  # one call can be both "decoded" and "downloaded" code
            continue
        seen.add((f.file, f.line))
        yield Hit("SC006", f.file, f.line, f.detail, f.evidence, f.ctx)
    for h in js_hidden_exec(view):
        if not any(f == h.file for f, _ in seen):
            yield h
    yield from _fetch_eval(view)
    for h in line_rule(
        "SC006",
        _INLINE_OBF,
        "executes decoded data (inline one-liner)",
        keywords=("exec(", "eval(", "exec (", "eval ("),
    )(view):
        if (h.file, h.line) not in seen:
            yield h


def _unanalysable(kind: str, rule: str, msg: str) -> Check:
    def check(view: SkillView) -> Iterator[Hit]:
        from skillyard.scan.context import SCRIPT

        sources = {f.path.rsplit("/", 1)[-1].rsplit(".", 1)[0] for f in view.skill.files if f.path.endswith(".py")}
        for u in view.unanalysable:
            if u.kind != kind:
                continue
            stem = u.path.rsplit("/", 1)[-1].split(".", 1)[0]
            if kind == "bytecode" and "__pycache__/" in u.path and stem in sources:
                yield Hit(
                    rule, u.path, 0, f"{msg}: build artifact next to its source {stem}.py", u.path, SCRIPT, Severity.LOW
                )
                continue
            yield Hit(rule, u.path, 0, f"{msg}: {u.reason}", u.path, SCRIPT)

    return check


def _raw_ip(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        for ln in tf.candidates(("://1", "://2", "://3", "://4", "://5", "://6", "://7", "://8", "://9")):
            for m in URL.finditer(ln.text):
                u = m.group(0)
                if host_class(u) == "ip" and not re.match(
                    r"https?://(?:127\.|10\.|192\.168\.|0\.0\.0\.0|172\.(?:1[6-9]|"
                    r"2\d|3[01])\.|169\.254\.)",
                    u,
                ):
                    yield Hit(
                        "SC012",
                        tf.path,
                        ln.lineno,
                        "fetches from a bare public IP address",
                        ln.text.strip()[:160],
                        ln.ctx,
                    )
                    break


def _meta_install(view: SkillView) -> Iterator[Hit]:
    for f in view.facts_of("meta.install"):
        yield Hit("SC013", f.file, f.line, f.detail, f.evidence, f.ctx)


RULES = [
    Rule(
        "SC001",
        "Remote script piped into an interpreter",
        F,
        Severity.HIGH,
        0.8,
        "`curl ... | bash` runs whatever the server returns at that moment, unreviewed; from a raw IP, paste site "
        "or unknown host it is the standard malware delivery of fake prerequisites.",
        "Pin a released, checksummed artifact or a package-manager install; if an official installer is needed, "
        "link to the vendor's documentation.",
        pipe_to_shell,
        mitre="T1059.004",
        capability="installs_software",
    ),
    Rule(
        "SC002",
        "Decoded payload executed",
        F,
        Severity.CRITICAL,
        0.9,
        "Base64/hex data decoded straight into a shell hides the real command from review (ClawHavoc one-liners).",
        "Write the command in clear text.",
        decoded_payload,
        mitre="T1140",
        capability="command_execution",
    ),
    Rule(
        "SC003",
        "Password-protected archive (fake prerequisite)",
        F,
        Severity.CRITICAL,
        0.9,
        "Password-protected archives defeat antivirus and marketplace scanning; 'download X.zip, password: 1234' "
        "is the ClawHavoc fake-prerequisite pattern.",
        "Never distribute tools as password-protected archives; use a package manager or signed release.",
        _fake_prereq,
        mitre="T1027.013",
        capability="installs_software",
    ),
    Rule(
        "SC004",
        "Download and run a binary",
        F,
        Severity.HIGH,
        0.8,
        "Telling the user or agent to download an executable or archive from an undeclared host and run it is how "
        "fake prerequisites deliver stealers.",
        "Install from the vendor's official, declared source or a package manager.",
        download_run,
        mitre="T1204.002",
        capability="installs_software",
    ),
    Rule(
        "SC005",
        "Paste-site or file-drop content",
        F,
        Severity.HIGH,
        0.8,
        "Snippets on pastebin, glot.io, rentry and file drops change after review and carry the payload of "
        "paste-and-run attacks.",
        "Ship the content inside the skill.",
        _paste,
        mitre="T1102",
    ),
    Rule(
        "SC006",
        "Obfuscated code execution",
        F,
        Severity.HIGH,
        0.85,
        "exec/eval/compile of decoded, decompressed or downloaded data (or marshal) hides behaviour from review.",
        "Ship readable source; never execute decoded data.",
        _obf,
        mitre="T1027",
        capability="command_execution",
    ),
    Rule(
        "SC007",
        "Bundled executable",
        F,
        Severity.HIGH,
        0.8,
        "A compiled executable cannot be reviewed; it can do anything when the skill runs it. Fail closed.",
        "Ship source, or install the tool from its official source.",
        _unanalysable("executable", "SC007", "unanalysable executable"),
        mitre="T1204.002",
    ),
    Rule(
        "SC008",
        "Nested archive",
        F,
        Severity.MEDIUM,
        0.7,
        "Archives inside a skill hide their contents from the scan. Fail closed: reported as unanalysable.",
        "Ship the extracted files so they can be scanned.",
        _unanalysable("archive", "SC008", "unanalysable archive"),
        mitre="T1027.015",
    ),
    Rule(
        "SC009",
        "Bundled bytecode",
        F,
        Severity.HIGH,
        0.75,
        "Compiled bytecode (.pyc, .class, wasm) hides source from review and can differ from any shipped source.",
        "Ship source only.",
        _unanalysable("bytecode", "SC009", "unanalysable bytecode"),
        mitre="T1027",
    ),
    Rule(
        "SC010",
        "Typosquatted dependency",
        F,
        Severity.HIGH,
        0.7,
        "A package name one edit away from a popular package is the typosquatting pattern of malicious uploads.",
        "Use the exact name of the intended package.",
        _typosquat,
        mitre="T1195.001",
        capability="installs_software",
    ),
    Rule(
        "SC011",
        "Unpinned dependency",
        F,
        Severity.LOW,
        0.5,
        "Unpinned dependencies install whatever is newest, including a compromised release.",
        "Pin exact versions (and hashes) in requirements files.",
        _unpinned,
        mitre="T1195.001",
    ),
    Rule(
        "SC012",
        "Download from a bare IP address",
        F,
        Severity.HIGH,
        0.75,
        "Public raw-IP URLs bypass domain reputation and are typical of malware staging servers.",
        "Use the vendor's named, TLS-protected domain.",
        _raw_ip,
        mitre="T1105",
        capability="network_egress",
    ),
    Rule(
        "SC013",
        "Install command in manifest metadata",
        F,
        Severity.LOW,
        0.6,
        "Vendor metadata (metadata.openclaw.install/requires) makes the agent install software when the skill is "
        "enabled; it is checked like any other command.",
        "Prefer declared package-manager dependencies over free-form commands.",
        _meta_install,
        capability="installs_software",
    ),
]
