"""Files a shell snippet downloads, and commands that later run them.

``curl -o F URL && bash F`` is the same act as ``curl URL | bash``: what the server sends is run. Attackers prefer
the two-step form because scanners look for the pipe. The file a download lands in is read the way curl and wget
read their options:

- curl: ``-o F``, ``--output F``, ``--output=F``, ``-oF``, and ``o`` closing a cluster of short flags (``-fsSLo F``);
  ``-O``/``--remote-name`` (alone or in a cluster such as ``-LO``) saves under the URL's last path segment.
- wget: ``-O F``, ``-OF``, ``--output-document=F`` and ``-qO F``; with no ``-O`` the file is saved under the URL's
  last path segment (``-P DIR`` prefixes it).
- a redirect of the download's bytes: ``curl -s URL | base64 -d > /tmp/x``.

A later command runs the file when it names it as the program (``./f``, ``/tmp/f``), makes it executable (``chmod
+x``), or hands it to a runner: a shell or script interpreter, ``java -jar``, ``dotnet``, ``pwsh -File``, ``msiexec
/i``, ``dpkg -i``, ``rpm -i``, ``installer -pkg``, ``hdiutil attach``, ``open``, ``launchctl load``, ``source``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from skillyard.scan.analyzers.shell_parse import Command

# programs that run (or install, which runs its scripts) a file named among their arguments
RUNNERS = frozenset(
    {
        "open", "bash", "sh", "zsh", "dash", "ksh", "fish", "source", ".", "python", "python3", "python2", "py",
        "node", "deno", "bun", "ruby", "perl", "php", "lua", "java", "dotnet", "mono", "pwsh", "powershell",
        "msiexec", "dpkg", "apt", "apt-get", "rpm", "yum", "dnf", "zypper", "installer", "hdiutil", "launchctl",
        "wine", "osascript", "sudo",
    }
)  # fmt: skip
_CURL_VALUE_FLAGS = frozenset("dDeEFHKQrTuUxXAbcCmwzy")  # curl short flags that take a value (end a cluster)
_SEGMENTS = re.compile(r";|&&|\|\||\n")
_REDIRECT = re.compile(r"(?<![0-9&<>])>>?\s*([^\s;&|<>()]+)")


def _url_name(words: list[str]) -> str | None:
    """The last path segment of the first URL among ``words`` (what ``curl -O``/plain ``wget`` save it as)."""
    for w in words:
        if "://" in w:
            path = urlsplit(w).path
            name = path.rsplit("/", 1)[-1]
            return name or None
    return None


def _curl_target(w: list[str]) -> str | None:
    remote = False
    for i, x in enumerate(w):
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if x in ("-o", "--output"):
            return nxt if nxt and nxt != "-" else None
        if x.startswith("--output="):
            return x.split("=", 1)[1] or None
        if x in ("-O", "--remote-name"):
            remote = True
        elif x.startswith("-") and not x.startswith("--") and len(x) > 2:
            cluster = x[1:]
            for j, ch in enumerate(cluster):
                if ch == "o":
                    rest = cluster[j + 1 :]
                    target = rest or nxt
                    return target if target and target != "-" else None
                if ch == "O":
                    remote = True
                if ch in _CURL_VALUE_FLAGS:
                    break
    return _url_name(w) if remote else None


def _wget_target(w: list[str]) -> str | None:
    prefix = ""
    for i, x in enumerate(w):
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if x in ("-O", "--output-document"):
            return nxt if nxt and nxt != "-" else None
        if x.startswith("--output-document="):
            return x.split("=", 1)[1] or None
        if x in ("-P", "--directory-prefix") and nxt:
            prefix = nxt.rstrip("/") + "/"
        if x.startswith("-") and not x.startswith("--") and len(x) > 2 and "O" in x[1:]:
            rest = x[x.index("O") + 1 :]
            target = rest or nxt
            return target if target and target != "-" else None
    name = _url_name(w)
    return prefix + name if name else None


def download_target(c: Command) -> str | None:
    """The file ``c`` (a curl or wget command) saves its download to; ``None`` for stdout or other commands."""
    if c.name == "curl":
        return _curl_target(c.words)
    if c.name == "wget":
        return _wget_target(c.words)
    return None


def redirected_downloads(stmt: str) -> list[str]:
    """Files that downloaded bytes are written to by a redirect: ``curl -s URL | base64 -d > /tmp/x``."""
    out = []
    for seg in _SEGMENTS.split(stmt):
        if re.search(r"\b(?:curl|wget)\b", seg):
            out += [p for p in _REDIRECT.findall(seg) if p not in ("/dev/null", "/dev/stderr", "/dev/stdout")]
    return out


def runs_downloaded(c: Command, paths: Iterable[str]) -> str | None:
    """The downloaded file (one of ``paths``) that ``c`` runs, makes executable or installs, if any."""
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        args = c.args
        if c.name == "chmod" and any("x" in a or (a.isdigit() and int(a[-1]) & 1) for a in args[:1]):
            if any(a == path or a.rsplit("/", 1)[-1] == name for a in args[1:]):
                return path
            continue
        run = c.words[c.head] if c.words else ""
        if run and (run == path or run.lstrip("./") in (path, name)):
            return path
        if c.name in RUNNERS and any(_names_file(a, path, name) for a in args):
            if c.name == "open" and is_document(path):
                continue  # ``open report.pdf`` shows a document; it runs nothing
            return path
    return None


_DOCUMENT = re.compile(
    r"\.(?:pdf|html?|png|jpe?g|gif|svg|webp|csv|tsv|txt|md|json|xml|ya?ml|docx?|xlsx?|pptx?|odt|rtf|epub|mp[34]|wav"
    r"|mov|zip|tar|gz|tgz)$",
    re.IGNORECASE,
)


def is_document(path: str) -> bool:
    """A file that ``open`` shows in a viewer rather than runs (by its extension)."""
    return _DOCUMENT.search(path.strip("\"'")) is not None


def _names_file(arg: str, path: str, name: str) -> bool:
    """``arg`` is the downloaded file: its path as written, or ``./name`` / ``name`` in the current folder."""
    bare = arg[2:] if arg.startswith("./") else arg
    return path in (arg, bare) or ("/" not in bare and bare == name)


# -- PowerShell: Invoke-WebRequest -OutFile / WebClient.DownloadFile / certutil / BITS, then run -------------------
_PS_PATH = r"""("[^"\n]+"|'[^'\n]+'|\$[\w:]+(?:\\[\w.-]+)*|[\w:.\\/~%$-]+)"""
_PS_DOWNLOADS = (
    re.compile(
        r"\b(?:Invoke-WebRequest|iwr|Invoke-RestMethod|irm|curl(?:\.exe)?|wget(?:\.exe)?)\b[^\n;|]*?-OutFile\s+"
        + _PS_PATH,
        re.IGNORECASE,
    ),
    re.compile(r"\bStart-BitsTransfer\b[^\n;|]*?-Destination\s+" + _PS_PATH, re.IGNORECASE),
    re.compile(r"\.DownloadFile(?:Async)?\(\s*[^,\n]+,\s*" + _PS_PATH, re.IGNORECASE),
    re.compile(r"\bcertutil(?:\.exe)?\s+(?:-\w+\s+)*-urlcache\s+(?:-\w+\s+)*\S+\s+" + _PS_PATH, re.IGNORECASE),
    re.compile(r"\bbitsadmin(?:\.exe)?\s+/transfer\s+\S+\s+(?:/\w+\s+)*\S+\s+" + _PS_PATH, re.IGNORECASE),
)
_PS_RUNS = re.compile(
    r"\bStart-Process\s+(?:-FilePath\s+)?" + _PS_PATH + r"|(?:^|[;{(|]|&&)\s*[&.]\s*" + _PS_PATH
    + r"|\b(?:powershell|pwsh)(?:\.exe)?\b[^\n;|]*?-File\s+" + _PS_PATH
    + r"|\b(?:msiexec(?:\.exe)?\s+/(?:i|package|a)|rundll32(?:\.exe)?|regsvr32(?:\.exe)?(?:\s+/s)?|Invoke-Item|"
    r"Add-AppxPackage|cmd(?:\.exe)?\s+/c|wscript(?:\.exe)?|cscript(?:\.exe)?|mshta(?:\.exe)?)\s+" + _PS_PATH,
    re.IGNORECASE | re.MULTILINE,
)  # fmt: skip
_MAX_SAVED = 64
_PS_URL = re.compile(r"https?://[^\s\"'`)]+")
_PS_ASSIGN = r"\{name}\s*=\s*[\"']?(https?://[^\s\"'`)]+)"


