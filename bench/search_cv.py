"""K-fold cross-validation of search ranking parameters, and a recall-ceiling analysis.

Only the TUNING part of the development tasks is used for CV (the held-out validation part stays untouched):
the tuning tasks are cut into K folds by a hash of their id. For every candidate configuration the script
prints the per-fold mean Recall@10 (or ``--metric``) of instruction and keyword queries and its mean ± standard
deviation across folds, then a nested estimate of the whole tuning procedure: for each fold, the configuration
best on the other folds (mean of instruction and keyword figures) is scored on that fold.

    .venv/bin/python bench/search_cv.py --grid '[{}, {"short_name_cover": 0.2}]'
    .venv/bin/python bench/search_cv.py --ceiling       # where relevant skills rank, per signal (tuning part)

Configurations are JSON overrides of ``SearchConfig``; ``field_weights`` (a dict) sets the lexical field
weights. Only query-time parameters can be varied: the index is built once.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from search import (
    SHARED,
    LabelMap,
    Query,
    build_index,
    load_pool,
    load_queries,
    metrics,
    split_of,
)
from skillyard.search.engine import SearchConfig, SearchIndex
from skillyard.search.lexical import DEFAULT_FIELD_WEIGHTS

FUSED = False


def fold_of(task: str, k: int) -> int:
    return int.from_bytes(hashlib.sha256(b"cv:" + task.encode()).digest()[:4], "big") % k


def per_task_r10(
    idx: SearchIndex, queries: Sequence[Query], labels: LabelMap, metric: str = "R@10"
) -> dict[tuple[str, str], float]:
    """``metric`` (R@10 by default) per (task, kind), averaged over a task's queries of that kind."""
    acc: dict[tuple[str, str], list[float]] = {}
    tasks: dict[str, list[Query]] = {}
    for q in queries:
        hits = idx.search(q.text, 10)
        sets = [frozenset().union(*(labels[r] for r in (h.ref, *h.duplicates))) for h in hits]
        acc.setdefault((q.task, q.kind), []).append(metrics(sets, q.relevant)[metric])
        if q.kind == "keywords":
            tasks.setdefault(q.task, []).append(q)
    if FUSED:  # secondary figure: all of a task's keyword queries fused (search_multi), in place of "instr"
        for task, qs in tasks.items():
            hits = idx.search_multi([q.text for q in qs], 10)
            sets = [frozenset().union(*(labels[r] for r in (h.ref, *h.duplicates))) for h in hits]
            acc[(task, "instruction")] = [metrics(sets, qs[0].relevant)[metric]]
    return {k: statistics.mean(v) for k, v in acc.items()}


def configure(idx: SearchIndex, override: dict[str, Any]) -> None:
    o = dict(override)
    idx.lexical.field_weights = {**DEFAULT_FIELD_WEIGHTS, **o.pop("field_weights", {})}
    idx.config = replace(SearchConfig(), **o)


def cv(
    idx: SearchIndex, queries: Sequence[Query], labels: LabelMap, grid: list[dict[str, Any]], k: int, metric: str
) -> None:
    tasks = sorted({q.task for q in queries})
    folds = {t: fold_of(t, k) for t in tasks}
    table: list[list[tuple[float, float]]] = []  # config -> fold -> (instr, kw)
    for override in grid:
        configure(idx, override)
        r = per_task_r10(idx, queries, labels, metric)
        row = []
        for f in range(k):
            ins = [v for (t, kind), v in r.items() if folds[t] == f and kind == "instruction"]
            kws = [v for (t, kind), v in r.items() if folds[t] == f and kind == "keywords"]
            row.append((statistics.mean(ins), statistics.mean(kws)))
        table.append(row)
        mi = [x[0] for x in row]
        mk = [x[1] for x in row]
        print(
            f"  {json.dumps(override):<60} instr {statistics.mean(mi):.3f} ± {statistics.stdev(mi):.3f}"
            f"  kw {statistics.mean(mk):.3f} ± {statistics.stdev(mk):.3f}"
            f"  folds instr {' '.join(f'{x:.2f}' for x in mi)} | kw {' '.join(f'{x:.2f}' for x in mk)}"
        )
    configure(idx, {})
    nested_i, nested_k, picks = [], [], []
    for f in range(k):

        def train(c: int, f: int = f) -> float:
            return statistics.mean((a + b) / 2 for g, (a, b) in enumerate(table[c]) if g != f)

        best = max(range(len(grid)), key=lambda c: (train(c), -c))
        picks.append(best)
        nested_i.append(table[best][f][0])
        nested_k.append(table[best][f][1])
    print(
        f"  nested CV (pick best on K-1 folds, score the left-out fold): instr {statistics.mean(nested_i):.3f}"
        f" ± {statistics.stdev(nested_i):.3f}  kw {statistics.mean(nested_k):.3f} ± {statistics.stdev(nested_k):.3f}"
        f"  picks {picks}"
    )


