"""What a rule is: self-describing metadata plus a check over the analysed skill.

A rule never touches files or the network: it reads the :class:`~skillyard.scan.analyzers.view.SkillView`
the analyzers built (lines with their context, shell pipelines, Python/JS facts, the manifest) and yields
:class:`Hit` objects. The engine turns hits into :class:`~skillyard.model.Finding` after context weighting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from skillyard.model import Severity

if TYPE_CHECKING:
    from skillyard.scan.analyzers.view import Line, SkillView
    from skillyard.scan.context import Context

HELP_BASE = "https://github.com/skillyard/skillyard/blob/main/docs/rules.md"
FIXTURE_ROOT = "tests/fixtures/scan/rules"


class Family(StrEnum):
    """Rule families: the published skill-vulnerability taxonomy plus integrity checks."""

    PROMPT_INJECTION = "prompt-injection"
    DATA_EXFILTRATION = "data-exfiltration"
    PRIVILEGE_ESCALATION = "privilege-escalation"
    SUPPLY_CHAIN = "supply-chain"
    INTEGRITY = "integrity"


@dataclass(frozen=True)
class Hit:
    """One raw match of a rule, before context weighting."""

    rule: str
    file: str
    line: int
    message: str
    evidence: str = ""
    context: Context | None = None
    # Severity override for this hit (e.g. a pipe-to-shell from a reputable installer host is low).
    severity: Severity | None = None
    confidence: float | None = None


Check = Callable[["SkillView"], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """A scan rule. ``id`` is stable and never reused; retired rules stay listed with ``retired=True``."""

    id: str
    title: str
    family: Family
    severity: Severity
    confidence: float
    rationale: str
    remediation: str
    check: Check = field(repr=False, compare=False)
    mitre: str | None = None
    capability: str | None = None
    retired: bool = False
    # an order kept from the user is never a quotation: a security-topic skill's discount does not apply to it
    # (documentation contexts such as an attack-examples heading still weigh it down)
    topic_exempt: bool = False

    @property
    def anchor(self) -> str:
        """Anchor of this rule in ``docs/rules.md``."""
        return self.id.lower()

    @property
    def help_uri(self) -> str:
        return f"{HELP_BASE}#{self.anchor}"

    @property
    def bad_example(self) -> str:
        """Path (relative to the repository root) of a skill that must fire this rule."""
        return f"{FIXTURE_ROOT}/{self.id}/bad"

    @property
    def good_example(self) -> str:
        """Path (relative to the repository root) of a look-alike skill that must not fire it."""
        return f"{FIXTURE_ROOT}/{self.id}/good"


def snippet(text: str, start: int = 0, end: int | None = None, width: int = 160) -> str:
    """Evidence text: the match with a little context, single line, bounded, control chars made visible."""
    end = len(text) if end is None else end
    lo = max(0, start - 40)
    s = text[lo : min(len(text), max(end, start) + 60)].strip()
    s = "".join(c if (c.isprintable() and ord(c) < 0x2000) or c.isalnum() else f"<U+{ord(c):04X}>" for c in s)
    return s[:width]


_LINE_RULES: dict[tuple[object, ...], Check] = {}


def line_rule(
    rule_id: str,
    pattern: re.Pattern[str],
    message: str,
    *,
    keywords: tuple[str, ...] = (),
    kinds: frozenset[str] | None = None,
    langs: frozenset[str] | None = None,
    exclude: re.Pattern[str] | None = None,
    negation: bool = False,
    also: tuple[str, ...] = (),
) -> Check:
    """:func:`make_line_rule`, built once per distinct arguments (several rules call it on every scan; the
    check it returns keeps no state between scans)."""
    key = (rule_id, pattern, message, tuple(keywords), kinds, langs, exclude, negation, tuple(also))
    got = _LINE_RULES.get(key)
    if got is None:
        got = _LINE_RULES[key] = make_line_rule(
            rule_id,
            pattern,
            message,
            keywords=tuple(keywords),
            kinds=kinds,
            langs=langs,
            exclude=exclude,
            negation=negation,
            also=tuple(also),
        )
    return got


def make_line_rule(
    rule_id: str,
    pattern: re.Pattern[str],
    message: str,
    *,
    keywords: tuple[str, ...] = (),
    kinds: frozenset[str] | None = None,
    langs: frozenset[str] | None = None,
    exclude: re.Pattern[str] | None = None,
    negation: bool = False,
    also: tuple[str, ...] = (),
) -> Check:
    """A check that matches ``pattern`` on each analysed line.

    ``keywords`` (lowercase) must include a substring every match contains: only lines holding one are tried;
    ``kinds`` restricts the line kinds
    (``prose``, ``code``, ``comment``, ``frontmatter``, ``heading``); ``langs`` restricts file languages;
    ``exclude`` drops a line that also matches it (e.g. an obviously benign form); ``negation`` marks a pattern
    that is itself a warning-like phrase ("do not tell the user"), so the line's own warning words do not discount it.
    ``also`` is a second keyword gate: a candidate line must contain one of these too.
    """

    from skillyard.scan.analyzers.gates import could_match, row_matches, split_pattern
    from skillyard.scan.analyzers.view import OVERLAP, WARNS, WINDOW, WORK_PER_WINDOW, fold, register_keywords

    whole = re.compile(pattern.pattern, pattern.flags | re.MULTILINE)
    if any("\n" in a for a in also):
        raise ValueError("an 'also' keyword may not hold a newline")
    # the pattern's branches, each with literals every match of it holds: a row is searched only with the branches
    # whose literals its folded text holds (none: skipped unsearched)
    split = split_pattern(pattern)
    register_keywords(keywords + also)
    from skillyard.scan.context import ContextKind, documentation

    def check(view: SkillView) -> Iterator[Hit]:
        for tf in view.files:
            if langs is not None and tf.lang not in langs:
                continue
            if keywords:
                numbers: Sequence[int] = tf.candidate_numbers(keywords)
            elif whole.search(tf.text) is None:
                continue
            else:
                numbers = range(1, tf.n_lines + 1)
            rows = tf.rows
            # the rows holding an ``also`` keyword, from the shared index (a set look-up per row, not a substring
            # search per keyword); none of those keywords holds a newline, so this is ``a in lower_rows[n - 1]``
            also_rows = tf.rows_with(also) if also else frozenset()
            low_rows = tf.lower_rows if split is not None else rows
            for i, n in enumerate(numbers):
                if i & 255 == 255 and view.over_budget(tf.path, f"rule {rule_id} (from line {n})"):
                    break
                row = rows[n - 1]
                # The same tests as below on the line's own text, before its Line object (and markdown context)
                # is built: most candidate lines fail here. A windowed (very long) line is tried window by window.
                # The pattern is tried branch by branch, each only when the folded row holds its literals.
                windowed = len(row) > WINDOW
                if not windowed:
                    if (also and n not in also_rows) or (
                        pattern.search(row) is None if split is None else not row_matches(split, low_rows[n - 1], row)
                    ):
                        continue
                elif view.spend(
                    WORK_PER_WINDOW * (1 + len(row) // (WINDOW - OVERLAP)), tf.path, f"rule {rule_id} (line {n})"
                ):
                    break
                elif split is not None and not could_match(split.gates, low_rows[n - 1]):
                    continue  # no window (a piece of the row) can hold the literals of any branch
                yield from _line_hits(tf.path, tf.line_objs(n), windowed)

    def _line_hits(path: str, lines: list[Line], windowed: bool) -> Iterator[Hit]:
        for ln in lines:
            if kinds is not None and ln.kind not in kinds:
                continue
            if also or windowed:
                low = fold(ln.text)
                if also and not any(a in low for a in also):
                    continue
                if windowed and split is not None and not row_matches(split, low, ln.text):
                    continue  # pattern.search(ln.text) is None: no branch whose literals the window holds matches
            m = pattern.search(ln.text)
            if m is None or (exclude is not None and exclude.search(ln.text)):
                continue
            ctx = ln.ctx
            # in a config that runs (script context) quotes are syntax too: ``-C "net user x /add"``
            code = ln.kind == "code" or ctx.kind is ContextKind.SCRIPT
            if not negation and warns_against(ln.text, m.start(), m.end(), code=code):
                ctx = documentation(WARNS)
            yield Hit(rule_id, path, ln.lineno, message, snippet(ln.text, m.start(), m.end()), ctx)

    return check


_NEG_BEFORE = re.compile(
    r"\b(?:never|don'?t|do\s+not|avoid|instead\s+of|rather\s+than|not\s+recommended)\b[^.;!?,]{0,40}$",
    re.IGNORECASE,
)
_NEG_AFTER = re.compile(
    r"^[^.!?]{0,40}?\b(?:never|don'?t|do\s+not|avoid)\s+(?:use|run|do|pass|enable|try|execute|call|add|copy|paste)\s+"
    r"(?:it|this|that|them|these)\b|^[^.;!?]{0,30}?\bis\s+(?:dangerous|unsafe|insecure|a\s+red\s+flag|malicious)\b",
    re.IGNORECASE,
)


def warns_against(text: str, start: int, end: int, *, code: bool = False) -> bool:
    """Whether the words right around ``text[start:end]`` warn against it ("never use ...", "... - don't do this"),
    or quote it inside a sentence (``ask it to "forget previous instructions"``). In a code line quotes are
    syntax (``echo 'key = "value"'``), not a mention, so only the warning words count there."""
    if _NEG_BEFORE.search(text[max(0, start - 60) : start]) or _NEG_AFTER.search(text[end : end + 80]):
        return True
    if code:
        return False
    before, after = text[max(0, start - 2) : start], text[end : end + 2]
    quoted = any(q in before for q in "\"“'«") and any(q in after for q in "\"”'»")
    phrase = " " in text[start:end].strip()
    return quoted and phrase and bool(text[: max(0, start - 2)].strip())


def hit_at(rule_id: str, ln: Line, message: str, start: int = 0, end: int | None = None) -> Hit:
    """A hit located at an analysed line."""
    return Hit(rule_id, ln.file, ln.lineno, message, snippet(ln.text, start, end), ln.ctx)