def _ps_key(token: str) -> str:
    """A comparable form of a PowerShell path token: unquoted, lower case, ``/`` as ``\\``, ``.\\`` dropped."""
    t = token.strip("\"'").lower().replace("/", "\\")
    return t[2:] if t.startswith(".\\") else t


def powershell_download_runs(text: str) -> list[tuple[int, str, str]]:
    """(line offset, evidence, URL) for each file a PowerShell snippet downloads and later runs or installs."""
    if "-outfile" not in text.lower() and not re.search(
        r"downloadfile|certutil|bitsadmin|start-bitstransfer", text, re.IGNORECASE
    ):
        return []
    saved: dict[str, tuple[int, str]] = {}  # path key -> (end offset of the download, URL)
    for rx in _PS_DOWNLOADS:
        for m in rx.finditer(text):
            row_start = text.rfind("\n", 0, m.start()) + 1
            row = text[row_start : text.find("\n", m.end()) if "\n" in text[m.end() :] else len(text)]
            url = next(iter(_PS_URL.findall(row)), "")
            if not url and (var := re.search(r"\$\w+", row[m.start() - row_start :])) is not None:
                named = re.search(_PS_ASSIGN.format(name=var.group(0)), text, re.IGNORECASE)
                url = named.group(1) if named else ""
            saved[_ps_key(m.group(1))] = (m.end(), url)
            if len(saved) >= _MAX_SAVED:  # bounded on hostile input: thousands of downloads are not a skill
                break
    out = []
    for m in _PS_RUNS.finditer(text):
        token = next(g for g in m.groups() if g)
        key = _ps_key(token)
        for path, (end, url) in saved.items():
            base = path.rsplit("\\", 1)[-1]
            if m.start() >= end and (key == path or (base and key.rsplit("\\", 1)[-1] == base and "$" not in base)):
                line = text.count("\n", 0, m.start())
                out.append((line, text[m.start() : m.end()][:200], url))
                break
    return out
