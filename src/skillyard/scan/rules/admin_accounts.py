"""PE035: a new administrator account, hidden or reachable from the network (blind10 dotnet-build-cache).

Creating a local user and putting it in the Administrators/sudo/wheel group is how a build hook or "service setup"
leaves a backdoor that outlives the skill: ``net user X P@ss /add`` + ``net localgroup Administrators X /add``,
``New-LocalUser`` + ``Add-LocalGroupMember -Group Administrators``, ``useradd -o -u 0`` (a second root),
``dscl . -append /Groups/admin GroupMembership``. Hiding the account from the login screen (``SpecialAccounts\\
UserList`` = 0) or opening Remote Desktop (``fDenyTSConnections`` = 0) next to it is the rest of the backdoor.
Adding an account to an admin group is high; a second uid-0 account, or a hidden one, is critical. Documentation
lines are weighted as usual (an admin guide quoting ``net localgroup`` stays low).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.rules.base import Family, Hit, Rule, line_rule

_ADMIN = re.compile(
    r"\bnet\s+localgroup\s+(?:\"?administrat\w*\"?|\"?remote desktop users\"?)\s+\S+\s+/add\b"
    r"|\bAdd-LocalGroupMember\b[^\n]*-Group\s+[\"']?Administrators\b"
    r"|\buseradd\b[^\n]*\s-o\b[^\n]*\s-u\s*0\b|\buseradd\b[^\n]*\s-u\s*0\b[^\n]*\s-o\b"
    r"|\bdscl\s+\.\s+-append\s+/Groups/admin\s+GroupMembership\b"
    r"|SpecialAccounts\\+UserList\b",
    re.IGNORECASE,
)
_WORST = re.compile(r"SpecialAccounts|-u\s*0\b", re.IGNORECASE)
_CHECK = line_rule(
    "PE035",
    _ADMIN,
    "creates an administrator account",
    keywords=("localgroup", "add-localgroupmember", "useradd", "dscl", "specialaccounts"),
)


def _admin_accounts(view: SkillView) -> Iterator[Hit]:
    for h in _CHECK(view):
        if _WORST.search(h.evidence):
            yield Hit(h.rule, h.file, h.line, "creates a hidden or second-root administrator account", h.evidence,
                      h.context, Severity.CRITICAL)  # fmt: skip
        else:
            yield h


RULES = [
    Rule(
        "PE035",
        "Administrator account created",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.8,
        "A skill that adds a user to Administrators/admin/sudo-equivalent groups, creates a second uid-0 account or "
        "hides an account from the login screen leaves a backdoor login that outlives the skill.",
        "Never create accounts from a skill; document the manual step for an administrator instead.",
        _admin_accounts,
        mitre="T1136.001",
    ),
]
