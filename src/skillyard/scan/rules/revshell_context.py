"""When a quoted reverse shell is reference material (PE007 context).

A CTF, pentest or red-team skill lists reverse-shell one-liners as a cheat sheet: the target is a placeholder the
reader fills in (``$LHOST``, ``<attacker-ip>``, ``ATTACKER_IP``) and the line sits in markdown, not in a script
the skill runs. The same one-liner with a concrete host, with the variable assigned in the same file, in a
bundled script, or in a skill that is not about security stays critical.
"""

from __future__ import annotations

import re

_TARGET = re.compile(
    r"/dev/(?:tcp|udp)/([^/\s\"']+)/|\bconnect\(\(\s*[\"']?([^\"',)\s]+)|\b(?:nc|ncat|netcat)\b[^|;&\n]*?\s-[ec]\s+"
    r"\S+\s+([^\s-]\S*)\s+\d+"
)
_VAR = re.compile(r"^\$\{?([A-Za-z_]\w*)\}?$")


def placeholder_target(row: str, text: str) -> bool:
    """The reverse shell on ``row`` targets a placeholder the reader fills in (not assigned in ``text``)."""
    m = _TARGET.search(row)
    if m is None:
        return False
    host = next(g for g in m.groups() if g)
    var = _VAR.match(host)
    if var is not None:
        return re.search(rf"(?:^|[\s;]){re.escape(var.group(1))}=", text, re.MULTILINE) is None
    return bool(
        re.fullmatch(r"<[^>]+>|[A-Z][A-Z0-9_]*|\{+\w+\}+", host) or re.search(r"attacker|your|lhost", host, re.I)
    )
