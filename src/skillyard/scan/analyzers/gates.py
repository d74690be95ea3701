"""Exact literal gates derived from a regex: which texts a pattern can match, decided by substring tests.

:func:`split_pattern` reads the parsed pattern (``re._parser``, what ``re.compile`` reads) and splits it into its
top-level alternatives, each compiled alone; for each it keeps a few *clauses*: sets of lowercase literals such
that every match of that branch contains at least one literal of every clause (a run of literal characters the
branch must match, or the union over an inner alternation whose every alternative has one). A text in which no
branch has all its clauses present cannot match, so :func:`row_matches` and :class:`Gated` skip the regex, or
search only the branches that could match. Literals are ASCII or caseless (CJK, kana) and never hold a line
break; they are compared with the case-folded text (``view.fold``), which maps every character
``re.IGNORECASE`` equates with an ASCII letter to that letter, so the gates are exact for case-insensitive
patterns too (tests/scan/test_speed_gates.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# the regex parser of Python >= 3.11: what re.compile itself reads. Private modules: should a later Python move
# them, every pattern is left ungated (searched in full, the same answers, only slower) instead of failing.
try:
    from re import _compiler  # type: ignore[attr-defined]
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - no such Python yet
    _compiler = _c = _p = None

# shorter ASCII literals are too common to be worth testing (a weak gate)
MIN_LEN = 3
# clauses kept per branch (the most selective): each is one more substring test per text
MAX_CLAUSES = 2

Clause = frozenset[str]
Gates = tuple[tuple[Clause, ...], ...]

_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) if _c is not None else ()


def _literal_ok(code: int) -> bool:
    """A character a gate may hold: ASCII but no line break, or a caseless character (CJK, kana...) that
    ``re.IGNORECASE`` equates with nothing else and ``fold`` keeps."""
    if code < 128:
        return code not in (10, 13)
    ch = chr(code)
    return ch.lower() == ch == ch.upper() and ch.isprintable() and not ch.isspace()


def _score(clause: Clause) -> tuple[int, int]:
    return (min(map(len, clause)), -len(clause))


def _best(clauses: list[Clause]) -> Clause | None:
    return max(clauses, key=_score) if clauses else None


def _seq(items: Any) -> list[Clause]:
    """Clauses every match of the sequence ``items`` satisfies (possibly none)."""
    out: list[Clause] = []
    run: list[str] = []

    def flush() -> None:
        s = "".join(run).lower()
        if len(s) >= MIN_LEN or not s.isascii():
            out.append(frozenset({s}))
        run.clear()

    for op, av in items:
        if op is _c.LITERAL and _literal_ok(av):
            run.append(chr(av))
            continue
        flush()
        if op is _c.SUBPATTERN:
            out.extend(_seq(av[3]))
        elif op is _c.ATOMIC_GROUP:
            out.extend(_seq(av))
        elif op in _REPEATS and av[0] >= 1:
            out.extend(_seq(av[2]))
        elif op is _c.BRANCH:
            alts = [_best(_seq(alt)) for alt in av[1]]
            if alts and all(a is not None for a in alts):
                out.append(frozenset().union(*(a for a in alts if a is not None)))
        # anything else (classes, wildcards, anchors, lookarounds, optional parts) asks for no literal
    flush()
    return out


@dataclass(frozen=True)
class Split:
    """A pattern as the alternation of ``branches`` (compiled alone), each with its gate clauses (``gates[i]``).

    ``pattern.search(t)`` finds a match exactly when some branch does: a match is a match of one alternative.
    """

    gates: Gates
    branches: tuple[re.Pattern[str], ...]
    pairs: tuple[tuple[re.Pattern[str], tuple[tuple[str, ...], ...]], ...]
    # an alternation of every branch's first-clause literals (for several branches): one C-level search of the
    # folded text tells whether any branch could match at all
    first: re.Pattern[str] | None


_CACHE: dict[re.Pattern[str], Split | None] = {}


def split_pattern(pattern: re.Pattern[str]) -> Split | None:
    """The pattern's branches and their gates; ``None`` when some branch has no clause (the pattern cannot be
    gated). Cached: some rules build their line checks per scan."""
    if pattern in _CACHE:
        return _CACHE[pattern]
    got = _CACHE[pattern] = _split(pattern)
    return got


def branch_gates(pattern: re.Pattern[str]) -> Gates | None:
    """Per branch, its (at most ``MAX_CLAUSES``) most selective clauses; ``None`` when some branch has none."""
    sp = split_pattern(pattern)
    return sp.gates if sp is not None else None


def _alternatives(items: list[Any]) -> list[list[Any]]:
    """The top-level alternatives: a sequence holding one alternation (bare, or as the only content of a plain
    non-capturing group) is the alternation of prefix + each alternative + suffix (``\\b(?:a|b)\\s`` is
    ``\\ba\\s|\\bb\\s``; the regex parser moves a prefix common to all branches out, e.g. a leading ``\\b``)."""
    where = []
    for k, (op, av) in enumerate(items):
        if op is _c.BRANCH:
            where.append((k, av[1]))
        elif op is _c.SUBPATTERN and av[0] is None and not av[1] and not av[2]:
            inner = list(av[3])
            if len(inner) == 1 and inner[0][0] is _c.BRANCH:
                where.append((k, inner[0][1][1]))
    if len(where) != 1:
        return [items]
    k, alts = where[0]
    return [items[:k] + list(alt) + items[k + 1 :] for alt in alts]


def _split(pattern: re.Pattern[str]) -> Split | None:
    if _p is None:  # pragma: no cover - see the imports
        return None
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
    except Exception:  # a parser change we do not know: leave the pattern ungated
        return None
    branches = _alternatives(list(parsed))
    gates: list[tuple[Clause, ...]] = []
    for b in branches:
        clauses = sorted(set(_seq(b)), key=_score, reverse=True)[:MAX_CLAUSES]
        if not clauses:
            return None
        gates.append(tuple(clauses))
    if len(branches) == 1:
        compiled: tuple[re.Pattern[str], ...] = (pattern,)
    else:
        compiled = tuple(_compiler.compile(_p.SubPattern(parsed.state, b), pattern.flags) for b in branches)
    g = tuple(gates)
    pairs = tuple((rx, tuple(tuple(sorted(c)) for c in clauses)) for rx, clauses in zip(compiled, g, strict=True))
    lits = sorted({k for clauses in g for k in clauses[0]}, key=lambda k: (-len(k), k))
    first = re.compile("|".join(map(re.escape, lits))) if len(g) > 1 else None
    return Split(g, compiled, pairs, first)


def could_match(gates: Gates | None, low: str) -> bool:
    """False only when no branch of ``gates`` has all its clauses in ``low`` (case-folded text): the pattern
    cannot match the text. ``None`` gates (an ungated pattern) always could."""
    if gates is None:
        return True
    return any(all(any(k in low for k in clause) for clause in clauses) for clauses in gates)


def row_matches(split: Split, low: str, row: str) -> bool:
    """``pattern.search(row) is not None`` for the pattern ``split`` came from, trying only the branches whose
    clauses all have a literal in ``low`` (the case-folded ``row``)."""
    if split.first is not None and split.first.search(low) is None:
        return False  # not one literal any branch needs first: no branch can match
    for rx, clauses in split.pairs:
        for clause in clauses:
            for k in clause:
                if k in low:
                    break
            else:
                break  # this clause has no literal in the row: the branch cannot match
        else:
            if rx.search(row) is not None:
                return True
    return False


class Gated:
    """A pattern whose ``search`` first tries its branches only where the folded text holds their literals.

    ``search(text, low)`` returns exactly ``pattern.search(text)`` (``low``: ``fold(text)``); on the many texts no
    branch can match it costs a few substring tests, or a search of the one or two branches that could.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.split = split_pattern(pattern)

    def search(self, text: str, low: str) -> re.Match[str] | None:
        if self.split is not None and not row_matches(self.split, low, text):
            return None
        return self.pattern.search(text)
