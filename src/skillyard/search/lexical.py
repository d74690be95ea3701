"""Field-weighted BM25 over skills, with bm25s's scoring and a compact, memory-mappable layout.

Each field (name, description, headings, body) has its own BM25 model, so each gets its own length
normalisation; a document's lexical score is ``sum_f weight_f * BM25_f(query, doc)`` with per-term query
weights (from key-term extraction). Every (term, doc) BM25 contribution is precomputed into sparse columns
(bm25s's "eager" scoring, Lucene variant, computed here with bm25s's exact float operations), so a query
costs one slice-and-accumulate per kept term: about a millisecond at 100k skills for a long task's terms.

Storage is per field, compressed sparse columns indexed by the global term id: ``indices`` (documents,
ascending), ``tf`` (term frequencies, uint16) and, once built, ``data`` (float32 BM25 scores). Term order
inside a document is never needed, so documents are not kept as token sequences: the postings *are* the
documents. At 100k skills that is ~6 bytes per distinct (term, doc) pair instead of 4 bytes per token plus a
Python object per field, and no dict per field. Adding documents appends them to a small pending batch that
is merged column by column in bounded chunks; any change recomputes ``data`` lazily on the next query.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from skillyard.search.text import DocFields, tokenize

FIELDS: tuple[str, ...] = ("name", "description", "headings", "body")
# Tuned on the tuning split (docs/search.md): the body field holds the whole text, the others add boosts.
# Keyword queries score without the headings boost (SearchConfig.short_headings_weight, chosen by CV).
DEFAULT_FIELD_WEIGHTS: dict[str, float] = {"name": 0.5, "description": 0.5, "headings": 0.2, "body": 1.0}

_CHUNK = 1 << 20  # postings per vectorised step: bounds the temporaries of merges and score builds
_PENDING = 8192  # documents buffered before they are merged into the columns

Ints = NDArray[np.int64]
TermFreqs = NDArray[Any]  # uint16, or uint32 when a term occurs 65,536+ times in one field of one document


def _tf_dtype(max_tf: int) -> type[np.unsignedinteger[Any]]:
    return np.uint16 if max_tf < 1 << 16 else np.uint32


@dataclass
class Postings:
    """One field's term frequencies as sparse columns: column ``t`` (a global term id) holds documents
    ``indices[indptr[t]:indptr[t+1]]`` (ascending) with frequencies ``tf[...]``; ids at or past
    ``len(indptr) - 1`` occur in no document's field. ``lengths`` is each document's field length in tokens."""

    indptr: Ints
    indices: NDArray[np.int32]
    tf: TermFreqs
    lengths: NDArray[np.int32]

    @classmethod
    def empty(cls) -> Postings:
        return cls(np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.uint16), np.zeros(0, np.int32))

    @property
    def n_terms(self) -> int:
        return len(self.indptr) - 1

    def column(self, tid: int) -> NDArray[np.int32]:
        if tid >= self.n_terms:
            return self.indices[:0]
        return self.indices[self.indptr[tid] : self.indptr[tid + 1]]

    def column_ids(self, lo: int, hi: int) -> Ints:
        """The column (term id) of each posting in ``lo..hi``."""
        return np.searchsorted(self.indptr, np.arange(lo, hi), side="right").astype(np.int64) - 1

    def check(self, n_docs: int) -> None:
        """Raise ValueError unless the arrays are consistent with ``n_docs`` documents."""
        nnz = len(self.indices)
        ok = (
            len(self.indptr) >= 1
            and int(self.indptr[0]) == 0
            and int(self.indptr[-1]) == nnz
            and len(self.tf) == nnz
            and len(self.lengths) == n_docs
            and (nnz == 0 or int(self.indices.max()) < n_docs)
        )
        if not ok:
            raise ValueError(f"postings do not fit {n_docs} documents")


@dataclass
class FieldMatrix:
    """One field's BM25 contributions: ``data[k]`` is the score of posting ``k`` of the field's
    :class:`Postings` (same ``indptr``/``indices``)."""

    data: NDArray[np.float32]
    indices: NDArray[np.int32]
    indptr: Ints


Bag = tuple[NDArray[np.int32], NDArray[np.int64]]  # distinct term ids of one field of one document, counts


def _bag(ids: NDArray[np.int32]) -> Bag:
    terms, counts = np.unique(np.asarray(ids, dtype=np.int32), return_counts=True)
    return terms.astype(np.int32), counts.astype(np.int64)


def _merge(old: Postings, bags: Sequence[Bag], n_terms: int) -> Postings:
    """``old`` with documents ``len(old.lengths)..`` (one bag each) appended; columns stay doc-ascending."""
    n0 = len(old.lengths)
    sizes = np.fromiter((len(t) for t, _ in bags), dtype=np.int64, count=len(bags))
    terms = np.concatenate([t for t, _ in bags]) if bags else np.zeros(0, np.int32)
    counts = np.concatenate([c for _, c in bags]) if bags else np.zeros(0, np.int64)
    docs = np.repeat(np.arange(n0, n0 + len(bags), dtype=np.int32), sizes)
    lengths = np.concatenate(
        [old.lengths, np.fromiter((int(c.sum()) for _, c in bags), dtype=np.int32, count=len(bags))]
    )
    n_terms = max(n_terms, old.n_terms)
    old_counts = np.zeros(n_terms, np.int64)
    old_counts[: old.n_terms] = np.diff(old.indptr)
    new_counts = np.bincount(terms, minlength=n_terms).astype(np.int64)
    indptr = np.zeros(n_terms + 1, np.int64)
    np.cumsum(old_counts + new_counts, out=indptr[1:])
    max_tf = max(int(counts.max(initial=0)), int(old.tf.max(initial=0)))
    indices = np.empty(int(indptr[-1]), np.int32)
    tf = np.empty(int(indptr[-1]), _tf_dtype(max_tf))
    # Old postings keep their order; each column moves right by the new postings of the columns before it.
    shift = indptr[: old.n_terms] - old.indptr[:-1]
    for lo in range(0, len(old.indices), _CHUNK):
        hi = min(lo + _CHUNK, len(old.indices))
        dest = np.arange(lo, hi, dtype=np.int64) + shift[old.column_ids(lo, hi)]
        indices[dest] = old.indices[lo:hi]
        tf[dest] = old.tf[lo:hi]
    # New postings go after each column's old ones, in document order (a stable sort by term).
    order = np.argsort(terms, kind="stable")
    ts = terms[order]
    first = np.concatenate([[0], np.cumsum(new_counts)[:-1]]) if n_terms else np.zeros(0, np.int64)
    dest = indptr[:-1][ts] + old_counts[ts] + (np.arange(len(ts), dtype=np.int64) - first[ts])
    indices[dest] = docs[order]
    tf[dest] = counts[order]
    return Postings(indptr, indices, tf, lengths)


def _drop(p: Postings, keep_doc: NDArray[np.bool_]) -> Postings:
    """``p`` without the documents where ``keep_doc`` is False (later documents renumbered down)."""
    renum = (np.cumsum(keep_doc) - 1).astype(np.int32)
    keep = keep_doc[p.indices]
    gone = np.flatnonzero(~keep)
    removed = np.bincount(np.searchsorted(p.indptr, gone, side="right") - 1, minlength=p.n_terms)
    indptr = p.indptr - np.concatenate([[0], np.cumsum(removed)]).astype(np.int64)
    return Postings(indptr, renum[p.indices[keep]], p.tf[keep], p.lengths[keep_doc])


def bm25_scores(p: Postings, k1: float, b: float) -> NDArray[np.float32]:
    """bm25s's Lucene BM25 score of every posting, bit for bit: idf rounded to float32, the term-frequency
    part in float64, the product rounded to float32 (bm25s computes the same per document)."""
    n = len(p.lengths)
    data = np.empty(len(p.indices), np.float32)
    if not len(data):
        return data
    avg = p.lengths.astype(np.int64).mean()
    denom = k1 * ((1 - b) + (b * p.lengths.astype(np.float64)) / avg)
    df = np.diff(p.indptr)
    uniq, inverse = np.unique(df, return_inverse=True)
    per_df = np.array([math.log(1 + (n - d + 0.5) / (d + 0.5)) if d else 0.0 for d in uniq.tolist()])
    idf = per_df.astype(np.float32)[inverse]
    for lo in range(0, len(data), _CHUNK):
        hi = min(lo + _CHUNK, len(data))
        tf = p.tf[lo:hi].astype(np.float64)
        data[lo:hi] = idf[p.column_ids(lo, hi)] * (tf / (denom[p.indices[lo:hi]] + tf))
    return data


@dataclass
class LexicalIndex:
    """Field-weighted BM25 over documents identified by their position (``0..len-1``)."""

    field_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_FIELD_WEIGHTS))
    k1: float = 1.2
    b: float = 0.75
    vocab: dict[str, int] = field(default_factory=dict)
    _postings: dict[str, Postings] = field(default_factory=lambda: {f: Postings.empty() for f in FIELDS})
    _pending: list[tuple[Bag, ...]] = field(default_factory=list)
    _df: NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, np.int32))
    _models: dict[str, FieldMatrix] | None = None
    _name_sizes: NDArray[np.float32] | None = None  # distinct name terms per document (for name_coverage)
    _why: tuple[tuple[str, ...], list[tuple[str, list[tuple[str, NDArray[np.int32]]]]]] | None = None

    def __len__(self) -> int:
        return len(self._postings[FIELDS[0]].lengths) + len(self._pending)

    def _ids(self, terms: Sequence[str]) -> NDArray[np.int32]:
        vocab = self.vocab
        out = np.empty(len(terms), dtype=np.int32)
        for i, t in enumerate(terms):
            tid = vocab.get(t)
            if tid is None:
                tid = vocab[t] = len(vocab)
            out[i] = tid
        return out

    def analyse(self, fields: DocFields) -> tuple[NDArray[np.int32], ...]:
        """Term ids of each field of a document (extends the vocabulary)."""
        return tuple(self._ids(tokenize(getattr(fields, f))) for f in FIELDS)

    def append(self, ids: tuple[NDArray[np.int32], ...]) -> None:
        """Add a document (as returned by :meth:`analyse`) at position ``len(self)``."""
        self.extend([ids])

    def extend(self, docs: Sequence[tuple[NDArray[np.int32], ...]]) -> None:
        """Add documents (term ids per field, in any order) at positions ``len(self)..``."""
        if not docs:
            return
        bags = [tuple(_bag(a) for a in d) for d in docs]
        union = np.concatenate([np.unique(np.concatenate([t for t, _ in bag])) for bag in bags])
        self._grow_df(len(self.vocab))
        if union.size:
            self._df = self._df + np.bincount(union, minlength=len(self._df)).astype(np.int32)
        self._pending.extend(bags)
        self._models = self._name_sizes = self._why = None
        if len(self._pending) >= _PENDING:
            self._consolidate()

    def _grow_df(self, size: int) -> None:
        if len(self._df) < size:
            self._df = np.concatenate([self._df, np.zeros(size - len(self._df), np.int32)])

    def _consolidate(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        self._why = None
        for fi, f in enumerate(FIELDS):
            self._postings[f] = _merge(self._postings[f], [d[fi] for d in pending], len(self.vocab))

    def delete(self, positions: Sequence[int]) -> None:
        """Remove documents; later positions shift down (callers keep their own arrays aligned)."""
        self._consolidate()
        keep = np.ones(len(self), dtype=bool)
        keep[np.asarray(sorted(set(positions)), dtype=np.int64)] = False
        gone = np.flatnonzero(~keep)
        if not gone.size:
            return
        self._grow_df(len(self.vocab))
        pairs = []  # (doc, term) of every posting of a removed document, over all fields
        for p in self._postings.values():
            hit = np.flatnonzero(~keep[p.indices])
            cols = np.searchsorted(p.indptr, hit, side="right") - 1
            pairs.append(np.stack([p.indices[hit].astype(np.int64), cols.astype(np.int64)], axis=1))
        uniq = np.unique(np.concatenate(pairs), axis=0)
        self._df = self._df - np.bincount(uniq[:, 1], minlength=len(self._df)).astype(np.int32)
        self._postings = {f: _drop(p, keep) for f, p in self._postings.items()}
        self._models = self._name_sizes = self._why = None

    def idf(self, term: str) -> float:
        """Document-level IDF of a stemmed term over all fields (0 for unknown terms)."""
        tid = self.vocab.get(term)
        df = int(self._df[tid]) if tid is not None and tid < len(self._df) else 0
        if df == 0:
            return 0.0
        n = len(self)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    # -- persistence -------------------------------------------------------------------------------------

    def postings(self) -> dict[str, Postings]:
        """Every field's postings (pending documents merged first)."""
        self._consolidate()
        return self._postings

    def doc_frequencies(self) -> NDArray[np.int32]:
        """Per term id: the number of documents containing it in any field."""
        self._grow_df(len(self.vocab))
        return self._df

    def load(self, vocab: dict[str, int], postings: Mapping[str, Postings], df: NDArray[np.int32]) -> None:
        """Install saved state (arrays may be read-only memory maps: they are never written in place)."""
        n = len(postings[FIELDS[0]].lengths)
        for f in FIELDS:
            postings[f].check(n)
            if postings[f].n_terms > len(vocab):
                raise ValueError(f"field {f!r} has more terms than the vocabulary")
        if len(df) > len(vocab):
            raise ValueError("document frequencies do not fit the vocabulary")
        self.vocab = vocab
        self._postings = {f: postings[f] for f in FIELDS}
        self._pending = []
        self._df = df
        self._models = self._name_sizes = self._why = None

    @property
    def matrices(self) -> dict[str, FieldMatrix] | None:
        """The built per-field score matrices, or ``None`` when a change is pending (persisted when present)."""
        return self._models

    def set_matrices(self, data: Mapping[str, NDArray[np.float32]]) -> None:
        """Install scores saved earlier for exactly the current postings (skips recomputing them)."""
        self._consolidate()
        for f in FIELDS:
            if len(data[f]) != len(self._postings[f].indices):
                raise ValueError(f"field scores {f!r} do not fit the postings")
        self._models = {f: FieldMatrix(data[f], p.indices, p.indptr) for f, p in self._postings.items()}

    def ensure_built(self) -> None:
        """Compute the BM25 scores now (otherwise the first query after a change does)."""
        self._consolidate()
        if self._models is None and len(self):
            self._models = {
                f: FieldMatrix(bm25_scores(p, self.k1, self.b), p.indices, p.indptr) for f, p in self._postings.items()
            }

    # -- queries -----------------------------------------------------------------------------------------

    def name_coverage(self, terms: Mapping[str, float]) -> NDArray[np.float32]:
        """Per document: the mean query weight of its name terms when the query contains *all* of them
        (``pdf`` for a task about a PDF, ``powerlifting`` for one about powerlifting scores), else 0."""
        n = len(self)
        out = np.zeros(n, dtype=np.float32)
        if not n or not terms:
            return out
        self._consolidate()
        names = self._postings["name"]
        if self._name_sizes is None:
            self._name_sizes = np.bincount(names.indices, minlength=n).astype(np.float32)
        sizes = self._name_sizes
        hits = np.zeros(n, dtype=np.float32)
        for term, qw in terms.items():
            gid = self.vocab.get(term)
            if gid is not None:
                docs = names.column(gid)
                hits[docs] += 1.0
                out[docs] += qw
        full = (sizes > 0) & (hits == sizes)
        return np.where(full, out / np.maximum(sizes, 1.0), 0.0).astype(np.float32)

    def scores(
        self, terms: Mapping[str, float], name_cover: float = 0.0, weights: Mapping[str, float] | None = None
    ) -> NDArray[np.float32]:
        """Lexical score of every document for weighted stemmed ``terms``. With ``name_cover`` > 0, a
        document whose whole name is among the terms gains ``name_cover`` x the best score x
        :meth:`name_coverage` (a title-match boost that does not depend on the score scale). ``weights``
        overrides some field weights for this query."""
        n = len(self)
        out = np.zeros(n, dtype=np.float32)
        if not n or not terms:
            return out
        self.ensure_built()
        assert self._models is not None
        for f, fm in self._models.items():
            fw = weights[f] if weights is not None and f in weights else self.field_weights.get(f, 0.0)
            if fw == 0.0:
                continue
            data, indices, indptr = fm.data, fm.indices, fm.indptr
            last = len(indptr) - 1
            for term, qw in terms.items():
                gid = self.vocab.get(term)
                if gid is None or gid >= last:
                    continue
                lo, hi = indptr[gid], indptr[gid + 1]
                if lo < hi:
                    out[indices[lo:hi]] += (fw * qw) * data[lo:hi]
        if name_cover > 0.0:
            out += (name_cover * float(out.max())) * self.name_coverage(terms)
        return out

    def matched_fields(self, pos: int, terms: Mapping[str, float]) -> dict[str, list[str]]:
        """Which query terms occur in which field of document ``pos`` (for "why it matched")."""
        self._consolidate()
        # The engine asks once per hit with the same terms: resolve their columns once per query.
        key = tuple(sorted(terms))
        if self._why is None or self._why[0] != key:
            cols = []
            for f in FIELDS:
                p = self._postings[f]
                found = [(t, p.column(g)) for t in key if (g := self.vocab.get(t)) is not None]
                cols.append((f, [(t, c) for t, c in found if len(c)]))
            self._why = (key, cols)
        out: dict[str, list[str]] = {}
        for f, columns in self._why[1]:
            present = []
            for t, col in columns:
                i = col.searchsorted(pos)
                if i < len(col) and col[i] == pos:
                    present.append(t)
            if present:
                out[f] = present
        return out
