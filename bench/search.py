"""Search benchmark on ../shared/retrieval: quality and speed of skillyard's hybrid search beside plain BM25.

Pool: the 6,144-skill corpus + the 229 curated skills. Queries: each development task's long ``instruction``
and its short ``keyword_queries``. A hit is a result whose skill name is in the task's ``relevant`` list.
Tasks are split by a hash of their id into a tuning part (~60%, used to choose parameters) and a held-out
validation part (~40%, never tuned on); both are printed.

    .venv/bin/python bench/search.py                 # quality + latency at 6.4k skills, and scale runs
    .venv/bin/python bench/search.py --no-scale      # skip the 25k/100k runs
    .venv/bin/python bench/search.py --scale 100000  # one scale run only (own process: clean RSS)
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from skillyard.search.embed import get_embedder
from skillyard.search.engine import DocMeta, SearchConfig, SearchIndex
from skillyard.search.text import DocFields, extract_fields

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _status_mib(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mib() -> float:
    """Resident set size now (anonymous + file-backed pages, e.g. a memory-mapped index)."""
    return _status_mib("VmRSS")


def peak_rss_mib() -> float:
    return _status_mib("VmHWM")


def rss_parts() -> str:
    return f"anon {_status_mib('RssAnon'):.0f} + file {_status_mib('RssFile'):.0f} MiB"


@dataclass
class PoolDoc:
    meta: DocMeta
    fields: DocFields
    raw: str
    labels: frozenset[str] = frozenset()


def parse_record(rec: dict[str, object]) -> PoolDoc | None:
    """A pool document from a corpus record, through the project's own SKILL.md loader."""
    from skillyard.model import SkillFile
    from skillyard.search.text import manifest_list
    from skillyard.spec import load_skill

    files = rec.get("files")
    if not isinstance(files, dict) or not isinstance(files.get("SKILL.md"), str):
        return None
    text: str = files["SKILL.md"]
    folder = str(rec["id"]).rstrip("/").rsplit("/", 1)[-1]
    try:
        skill = load_skill(folder, [SkillFile("SKILL.md", text.encode())])
        name, desc, body = skill.name, skill.description, skill.body
        raw = dict(skill.manifest.raw) if skill.manifest else {}
    except Exception:  # the placeholder loader raises on malformed YAML; the real one is lenient
        m = re.match(r"^---\n(.*?)\n---\n?(.*)$", text, re.DOTALL)
        fm, body = (m.group(1), m.group(2)) if m else ("", text)
        nm = re.search(r"^name:\s*['\"]?(.+?)['\"]?\s*$", fm, re.MULTILINE)
        dm = re.search(r"^description:\s*['\"]?(.+?)['\"]?\s*$", fm, re.MULTILINE)
        name = nm.group(1).strip() if nm else folder
        desc = dm.group(1).strip() if dm else ""
        raw = {}
    tags = manifest_list(raw, "tags") + manifest_list(raw, "keywords")
    meta = DocMeta(name=name, ref=str(rec["id"]), description=desc, tags=tuple(tags))
    labels = {name, folder}
    if str(rec["id"]).startswith("skillsbench:"):
        # The benchmark names distinct curated variants of one skill ``pdf-1``, ``pdf-2``...; which record is
        # which is not published, so a curated ``pdf`` answers to any ``pdf-N`` (no task lists two variants).
        labels |= {f"{x}-{i}" for x in (name, folder) for i in range(1, 6)}
    return PoolDoc(meta, extract_fields(name, desc, body, tags), text, frozenset(labels))


def load_pool(shared: Path) -> list[PoolDoc]:
    docs: list[PoolDoc] = []
    for path in (shared / "corpus/skills.jsonl.gz", shared / "retrieval/curated.jsonl.gz"):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                d = parse_record(json.loads(line))
                if d is not None:
                    docs.append(d)
    return docs


def split_of(task: str) -> str:
    """Fixed split: ~60% tuning, ~40% validation, by a hash of the task id."""
    return "tune" if hashlib.sha256(task.encode()).digest()[0] < 154 else "valid"


@dataclass
class Query:
    task: str
    kind: str
    text: str
    relevant: frozenset[str]


