"""E009 addition: the output of a CLI credential helper (``gh auth token``, ``git credential fill``, ``gcloud auth
print-access-token`` ...) put into a request to a host that is neither trusted nor the skill's declared vendor."""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.scan.analyzers.hosts import URL, host_class, vendor_declared
from skillyard.scan.analyzers.keywords import register_keywords
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.rules.base import Hit, hit_at

_HELPER = re.compile(
    r"\bgh\s+auth\s+token\b|\bgit\s+credential\s+fill\b|\bgcloud\s+auth\s+(?:application-default\s+)?print-access-token"
    r"|\baws\s+configure\s+export-credentials\b|\baz\s+account\s+get-access-token\b|\bnpm\s+token\s+list\b",
    re.IGNORECASE,
)
_KEYS = ("auth token", "credential fill", "print-access-token", "export-credentials", "get-access-token", "token list")
register_keywords(_KEYS)
_SENDER = re.compile(r"\b(?:curl|wget|iwr|irm|Invoke-WebRequest|Invoke-RestMethod|nc|ncat)\b", re.IGNORECASE)
_ASSIGN = re.compile(r"\$?(\w+)\s*=\s*\$?\(?\s*(?=[^\n;]*?" + _HELPER.pattern + ")", re.IGNORECASE)


def token_sends(view: SkillView) -> Iterator[Hit]:
    claim = f"{view.skill.name} {view.skill.description}"
    for tf in view.files:
        if tf.role == "test" or not tf.has_any(_KEYS):
            continue
        for n in tf.candidate_numbers(_KEYS):
            row = tf.rows[n - 1]
            helper = _HELPER.search(row)
            send = _SENDER.search(row, helper.end()) if helper else None
            if helper is None or send is None:
                continue
            tail = row[send.start() :]
            urls = [u for u in URL.findall(tail) if "$" not in u.split("://", 1)[-1].split("/", 1)[0]]
            if not urls or all(host_class(u) in ("local", "trusted") or vendor_declared(u, claim) for u in urls):
                continue
            names = {m.group(1) for m in _ASSIGN.finditer(row[: send.start()])}
            if not (_HELPER.search(tail) or any(re.search(rf"\$\{{?{re.escape(v)}\b", tail) for v in names)):
                continue
            for ln in tf.line_objs(n):
                yield hit_at("E009", ln, "sends the output of a credential helper to a remote host")
                break
            break
