"""The hybrid search index: field-weighted BM25 + exact cosine over static embeddings, fused by weighted
reciprocal rank, with filters and near-duplicate collapse.

Pure core: no registry, CLI or file I/O here (persistence is :mod:`skillyard.search.persist`, the registry
glue is :mod:`skillyard.services.search`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from skillyard.search.fusion import MULTI_MODES, fuse_orders
from skillyard.search.interface import Embedder, SearchError
from skillyard.search.lexical import LexicalIndex
from skillyard.search.records import DocMeta, Filters, Hit
from skillyard.search.text import DocFields, QueryTerms, extract_key_terms, tokenize

__all__ = ["DocMeta", "Filters", "Hit", "SearchConfig", "SearchIndex", "snippet_for"]

try:
    from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

    _BLAS: Any = ThreadpoolController()
except ImportError:  # optional: without it numpy's default threading is used
    _BLAS = None


def _matvec(m: NDArray[np.float32], v: NDArray[np.float32]) -> NDArray[np.float32]:
    # One BLAS thread: a matrix-vector product is memory-bound, and a multi-threaded OpenBLAS gemv on a busy
    # machine was measured 20-100x slower while its threads wait for a core.
    if _BLAS is None:
        out: NDArray[np.float32] = m @ v
        return out
    with _BLAS.limit(limits=1, user_api="blas"):
        out = m @ v
    return out


@dataclass(frozen=True)
class SearchConfig:
    """Ranking parameters (defaults tuned on the tuning part of the development split, see docs/search.md)."""

    candidates: int = 100
    rrf_k: float = 10.0
    lexical_weight: float = 1.0
    semantic_weight: float = 0.15
    long_lexical_weight: float = 1.0
    long_semantic_weight: float = 0.3
    long_name_cover: float = 0.2
    # Keyword queries: no separate headings boost (headings are in the body field already), chosen by 5-fold
    # CV over the tuning tasks (bench/search_cv.py, docs/search.md); a whole-name boost for them is off (CV:
    # R@10 +0.008, R@5 -0.018).
    short_name_cover: float = 0.0
    short_headings_weight: float | None = 0.0
    max_query_terms: int = 32
    duplicate_cosine: float = 0.985
    min_similarity: float = 0.35
    prefilter_above: int = 20_000
    prefilter_dims: int = 96
    prefilter_keep: int = 2_000
    multi_rrf_k: float = 10.0


@dataclass
class _Ranking:
    """One query's candidates: fused scores, per-signal 0-based ranks, cosines, analysed terms; for a
    multi-query ranking, each query's position map instead of signal ranks."""

    fused: dict[int, float]
    lex_rank: dict[int, int]
    sem_rank: dict[int, int]
    sem_scores: NDArray[np.float32] | None
    q: QueryTerms
    per_query: list[dict[int, int]] | None = None


def _positions(order: Sequence[int]) -> dict[int, int]:
    return {p: i for i, p in enumerate(order)}


def _top(scores: NDArray[np.float32], k: int, mask: NDArray[np.bool_] | None) -> NDArray[np.int64]:
    if mask is not None:
        scores = np.where(mask, scores, -np.inf).astype(np.float32)
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    part = part[np.isfinite(scores[part]) & (scores[part] > 0)]
    return part[np.argsort(-scores[part], kind="stable")].astype(np.int64)


def snippet_for(description: str, body: str, terms: Iterable[str], width: int = 200) -> str:
    """The description, or failing that the body line with most query terms, cut to ``width`` chars."""
    text = " ".join(description.split())
    if not text:
        wanted = set(terms)
        best, best_n = "", -1
        for line in body.splitlines():
            s = line.strip().lstrip("#").strip()
            if not s:
                continue
            n = len(wanted & set(tokenize(s)))
            if n > best_n:
                best, best_n = s, n
        text = best
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


