"""Learning to rank over the hybrid's fused candidates: 5-fold CV on the TUNING tasks only.

For every tuning query the shipped hybrid ranks the pool; its best ``N`` fused candidates get a vector of
query–skill match features (below) and a small model trained on the other folds re-orders them. The re-ordered
list goes through the engine's own duplicate collapse, and Recall@10 is scored exactly as in
``bench/search_cv.py`` (per task and kind, folds by ``sha256("cv:" + task)``), beside the unchanged default in
the same run. Hyper-parameters (model, N, L2) are chosen by a nested CV (inner folds over the four training
folds); the held-out validation tasks are never loaded here.

    .venv/bin/python bench/search_ltr.py                      # the grid, nested estimate, learned weights
    .venv/bin/python bench/search_ltr.py --features base      # a feature subset (see GROUPS)

Features (all query–skill match signals; no source, path, length, file count or other document-level prior):
per-field BM25 of the query (name, description, headings, body; each divided by its best value among the
candidates), the lexical score as fused and its rank, the semantic cosine (whole-document vector) and its rank,
the fused RRF score and position, the cosine of a name + description embedding, the weighted share of query
terms found in the name / description / body, the share of the name's terms in the query (and "all of them"),
and query bigrams found as adjacent words in the name or description. One model per query kind (keyword
queries vs task texts), or one shared model with the kind as a feature.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from ltr_models import FEATURES, GROUPS, NMAX, CoordAscent, Linear, Pool, make
from numpy.typing import NDArray
from search_cv import fold_of

from search import SHARED, LabelMap, Query, build_index, load_pool, load_queries, metrics, split_of
from skillyard.search.engine import SearchConfig, SearchIndex
from skillyard.search.lexical import FIELDS
from skillyard.search.text import clean_task_text, name_words, tokenize


def bigrams(tokens: Sequence[str]) -> set[tuple[str, str]]:
    return {(a, b) for a, b in itertools.pairwise(tokens) if a != b}


def extract(
    idx: SearchIndex, q: Query, labels: LabelMap, nd_vecs: NDArray[np.float32], nd_bigrams: list[set[tuple[str, str]]]
) -> Pool:
    r = idx._rank(q.text, max(idx.config.candidates, 30), None, "hybrid")
    order = idx._best_first(r.fused)
    cands = np.asarray(order[:NMAX], dtype=np.int64)
    n = len(cands)
    lex = idx.lexical
    lex.ensure_built()
    assert lex.matrices is not None
    slot = np.full(len(idx), -1, dtype=np.int64)
    slot[cands] = np.arange(n)
    terms = r.q.terms
    wsum = sum(terms.values()) or 1.0
    bm = np.zeros((n, len(FIELDS)))
    cov = np.zeros((n, len(FIELDS)))
    for fi, f in enumerate(FIELDS):
        fm = lex.matrices[f]
        last = len(fm.indptr) - 1
        for t, qw in terms.items():
            gid = lex.vocab.get(t)
            if gid is None or gid >= last:
                continue
            lo, hi = fm.indptr[gid], fm.indptr[gid + 1]
            s = slot[fm.indices[lo:hi]]
            m = s >= 0
            np.add.at(bm[:, fi], s[m], qw * fm.data[lo:hi][m])
            np.add.at(cov[:, fi], s[m], qw)
    cov /= wsum
    bmn = bm / np.maximum(bm.max(axis=0, keepdims=True), 1e-9)
    # the lexical score as fused (with the field weights of this query kind), its rank; cosine and rank
    lex_score = np.zeros(n)
    lex_rank = np.full(n, 200.0)
    sem_rank = np.full(n, 200.0)
    for i, p in enumerate(cands.tolist()):
        if p in r.lex_rank:
            lex_rank[i] = r.lex_rank[p]
        if p in r.sem_rank:
            sem_rank[i] = r.sem_rank[p]
    weights = dict(lex.field_weights)
    if not r.q.long and idx.config.short_headings_weight is not None:
        weights["headings"] = idx.config.short_headings_weight
    lex_score = bm @ np.array([weights[f] for f in FIELDS])
    lex_score /= max(lex_score.max(), 1e-9)
    cos = r.sem_scores[cands].astype(np.float64) if r.sem_scores is not None else np.zeros(n)
    fused = np.array([r.fused[p] for p in cands.tolist()])
    qv = idx.embedder.embed([r.q.embed_text])[0]
    cos_nd = nd_vecs[cands] @ qv
    # name terms in the query
    qset = set(terms)
    name_in = np.zeros(n)
    name_all = np.zeros(n)
    big_nd = np.zeros(n)
    qtoks = tokenize(clean_task_text(q.text) if r.q.long else q.text)
    qbig = {b for b in bigrams(qtoks) if b[0] in qset and b[1] in qset}
    for i, p in enumerate(cands.tolist()):
        nt = set(tokenize(name_words(idx.metas[p].name)))
        if nt:
            k = len(nt & qset)
            name_in[i] = k / len(nt)
            name_all[i] = float(k == len(nt))
        if qbig:
            big_nd[i] = len(qbig & nd_bigrams[p]) / len(qbig)
    cols = {
        "bm25_name": bmn[:, 0],
        "bm25_desc": bmn[:, 1],
        "bm25_head": bmn[:, 2],
        "bm25_body": bmn[:, 3],
        "lex_score": lex_score,
        "lex_logrank": np.log1p(lex_rank),
        "lex_absent": (lex_rank >= 200).astype(float),
        "cos_doc": cos,
        "cos_doc_gap": cos - cos.max(),
        "sem_logrank": np.log1p(sem_rank),
        "sem_absent": (sem_rank >= 200).astype(float),
        "fused": fused / fused.max(),
        "fused_logpos": np.log1p(np.arange(n)),
        "cos_nd": cos_nd,
        "cos_nd_gap": cos_nd - cos_nd.max(),
        "cov_name": cov[:, 0],
        "cov_desc": cov[:, 1],
        "cov_body": cov[:, 3],
        "name_in_query": name_in,
        "name_all_in_query": name_all,
        "bigram_nd": big_nd,
        "bigram_any": (big_nd > 0).astype(float),
    }
    feats = np.stack([cols[f] for f in FEATURES], axis=1)
    names = [frozenset(labels[idx.metas[p].ref] & q.relevant) for p in cands.tolist()]
    return Pool(q, order, feats, np.array([bool(x) for x in names]), names, r)


# -- evaluation --------------------------------------------------------------------------------------------


def r10(idx: SearchIndex, p: Pool, order: list[int], labels: LabelMap) -> float:
    """R@10 of ``order`` after the engine's own duplicate collapse, as bench/search.py scores it."""
    scores = {q: -float(i) for i, q in enumerate(order)}
    hits = idx._collapse(order, scores, p.ranking, 10, None)  # type: ignore[arg-type]
    sets = [frozenset().union(*(labels[x] for x in (h.ref, *h.duplicates))) for h in hits]
    return metrics(sets, p.query.relevant)["R@10"]


