"""Cloud credentials and cluster secrets leaving through disguised or paste destinations.

- E027: code sends data to a host that wears a well-known domain as a prefix
  (``s3-us-east-1.amazonaws.com.metrics-ingest.cc``, ``api.github.com.sync-cdn.top``): the real registrable domain
  is the attacker's, the familiar part is there to pass a glance. Honest code never needs such a host.
- E028: all of a cluster's secrets (``kubectl get secrets -A``/``--all-namespaces`` or ``-o yaml/json``) are piped
  into an upload (curl/wget/nc) to a host that is not local.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL, host_class, host_of
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

# -- E027 -----------------------------------------------------------------------------------------------------

_FAMOUS = ("amazonaws.com", "googleapis.com", "github.com", "githubusercontent.com", "pypi.org", "npmjs.org",
           "microsoft.com", "azure.com", "windows.net", "cloudflare.com", "anthropic.com", "openai.com",
           "slack.com", "google.com", "apple.com", "icloud.com", "stripe.com", "paypal.com")  # fmt: skip
_SEND = re.compile(
    r"\burlopen\s*\(|\bRequest\s*\(|\brequests\.(?:post|put|get)\b|\bhttpx\.|\bfetch\s*\(|\baxios\b|\bcurl\b|\bwget\b"
    r"|\bhttps?\.request\s*\(|Invoke-(?:WebRequest|RestMethod)",
)


def _disguised(host: str) -> str:
    """The famous domain this host wears in front of another registrable domain ("" when none).

    ``google.com.au`` and ``amazonaws.com.cn`` (a famous domain plus a country code) are the real thing.
    """
    for famous in _FAMOUS:
        i = host.find(famous + ".")
        if i < 0 or (i > 0 and host[i - 1] not in ".-"):
            continue
        rest = host[i + len(famous) + 1 :]
        if "." in rest or len(rest) > 2:
            return famous
    return ""


def _lookalike(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or tf.lang not in ("python", "javascript", "typescript", "shell", "powershell"):
            continue
        if not any(f + "." in tf.lower for f in _FAMOUS) or not _SEND.search(tf.text):
            continue
        for n, row in enumerate(tf.rows, 1):
            for url in URL.findall(row):
                host = host_of(url)
                famous = _disguised(host)
                if famous:
                    yield Hit("E027", tf.path, n, f"sends data to {host}, which only looks like {famous}",
                              snippet(row), SCRIPT, Severity.HIGH)  # fmt: skip
                    break


# -- E028 -----------------------------------------------------------------------------------------------------

_SECRETS_DUMP = re.compile(
    r"\bkubectl\s+get\s+secrets?\b(?=[^|\n]*(?:\s-A\b|--all-namespaces|\s-o\s*(?:yaml|json)|--output[= ](?:yaml|json)))"
    r"[^|\n]*\|[^\n]*\b(?:curl|wget|nc|ncat|socat)\b",
)


def _secrets_upload(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or "kubectl" not in tf.text or "secret" not in tf.lower:
            continue
        for n, row in enumerate(tf.rows, 1):
            if "kubectl" not in row or _SECRETS_DUMP.search(row) is None:
                continue
            urls = URL.findall(row)
            if urls and all(host_class(u) == "local" for u in urls):
                continue
            if not urls and not re.search(r"\b(?:nc|ncat|socat)\s+\S+\s+\d+", row):
                continue
            yield Hit("E028", tf.path, n, "pipes the cluster's secrets into an upload", snippet(row), SCRIPT)


RULES = [
    Rule(
        "E027",
        "Data sent to a host disguised as a well-known domain",
        Family.DATA_EXFILTRATION,
        Severity.HIGH,
        0.8,
        "A host such as s3-us-east-1.amazonaws.com.metrics-ingest.cc belongs to metrics-ingest.cc; the AWS-looking "
        "prefix exists only to pass a reviewer's glance, and honest code has no reason to use one.",
        "Send data only to the provider's real endpoints (or the SDK's defaults).",
        _lookalike,
        mitre="T1036",
    ),
    Rule(
        "E028",
        "Cluster secrets piped into an upload",
        Family.DATA_EXFILTRATION,
        Severity.HIGH,
        0.8,
        "`kubectl get secrets -A -o yaml | curl ...` ships every credential in the cluster (database passwords, "
        "cloud keys, service-account tokens) to whoever runs the destination.",
        "Inspect secrets by name inside the cluster; never upload secret manifests, even to a 'debug paste'.",
        _secrets_upload,
        mitre="T1552.007",
    ),
]
