"""Features and re-ranking models for ``bench/search_ltr.py`` (learning to rank over the hybrid's fused candidates).

``Pool`` holds one query's best fused candidates with their match features; the models (pairwise/pointwise
logistic regression, coordinate ascent on the metric, a small MLP) re-order them. Split out of search_ltr.py so
each file reads in one sitting.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from search import Query

# fmt: off
FEATURES = [
    "bm25_name", "bm25_desc", "bm25_head", "bm25_body",
    "lex_score", "lex_logrank", "lex_absent",
    "cos_doc", "cos_doc_gap", "sem_logrank", "sem_absent",
    "fused", "fused_logpos",
    "cos_nd", "cos_nd_gap",
    "cov_name", "cov_desc", "cov_body",
    "name_in_query", "name_all_in_query",
    "bigram_nd", "bigram_any",
]
# fmt: on
GROUPS = {
    "base": ["lex_score", "lex_logrank", "lex_absent", "cos_doc", "sem_logrank", "sem_absent", "fused", "fused_logpos"],
    "fields": ["bm25_name", "bm25_desc", "bm25_head", "bm25_body"],
    "cover": ["cov_name", "cov_desc", "cov_body", "name_in_query", "name_all_in_query"],
    "nd": ["cos_nd", "cos_nd_gap", "cos_doc_gap"],
    "bigram": ["bigram_nd", "bigram_any"],
}


@dataclass
class Pool:
    """One query's fused candidates (best first, as shipped) with features and relevance."""

    query: Query
    order: list[int]  # the whole fused order (positions)
    feats: NDArray[np.float64]  # (len(order[:NMAX]), n_features)
    rel: NDArray[np.bool_]  # answers to one of the query's relevant names
    names: list[frozenset[str]]  # which relevant names each candidate answers to
    ranking: object  # the engine's _Ranking, for the duplicate collapse

    def targets(self, n: int, mode: str) -> NDArray[np.int8]:
        """Training labels of the top ``n``: 1 relevant, 0 not, -1 left out. ``first``: only the best-placed
        candidate of each relevant name is a positive (the metric credits a name once: five variants of
        ``pptx`` are one hit), later ones are left out."""
        out = self.rel[:n].astype(np.int8)
        if mode == "first":
            seen: set[str] = set()
            for i, nm in enumerate(self.names[:n]):
                if nm and nm <= seen:
                    out[i] = -1
                seen |= nm
        return out


NMAX = 100


# -- models ------------------------------------------------------------------------------------------------
# Every model scores standardised features; the "anchor" (fused_logpos, the shipped order) is always among
# them and unpenalised, so strong regularisation gives back exactly the shipped order.

ANCHOR = FEATURES.index("fused_logpos")
LOG = 1.0 / np.log2(np.arange(2, 12))