def fold_means(
    idx: SearchIndex, pools: Sequence[Pool], orders: Sequence[list[int]], labels: LabelMap, folds: dict[str, int]
) -> list[tuple[float, float]]:
    """Per fold: mean over its tasks of the per-task mean R@10 (instruction, keywords), as search_cv.py."""
    acc: dict[tuple[str, str], list[float]] = {}
    for p, o in zip(pools, orders, strict=True):
        acc.setdefault((p.query.task, p.query.kind), []).append(r10(idx, p, o, labels))
    per = {k: statistics.mean(v) for k, v in acc.items()}
    out = []
    for f in sorted(set(folds.values())):
        ins = [v for (t, kind), v in per.items() if folds[t] == f and kind == "instruction"]
        kws = [v for (t, kind), v in per.items() if folds[t] == f and kind == "keywords"]
        out.append((statistics.mean(ins), statistics.mean(kws)))
    return out


def predict(
    pools: Sequence[Pool],
    folds: dict[str, int] | None,
    spec: dict[str, Any],
    cols: list[int],
    labels: str,
    only: set[int] | None = None,
) -> list[list[int]]:
    """Re-ordered candidates of every pool, each fold (of ``only``, or every fold) by a model trained on the
    other folds; ``folds=None`` trains on everything and scores everything (in-sample fit)."""
    out: list[list[int] | None] = [None] * len(pools)
    fold_ids = [None] if folds is None else sorted(set(folds.values()) if only is None else only)
    for f in fold_ids:

        def is_test(p: Pool, f: int | None = f) -> bool:
            return folds is None or folds[p.query.task] == f

        train = [p for p in pools if folds is None or not is_test(p)]
        groups = ("instruction", "keywords") if spec.get("per_kind", True) else (None,)
        for kind in groups:
            m = make(spec, cols, labels).fit([p for p in train if kind in (None, p.query.kind)])
            for i, p in enumerate(pools):
                if is_test(p) and kind in (None, p.query.kind):
                    out[i] = m.rerank(p)
    return [o if o is not None else p.order for o, p in zip(out, pools, strict=True)]


