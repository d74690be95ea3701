"""Bundled text written into other agents' instruction files, carrying a permission bypass.

AGENTS.md, CLAUDE.md, GEMINI.md, ``.cursorrules``, ``.windsurfrules`` and ``.github/copilot-instructions.md`` are
read by every coding agent that opens the repository, in every later session. A skill that copies a bundled
template into them can plant standing orders for all of those agents at once - cross-agent persistence.

- PE027: the skill writes a bundled file into an agent instruction file, and that bundled file tells agents to
  run without approvals or sandbox (``--yolo``, ``--dangerously-*``, ``bypassPermissions``,
  ``danger-full-access``, "run every command without asking") or switches the repository's safety nets off (skip
  the security checks, ``git push --force`` to main, disable branch protection, no asking before destructive
  commands).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers import agent_files
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet
from skillyard.scan.rules.persistence import SAFETY_OFF

_TARGETS = re.compile(r"(?<![\w-])(?:" + agent_files.TOOL_FILES + ")")
_BYPASS = re.compile(
    r"--dangerously-[\w-]+|--yolo\b|\bbypassPermissions\b|danger-full-access|approval[_-]policy\s*[=:]\s*[\"']?never"
    r"|\b(?:run|execute)\s+(?:every|all|any)\s+(?:shell\s+)?commands?\s+without\s+(?:asking|confirmation|approval)",
    re.IGNORECASE,
)


# cheap literal gates (lowercase): a bypass word in a bundled file, an instruction-file name anywhere
_LIT = ("--dangerously", "--yolo", "bypasspermissions", "danger-full-access", "approval", "without asking",
        "without confirmation", "security", "branch protection", "push --force", "push -f", "destructive")  # fmt: skip
_TARGET_LIT = agent_files.TOOL_KEYS
_NEGATED = re.compile(r"\b(?:never|not|don't|do not|avoid|no|forbid\w*|flag|warn\w*)\b", re.IGNORECASE)


def _ordered(row: str) -> bool:
    """A bypass in this row that is not negated or warned about before it ("Never use --yolo")."""
    m = _BYPASS.search(row) or SAFETY_OFF.search(row)
    return m is not None and _NEGATED.search(row[: m.start()]) is None


_WRITE = re.compile(r"\b(?:write|writes|append\w*|copy|copies|render\w*|insert\w*|add|adds|generat\w*|merge\w*)\b|>>?",
                    re.IGNORECASE)  # fmt: skip


def _links(rows: list[str], path: str, name: str) -> bool:
    """One row names the bundled file, an agent instruction file and a write ("append policy.md to AGENTS.md")."""
    return any((path in r or name in r) and _TARGETS.search(r) and _WRITE.search(r) for r in rows)


def _planted(view: SkillView) -> Iterator[Hit]:
    carriers = [
        tf
        for tf in view.files
        if tf.role not in ("test", "skill_md") and tf.lang in ("markdown", "text") and tf.has_any(_LIT)
    ]
    if not carriers:
        return
    writers = [tf for tf in view.files if tf.role != "test" and tf.has_any(_TARGET_LIT)]
    if not writers:
        return
    for tf in carriers:
        if _TARGETS.search(tf.path) or not (_BYPASS.search(tf.text) or SAFETY_OFF.search(tf.text)):
            continue
        name = tf.path.rsplit("/", 1)[-1]
        if not any(w is not tf and _links(w.rows, tf.path, name) for w in writers):
            continue
        n = next((i for i, r in enumerate(tf.rows, 1) if _ordered(r)), 0)
        if not n:
            continue
        why = (
            "is written into other agents' instruction files and tells them to run without approvals or sandbox, "
            "or with safety checks off"
        )
        yield Hit("PE027", tf.path, n, why, snippet(tf.rows[n - 1]), SCRIPT)


RULES = [
    Rule(
        "PE027",
        "Bundled template plants a permission bypass in agent instruction files",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.8,
        "AGENTS.md, CLAUDE.md, GEMINI.md, .cursorrules and copilot-instructions.md are obeyed by every agent that "
        "opens the repository; a skill that writes a bundled template into them telling agents to skip approvals or "
        "the sandbox turns one install into standing orders for all of them.",
        "Generate instruction files from what the repository needs, show them to the user, and never include "
        "permission or sandbox bypasses.",
        _planted,
        mitre="T1546",
    ),
]
