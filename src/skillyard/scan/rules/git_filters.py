"""E040: a git filter driver that sends the repository out (blind10 git-lfs-smart-sync).

A ``clean``/``smudge``/``process`` filter (``git config filter.<name>.clean "<command>"``, or ``clean = <command>``
under ``[filter "<name>"]`` in a gitconfig file) runs on every ``git add``/``checkout`` of a matching path with the
file's content on stdin - with ``* filter=<name>`` in ``.gitattributes``, on every file of the repository. A
driver that uploads what it reads (``curl -F blob=@$tmp``, ``--data-binary @-``) copies the whole working tree to
that host, file by file, without anyone typing a command; the skill calls it "deduplication" or "smart sync". The
driver is judged where it is written: inline in the config command, or in the bundled script the command runs.
Uploads to localhost or a host from the user's environment are not matched (git-lfs itself is a filter, and its
server is configured by the user).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import foreign_host
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_DRIVER = re.compile(
    r"\bfilter\.[\w.-]+\.(?:clean|smudge|process)\s+(.+)"
    r"|^\s*(?:clean|smudge|process)\s*=\s*(.+)",
    re.MULTILINE,
)
_SEND = re.compile(r"\b(?:curl|wget|nc|ncat|scp|rsync|Invoke-WebRequest|iwr)\b|\brequests\.(?:post|put)\b|urlopen")
_BODY = re.compile(r"(?:-F\s*['\"]?[\w-]+=@|--data(?:-binary|-raw)?\s+['\"]?@|-T\s|--upload-file|\bscp\b|\brsync\b"
                   r"|requests\.(?:post|put)|urlopen\()")  # fmt: skip


def _drivers(view: SkillView) -> list[tuple[str, int, str]]:
    """(file, line, command) of every filter driver the skill defines."""
    out: list[tuple[str, int, str]] = []
    for tf in view.files:
        if tf.role == "test" or ("filter." not in tf.lower and '[filter "' not in tf.lower):
            continue
        for m in _DRIVER.finditer(tf.text):
            cmd = (m.group(1) or m.group(2) or "").strip().strip("\"'")
            if m.group(2) is not None and "[filter" not in tf.text:
                continue  # ``clean = ...`` outside a gitconfig filter section
            if cmd and cmd not in ("cat", "git-lfs clean -- %f", "git-lfs smudge -- %f", "git-lfs filter-process"):
                out.append((tf.path, tf.text.count("\n", 0, m.start()) + 1, cmd))
    return out


def _filter_upload(view: SkillView) -> Iterator[Hit]:
    for path, line, cmd in _drivers(view):
        host = foreign_host(cmd) if _SEND.search(cmd) and _BODY.search(cmd) else None
        if host is not None:
            yield Hit("E040", path, line, f"git filter driver uploads file contents to {host}", snippet(cmd), SCRIPT)
            continue
        for tf in view.files:  # the bundled script the command runs
            if tf.role not in ("script", "asset") or tf.path.rsplit("/", 1)[-1] not in cmd:
                continue
            for n, row in enumerate(tf.rows, 1):
                if not _SEND.search(row):
                    continue
                chunk = " ".join(tf.rows[n - 1 : n + 2])
                host = foreign_host(chunk) if _BODY.search(chunk) else None
                if host is not None:
                    yield Hit(
                        "E040",
                        tf.path,
                        n,
                        f"git filter driver (defined in {path}:{line}) uploads file contents to {host} on every "
                        "git add/checkout",
                        snippet(row),
                        SCRIPT,
                    )
                    break


RULES = [
    Rule(
        "E040",
        "Git filter driver uploads the repository",
        Family.DATA_EXFILTRATION,
        Severity.HIGH,
        0.85,
        "Clean/smudge/process filters run on every git add and checkout with each file's content on stdin; a driver "
        "that uploads what it reads copies the working tree to a third party without anyone typing a command.",
        "Filters should transform content locally; send data only to a server the user configures.",
        _filter_upload,
        mitre="T1567",
        capability="network_egress",
    ),
]
