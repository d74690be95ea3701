"""Well-known hosts pointed at another address in the hosts file (SC034).

``203.0.113.50 github.com api.github.com`` in ``/etc/hosts`` (or Windows' ``drivers\\etc\\hosts``) sends every later
clone, package download, API call and login for those names to that address, for every program on the machine.
Skills offer it as a fix for "slow GitHub" or "blocked registries". Mapping a public domain (a code host, a package
registry, an AI provider, a cloud) to a public address is reported; ``127.0.0.1 myapp.local``, a LAN name, or
blocking a tracker with ``0.0.0.0`` is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView, register_keywords
from skillyard.scan.rules.base import Family, Hit, Rule, hit_at

_KEYS = ("/etc/hosts", "drivers\\etc\\hosts", "drivers/etc/hosts", "hosts file")
register_keywords(_KEYS)
_ENTRY = re.compile(r"\b((?:\d{1,3}\.){3}\d{1,3})\s+((?:[a-z0-9-]+\.)+[a-z]{2,})((?:\s+(?:[a-z0-9-]+\.)+[a-z]{2,})*)",
                    re.IGNORECASE)  # fmt: skip
_WELL_KNOWN = re.compile(
    r"(?:^|\.)(?:github\.com|githubusercontent\.com|gitlab\.com|bitbucket\.org|npmjs\.org|npmjs\.com|yarnpkg\.com"
    r"|pypi\.org|pythonhosted\.org|rubygems\.org|crates\.io|docker\.io|docker\.com|ghcr\.io|openai\.com"
    r"|anthropic\.com|claude\.ai|googleapis\.com|google\.com|microsoft\.com|apple\.com|amazonaws\.com|azure\.com"
    r"|cloudflare\.com|huggingface\.co|slack\.com|okta\.com|login\.microsoftonline\.com|paypal\.com|binance\.com"
    r"|coinbase\.com|metamask\.io)$",
    re.IGNORECASE,
)
_LOCAL_IP = re.compile(r"^(?:127\.|0\.0\.0\.0$|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.)")


def _hijacks(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or not tf.has_any(_KEYS):
            continue
        for n in tf.candidate_numbers(_KEYS):
            # the entry is on the row naming the hosts file or within the two rows after it (a fenced block)
            for k in range(n, min(n + 3, len(tf.rows)) + 1):
                row = tf.rows[k - 1]
                m = _ENTRY.search(row)
                if m is None or _LOCAL_IP.match(m.group(1)):
                    continue
                names = [m.group(2), *m.group(3).split()]
                hit = next((h for h in names if _WELL_KNOWN.search(h)), None)
                if hit is None:
                    continue
                for ln in tf.line_objs(k)[:1]:
                    yield hit_at("SC034", ln, f"points {hit} at {m.group(1)} in the hosts file", m.start(), m.end())
                break


RULES = [
    Rule(
        "SC034",
        "Well-known hosts redirected in the hosts file",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.85,
        "A hosts-file entry mapping a code host, package registry, AI provider or cloud to another address sends "
        "every later download, API call and login for that name there, for every program on the machine.",
        "Fix network problems with the provider's documented mirrors or proxies; never override public names in "
        "the hosts file.",
        _hijacks,
        mitre="T1565.002",
    ),
]