def summary(label: str, rows: list[tuple[float, float]]) -> str:
    mi, mk = [x[0] for x in rows], [x[1] for x in rows]
    return (
        f"  {label:<62} instr {statistics.mean(mi):.3f} ± {statistics.stdev(mi):.3f}"
        f"  kw {statistics.mean(mk):.3f} ± {statistics.stdev(mk):.3f}"
        f"  folds instr {' '.join(f'{x:.2f}' for x in mi)} | kw {' '.join(f'{x:.2f}' for x in mk)}"
    )


def feature_auc(pools: Sequence[Pool], n: int = 30) -> None:
    """How well each feature alone separates relevant from other candidates of the fused top ``n``."""
    for kind in ("instruction", "keywords"):
        acc = np.zeros(len(FEATURES))
        cnt = 0
        for p in pools:
            rel = p.rel[:n]
            if p.query.kind != kind or not rel.any() or rel.all():
                continue
            cnt += 1
            a, b = p.feats[:n][rel], p.feats[:n][~rel]
            acc += (a[:, None, :] > b[None, :, :]).mean((0, 1)) + 0.5 * (a[:, None, :] == b[None, :, :]).mean((0, 1))
        auc = acc / cnt
        cells = "  ".join(f"{FEATURES[i]} {max(auc[i], 1 - auc[i]):.2f}" for i in np.argsort(-np.abs(auc - 0.5)))
        print(f"  {kind} ({cnt} queries with both kinds in the top {n}), within-query AUC of each feature: {cells}")


