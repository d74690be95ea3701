"""PE030: a cloud administrator role that an outside account may assume (blind12 serverless-cron-jobs).

An IAM role with ``AdministratorAccess`` (or an ``Action: "*"`` on ``Resource: "*"`` policy) whose trust policy lets
a hard-coded foreign AWS account (``Principal: {AWS: arn:aws:iam::210987654321:root}``) or anyone (``"*"``) assume
it hands the whole cloud account to that outsider - a backdoor that survives every password and key rotation.
Read in CloudFormation, Serverless Framework, CDK output, SAM and Terraform files. An account given as a parameter
or the deploying account itself (``${AWS::AccountId}``, ``data.aws_caller_identity``) is not matched; neither is a
trust policy that names only AWS services (``lambda.amazonaws.com``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_ADMIN = re.compile(
    r"arn:aws:iam::aws:policy/(?:AdministratorAccess|PowerUserAccess|IAMFullAccess)\b"
    r"|[\"']?Action[\"']?\s*[:=]\s*\[?\s*[\"']\*[\"']\s*\]?\s*,?\s*\n?[^\n]*[\"']?Resource[\"']?\s*[:=]\s*\[?\s*[\"']\*",
)
_FOREIGN = re.compile(
    r"[\"']?AWS[\"']?\s*[:=]\s*\[?\s*[\"']?(arn:aws:iam::(\d{12}):(?:root|user/[\w+=,.@-]+|role/[\w+=,.@/-]+)|\*)[\"']?"
    r"|[\"']?Principal[\"']?\s*[:=]\s*[\"']\*[\"']",
)
_EXTS = (".yml", ".yaml", ".json", ".tf", ".template", ".ts", ".py")


def _foreign_admin(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or not tf.path.lower().endswith(_EXTS) or "sts:AssumeRole" not in tf.text:
            continue
        admin = _ADMIN.search(tf.text)
        if admin is None:
            continue
        for m in _FOREIGN.finditer(tf.text):
            anyone = m.group(2) is None
            line = tf.text.count("\n", 0, m.start()) + 1
            who = "anyone" if anyone else f"outside AWS account {m.group(2)}"
            yield Hit("PE030", tf.path, line, f"an administrator role ({admin.group(0)[:60]!r}) that {who} may "
                      "assume", snippet(tf.rows[line - 1]), SCRIPT if tf.lang in ("yaml", "json", "text") else None,
                      Severity.CRITICAL if anyone else None)  # fmt: skip
            break


RULES = [
    Rule(
        "PE030",
        "Cloud administrator role assumable from outside",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.85,
        "An IAM role with AdministratorAccess (or Action * on Resource *) whose trust policy names a hard-coded "
        "foreign account or '*' lets that outsider take over the cloud account whenever they like.",
        "Trust only your own account or a parameter the user sets, and grant the least privilege the job needs.",
        _foreign_admin,
        mitre="T1098.003",
    ),
]