@dataclass
class SearchIndex:
    """Documents (skill versions) with their fields' terms and vectors; supports add/remove and search."""

    embedder: Embedder
    config: SearchConfig = field(default_factory=SearchConfig)
    lexical: LexicalIndex = field(default_factory=LexicalIndex)
    metas: list[DocMeta] = field(default_factory=list)
    _vecs: NDArray[np.float32] | None = None
    _pos: dict[str, int] = field(default_factory=dict)
    _prefix: NDArray[np.float32] | None = None

    def __len__(self) -> int:
        return len(self.metas)

    @property
    def vectors(self) -> NDArray[np.float32]:
        if self._vecs is None:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return self._vecs[: len(self.metas)]

    def __contains__(self, ref: str) -> bool:
        return ref in self._pos

    def refs(self) -> list[str]:
        return [m.ref for m in self.metas]

    def get(self, ref: str) -> DocMeta | None:
        p = self._pos.get(ref)
        return self.metas[p] if p is not None else None

    def embed_docs(self, fields: Sequence[DocFields]) -> NDArray[np.float32]:
        """Vectors for documents, as stored at ingest."""
        return self.embedder.embed([f.semantic_text() for f in fields])

    def add(self, meta: DocMeta, fields: DocFields, vector: NDArray[np.float32] | None = None) -> None:
        """Add (or replace, by ``ref``) one document; ``vector`` is computed when not given."""
        self.add_many([meta], [fields], None if vector is None else vector.reshape(1, -1))

    def add_many(
        self,
        metas: Sequence[DocMeta],
        fields: Sequence[DocFields | None],
        vectors: NDArray[np.float32] | None = None,
        analysed: Sequence[tuple[NDArray[np.int32], ...]] | None = None,
    ) -> None:
        """Add documents in bulk (replacing same-ref ones). ``analysed`` skips re-tokenising (persist)."""
        if not metas:
            return
        if vectors is None:
            vectors = self.embed_docs([f for f in fields if f is not None])
        if vectors.shape != (len(metas), self.embedder.dim):
            raise SearchError(f"vectors shape {vectors.shape} does not match {len(metas)}x{self.embedder.dim}")
        existing = [m.ref for m in metas if m.ref in self._pos]
        if existing:
            self.remove(existing)
        n0 = len(self.metas)
        need = n0 + len(metas)
        if self._vecs is None or self._vecs.shape[0] < need:
            cap = max(need, int(need * 1.25) + 16)
            grown = np.zeros((cap, self.embedder.dim), dtype=np.float32)
            if self._vecs is not None:
                grown[:n0] = self._vecs[:n0]
            self._vecs = grown
        self._vecs[n0:need] = vectors
        self._prefix = None
        docs: list[tuple[NDArray[np.int32], ...]] = []
        for i, (m, f) in enumerate(zip(metas, fields, strict=True)):
            if analysed is not None:
                docs.append(analysed[i])
            elif f is not None:
                docs.append(self.lexical.analyse(f))
            else:
                raise SearchError(f"{m.ref}: neither fields nor analysed terms given")
        self.lexical.extend(docs)
        for i, m in enumerate(metas):
            self._pos[m.ref] = n0 + i
            self.metas.append(m)

    def restore(self, metas: Sequence[DocMeta], vectors: NDArray[np.float32]) -> None:
        """Install saved documents whose terms are already in ``self.lexical`` (persist). ``vectors`` is kept
        as given (it may be a read-only memory map: adding documents later copies it into a grown buffer)."""
        if len(self.lexical) != len(metas) or vectors.shape != (len(metas), self.embedder.dim):
            raise SearchError("saved documents, terms and vectors do not line up")
        self.metas = list(metas)
        self._vecs = vectors
        self._prefix = None
        self._pos = {m.ref: i for i, m in enumerate(self.metas)}

    def remove(self, refs: Iterable[str]) -> int:
        """Remove documents by ref; returns how many were present."""
        drop = sorted({self._pos[r] for r in refs if r in self._pos})
        if not drop:
            return 0
        keep = np.ones(len(self.metas), dtype=bool)
        keep[drop] = False
        self.lexical.delete(drop)
        assert self._vecs is not None
        kept = self._vecs[: len(self.metas)][keep]
        self._vecs = np.ascontiguousarray(kept)
        self._prefix = None
        self.metas = [m for m, k in zip(self.metas, keep.tolist(), strict=True) if k]
        self._pos = {m.ref: i for i, m in enumerate(self.metas)}
        return len(drop)

    def _similarities(self, qv: NDArray[np.float32]) -> NDArray[np.float32]:
        """Cosine of every document with ``qv``.

        Above ``config.prefilter_above`` documents the scan is two-stage: the first ``prefilter_dims``
        components (the embedder's leading PCA axes) score everything, and the best ``prefilter_keep`` are
        rescored exactly; the others keep their prefix score (a lower bound on rank, never above a kept one).
        Exact below that size. The scan is memory-bound, so reading a quarter of the matrix is ~4x faster.
        """
        cfg = self.config
        vecs = self.vectors
        n, dim = vecs.shape
        if n <= cfg.prefilter_above or cfg.prefilter_dims >= dim:
            return _matvec(vecs, qv)
        if self._prefix is None or self._prefix.shape[0] != n:
            self._prefix = np.ascontiguousarray(vecs[:, : cfg.prefilter_dims])
        approx = _matvec(self._prefix, np.ascontiguousarray(qv[: cfg.prefilter_dims]))
        keep = np.argpartition(-approx, min(cfg.prefilter_keep, n) - 1)[: cfg.prefilter_keep]
        exact = _matvec(np.ascontiguousarray(vecs[keep]), qv)
        out = np.minimum(approx, float(exact.min(initial=0.0)) - 1e-3).astype(np.float32)
        out[keep] = exact
        return out

    def analyse_query(self, query: str) -> QueryTerms:
        return extract_key_terms(query, self.lexical.idf, max_terms=self.config.max_query_terms)

    def search(
        self,
        query: str,
        limit: int = 10,
        filters: Filters | None = None,
        *,
        mode: str = "hybrid",
        bodies: Sequence[str] | None = None,
    ) -> list[Hit]:
        """Rank documents for ``query``. ``mode`` is ``hybrid``, ``lexical`` or ``semantic``."""
        if mode not in ("hybrid", "lexical", "semantic"):
            raise SearchError(f"unknown search mode {mode!r}; expected hybrid, lexical or semantic")
        if limit <= 0 or not self.metas or not query.strip():
            return []
        r = self._rank(query, max(self.config.candidates, limit * 3), self._mask(filters), mode)
        order = self._best_first(r.fused)
        return self._collapse(order, r.fused, r, limit, bodies)

    def search_multi(
        self,
        queries: Sequence[str],
        limit: int = 10,
        filters: Filters | None = None,
        *,
        mode: str = "hybrid",
        require: str = "any",
        bodies: Sequence[str] | None = None,
    ) -> list[Hit]:
        """Rank documents for several queries at once (e.g. the facets of one task): each query is ranked as by
        :meth:`search` and the per-query orders are fused by reciprocal rank (:mod:`skillyard.search.fusion`).
        ``require="any"`` keeps what any query retrieved; ``"all"`` only what every query retrieved. A hit's
        ``why`` gives its rank per query (``query_ranks``, None where a query did not retrieve it)."""
        if mode not in ("hybrid", "lexical", "semantic"):
            raise SearchError(f"unknown search mode {mode!r}; expected hybrid, lexical or semantic")
        if require not in MULTI_MODES:
            raise SearchError(f"unknown multi-query mode {require!r}; expected any or all")
        texts = [t for t in queries if t.strip()]
        if limit <= 0 or not self.metas or not texts:
            return []
        n_cand = max(self.config.candidates, limit * 3)
        mask = self._mask(filters)
        orders: list[list[int]] = []
        terms: dict[str, float] = {}
        for text in texts:
            r = self._rank(text, n_cand, mask, mode)
            orders.append(self._best_first(r.fused)[:n_cand])
            for t, w in r.q.terms.items():
                terms[t] = max(w, terms.get(t, 0.0))
        fused = fuse_orders(orders, self.config.multi_rrf_k, require)
        order = self._best_first(fused)
        merged = _Ranking({}, {}, {}, None, QueryTerms(terms, "", False), [_positions(o) for o in orders])
        return self._collapse(order, fused, merged, limit, bodies)

    def _best_first(self, scores: dict[int, float]) -> list[int]:
        """Documents by descending score, ties broken by reference (stable across runs)."""
        return sorted(scores, key=lambda p: (-scores[p], self.metas[p].ref))

    def _mask(self, filters: Filters | None) -> NDArray[np.bool_] | None:
        if filters is None or not filters.active():
            return None
        return np.fromiter((filters.accepts(m) for m in self.metas), dtype=bool, count=len(self.metas))

    def _rank(self, query: str, n_cand: int, mask: NDArray[np.bool_] | None, mode: str) -> _Ranking:
        """One query's fused (weighted RRF) scores over its lexical and semantic candidates."""
        cfg = self.config
        q = self.analyse_query(query)
        lex_rank: dict[int, int] = {}
        sem_rank: dict[int, int] = {}
        sem_scores: NDArray[np.float32] | None = None
        if mode != "semantic":
            if q.long:
                lex = self.lexical.scores(q.terms, cfg.long_name_cover)
            else:
                hw = cfg.short_headings_weight
                lex = self.lexical.scores(q.terms, cfg.short_name_cover, None if hw is None else {"headings": hw})
            lex_rank = {int(p): r for r, p in enumerate(_top(lex, n_cand, mask))}
        if mode != "lexical":
            qv = self.embedder.embed([q.embed_text])[0]
            if np.any(qv):
                sem_scores = self._similarities(qv)
                floor = np.where(sem_scores >= cfg.min_similarity, sem_scores, 0.0).astype(np.float32)
                sem_rank = {int(p): r for r, p in enumerate(_top(floor, n_cand, mask))}
        wl = cfg.long_lexical_weight if q.long else cfg.lexical_weight
        ws = cfg.long_semantic_weight if q.long else cfg.semantic_weight
        fused: dict[int, float] = {}
        for p, r in lex_rank.items():
            fused[p] = fused.get(p, 0.0) + wl / (cfg.rrf_k + r + 1)
        for p, r in sem_rank.items():
            fused[p] = fused.get(p, 0.0) + ws / (cfg.rrf_k + r + 1)
        return _Ranking(fused, lex_rank, sem_rank, sem_scores, q)

    def _collapse(
        self,
        order: list[int],
        fused: dict[int, float],
        r: _Ranking,
        limit: int,
        bodies: Sequence[str] | None,
    ) -> list[Hit]:
        vecs = self.vectors
        kept: list[int] = []
        dups: dict[int, list[str]] = {}
        seen_text: dict[tuple[str, str], int] = {}
        for p in order:
            m = self.metas[p]
            key = (m.name.lower(), " ".join(m.description.lower().split()))
            owner = seen_text.get(key)
            if owner is None and kept:
                sims = vecs[kept] @ vecs[p]
                j = int(np.argmax(sims))
                if sims[j] >= self.config.duplicate_cosine and np.any(vecs[p]):
                    owner = kept[j]
            if owner is not None:
                dups[owner].append(m.ref)
                continue
            if len(kept) == limit:
                break
            kept.append(p)
            dups[p] = []
            seen_text[key] = p
        hits = []
        q = r.q
        for p in kept:
            m = self.metas[p]
            why: dict[str, Any] = {"matched": self.lexical.matched_fields(p, q.terms)}
            if p in r.lex_rank:
                why["lexical_rank"] = r.lex_rank[p] + 1
            if p in r.sem_rank and r.sem_scores is not None:
                why["semantic_rank"] = r.sem_rank[p] + 1
                why["semantic_similarity"] = round(float(r.sem_scores[p]), 4)
            if r.per_query is not None:
                why["query_ranks"] = [None if (i := pos.get(p)) is None else i + 1 for pos in r.per_query]
            if q.long:
                why["key_terms"] = sorted(q.terms, key=lambda t: -q.terms[t])
            body = bodies[p] if bodies is not None else ""
            hits.append(
                Hit(
                    name=m.name,
                    ref=m.ref,
                    score=fused[p],
                    snippet=snippet_for(m.description, body, q.terms),
                    why=why,
                    digest=m.digest,
                    duplicates=tuple(dups[p]),
                )
            )
        return hits
