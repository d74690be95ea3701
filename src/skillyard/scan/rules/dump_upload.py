"""Uploads that are exfiltration by what is sent or where it goes (E004 refinements).

- **A database dump.** ``pg_dump``/``mysqldump``/``mongodump``/``sqlite3 .dump`` in a script that also uploads to a
  concrete host the skill does not declare, in a skill that does not say it backs up or exports data: the whole
  database leaves the machine.
- **A look-alike host.** A hostname that carries a well-known domain as a *prefix*
  (``s3.amazonaws.com.dbx-mirror.top``, ``github.com.cdn-x.io``) belongs to the last labels, not to the brand it
  shows; it exists to pass a glance at the URL.
"""

from __future__ import annotations

import re

from skillyard.scan.analyzers.hosts import host_of, vendor_declared
from skillyard.scan.analyzers.view import SkillView

_DUMP = re.compile(
    r"\b(?:pg_dump|pg_dumpall|mysqldump|mariadb-dump|mongodump|mongoexport)\b|\bsqlite3\b[^\n]*\.dump\b"
    r"|\bredis-cli\b[^\n]*--rdb\b",
    re.IGNORECASE,
)
_DECLARED = re.compile(r"\b(?:backups?|dumps?|export\w*|migrat\w*|replicat\w*|archiv\w*|snapshots?)\b", re.IGNORECASE)
_BRAND = (
    r"amazonaws\.com|cloudfront\.net|github\.com|githubusercontent\.com|googleapis\.com|google\.com|microsoft\.com"
    r"|azure\.com|windows\.net|apple\.com|icloud\.com|npmjs\.(?:org|com)|pypi\.org|slack\.com|openai\.com"
    r"|anthropic\.com|dropbox\.com|cloudflare\.com"
)
_LOOKALIKE = re.compile(rf"(?:^|\.)(?:{_BRAND})\.(?:[a-z0-9-]+\.)*[a-z]{{2,}}$", re.IGNORECASE)


def lookalike(url: str) -> bool:
    """The URL's host shows a well-known domain followed by more labels (the real owner is the suffix)."""
    return bool(_LOOKALIKE.search(host_of(url) or ""))


def dump_upload(view: SkillView, file: str, url: str) -> bool:
    """``file`` dumps a database and uploads it to the concrete, undeclared host of ``url``."""
    tf = view.file(file)
    if tf is None or tf.role != "script" or not url.startswith("http") or not _DUMP.search(tf.text):
        return False
    claim = f"{view.skill.name} {view.skill.description}"
    host = host_of(url) or ""
    if not re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", host, re.IGNORECASE) or re.search(r"example|your|\$|\{|<", url):
        return False
    return not _DECLARED.search(claim) and not vendor_declared(url, claim)
