"""A script that downloads a program and starts it (SC021), in Python, JavaScript, Go and Ruby.

The dropper of a marketplace skill is rarely ``curl | sh`` any more. It is a helper that fetches a file into a
temporary or cache path and starts it: directly after setting the executable bit, or through a runner that needs no
executable bit at all (``java -jar``, ``python``, ``node``, ``bash``, ``msiexec``, ``dpkg -i``). Both are reported
when the spawned path is the one the script wrote the download to (or, with an executable bit set, any variable the
script filled earlier), and the URLs are not all official or local.

Reading is textual and per file, like the other hook rules: a spawn call's arguments are matched against the names
and literal paths the script wrote downloaded bytes to.
"""

from __future__ import annotations

import re

from skillyard.scan.analyzers.downloads import RUNNERS, is_document
from skillyard.scan.analyzers.hosts import URL, host_class
from skillyard.scan.analyzers.view import TextFile

LANGS = frozenset({"python", "javascript", "typescript", "go", "ruby"})

CODE_NET = re.compile(
    r"\b(?:https?\.get|https?\.request|fetch|axios(?:\.get)?|got|urlopen|urlretrieve|requests\.get|httpx\.get"
    r"|get|download\w*)\s*\("
    r"|\bhttp\.(?:Get|NewRequest)\(|\bgrab\.Get\(|\bURI\.open\(|\bURI\(|\bNet::HTTP\b|\bopen-uri\b|\bHTTParty\.get\("
    r"|\bFaraday\.get\(|\bDown\.download\(",
)
_EXEC_MODE = re.compile(
    r"\bmode\s*:\s*0o?7[0-7]{2}\b|\bchmod(?:Sync)?\s*\([^)]*0o?7[0-7]{2}|\bos\.chmod\s*\(|\bstat\.S_IX\w+|S_IEXEC"
    r"|['\"]chmod['\"]\s*,\s*['\"]\+x['\"]|\bchmod\s+\+x\b|\bos\.Chmod\([^)]*0?7[0-7]{2}|\bFile\.chmod\(\s*0?7[0-7]{2}"
    r"|\bFileUtils\.chmod\(",
)
# a spawn and the text of its arguments (to the end of the row)
_SPAWN = re.compile(
    r"\b(?:spawn|spawnSync|execFile|execFileSync|exec|execSync|fork|execa|execaSync)\s*\((?P<a>.*)"
    r"|\bsubprocess\.(?:Popen|run|call|check_call|check_output)\s*\((?P<b>.*)"
    r"|\bos\.(?:system|startfile|execv\w*|spawn\w*|popen)\s*\((?P<c>.*)"
    r"|\bexec\.Command(?:Context)?\s*\((?P<d>.*)"
    r"|\b(?:system|Process\.spawn|IO\.popen|Open3\.\w+)\s*\(?(?P<e>.*)"
    r"|`(?P<f>[^`]*#\{[^`]*)`|%x[({](?P<g>[^)}]*)",
)
# where downloaded bytes are written: the target's expression in group 1
_WRITES = re.compile(
    r"\burlretrieve\(\s*[^,]+,\s*([^,)]+)"
    r"|\b([\w.]+)\.write_bytes\("
    r"|\bopen\(\s*([^,]+?)\s*,\s*['\"](?:wb|ab|w\+b)['\"]"
    r"|\bcreateWriteStream\(\s*([^,)]+)"
    r"|\bwriteFile(?:Sync)?\(\s*([^,]+),"
    r"|\bos\.(?:Create|WriteFile)\(\s*([^,)]+)"
    r"|\bFile\.(?:binwrite|write|open)\(\s*([^,]+),"
    r"|\bIO\.copy_stream\([^,]+,\s*([^,)]+)"
    r"|\bdownload(?:_file)?\(\s*[^,]+,\s*([^,)]+)",
)
_NAME = re.compile(r"[A-Za-z_][\w.]*")
_RUNNER_WORD = re.compile(r"['\"](?:[\w./\\-]*[/\\])?([\w.-]+?)(?:\.exe)?['\"]")


def _targets(text: str) -> set[str]:
    """Names and literal paths the file writes downloaded bytes to (``dst``, ``self.path``, ``"/tmp/x"``)."""
    out: set[str] = set()
    for m in _WRITES.finditer(text):
        expr = next(g for g in m.groups() if g is not None).strip()
        if expr[:1] in "\"'`":
            out.add(expr.strip("\"'`"))
        elif (name := _NAME.match(expr)) is not None:
            out.add(name.group(0))
    return out


def _named(args: str, targets: set[str]) -> bool:
    for t in targets:
        if "/" in t or "\\" in t or "." in t.rsplit("/", 1)[-1]:
            if t in args:
                return True
        elif re.search(rf"(?<![\w.]){re.escape(t)}\b", args):
            return True
    return False


def _runner_program_named(args: str, targets: set[str]) -> bool:
    """The spawn hands a downloaded file to a runner as the program to run (``["java", "-jar", dst]``,
    ``"bash #{path}"``), not as a data argument of some other program (``["python", "train.py", csv]``)."""
    parts = [e.strip() for e in args.split(",")]
    if len(parts) == 1:
        parts = args.split()
    for i, part in enumerate(parts):
        part = part.lstrip("[( ")
        word = _RUNNER_WORD.match(part) or _RUNNER_WORD.match(f'"{part}"')
        if word is None or word.group(1).lower() not in RUNNERS:
            continue
        for later in parts[i + 1 :]:
            bare = later.strip("\"'`[]() ")
            if bare.startswith("-") or (bare.startswith("/") and len(bare) <= 8 and "/" not in bare[1:]):
                continue  # an option (-jar, -File, /i, /quiet)
            if word.group(1).lower() == "open" and not any("." in x and not is_document(x) for x in targets):
                return False  # ``open`` of a downloaded document (report.pdf) shows it; it runs nothing
            return _named(later, targets)
    return False


def downloads_and_runs(tf: TextFile) -> int:
    """Line number of the spawn when this script fetches a file and starts it (else 0)."""
    text = tf.text
    if not CODE_NET.search(text):
        return 0
    urls = URL.findall(text)
    if urls and all(host_class(u) in ("trusted", "local") for u in urls):
        return 0
    exec_mode = _EXEC_MODE.search(text) is not None
    targets = _targets(text)
    for n, row in enumerate(tf.rows, 1):
        if (m := _SPAWN.search(row)) is None:
            continue
        args = next((g for g in m.groups() if g is not None), "")
        if targets and _named(args, targets) and (exec_mode or _runner_program_named(args, targets)):
            return n
        if exec_mode:
            # the original form: a variable filled earlier is spawned after the bit was set
            first = _NAME.match(args.lstrip(" [(")) if args else None
            arg = first.group(0) if first else ""
            if arg and re.search(rf"\b{re.escape(arg)}\b", text[: text.find(row)]):
                return n
    return 0
