"""PE002 addition: a setuid copy of a shell or interpreter (``cp /bin/bash /var/lib/.x/h && chmod 4755 /var/lib/.x/h``,
``chmod u+s /bin/sh``, ``install -m 4755 "$(command -v bash)" /var/tmp/.c``) - anyone who runs it later gets a
root shell. Recipe lines of a Makefile run as shell."""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.scan.analyzers.keywords import register_keywords
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Hit, hit_at

_SHELLS = (
    r"/(?:usr/)?(?:local/)?bin/(?:ba|da|z|k|c|tc|fi|a)?sh|/(?:usr/)?(?:local/)?bin/(?:python3?|perl|ruby|node|env)"
    r"|\$\((?:command\s+-v|which)\s+(?:ba|da|z|k)?sh\)"
)
# ``install -m 4755 -o root "$(command -v bash)" /var/tmp/.c``: copy and setuid bit in one command
_INSTALL_SUID = re.compile(
    rf"\binstall\b[^\n;&|]*?\s(?:-m\s*|--mode[=\s])[\"']?[4-7][0-7]{{3}}\b[^\n;&|]*?[\"']?(?:{_SHELLS})"
)
_COPY = re.compile(rf"\b(?:cp|install|cat|rsync|ln)\b[^\n;&|]*?(?:{_SHELLS})\b[^\n;&|]*?\s>?\s*[\"']?(/[^\s\"';&|]+)")
_SUID = re.compile(r"\bchmod\s+(?:-\w+\s+)*(?:[ugoa]*\+s\w*|[4-7][0-7]{3})\s+[\"']?(/[^\s\"';&|]+)")
_DIRECT = re.compile(rf"\bchmod\s+(?:-\w+\s+)*(?:[ugoa]*\+s\w*|[4-7][0-7]{{3}})\s+[\"']?(?:{_SHELLS})\b(?![\w./-])")
_KEYS = ("chmod", "install")
register_keywords(_KEYS)
_MAKEFILES = re.compile(r"(?:^|/)(?:makefile|gnumakefile|[\w.-]+\.mk)$")


def setuid_shells(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or not tf.has_any(_KEYS) or ("bin/" not in tf.lower and "command -v" not in tf.lower):
            continue
        copies = {m.group(1) for row in tf.rows if "bin/" in row for m in _COPY.finditer(row)}
        for n in tf.candidate_numbers(_KEYS):
            row = tf.rows[n - 1]
            m = _SUID.search(row)
            if not (_DIRECT.search(row) or (m and m.group(1) in copies) or _INSTALL_SUID.search(row)):
                continue
            for ln in tf.line_objs(n):
                h = hit_at("PE002", ln, "makes a setuid copy of a shell or interpreter (a root backdoor)")
                if _MAKEFILES.search(tf.path.lower()) and row.startswith("\t") and tf.role == "script":
                    h = Hit(h.rule, h.file, h.line, h.message, h.evidence, SCRIPT)  # a recipe runs
                yield h
                break
