"""The shared keyword index: every rule's prefilter keywords in one Aho-Corasick automaton, so each file is
scanned once for all of them (``TextFile`` in :mod:`view` builds and reads the per-file index)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

try:  # optional accelerator: one pass per file finds every rule's keywords
    import ahocorasick  # type: ignore[import-untyped,import-not-found,unused-ignore]

    HAVE_AC = True
except ImportError:  # pragma: no cover - the str.find fallback gives the same candidates
    HAVE_AC = False


# keyword -> index version from which the automaton contains it (a file indexed earlier falls back to find)
REGISTERED: dict[str, int] = {}
VERSION = [0]
_AUTOMATON: list[Any] = []


NEWEST: dict[tuple[str, ...], int] = {}
SETS: dict[tuple[str, ...], frozenset[str]] = {}


def as_set(keywords: tuple[str, ...]) -> frozenset[str]:
    got = SETS.get(keywords)
    if got is None:
        got = SETS[keywords] = frozenset(keywords)
    return got


def newest(keywords: tuple[str, ...]) -> int:
    """The index version from which the automaton holds all of ``keywords`` (cached per keyword tuple)."""
    v = NEWEST.get(keywords)
    if v is None:
        v = max((REGISTERED.get(k, 1 << 30) for k in keywords), default=0)
        NEWEST[keywords] = v
    return v


def register_keywords(keywords: Iterable[str]) -> None:
    """Add prefilter keywords to the shared one-pass index (rules call this when they are defined)."""
    new = {k for k in keywords if k and k not in REGISTERED}
    if new:
        NEWEST.clear()
        VERSION[0] += 1
        for k in new:
            REGISTERED[k] = VERSION[0]
        _AUTOMATON.clear()


def automaton() -> Any:
    if not HAVE_AC or not REGISTERED:
        return None
    if not _AUTOMATON:
        a = ahocorasick.Automaton()
        for k in REGISTERED:
            a.add_word(k, k)
        a.make_automaton()
        _AUTOMATON.append(a)
    return _AUTOMATON[0]