DEFAULT_GRID: list[dict[str, Any]] = [
    *(
        {"model": m, "n": n, "lam": lam, "per_kind": pk}
        for m in ("pair", "point")
        for n in (30, 100)
        for lam in (1.0, 10.0, 100.0)
        for pk in (True, False)
    ),
    *({"model": "ca", "n": n} for n in (30, 100)),
    *({"model": "mlp", "n": n, "wd": wd} for n in (30, 100) for wd in (0.01, 0.1)),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--features", default="all", help="'all', or comma-separated GROUPS names or feature names")
    ap.add_argument("--labels", default="first", choices=["all", "first"], help="training targets (Pool.targets)")
    ap.add_argument("--grid", default="", help="JSON list of model specs (default: DEFAULT_GRID)")
    ap.add_argument("--no-nested", action="store_true")
    ap.add_argument("--insample", action="store_true", help="also print the fit on the training queries")
    ap.add_argument(
        "--sanity", action="store_true", help="harness check: a 23rd feature leaks the label (expect ~the oracle)"
    )
    ap.add_argument("--weights", default='{"model": "pair", "n": 30, "lam": 1.0}', help="spec whose weights to print")
    args = ap.parse_args()
    t0 = time.perf_counter()
    docs = load_pool(args.shared)
    queries = [q for q in load_queries(args.shared) if split_of(q.task) == "tune"]
    idx, _ = build_index(docs, SearchConfig())
    labels: LabelMap = {d.meta.ref: d.labels for d in docs}
    nd_texts = [f"{name_words(d.meta.name)}. {d.meta.description}" for d in docs]
    nd_vecs = np.concatenate([idx.embedder.embed(nd_texts[i : i + 512]) for i in range(0, len(docs), 512)])
    nd_big = [bigrams(tokenize(name_words(d.meta.name))) | bigrams(tokenize(d.meta.description)) for d in docs]
    print(f"pool {len(docs)}, index + name/description vectors in {time.perf_counter() - t0:.0f} s")
    t0 = time.perf_counter()
    pools = [extract(idx, q, labels, nd_vecs, nd_big) for q in queries]
    print(
        f"{len(pools)} tuning queries ({len({q.task for q in queries})} tasks), features in "
        f"{time.perf_counter() - t0:.1f} s (bench code, not optimised)"
    )
    if args.sanity:
        FEATURES.append("LEAKED_LABEL")
        for p in pools:
            p.feats = np.hstack([p.feats, p.rel[:, None].astype(float)])
    tasks = sorted({q.task for q in queries})
    folds = {t: fold_of(t, args.folds) for t in tasks}
    names = FEATURES if args.features == "all" else [f for g in args.features.split(",") for f in GROUPS.get(g, [g])]
    if args.sanity:
        names = [*names, "LEAKED_LABEL"]
    cols = [FEATURES.index(f) for f in dict.fromkeys([*names, "fused_logpos"])]
    print(f"features ({len(cols)}): {', '.join(FEATURES[c] for c in cols)}; training labels: {args.labels}")
    for kind in ("instruction", "keywords"):
        ps = [p for p in pools if p.query.kind == kind]
        shares = "  ".join(f"top{n} {statistics.mean(float(p.rel[:n].any()) for p in ps):.3f}" for n in (10, 30, 100))
        print(f"  {kind}: share of queries with a relevant candidate in the fused {shares}")
    feature_auc(pools)
    print(summary("default (no re-ranking), same run", fold_means(idx, pools, [p.order for p in pools], labels, folds)))
    grid = json.loads(args.grid) if args.grid else DEFAULT_GRID
    if args.sanity:
        for n in (30, 100):
            ideal = [
                [q for i, q in enumerate(p.order[:n]) if p.rel[i]]
                + [q for i, q in enumerate(p.order[:n]) if not p.rel[i]]
                + p.order[n:]
                for p in pools
            ]
            print(
                summary(
                    f"oracle: relevant candidates of the top {n} first", fold_means(idx, pools, ideal, labels, folds)
                )
            )
    for spec in grid:
        t1 = time.perf_counter()
        rows = fold_means(idx, pools, predict(pools, folds, spec, cols, args.labels), labels, folds)
        print(summary(f"{json.dumps(spec)} ({time.perf_counter() - t1:.0f}s)", rows), flush=True)
        if args.insample:
            fit = fold_means(idx, pools, predict(pools, None, spec, cols, args.labels), labels, folds)
            print(summary("    in-sample fit (trained and scored on all tuning queries)", fit), flush=True)
    if not args.no_nested and len(grid) > 1:
        nested, picks = [], []
        for f in range(args.folds):
            inner = [p for p in pools if folds[p.query.task] != f]
            inner_folds = {t: fold_of("inner:" + t, args.folds - 1) for t in tasks if folds[t] != f}
            best, best_v = -1, -1.0
            for c, spec in enumerate(grid):
                rows = fold_means(idx, inner, predict(inner, inner_folds, spec, cols, args.labels), labels, inner_folds)
                v = statistics.mean((a + b) / 2 for a, b in rows)
                if v > best_v + 1e-12:
                    best, best_v = c, v
            picks.append(best)
            outer = predict(pools, folds, grid[best], cols, args.labels, only={f})
            nested.append(fold_means(idx, pools, outer, labels, folds)[f])
        print(summary(f"nested CV (grid index picked on inner {args.folds - 1} folds: {picks})", nested))
    spec = json.loads(args.weights)
    for kind in ("instruction", "keywords"):
        m = make(spec, cols, args.labels).fit([p for p in pools if p.query.kind == kind])
        if isinstance(m, Linear | CoordAscent):
            order = np.argsort(-np.abs(m.w))
            ws = "  ".join(f"{FEATURES[cols[i]]} {m.w[i]:+.2f}" for i in order)
            print(f"  weights, {kind}, {json.dumps(spec)} on all tuning queries (standardised features): {ws}")


if __name__ == "__main__":
    main()