def ceiling(idx: SearchIndex, queries: Sequence[Query], labels: LabelMap) -> None:
    """Rank of each (query, relevant skill) pair in the lexical, semantic and hybrid orders, for keyword
    queries of the tuning part; 'unreachable' = no query term in the skill's fields and cosine < floor."""
    refs_of: dict[str, list[int]] = {}
    for p, m in enumerate(idx.metas):
        for lab in labels[m.ref]:
            refs_of.setdefault(lab, []).append(p)
    for kind in ("keywords", "instruction"):
        rows: dict[str, list[int]] = {"lexical": [], "semantic": [], "hybrid": [], "best-of-signals": []}
        for q in (x for x in queries if x.kind == kind):
            qt = idx.analyse_query(q.text)
            lex = idx.lexical.scores(qt.terms, idx.config.long_name_cover if qt.long else 0.0)
            sem = idx._similarities(idx.embedder.embed([qt.embed_text])[0])
            hyb = [h.ref for h in idx.search(q.text, 1000)]
            hyb_pos = {r: i for i, r in enumerate(hyb)}
            big = 10**6
            for name in q.relevant:
                ps = refs_of.get(name, [])
                if not ps:
                    continue
                lr = min((int((lex > lex[p]).sum()) if lex[p] > 0 else big for p in ps), default=big)
                sr = min(int((sem > sem[p]).sum()) for p in ps)
                hr = min((hyb_pos.get(idx.metas[p].ref, big) for p in ps), default=big)
                rows["lexical"].append(lr)
                rows["semantic"].append(sr)
                rows["hybrid"].append(hr)
                rows["best-of-signals"].append(min(lr, sr))
        n = len(rows["lexical"])
        print(f"  {kind}: {n} (query, relevant skill) pairs, tuning part; share ranked within top N")
        for label, rs in rows.items():
            a = np.asarray(rs)
            cells = "  ".join(f"top{t} {float((a < t).mean()):.3f}" for t in (10, 30, 100, 300, 1000))
            zero = f"  no lexical match {float((a >= 10**6).mean()):.3f}" if label == "lexical" else ""
            print(f"    {label:<16} {cells}{zero}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--grid", default="[{}]", help="JSON list of SearchConfig overrides")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--ceiling", action="store_true")
    ap.add_argument("--fused", action="store_true", help="report per-task fused keywords in the instr column")
    ap.add_argument("--metric", default="R@10", choices=["R@5", "R@10", "nDCG@10", "MRR"])
    args = ap.parse_args()
    global FUSED
    FUSED = args.fused
    docs = load_pool(args.shared)
    queries = [q for q in load_queries(args.shared) if split_of(q.task) == "tune"]
    idx, _ = build_index(docs, SearchConfig())
    labels: LabelMap = {d.meta.ref: d.labels for d in docs}
    print(f"tuning part: {len({q.task for q in queries})} tasks, {len(queries)} queries; {args.folds} folds")
    if args.ceiling:
        ceiling(idx, queries, labels)
        return
    print(f"metric {args.metric}")
    cv(idx, queries, labels, json.loads(args.grid), args.folds, args.metric)


if __name__ == "__main__":
    main()
