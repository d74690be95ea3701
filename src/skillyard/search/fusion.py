"""Fusing several rankings of the same documents by reciprocal rank (multi-query search).

A multi-query search ranks each query on its own (hybrid lexical + semantic, as for one query) and fuses the
per-query orders: ``any`` sums ``1/(k + rank)`` over the queries that retrieved a document, so each facet of a
task ("fuzzy string matching", "read a PDF") brings its best skills into one list; ``all`` keeps only documents
every query retrieved among its candidates, ordered by the same sum.
"""

from __future__ import annotations

from collections.abc import Sequence

MULTI_MODES = ("any", "all")


def fuse_orders(orders: Sequence[Sequence[int]], k: float, require: str = "any") -> dict[int, float]:
    """Reciprocal-rank fusion of best-first document orders; ``require`` is ``any`` or ``all``."""
    if require not in MULTI_MODES:
        raise ValueError(f"unknown multi-query mode {require!r}; expected any or all")
    fused: dict[int, float] = {}
    seen: dict[int, int] = {}
    for order in orders:
        for rank, p in enumerate(order):
            fused[p] = fused.get(p, 0.0) + 1.0 / (k + rank + 1)
            seen[p] = seen.get(p, 0) + 1
    if require == "all":
        need = len(orders)
        fused = {p: s for p, s in fused.items() if seen[p] == need}
    return fused
