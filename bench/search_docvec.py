"""Document-side semantic variants, cross-validated on the tuning tasks (docs/search.md, "What limits recall").

The shipped index embeds one text per skill (name + description twice + headings + body start). This script
adds, outside the engine, a vector for name + description alone and one per body section (a heading and the
text under it, up to ``--section-chars``), then replaces the semantic score by a combination of them, e.g. the
max over a skill's vectors ("a skill matches when one section does"). Every variant is scored with the same
5-fold CV as ``bench/search_cv.py`` (tuning part only), for the hybrid and for semantic-only ranking.

    .venv/bin/python bench/search_docvec.py
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import statistics
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from search_cv import build_index, fold_of, per_task_r10

from search import SHARED, LabelMap, load_pool, load_queries, split_of
from skillyard.search.engine import SearchConfig, SearchIndex

_HEAD = re.compile(r"^#{1,6}\s", re.M)
_FRONT = re.compile(r"\A---\n.*?\n---\n?", re.S)


def sections(body: str, max_chars: int, max_sections: int) -> list[str]:
    """Body split at markdown headings; each part cut to ``max_chars``; tiny parts merged into the next."""
    cuts = [m.start() for m in _HEAD.finditer(body)]
    bounds = [0, *cuts, len(body)]
    parts: list[str] = []
    carry = ""
    for a, b in itertools.pairwise(bounds):
        s = carry + body[a:b]
        if len(s.strip()) < 200 and b != len(body):
            carry = s
            continue
        carry = ""
        if s.strip():
            parts.append(s[:max_chars])
    if carry.strip():
        parts.append(carry[:max_chars])
    return parts[:max_sections]


def install_score_fusion(ws_short: float, ws_long: float) -> None:
    """Replace the engine's RRF by a convex combination of min-max normalised scores over the union of
    both candidate lists (lexical / best lexical, cosine above the floor / best cosine above the floor)."""
    from skillyard.search import engine as eng

    orig = eng.SearchIndex._rank

    def _rank(self: SearchIndex, query: str, n_cand: int, mask: Any, mode: str) -> Any:
        r = orig(self, query, n_cand, mask, mode)
        if mode != "hybrid" or r.sem_scores is None:
            return r
        cfg = self.config
        q = r.q
        if q.long:
            lex = self.lexical.scores(q.terms, cfg.long_name_cover)
        else:
            hw = cfg.short_headings_weight
            lex = self.lexical.scores(q.terms, cfg.short_name_cover, None if hw is None else {"headings": hw})
        sem = r.sem_scores
        cand = set(r.lex_rank) | set(r.sem_rank)
        lmax = max((float(lex[p]) for p in cand), default=0.0) or 1.0
        floor = cfg.min_similarity
        smax = max((float(sem[p]) for p in cand), default=floor)
        span = max(smax - floor, 1e-6)
        ws = ws_long if q.long else ws_short
        r.fused = {p: (1 - ws) * float(lex[p]) / lmax + ws * max(0.0, float(sem[p]) - floor) / span for p in cand}
        return r

    eng.SearchIndex._rank = _rank  # type: ignore[method-assign]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--section-chars", type=int, default=1500)
    ap.add_argument("--max-sections", type=int, default=16)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--grid", default="[{}]", help="SearchConfig overrides, crossed with every variant")
    ap.add_argument("--variants", default="")
    ap.add_argument("--modes", default="hybrid,semantic")
    ap.add_argument("--fusion", default="rrf", help="rrf (the engine's) or score:WS:WL (min-max score fusion)")
    args = ap.parse_args()
    docs = load_pool(SHARED)
    queries = [q for q in load_queries(SHARED) if split_of(q.task) == "tune"]
    idx, _ = build_index(docs, SearchConfig())
    labels: LabelMap = {d.meta.ref: d.labels for d in docs}
    emb = idx.embedder
    head = np.concatenate(
        [
            emb.embed([f"{d.fields.name}. {d.fields.description}" for d in docs[i : i + 512]])
            for i in range(0, len(docs), 512)
        ]
    )
    owner: list[int] = []
    texts: list[str] = []
    for p, d in enumerate(docs):
        nd = f"{d.fields.name}. {d.fields.description}\n"
        body = _FRONT.sub("", d.raw, count=1)
        for s in sections(body, args.section_chars, args.max_sections):
            owner.append(p)
            texts.append(nd + s)
    sec = np.concatenate([emb.embed(texts[i : i + 512]) for i in range(0, len(texts), 512)])
    own = np.asarray(owner)
    n = len(docs)
    print(f"{n} skills, {len(texts)} sections ({len(texts) / n:.1f} per skill)")
    base_sim = SearchIndex._similarities

    def sec_max(qv: NDArray[np.float32]) -> NDArray[np.float32]:
        s = sec @ qv
        out = np.full(n, -1.0, dtype=np.float32)
        np.maximum.at(out, own, s)
        return out

    def variant(kind: str) -> Callable[[SearchIndex, NDArray[np.float32]], NDArray[np.float32]]:
        def sim(self: SearchIndex, qv: NDArray[np.float32]) -> NDArray[np.float32]:
            b = base_sim(self, qv)
            if kind == "base":
                return b
            h = head @ qv
            if kind == "max-head":
                return np.maximum(b, h)
            if kind == "head":
                return h
            if kind == "sections":
                return sec_max(qv)
            if kind == "max-sections":
                return np.maximum(b, sec_max(qv))
            if kind == "max-all":
                return np.maximum(np.maximum(b, h), sec_max(qv))
            if kind.startswith("mix"):  # mixA: base + A * best section
                a = float(kind[3:])
                return ((b + a * sec_max(qv)) / (1 + a)).astype(np.float32)
            if kind.startswith("hmix"):  # hmixA: base + A * name/description
                a = float(kind[4:])
                return ((b + a * h) / (1 + a)).astype(np.float32)
            raise SystemExit(f"unknown variant {kind}")

        return sim

    kinds = (
        args.variants.split(",")
        if args.variants
        else ["base", "head", "max-head", "sections", "max-sections", "max-all", "mix0.5", "mix1", "hmix0.5", "hmix1"]
    )
    if args.fusion.startswith("score"):
        _, ws_short, ws_long = args.fusion.split(":")
        install_score_fusion(float(ws_short), float(ws_long))
    tasks = sorted({q.task for q in queries})
    folds = {t: fold_of(t, args.folds) for t in tasks}
    grid: list[dict[str, Any]] = json.loads(args.grid)
    for kind in kinds:
        SearchIndex._similarities = variant(kind)  # type: ignore[method-assign]
        for mode_cfg in grid:
            idx.config = replace(SearchConfig(), **mode_cfg)
            for mode in args.modes.split(","):
                orig = idx.search

                def fixed(q: str, k: int, *a: Any, _m: str = mode, _o: Any = orig, **kw: Any) -> Any:
                    return _o(q, k, *a, mode=_m, **kw)

                idx.search = fixed  # type: ignore[method-assign]
                r = per_task_r10(idx, queries, labels)
                idx.search = orig  # type: ignore[method-assign]
                row = []
                for f in range(args.folds):
                    ins = [v for (t, kd), v in r.items() if folds[t] == f and kd == "instruction"]
                    kws = [v for (t, kd), v in r.items() if folds[t] == f and kd == "keywords"]
                    row.append((statistics.mean(ins), statistics.mean(kws)))
                mi = [x[0] for x in row]
                mk = [x[1] for x in row]
                print(
                    f"  {kind:<13} {json.dumps(mode_cfg):<40} {mode:<8} instr {statistics.mean(mi):.3f} ± "
                    f"{statistics.stdev(mi):.3f}  kw {statistics.mean(mk):.3f} ± {statistics.stdev(mk):.3f}",
                    flush=True,
                )
    SearchIndex._similarities = base_sim  # type: ignore[method-assign]


if __name__ == "__main__":
    main()
