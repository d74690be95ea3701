"""Exact literal gates derived from a regex: which rows a pattern can match, found through the keyword index.

``branch_gates(pattern)`` reads the parsed pattern (``re._parser``) and returns, for each top-level branch, a few
*clauses*: sets of lowercase literals such that every match of that branch contains at least one literal of every
clause (a run of literal characters the branch must match, or the union over an inner alternation whose every
alternative has one). A row none of whose branches has all its clauses present cannot match, so a rule may skip
it without running the regex. Literals are ASCII or caseless (CJK, kana) and never hold a line break; they are
compared with the case-folded row (``view.fold``), which maps every character ``re.IGNORECASE`` equates with an
ASCII letter to that letter, so the gate is exact for case-insensitive patterns too.
"""

from __future__ import annotations

import re
from functools import cache

# the regex parser of Python >= 3.11: what re.compile itself reads
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser as _p  # type: ignore[attr-defined]
from typing import Any

# shorter literals are too common to be worth a keyword-index entry (and a weak gate)
MIN_LEN = 3
# clauses kept per branch (the most selective): each is one more set intersection per file
MAX_CLAUSES = 2

Clause = frozenset[str]
Gates = tuple[tuple[Clause, ...], ...]

_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT)


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
        if len(s) >= MIN_LEN or (len(s) >= 2 and not s.isascii()):
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


_CACHE: dict[re.Pattern[str], Gates | None] = {}


def branch_gates(pattern: re.Pattern[str]) -> Gates | None:
    """Per top-level branch, its (at most ``MAX_CLAUSES``) most selective clauses; ``None`` when some branch has
    none (the pattern cannot be gated). Cached: some rules build their line checks per scan."""
    if pattern in _CACHE:
        return _CACHE[pattern]
    got = _CACHE[pattern] = _gates(pattern)
    return got


def _gates(pattern: re.Pattern[str]) -> Gates | None:
    parsed = _p.parse(pattern.pattern, pattern.flags)
    items = list(parsed)
    top = len(items) == 1 and items[0][0] is _c.BRANCH
    branches = [list(b) for b in items[0][1][1]] if top else [items]
    gates: list[tuple[Clause, ...]] = []
    for b in branches:
        clauses = sorted(set(_seq(b)), key=_score, reverse=True)[:MAX_CLAUSES]
        if not clauses:
            return None
        gates.append(tuple(clauses))
    return tuple(gates)


@cache
def gate_keywords(gates: Gates) -> tuple[str, ...]:
    """Every literal the gates use, sorted (to register with the shared keyword index)."""
    return tuple(sorted({k for clauses in gates for clause in clauses for k in clause}))
