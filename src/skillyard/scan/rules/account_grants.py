"""Access handed out of the user's hands: owner/admin grants to an account the skill names, and system policies
that drop authentication (blind13 gcp-cost-review, repo-release-bot, linux-desktop-quiet, wsl-dev-bridge).

- PE032: a cloud or repository grant of owner/admin-level rights to an account written into the skill -
  ``gcloud projects add-iam-policy-binding P --member=serviceAccount:x@other-project… --role=roles/owner``,
  ``az role assignment create --role Owner --assignee <id>``, ``gh api -X PUT repos/$R/collaborators/<user> -f
  permission=admin``, a deploy key with ``read_only=false`` and a key in the skill. A member taken from a variable
  the user sets (``--member="user:$ME"``) is the user's own choice and not matched.
- PE033: a polkit rule returning ``polkit.Result.YES`` without looking at ``action.id`` (every privileged action
  allowed without a password), a ``.pkla`` with ``Action=*`` and ``ResultActive=yes``, and a WSL ``/etc/wsl.conf``
  whose default user is root or whose ``[boot] command`` runs a script from the user's home or a Windows drive
  (writable without root, run as root at every start).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView, TextFile
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_GCLOUD = re.compile(
    r"\bgcloud\s+(?:projects|organizations|resource-manager\s+folders|folders)\s+add-iam-policy-binding\b"
    r"(?=[^\n]*--member[=\s]+[\"']?(?:user|serviceAccount|group|domain):([^\s\"']+))"
    r"(?=[^\n]*--role[=\s]+[\"']?(roles/(?:owner|editor|[\w.]*[aA]dmin\w*)))"
)
_AZ = re.compile(
    r"\baz\s+role\s+assignment\s+create\b(?=[^\n]*--role\s+[\"']?(Owner|Contributor|User Access Administrator)\b)"
    r"(?=[^\n]*--assignee(?:-object-id)?\s+[\"']?([^\s\"']+))"
)
_GH_COLLAB = re.compile(
    r"\bgh\s+api\b(?=[^\n]*\brepos/[^\s\"']+/collaborators/([^\s\"'/]+))(?=[^\n]*permission=(admin|maintain))"
)
_GH_KEY = re.compile(r"\bgh\s+api\b[^\n]*\brepos/[^\s\"']+/keys\b(?=[^\n]*(?:ssh-(?:ed25519|rsa)|ecdsa-sha2)\s+AAAA)"
                     r"(?=[^\n]*read_only=false)")  # fmt: skip
_ASSIGN = re.compile(r"^\s*(?:export\s+|local\s+)?([A-Za-z_]\w*)=[\"']?([^\"'\s]+)[\"']?\s*$", re.MULTILINE)


def _joined(tf: TextFile) -> Iterator[tuple[int, str]]:
    """Rows with backslash continuations joined (reported at their first row)."""
    start, parts = 0, list[str]()
    for n, row in enumerate(tf.rows, 1):
        parts.append(row.rstrip("\\").rstrip() if row.rstrip().endswith("\\") else row)
        start = start or n
        if not row.rstrip().endswith("\\"):
            yield start, " ".join(parts)
            start, parts = 0, []


def _member(raw: str, env: dict[str, str]) -> str | None:
    """The member with the file's literal variables filled in; None when it stays a variable or placeholder."""
    value = re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), m.group(0)), raw)
    placeholder = re.search(r"[$<{]|your[-_]|example\.com", value) or re.fullmatch(r"[A-Z][A-Z0-9_]*", value)
    return None if placeholder else value


def _grants(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or not any(k in tf.lower for k in ("add-iam-policy-binding", "role assignment", "gh api")):
            continue
        env = {m.group(1): m.group(2) for m in _ASSIGN.finditer(tf.text)}
        for n, row in _joined(tf):
            found = None
            if (m := _GCLOUD.search(row)) and (who := _member(m.group(1), env)):
                found = m, f"grants {m.group(2)} to {who}, an account written into the skill"
            elif (m := _AZ.search(row)) and (who := _member(m.group(2), env)):
                found = m, f"assigns the {m.group(1)} role to {who}, an identity written into the skill"
            elif (m := _GH_COLLAB.search(row)) and (who := _member(m.group(1), env)):
                found = m, f"makes {who} a repository {m.group(2)} (an account written into the skill)"
            elif m := _GH_KEY.search(row):
                found = m, "registers a deploy key with write access whose private half the skill's author holds"
            if found is None:
                continue
            objs = tf.line_objs(n)
            ctx = SCRIPT if tf.role == "script" and tf.lang != "markdown" else (objs[0].ctx if objs else None)
            yield Hit("PE032", tf.path, n, found[1], snippet(row, found[0].start(), found[0].end()), ctx)


_POLKIT_YES = re.compile(r"polkit\.Result\.YES")
_PKLA_ALL = re.compile(r"^\s*Action\s*=\s*\*\s*$", re.MULTILINE)
_WSL_ROOT = re.compile(r"^\s*default\s*=\s*root\s*$", re.MULTILINE)
_WSL_BOOT = re.compile(r"^\s*command\s*=\s*[\"']?[^\n]*(?:/home/|\$h\b|\$HOME|~/|/mnt/[a-z]/|/tmp/)", re.MULTILINE)


def _policy_off(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test":
            continue
        text = tf.text
        found: list[tuple[int, str]] = []
        if "polkit.addRule" in text and "polkit.Result.YES" in text and "action.id" not in text:
            m = _POLKIT_YES.search(text)
            if m:
                found.append((text.count("\n", 0, m.start()) + 1, "a polkit rule that allows every privileged action "
                              "without a password (it never checks action.id)"))  # fmt: skip
        if "ResultActive" in text and (m2 := _PKLA_ALL.search(text)) and re.search(r"ResultActive\s*=\s*yes", text):
            found.append((text.count("\n", 0, m2.start()) + 1, "a polkit .pkla entry allowing every action"))
        if "wsl.conf" in text or tf.path.lower().endswith("wsl.conf"):
            for rx, msg in ((_WSL_ROOT, "makes root the default WSL user (every shell runs as root)"),
                            (_WSL_BOOT, "has WSL run a script the user can edit as root at every start")):  # fmt: skip
                if m3 := rx.search(text):
                    found.append((text.count("\n", 0, m3.start()) + 1, msg))
        for n, msg in found:
            objs = tf.line_objs(n)
            ctx = SCRIPT if tf.role == "script" and tf.lang != "markdown" else (objs[0].ctx if objs else None)
            yield Hit("PE033", tf.path, n, msg, snippet(tf.rows[n - 1]), ctx)


RULES = [
    Rule(
        "PE032",
        "Owner or admin rights granted to an account the skill names",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.85,
        "A cloud IAM binding (roles/owner, editor, *Admin), an Azure Owner/Contributor assignment, a repository admin "
        "collaborator or a writable deploy key for an account written into the skill hands the user's project to "
        "whoever controls that account.",
        "Grant the narrowest role to an account the user chooses, and say so; never to one the skill fixes.",
        _grants,
        mitre="T1098",
    ),
    Rule(
        "PE033",
        "System policy that drops authentication",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.85,
        "A polkit rule answering YES to every action, a .pkla allowing Action=*, or a wsl.conf that makes root the "
        "default user or runs a user-writable script as root at boot removes the password step between the user "
        "(or any code they run) and root.",
        "Allow one named action (check action.id) for one group, and keep boot scripts root-owned.",
        _policy_off,
        mitre="T1548",
    ),
]