def _newton(
    x: NDArray[np.float64], y: NDArray[np.float64], sw: NDArray[np.float64], lam: float, bias: bool, free: int
) -> NDArray[np.float64]:
    """L2-regularised weighted logistic regression by Newton's method (bias and column ``free`` unpenalised)."""
    if bias:
        x = np.hstack([x, np.ones((len(x), 1))])
    d = x.shape[1]
    w = np.zeros(d)
    reg = np.full(d, lam)
    reg[free] = 0.0
    if bias:
        reg[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        g = x.T @ (sw * (p - y)) + reg * w
        h = (x * (sw * p * (1 - p))[:, None]).T @ x + np.diag(reg + 1e-9)
        step = np.linalg.solve(h, g)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return w[:-1] if bias else w


def _pairs(x: NDArray[np.float64], t: NDArray[np.int8]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    ii, jj = np.meshgrid(np.flatnonzero(t == 1), np.flatnonzero(t == 0), indexing="ij")
    return ii.ravel(), jj.ravel()


class Ranker(Protocol):
    def fit(self, pools: Sequence[Pool]) -> Ranker: ...
    def rerank(self, p: Pool) -> list[int]: ...


@dataclass
class Base:
    n: int
    cols: list[int]
    labels: str = "all"
    mu: Any = None
    sd: Any = None

    def _x(self, p: Pool) -> NDArray[np.float64]:
        return p.feats[: self.n, self.cols]

    def _standardise(self, pools: Sequence[Pool]) -> list[NDArray[np.float64]]:
        allx = np.vstack([self._x(p) for p in pools])
        self.mu, self.sd = allx.mean(axis=0), allx.std(axis=0) + 1e-9
        return [(self._x(p) - self.mu) / self.sd for p in pools]

    def score(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        raise NotImplementedError

    def rerank(self, p: Pool) -> list[int]:
        s = self.score((self._x(p) - self.mu) / self.sd)
        head = p.order[: self.n]
        return [head[i] for i in sorted(range(len(head)), key=lambda i: (-s[i], i))] + p.order[self.n :]

    @property
    def anchor(self) -> int:
        return self.cols.index(ANCHOR)


@dataclass
class Linear(Base):
    """Pairwise (RankNet-style: logistic loss on relevant-minus-irrelevant differences, each query weighted
    equally) or pointwise logistic regression, L2 ``lam``."""

    kind: str = "pair"
    lam: float = 1.0
    w: Any = None

    def fit(self, pools: Sequence[Pool]) -> Linear:
        xs, ys, ws = [], [], []
        for p, x in zip(pools, self._standardise(pools), strict=True):
            t = p.targets(self.n, self.labels)
            if not (t == 1).any() or not (t == 0).any():
                continue
            if self.kind == "pair":
                i, j = _pairs(x, t)
                diff = x[i] - x[j]
                xs += [diff, -diff]
                ys += [np.ones(len(diff)), np.zeros(len(diff))]
                ws.append(np.full(2 * len(diff), 1.0 / (2 * len(diff))))
            else:
                keep = t >= 0
                xs.append(x[keep])
                ys.append(t[keep].astype(float))
                ws.append(np.full(int(keep.sum()), 1.0 / int(keep.sum())))
        self.w = _newton(
            np.vstack(xs), np.concatenate(ys), np.concatenate(ws), self.lam, self.kind == "point", self.anchor
        )
        return self

    def score(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        out: NDArray[np.float64] = x @ self.w
        return out


def query_metric(s: NDArray[np.float64], names: Sequence[frozenset[str]], n_rel: int, mix: float) -> float:
    """R@10 (+ ``mix`` x nDCG@10) of the candidates ordered by ``s``, each relevant name credited once
    (without the duplicate collapse, which the evaluation applies)."""
    found: set[str] = set()
    g = np.zeros(10)
    for i, t in enumerate(np.argsort(-s, kind="stable")[:10]):
        new = names[t] - found
        if new:
            found.add(min(new))
            g[i] = 1
    return float(g.sum() / n_rel + mix * (g * LOG).sum() / LOG[: min(10, n_rel)].sum())


@dataclass
class CoordAscent(Base):
    """Coordinate ascent on the metric itself (Metzler & Croft 2007): from the shipped order (anchor weight
    -1), each other weight in turn is moved by the step that most improves the mean R@10 + 0.5 nDCG@10 on the
    training queries, for ``passes`` passes."""

    passes: int = 3
    mix: float = 0.5
    w: Any = None

    def fit(self, pools: Sequence[Pool]) -> CoordAscent:
        xs = self._standardise(pools)
        names = [p.names[: self.n] for p in pools]
        n_rel = [len(p.query.relevant) for p in pools]
        w = np.zeros(len(self.cols))
        w[self.anchor] = -1.0

        def obj(w: NDArray[np.float64]) -> float:
            return statistics.mean(
                query_metric(x @ w, nm, k, self.mix) for x, nm, k in zip(xs, names, n_rel, strict=True)
            )

        best = obj(w)
        for _ in range(self.passes):
            improved = False
            for j in range(len(self.cols)):
                if j == self.anchor:
                    continue
                for step in (-2, -1, -0.5, -0.25, -0.1, 0.1, 0.25, 0.5, 1, 2):
                    w2 = w.copy()
                    w2[j] += step
                    v = obj(w2)
                    if v > best + 1e-9:
                        best, w, improved = v, w2, True
            if not improved:
                break
        self.w = w
        return self

    def score(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        out: NDArray[np.float64] = x @ self.w
        return out


@dataclass
class MLP(Base):
    """Pairwise RankNet with one tanh hidden layer of ``hidden`` units beside a linear part that starts at
    (and is decayed towards) the anchor; Adam, full batch, weight decay ``wd``."""

    hidden: int = 8
    wd: float = 0.01
    epochs: int = 300
    lr: float = 0.02
    params: Any = None

    def score(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        w1, b1, v, lin = self.params
        out: NDArray[np.float64] = x @ lin + np.tanh(x @ w1 + b1) @ v
        return out

    def fit(self, pools: Sequence[Pool]) -> MLP:
        a_s, b_s, wt = [], [], []
        for p, x in zip(pools, self._standardise(pools), strict=True):
            t = p.targets(self.n, self.labels)
            if (t == 1).any() and (t == 0).any():
                i, j = _pairs(x, t)
                a_s.append(x[i])
                b_s.append(x[j])
                wt.append(np.full(len(i), 1.0 / len(i)))
        xa, xb, sw = np.vstack(a_s), np.vstack(b_s), np.concatenate(wt)
        sw /= sw.sum()
        d = len(self.cols)
        rng = np.random.default_rng(0)
        anchor = np.zeros(d)
        anchor[self.anchor] = -1.0
        params = [rng.normal(0, 0.3, (d, self.hidden)), np.zeros(self.hidden), np.zeros(self.hidden), anchor.copy()]
        m1 = [np.zeros_like(q) for q in params]
        m2 = [np.zeros_like(q) for q in params]
        for step in range(1, self.epochs + 1):
            w1, b1, v, lin = params
            ha, hb = np.tanh(xa @ w1 + b1), np.tanh(xb @ w1 + b1)
            z = (xa - xb) @ lin + (ha - hb) @ v
            g = -sw / (1 + np.exp(z))
            da, db = np.outer(g, v) * (1 - ha**2), np.outer(g, v) * (1 - hb**2)
            grads = [
                xa.T @ da - xb.T @ db + self.wd * w1,
                da.sum(0) - db.sum(0),
                (ha - hb).T @ g + self.wd * v,
                (xa - xb).T @ g + self.wd * (lin - anchor),
            ]
            for k, (q, gq) in enumerate(zip(params, grads, strict=True)):
                m1[k] = 0.9 * m1[k] + 0.1 * gq
                m2[k] = 0.999 * m2[k] + 0.001 * gq * gq
                q -= self.lr * (m1[k] / (1 - 0.9**step)) / (np.sqrt(m2[k] / (1 - 0.999**step)) + 1e-8)
        self.params = params
        return self


def make(spec: dict[str, Any], cols: list[int], labels: str) -> Ranker:
    n, m = int(spec["n"]), spec["model"]
    if ANCHOR not in cols:
        cols = [*cols, ANCHOR]
    if m in ("pair", "point"):
        return Linear(n, cols, labels, kind=m, lam=float(spec["lam"]))
    if m == "ca":
        return CoordAscent(n, cols, labels)
    if m == "mlp":
        return MLP(n, cols, labels, hidden=int(spec.get("hidden", 8)), wd=float(spec["wd"]))
    raise SystemExit(f"unknown model {m!r}")
