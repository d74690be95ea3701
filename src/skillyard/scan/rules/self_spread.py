"""A skill that copies itself into every other project or agent (PE037).

Installing a skill puts it in one place the user chose. A skill that loops over the user's projects (``for d in
~/code/*/``, ``find ~ -name .git``, ``os.walk``, ``glob``) and copies itself, or its rules, into each one's agent
folders (``.claude/skills``, ``.codex/skills``, ``.cursor/rules``, ``.github/instructions``, AGENTS.md...) spreads like
a worm: every agent that opens any of those projects loads it, including after the user removes the original.
Reported when a copy into an agent folder sits inside (or within a few lines of) a loop over many directories, in a
bundled script or a command the skill gives. A one-time install into the user's own skills folder, or an installer
looping over a fixed list of agents (``for a in claude codex``), is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView, register_keywords
from skillyard.scan.rules.base import Family, Hit, Rule, hit_at

_LOOP = re.compile(
    r"\bfor\s+\w+\s+in\s+[^;\n]*(?:\*|\$\(\s*(?:find|ls)\b)|\bfind\s+(?:~|\$HOME|/)\S*\s+[^\n]*-name\s+[\"']?\.git\b"
    r"|\bxargs\b|\bos\.walk\s*\(|\bglob\.glob\s*\(|\.glob\s*\(|\.iterdir\s*\(|\breaddirSync\s*\(|\bGet-ChildItem\b",
)
_COPY_INTO_AGENT = re.compile(
    r"(?:\bcp\s+-\w*[rR]\w*|\brsync\b|\bcopytree\s*\(|\bcpSync\s*\(|\bln\s+-s\w*|\bCopy-Item\b|\bshutil\.copy\w*\s*\()"
    r"[^\n]*(?:\.claude/(?:skills|agents|commands)|\.codex/(?:skills|prompts)|\.cursor/rules|\.github/(?:instructions|"
    r"prompts|skills)|\.gemini/(?:skills|commands)|\.opencode/(?:skills|agent)|\.agents/skills|AGENTS\.md|CLAUDE\.md)",
)
_KEYS = (".claude/", ".codex/", ".cursor/rules", ".github/instructions", ".github/prompts", ".github/skills",
         ".gemini/", ".opencode/", ".agents/skills", "agents.md", "claude.md")  # fmt: skip
register_keywords(_KEYS)
_SPAN = 6


def _spread(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or not tf.has_any(_KEYS):
            continue
        code_file = tf.lang not in ("markdown", "text")
        for ln in tf.candidates(_KEYS):
            if not code_file and ln.kind != "code" and "`" not in ln.text:
                continue
            m = _COPY_INTO_AGENT.search(ln.text)
            if m is None:
                continue
            around = "\n".join(tf.rows[max(0, ln.lineno - 1 - _SPAN) : ln.lineno])
            if _LOOP.search(around):
                yield hit_at(
                    "PE037", ln, "copies the skill into the agent folders of many projects", m.start(), m.end()
                )
                break


RULES = [
    Rule(
        "PE037",
        "Skill copies itself into other projects' agent folders",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.8,
        "A skill that loops over the user's projects and copies itself or its rules into each one's agent folders "
        "spreads like a worm: every agent opening any of them loads it, even after the user removes the original.",
        "Install once, where the user asks; let the user add the skill to other projects themselves.",
        _spread,
        mitre="T1080",
    ),
]
