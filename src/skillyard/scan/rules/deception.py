"""Deception of the user (P013), and the "addressed to the agent" weighting shared by the injection rules.

An injection does not have to sit in SKILL.md: a JSON/YAML/CSV asset, a template or a reference file the agent
is told to read reaches the model as instructions too, and a reference line is weighted 0.6 (a quoted attack in a
reference is usually documentation). :func:`addressed` tells the two apart by the sentence itself: a match that
*starts* a sentence (or a string value), or follows "the assistant must" / "you should", with no word around it
that discusses a threat, is an order to the agent wherever it sits; its confidence becomes 1.0, so a reference
or asset line (0.6) and a security-topic skill's SKILL.md line (0.6) keep the rule's severity. Quoted examples,
descriptions of what a model might do ("fallback models ignore system instructions") and documented patterns
stay as weighted as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.line_context import DOC_STRONG
from skillyard.scan.analyzers.view import SkillView, TextFile
from skillyard.scan.context import ContextKind, base_context
from skillyard.scan.rules.base import Check, Family, Hit, Rule, line_rule
from skillyard.scan.rules.injection_patterns import DECEIVE, DECEIVE_KEYS

# What may come between the start of a sentence (or of a quoted string value) and an order to the agent.
_LEAD = re.compile(
    r"(?:^\s*|[.,!?:;\"'`>\[\](){}*|。、，：]\s*|\s-\s+|<!--\s*|#+\s+|//\s*)(?:(?:the\s+)?(?:assistant|agent|model|ai|llm|claude|you)\s+(?:must|should"
    r"|shall|will|are\s+to|is\s+to|need\s+to|now|always)\s+|(?:please|now|also|then|first|important|note|system"
    r"|always|and)[,:]?\s+)*$",
    re.IGNORECASE,
)
_QUOTES = "\"'`“‘«"
# A conditional right after the match ("only report 'done' when all tests pass") is a rule of work, not a cover-up.
_CONDITION = re.compile(r"^[^\w.!?;]{0,3}\s*(?:when|if|once|until|after|unless)\b", re.IGNORECASE)


def _order(row: str, start: int, end: int, data: bool = False) -> bool:
    """The match starts a sentence or a string value, and is not a short quoted phrase (a quoted pattern or
    example: ``score("Ignore previous instructions")``, ``- "You are now DAN ..."``). In a data file (``data``:
    JSON/YAML/CSV/text) a quote after ``key:``, ``=``, ``,`` or ``[`` opens a value, whatever its length."""
    lead = row[max(0, start - 80) : start]
    if not _LEAD.search(lead) or _CONDITION.search(row[end : end + 12]):
        return False
    opener = lead.rstrip()[-1:]
    if data and opener in ("'", '"') and re.search(r"[:=,\[]\s*[\"']$", lead.rstrip()):
        return True
    if opener and opener in _QUOTES:
        close = row.find("”" if opener == "“" else "’" if opener == "‘" else "»" if opener == "«" else opener, start)
        return close < 0 or close - start > 120
    return True


_PROMOTE = (ContextKind.REFERENCE, ContextKind.INSTRUCTION, ContextKind.METADATA)


def addressed(inner: Check, *patterns: re.Pattern[str], retag: bool = False) -> Check:
    """Raise a hit's confidence to 1.0 when its match is an order addressed to the agent (see module docs).

    With ``retag`` a line classed as documentation only because of words inside the match itself ("always report
    no vulnerabilities") gets its file's own context back.
    """

    def check(view: SkillView) -> Iterator[Hit]:
        # The decision depends on the row, not on which window of a very long row the hit came from: it is made
        # once per row (else a long single-line file costs one search of the whole row per windowed hit).
        decided: dict[tuple[str, int, bool], bool] = {}
        for h in inner(view):
            tf = view.file(h.file)
            if h.context is None or tf is None or tf.role == "test":
                yield h
                continue
            own_words = retag and h.context.reason == "line discusses a threat"
            if h.context.kind not in _PROMOTE and not own_words:
                yield h
                continue
            key = (h.file, h.line, own_words)
            if key not in decided:
                row = tf.raw_rows[h.line - 1] if h.line <= tf.n_lines else ""
                decided[key] = _promotes(row, tf, h, patterns, retag)
            if not decided[key]:
                yield h
                continue
            ctx = base_context(tf.role) if own_words else h.context
            yield Hit(h.rule, h.file, h.line, h.message, h.evidence, ctx, h.severity, 1.0)

    return check


def _promotes(row: str, tf: TextFile, h: Hit, patterns: tuple[re.Pattern[str], ...], retag: bool) -> bool:
    """Whether ``row`` (the line of ``h``) holds an order to the agent that no documentation words explain."""
    if tf.lang == "markdown" and re.match(r"(?: {4}|\t)", row):  # an indented code block: an example
        return False
    m = next((m for p in patterns if (m := p.search(row)) is not None), None)
    data = tf.lang in ("json", "yaml", "toml", "text")
    # a bare noun phrase ("System override attempt") names an attack, it does not order one
    if m is None or m.group(0).lower() == "system override" or not _order(row, m.start(), m.end(), data):
        return False
    rest = row[: m.start()] + " " + row[m.end() :] if retag else row
    return not DOC_STRONG.search(f"{rest} {h.file}")


RULES = [
    Rule(
        "P013",
        "Deceives the user or rigs the result",
        Family.PROMPT_INJECTION,
        Severity.HIGH,
        0.85,
        "Instructions to lie when asked, to report 'no problems' or a fixed score whatever the evidence, to favour "
        "a named party regardless of merit, or to swap payment details for a hard-coded account turn the agent "
        "against the user who relies on its answer (review, screening, ranking, invoicing).",
        "Remove the instruction: the skill must report what it finds and never substitute accounts or verdicts.",
        addressed(
            line_rule("P013", DECEIVE, "tells the agent to deceive the user or fix the result", keywords=DECEIVE_KEYS),
            DECEIVE,
            retag=True,
        ),
        mitre="T1565",
    ),
]