def load_queries(shared: Path) -> list[Query]:
    out = []
    with (shared / "retrieval/dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)
            rel = frozenset(t["relevant"])
            out.append(Query(t["task"], "instruction", t["instruction"], rel))
            out.extend(Query(t["task"], "keywords", kq, rel) for kq in t["keyword_queries"])
    return out


def metrics(ranked: Sequence[frozenset[str]], relevant: frozenset[str]) -> dict[str, float]:
    """Each result is the set of names it answers to; it is credited with at most one relevant name not
    credited before (so duplicates of one relevant skill count once)."""
    gains: list[int] = []
    found: set[str] = set()
    for labels in ranked[:10]:
        new = sorted((labels & relevant) - found)
        if new:
            found.add(new[0])
        gains.append(1 if new else 0)
    r5 = sum(gains[:5]) / len(relevant)
    r10 = sum(gains[:10]) / len(relevant)
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    idcg = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    rr = next((1 / (i + 1) for i, g in enumerate(gains) if g), 0.0)
    return {"R@5": r5, "R@10": r10, "nDCG@10": dcg / idcg, "MRR": rr}


Ranked = list[list[str]]  # per result: its ref, then the refs of duplicates collapsed into it
LabelMap = dict[str, frozenset[str]]


def run_queries(run: Callable[[str], Ranked], queries: Sequence[Query]) -> tuple[list[Ranked], list[float]]:
    out: list[Ranked] = []
    lat: list[float] = []
    for q in queries:
        t0 = time.perf_counter()
        out.append(run(q.text))
        lat.append((time.perf_counter() - t0) * 1000)
    return out, lat


def score(
    ranked: Sequence[Ranked], queries: Sequence[Query], labels: LabelMap, with_dups: bool = True
) -> dict[tuple[str, str], dict[str, float]]:
    acc: dict[tuple[str, str], list[dict[str, float]]] = {}
    for q, res in zip(queries, ranked, strict=True):
        sets = [frozenset().union(*(labels[r] for r in (group if with_dups else group[:1]))) for group in res]
        acc.setdefault((split_of(q.task), q.kind), []).append(metrics(sets, q.relevant))
    return {k: {m: statistics.mean(x[m] for x in v) for m in v[0]} for k, v in acc.items()}


def hybrid_runner(idx: SearchIndex, mode: str = "hybrid") -> Callable[[str], Ranked]:
    return lambda q: [[h.ref, *h.duplicates] for h in idx.search(q, 10, mode=mode)]


class PlainBM25:
    """The baseline: bm25s over the raw SKILL.md with its own English stemming tokenizer, whole query."""

    def __init__(self, docs: Sequence[PoolDoc]) -> None:
        import bm25s
        import Stemmer

        self.stemmer = Stemmer.Stemmer("english")
        self.refs = [d.meta.ref for d in docs]
        tokens = bm25s.tokenize([d.raw for d in docs], stopwords="en", stemmer=self.stemmer, show_progress=False)
        self.model = bm25s.BM25()
        self.model.index(tokens, show_progress=False)
        self.bm25s = bm25s

    def __call__(self, q: str) -> Ranked:
        qt = self.bm25s.tokenize([q], stopwords="en", stemmer=self.stemmer, show_progress=False)
        if not qt.vocab:
            return []
        res, _ = self.model.retrieve(qt, k=10, show_progress=False)
        return [[self.refs[i]] for i in res[0]]


def fused_keyword_rows(
    idx: SearchIndex, base: PlainBM25, queries: Sequence[Query], labels: LabelMap
) -> list[tuple[str, dict[tuple[str, str], dict[str, float]], list[float]]]:
    """SECONDARY metric, never instead of the per-query keyword figures: per task, ALL its keyword_queries
    fused into one ranking (``SearchIndex.search_multi``, require="any"; the baseline's per-query top 100
    fused by the same RRF). One ranking per task, scored against all of the task's relevant skills."""
    from skillyard.search.fusion import fuse_orders

    tasks: dict[str, list[Query]] = {}
    for q in queries:
        if q.kind == "keywords":
            tasks.setdefault(q.task, []).append(q)
    fq = [Query(t, "kw-fused", " | ".join(x.text for x in qs), qs[0].relevant) for t, qs in tasks.items()]
    k = idx.config.multi_rrf_k

    def plain(task: str) -> Ranked:
        orders = []
        for x in tasks[task]:
            qt = base.bm25s.tokenize([x.text], stopwords="en", stemmer=base.stemmer, show_progress=False)
            if qt.vocab:
                res, _ = base.model.retrieve(qt, k=100, show_progress=False)
                orders.append([int(i) for i in res[0]])
        fused = fuse_orders(orders, k)
        return [[base.refs[i]] for i in sorted(fused, key=lambda i: -fused[i])[:10]]

    def hybrid(task: str) -> Ranked:
        hits = idx.search_multi([x.text for x in tasks[task]], 10)
        return [[h.ref, *h.duplicates] for h in hits]

    out = []
    for label, fn in (("plain-bm25", plain), ("skillyard-hybrid", hybrid)):
        ranked, lat = run_queries(lambda text, fn=fn: fn(text), [Query(q.task, q.kind, q.task, q.relevant) for q in fq])
        out.append((label, score(ranked, fq, labels), lat))
    return out


def build_index(docs: Sequence[PoolDoc], config: SearchConfig) -> tuple[SearchIndex, float]:
    t0 = time.perf_counter()
    idx = SearchIndex(get_embedder(), config)
    for i in range(0, len(docs), 512):
        chunk = docs[i : i + 512]
        idx.add_many([d.meta for d in chunk], [d.fields for d in chunk])
    idx.lexical.ensure_built()
    return idx, time.perf_counter() - t0


def pct(xs: Sequence[float], p: float) -> float:
    return float(np.percentile(np.asarray(xs), p))


def report(label: str, res: dict[tuple[str, str], dict[str, float]], lat: Sequence[float]) -> None:
    for split in ("tune", "valid"):
        for kind in ("instruction", "keywords", "kw-fused"):
            m = res.get((split, kind))
            if m:
                cells = "  ".join(f"{k} {v:.3f}" for k, v in m.items())
                print(f"  {label:<16} {split:<5} {kind:<11} {cells}")
    print(f"  {label:<16} latency p50 {pct(lat, 50):.2f} ms  p95 {pct(lat, 95):.2f} ms  (n={len(lat)})")


def scale_run(n: int, persisted: bool = True, keep: Path | None = None) -> None:
    """Replicate the pool to ``n`` skills (fresh refs) and measure query latency and resident memory.

    The pool is analysed and embedded once; copies reuse its term ids and vectors (re-analysing identical
    text would only measure the 6.4k build again), so ``assemble`` is the time to add ``n`` analysed documents
    and build the BM25 scores. With ``persisted``, the index is then saved and a fresh process loads it and
    runs the same queries (what ``skillyard search`` and the MCP server do), reporting its own memory.
    """
    docs = load_pool(SHARED)
    queries = load_queries(SHARED)
    base = SearchIndex(get_embedder(), SearchConfig())
    base_terms = [base.lexical.analyse(d.fields) for d in docs]
    base_vecs = np.concatenate(
        [base.embed_docs([d.fields for d in docs[i : i + 512]]) for i in range(0, len(docs), 512)]
    )
    metas = [d.meta for d in docs]
    vocab = base.lexical.vocab
    del docs, base
    rss_before = rss_mib()
    t0 = time.perf_counter()
    idx = SearchIndex(get_embedder(), SearchConfig())
    idx.lexical.vocab = vocab
    reps = n // len(metas) + 1
    chunk = 8192
    for start in range(0, n, chunk):
        ids = range(start, min(n, start + chunk))
        idx.add_many(
            [replace(metas[i % len(metas)], ref=f"{metas[i % len(metas)].ref}#{i // len(metas)}") for i in ids],
            [None] * len(ids),
            np.stack([base_vecs[i % len(metas)] for i in ids]),
            analysed=[base_terms[i % len(metas)] for i in ids],
        )
    idx.lexical.ensure_built()
    assemble_s = time.perf_counter() - t0
    rss_built = rss_mib()
    del base_terms, base_vecs
    _, lat = run_queries(hybrid_runner(idx), queries)
    rss_after = rss_mib()
    idx.config = replace(idx.config, prefilter_above=10**9)
    _, lat_exact = run_queries(hybrid_runner(idx), queries)
    print(
        f"  scale {n:>7} skills ({reps} copies): assemble {assemble_s:6.1f} s  hybrid query p50 {pct(lat, 50):.2f} ms"
        f"  p95 {pct(lat, 95):.2f} ms  (exact vector scan: p50 {pct(lat_exact, 50):.2f} ms  p95 "
        f"{pct(lat_exact, 95):.2f} ms)  RSS {rss_after:.0f} MiB (before assembling {rss_before:.0f}, "
        f"assembled {rss_built:.0f}, peak {peak_rss_mib():.0f})",
        flush=True,
    )
    if not persisted:
        return
    import tempfile

    from skillyard.search.persist import save_index

    with tempfile.TemporaryDirectory(prefix="sy-bench-") as tmp:
        path = keep or Path(tmp) / f"scale{n}.search.npz"
        t0 = time.perf_counter()
        save_index(idx, path)
        save_s = time.perf_counter() - t0
        size = path.stat().st_size / 2**20
        del idx
        peak = peak_rss_mib()
        print(f"  scale {n:>7} saved in {save_s:.1f} s ({size:.0f} MiB file); peak RSS {peak:.0f} MiB", flush=True)
        subprocess.run([sys.executable, __file__, "--load-persisted", str(path)], check=True)


def load_persisted(path: Path) -> None:
    """A fresh process that loads a saved index and queries it (the shape of ``skillyard search``)."""
    from skillyard.search.persist import load_index

    queries = load_queries(SHARED)
    emb = get_embedder()
    emb.embed(["warm up"])
    rss0 = rss_mib()
    t0 = time.perf_counter()
    idx = load_index(path, emb)
    load_s = time.perf_counter() - t0
    rss_loaded = rss_mib()
    t0 = time.perf_counter()
    idx.search(queries[0].text, 10)
    first_ms = (time.perf_counter() - t0) * 1000
    _, lat = run_queries(hybrid_runner(idx), queries)
    print(
        f"  loaded {len(idx):>7} skills from the saved index in a new process: load {load_s:.2f} s, first query "
        f"{first_ms:.0f} ms, then p50 {pct(lat, 50):.2f} ms  p95 {pct(lat, 95):.2f} ms; RSS before loading "
        f"{rss0:.0f} MiB, loaded {rss_loaded:.0f}, after {len(lat) + 1} queries {rss_mib():.0f} ({rss_parts()}), "
        f"peak {peak_rss_mib():.0f}",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--no-scale", action="store_true")
    ap.add_argument("--scale", type=int, default=0, help="run only one scale run of this many skills")
    ap.add_argument("--no-persisted", action="store_true", help="scale run: skip the save + fresh-process load")
    ap.add_argument("--keep-index", type=Path, help="scale run: save the index to this path and keep it")
    ap.add_argument("--load-persisted", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--config", default="{}", help="JSON overrides of SearchConfig (tuning)")
    ap.add_argument("--modes", default="hybrid,lexical,semantic")
    args = ap.parse_args()
    if not (args.shared / "retrieval/dev.jsonl").is_file():
        sys.exit(f"{args.shared}: shared data not found")
    if args.load_persisted:
        load_persisted(args.load_persisted)
        return
    if args.scale:
        scale_run(args.scale, persisted=not args.no_persisted, keep=args.keep_index)
        return
    config = replace(SearchConfig(), **json.loads(args.config))
    t0 = time.perf_counter()
    docs = load_pool(args.shared)
    queries = load_queries(args.shared)
    n_tasks = {q.task for q in queries}
    print(
        f"pool {len(docs)} skills (parsed in {time.perf_counter() - t0:.1f}s); {len(n_tasks)} tasks, "
        f"{sum(split_of(t) == 'tune' for t in n_tasks)} tuning / {sum(split_of(t) == 'valid' for t in n_tasks)} "
        f"validation; {len(queries)} queries; embedder {get_embedder().id}"
    )

    rss0 = rss_mib()
    t0 = time.perf_counter()
    base = PlainBM25(docs)
    print(f"baseline bm25s build {time.perf_counter() - t0:.1f}s")
    rss1 = rss_mib()
    idx, build_s = build_index(docs, config)
    print(
        f"skillyard index build {build_s:.1f}s (2 cores), +{rss_mib() - rss1:.0f} MiB resident "
        f"(baseline +{rss1 - rss0:.0f} MiB)"
    )
    labels: LabelMap = {d.meta.ref: d.labels for d in docs}
    strict: LabelMap = {d.meta.ref: frozenset({d.meta.name}) for d in docs}
    ranked_b, lat_b = run_queries(base, queries)
    res_b = score(ranked_b, queries, labels)
    report("plain-bm25", res_b, lat_b)
    strict_lines = [("plain-bm25", score(ranked_b, queries, strict))]
    for mode in args.modes.split(","):
        ranked, lat = run_queries(hybrid_runner(idx, mode), queries)
        res = score(ranked, queries, labels)
        report(f"skillyard-{mode}", res, lat)
        strict_lines.append((f"skillyard-{mode}", score(ranked, queries, strict, with_dups=False)))
        if mode == "hybrid":
            for key in sorted(res):
                r, b = res[key]["R@10"], res_b[key]["R@10"]
                print(f"  ratio R@10 hybrid/plain {key[0]:<5} {key[1]:<11} {r / b if b else float('inf'):.2f}x")
            print(f"  ratio latency p50 hybrid/plain {pct(lat, 50) / pct(lat_b, 50):.2f}x")
    print(
        "SECONDARY, per-task fused keywords (one ranking per task: all of its keyword_queries fused by RRF,"
        " search_multi any-of; not the per-query keyword metric above):"
    )
    for label, res_f, lat_f in fused_keyword_rows(idx, base, queries, labels):
        report(label, res_f, lat_f)
    print("strict labels (manifest name only, no variant names, no credit for collapsed duplicates), R@10:")
    for label, res in strict_lines:
        cells = "  ".join(f"{k[0]}/{k[1]} {v['R@10']:.3f}" for k, v in sorted(res.items()))
        print(f"  {label:<18} {cells}")
    if not args.no_scale:
        for n in (25_000, 100_000):
            subprocess.run([sys.executable, __file__, "--scale", str(n), "--shared", str(args.shared)], check=True)


if __name__ == "__main__":
    main()
