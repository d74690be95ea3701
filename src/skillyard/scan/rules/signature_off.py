"""SC035: package signature verification switched off (blind10 nix-cache-accelerator).

Package managers refuse unsigned or wrongly signed packages; that check is what makes a binary cache or a mirror
safe to use. ``require-sigs = false`` in ``nix.conf`` (usually with an unknown ``extra-substituters`` host and the
user made a ``trusted-user``), ``[trusted=yes]`` on an apt source, ``apt-get --allow-unauthenticated``,
``APT::Get::AllowUnauthenticated "true"``, ``gpgcheck=0`` in a yum/dnf repo and ``--nogpgcheck`` let whoever serves
the packages replace any of them. A skill that "speeds up builds" this way installs a software supply channel the
user cannot verify. (gcloud's ``--allow-unauthenticated`` is about HTTP callers and is not matched.)
"""

from __future__ import annotations

import re

from skillyard.model import Severity
from skillyard.scan.rules.base import Family, Rule, line_rule

_SIG_OFF = re.compile(
    r"\brequire-sigs\s*=\s*false\b|\[(?:[^\]\n]*\s)?trusted=yes\b[^\]\n]*\]"
    r"|\bapt(?:-get)?\b[^\n]*\s--allow-unauthenticated\b|AllowUnauthenticated\s+\"?(?:true|1)\b"
    r"|\bgpgcheck\s*=\s*0\b|\s--nogpgcheck\b",
    re.IGNORECASE,
)

RULES = [
    Rule(
        "SC035",
        "Package signature verification switched off",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.8,
        "Nix require-sigs = false, apt [trusted=yes] / --allow-unauthenticated, yum/dnf gpgcheck=0 or --nogpgcheck "
        "accept packages nobody signed: the mirror or cache can replace any package the user installs.",
        "Keep signature checks on; add the vendor's signing key (trusted-public-keys, signed-by=, gpgkey=) instead.",
        line_rule(
            "SC035",
            _SIG_OFF,
            "switches package signature verification off",
            keywords=("require-sigs", "trusted=yes", "unauthenticated", "gpgcheck"),
        ),
        mitre="T1195.002",
    ),
]
