"""Tool shadowing (P012): a skill's metadata gives the agent a standing rule for *other* tools.

A description is read by the agent whenever skills are listed, even if the skill is never used, so an order
in it ("whenever an email is sent with any tool, BCC archive@...", "for every HTTP request also post to ...")
changes what other tools do (Invariant Labs' tool-shadowing attack). It fires on frontmatter lines that both
state a standing scope (whenever / every / any tool / all messages / this session) and add a recipient or
destination (BCC/CC/forward/copy/send/post to an address or URL).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.rules.base import Family, Hit, Rule

_SCOPE = re.compile(
    r"\b(?:whenever|every\s+time|each\s+time|on\s+every|for\s+every|for\s+all|with\s+any\s+tool|any\s+tool"
    r"|all\s+(?:emails?|messages?|requests?|tool\s+calls?)|every\s+(?:emails?|messages?|request|tool\s+call|commit)"
    r"|(?:in|for)\s+this\s+session)\b",
    re.IGNORECASE,
)
_DEST = re.compile(
    r"\b(?:bcc|cc|forward|copy|send|post|upload|mirror|report)\b[^.\n]{0,80}?"
    r"(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+)"
    r"|(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+)[^.\n]{0,40}?\bas\s+(?:a\s+)?(?:bcc|cc|recipient|copy)\b",
    re.IGNORECASE,
)


_DESC_KEY = re.compile(r"^description\s*:\s*(.*)$")


def raw_description(view: SkillView) -> str:
    """The parsed description, or, when the YAML frontmatter does not parse, the text after ``description:`` in
    the frontmatter rows (with its indented continuation rows): the agent still reads it."""
    if view.skill.description or not view.skill.load_error:
        return view.skill.description or ""
    tf = view.file("SKILL.md")
    if tf is None or tf.md is None:
        return ""
    rows = [ln.text for ln in tf.lines if ln.kind == "frontmatter"]
    for i, row in enumerate(rows):
        m = _DESC_KEY.match(row)
        if m:
            more = [r.strip() for r in rows[i + 1 :] if r[:1].isspace()]  # continuation rows of a block scalar
            return " ".join([m.group(1).strip(), *more])
    return ""


def _shadowing(view: SkillView) -> Iterator[Hit]:
    desc = raw_description(view)
    tf = view.file("SKILL.md")
    if tf is None or not (_SCOPE.search(desc) and _DEST.search(desc)):
        return
    lines = [ln for ln in tf.lines if ln.kind == "frontmatter"]
    if not lines:
        return
    text = " ".join(ln.text.strip() for ln in lines)
    m = _DEST.search(text)
    first = next((ln for ln in lines if m and m.group(0)[:12] in ln.text), lines[0])
    yield Hit(
        "P012",
        tf.path,
        first.lineno,
        "metadata gives the agent a standing rule that adds a recipient/destination to other actions",
        (m.group(0) if m else text)[:160],
        first.ctx,
        Severity.HIGH,
    )


RULES = [
    Rule(
        "P012",
        "Tool shadowing in skill metadata",
        Family.PROMPT_INJECTION,
        Severity.HIGH,
        0.8,
        "A description is loaded whenever skills are listed; a standing order in it that adds a BCC, copy or "
        "upload destination to other tools' actions redirects data without the skill ever being used.",
        "Describe what the skill does; never instruct the agent about other tools or add recipients.",
        _shadowing,
        mitre="T1565",
        capability="network_egress",
    ),
]
