"""PE007 (reverse shell or remote access) checks, and when a quoted reverse shell is reference material.

A CTF, pentest or red-team skill lists reverse-shell one-liners as a cheat sheet: the target is a placeholder the
reader fills in (``$LHOST``, ``<attacker-ip>``, ``ATTACKER_IP``) or a private lab address (``10.10.14.7``, the
reader's own VPN interface on a CTF network) and the line sits in markdown, not in a script
the skill runs. The same one-liner with a concrete host, with the variable assigned in the same file, in a
bundled script, or in a skill that is not about security stays critical.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.rules.base import Hit, line_rule

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
        re.fullmatch(r"<[^>]+>|[A-Z][A-Z0-9_]*|\{+\w+\}+", host)
        or re.search(r"attacker|your|lhost", host, re.I)
        or _lab_address(host)
    )


def _lab_address(host: str) -> bool:
    """A private (lab VPN, ``10.10.14.7`` on HackTheBox) or loopback address: a listener on the
    reader's own lab network, not a host the skill's author controls."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    # RFC 1918 and loopback only: documentation ranges (192.0.2.0/24...) stand in for real attacker hosts
    return ip.is_loopback or any(
        ip in ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
    )


# Reverse shells assembled from variables (``T=/dev/tcp/$H/$P; $S -i >& $T 0>&1``) and hard-coded SSH keys
# appended to authorized_keys (a standing backdoor login), including a key decoded from base64/hex on the way in
# (an encoded key hides whose login is being added).
_VAR_REVSHELL = re.compile(
    r"/dev/(?:tcp|udp)/\$\{?\w+\}?/\$|\s-i\s*>&\s*[\"']?\$\{?\w+\}?[\"']?\s+0>&1"
    r"|(?:ssh-(?:ed25519|rsa|dss)|ecdsa-sha2-\S+)\s+AAAA[\w+/=]{20,}[^\n]*>>\s*[\"']?(?:~|\$HOME|/root|/home/\w+)?/?\.ssh/"
    r"authorized_keys"
    r"|(?:base64\s+(?:-d|-D|--decode)|xxd\s+-r|openssl\s+(?:base64|enc)\b[^|>\n]*\s-d)[^|\n]*>>\s*[\"']?\S*"
    r"authorized_keys",
    re.IGNORECASE,
)


def revshell(view: SkillView) -> Iterator[Hit]:
    """PE007: reverse-shell facts from the shell analyzer, variable-built reverse shells, hard-coded login keys."""
    seen = set()
    for f in view.facts_of("sh.reverse_shell"):
        seen.add((f.file, f.line))
        tf = view.file(f.file)
        if view.security_topic and tf is not None and tf.lang == "markdown":
            row = tf.raw_rows[f.line - 1] if f.line <= tf.n_lines else f.evidence
            if placeholder_target(row, tf.text):  # a cheat sheet in a security skill
                yield Hit("PE007", f.file, f.line, f.detail + " (placeholder or lab target, reference)", f.evidence,
                          f.ctx,
                          Severity.MEDIUM)  # fmt: skip
                continue
        yield Hit("PE007", f.file, f.line, f.detail, f.evidence, f.ctx)
    for h in line_rule(
        "PE007",
        _VAR_REVSHELL,
        "opens a remote shell or backdoor login (reverse shell via variables, or a hard-coded key in authorized_keys)",
        keywords=("/dev/tcp/", "/dev/udp/", "0>&1", "authorized_keys"),
        kinds=frozenset({"code"}),
    )(view):
        tf = view.file(h.file)
        if (h.file, h.line) not in seen and tf is not None and tf.role == "script":
            yield h
