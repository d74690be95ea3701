"""Search use case: the one function the CLI, MCP and HTTP layers call, plus the registry glue.

- Vectors are computed at ingest: importing this module registers an ``on_version_added`` hook that embeds the
  new version and stores the vector as the artifact ``embedding:<embedder id>`` of its digest, and updates an
  in-memory index of that registry if one is open. ``on_version_removed`` marks it for reconciliation.
- The index (terms + vectors + metadata of the latest version of every skill) is persisted next to the
  registry (``<registry>.search.npz``; for non-file registries under ``$SKILLYARD_HOME/search/``). Each
  :func:`open_index` compares it with ``store.list_latest()`` (name, digest, trust tier, risk) and applies
  only the difference, so a stale index is detected and updated incrementally, never trusted blindly.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from skillyard.errors import UsageError
from skillyard.model import Skill, Version
from skillyard.registry import SkillStore
from skillyard.search.embed import DEFAULT_EMBEDDER, get_embedder
from skillyard.search.engine import DocMeta, Filters, Hit, SearchConfig, SearchIndex
from skillyard.search.fusion import MULTI_MODES
from skillyard.search.interface import Embedder, IndexFormatError, SearchError
from skillyard.search.persist import load_index, save_index
from skillyard.search.text import DocFields, extract_fields, manifest_list
from skillyard.services import hooks
from skillyard.services.config import skillyard_home

__all__ = [
    "Filters",
    "Hit",
    "IndexStatus",
    "forget",
    "index_path",
    "open_index",
    "reindex",
    "search",
    "search_batch",
    "search_multi",
]

KNOWN_AGENTS = ("claude", "codex", "cursor", "gemini", "opencode", "copilot", "openclaw")
ProgressFn = Callable[[int, int], None]


def artifact_kind(embedder: Embedder) -> str:
    """Artifact kind under which a version's vector is stored for ``embedder``."""
    return f"embedding:{embedder.id}"


def _agents(raw: Mapping[str, Any], compatibility: str | None) -> tuple[str, ...]:
    declared = [a.lower() for a in manifest_list(raw, "agents")]
    text = (compatibility or "").lower()
    declared += [a for a in KNOWN_AGENTS if a in text and a not in declared]
    return tuple(dict.fromkeys(declared))


def document(skill: Skill, version: Version) -> tuple[DocMeta, DocFields]:
    """The index metadata and searchable fields of a stored skill version."""
    raw: Mapping[str, Any] = skill.manifest.raw if skill.manifest else {}
    tags = manifest_list(raw, "tags") + manifest_list(raw, "keywords")
    compat = skill.manifest.compatibility if skill.manifest else None
    source = version.provenance.source_uri if version.provenance else ""
    meta = DocMeta(
        name=version.name,
        ref=version.ref,
        digest=version.digest,
        description=skill.description or version.description,
        trust_tier=version.trust_tier,
        tags=tuple(dict.fromkeys(tags)),
        source=source,
        agents=_agents(raw, compat),
    )
    return meta, extract_fields(version.name, meta.description, skill.body, tags)


def _vector(store: SkillStore, index: SearchIndex, digest: str, fields: DocFields) -> np.ndarray[Any, Any]:
    kind = artifact_kind(index.embedder)
    blob = store.get_artifact(digest, kind)
    if blob is not None and len(blob) == 4 * index.embedder.dim:
        return np.frombuffer(blob, dtype=np.float32).copy()
    vec: np.ndarray[Any, Any] = index.embed_docs([fields])[0]
    store.put_artifact(digest, kind, vec.astype(np.float32).tobytes())
    return vec


def index_path(store: SkillStore, embedder: Embedder | None = None) -> Path:
    """Where the persisted index of ``store`` lives (one file per non-default embedder)."""
    emb = embedder or get_embedder()
    suffix = "" if emb.id.startswith(DEFAULT_EMBEDDER + "-") else "." + re.sub(r"[^A-Za-z0-9.@-]+", "_", emb.id)
    loc = store.location
    if "://" not in loc and loc not in ("", ":memory:"):
        return Path(f"{loc}.search{suffix}.npz")
    return skillyard_home() / "search" / f"{hashlib.sha256(loc.encode()).hexdigest()[:16]}{suffix}.npz"


@dataclass
class IndexStatus:
    """What :func:`open_index` did: documents added, removed, refreshed, and whether it was rebuilt."""

    path: str
    documents: int = 0
    added: int = 0
    removed: int = 0
    updated: int = 0
    rebuilt: bool = False
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# A cached index is trusted this long after its last reconciliation (hooks keep it current within this
# process; another process writing the same registry is noticed after at most this delay).
RECHECK_SECONDS = 5.0


@dataclass
class _Cached:
    index: SearchIndex
    checked_at: float = field(default_factory=time.monotonic)
    dirty: bool = False


_lock = threading.RLock()
_cache: dict[tuple[str, str], _Cached] = {}


def _key(store: SkillStore, embedder: Embedder) -> tuple[str, str]:
    return (store.location, embedder.id)


def open_index(
    store: SkillStore,
    *,
    embedder: Embedder | None = None,
    config: SearchConfig | None = None,
    rebuild: bool = False,
    on_progress: ProgressFn | None = None,
) -> tuple[SearchIndex, IndexStatus]:
    """The up-to-date index of ``store``: cached in memory, else loaded from disk, then reconciled with the
    registry's latest versions (only the differences are applied) and saved when anything changed."""
    emb = embedder or get_embedder()
    path = index_path(store, emb)
    status = IndexStatus(str(path))
    with _lock:
        cached = None if rebuild else _cache.get(_key(store, emb))
        if cached and not cached.dirty and time.monotonic() - cached.checked_at < RECHECK_SECONDS:
            if config is not None:
                cached.index.config = config
            status.documents = len(cached.index)
            return cached.index, status
        index = cached.index if cached else None
        if index is None and not rebuild and path.is_file():
            try:
                index = load_index(path, emb, config)
            except IndexFormatError as e:
                status.notes.append(f"rebuilding: {e}")
        if index is None:
            index = SearchIndex(emb, config or SearchConfig())
            status.rebuilt = True
        elif config is not None:
            index.config = config
        changed = _reconcile(store, index, status, on_progress)
        if changed or status.rebuilt or not path.is_file():
            index.lexical.ensure_built()  # persisted with the index: the next process skips re-indexing
            try:
                save_index(index, path)
            except OSError as e:  # a read-only registry folder still gets an in-memory index
                status.notes.append(f"{path}: index not saved: {e}")
        _cache[_key(store, emb)] = _Cached(index)
        status.documents = len(index)
        return index, status


def _reconcile(store: SkillStore, index: SearchIndex, status: IndexStatus, on_progress: ProgressFn | None) -> bool:
    latest = {v.ref: v for v in store.list_latest()}
    stale = [
        ref
        for ref in index.refs()
        if ref not in latest or _meta_differs(index.get(ref), latest[ref])  # type: ignore[arg-type]
    ]
    status.updated = sum(1 for r in stale if r in latest)
    status.removed = index.remove(stale) - status.updated
    missing = [v for ref, v in latest.items() if ref not in index]
    batch_m: list[DocMeta] = []
    batch_f: list[DocFields] = []
    batch_v: list[np.ndarray[Any, Any]] = []
    for i, v in enumerate(missing):
        skill = store.load_skill(v.name, v.label)
        meta, fields = document(skill, v)
        batch_m.append(meta)
        batch_f.append(fields)
        batch_v.append(_vector(store, index, v.digest, fields))
        if len(batch_m) >= 256 or i == len(missing) - 1:
            index.add_many(batch_m, batch_f, np.stack(batch_v).astype(np.float32))
            batch_m, batch_f, batch_v = [], [], []
        if on_progress is not None:
            on_progress(i + 1, len(missing))
    status.added = len(missing) - status.updated
    return bool(stale or missing)


def _meta_differs(meta: DocMeta, v: Version) -> bool:
    source = v.provenance.source_uri if v.provenance else ""
    return meta.digest != v.digest or meta.trust_tier != v.trust_tier or meta.source != source


def forget(store: SkillStore) -> None:
    """Drop the in-memory index of ``store`` (the next search reloads and reconciles the persisted one)."""
    with _lock:
        for key in [k for k in _cache if k[0] == store.location]:
            del _cache[key]


def reindex(store: SkillStore, *, on_progress: ProgressFn | None = None) -> IndexStatus:
    """Rebuild the index of ``store`` from scratch (stored vectors are reused)."""
    return open_index(store, rebuild=True, on_progress=on_progress)[1]


def search(
    store: SkillStore,
    query: str,
    limit: int = 10,
    filters: Filters | None = None,
    *,
    mode: str = "hybrid",
) -> list[Hit]:
    """Hybrid search over the latest version of every skill in ``store``.

    Returns at most ``limit`` hits, best first, each with name, ref (``name@version``), score, snippet, the
    ``why`` of the match (fields and terms matched, lexical and semantic ranks) and collapsed duplicates.
    """
    if limit < 1:
        raise UsageError(f"limit must be at least 1 (got {limit})")
    index, _ = open_index(store)
    with _lock:  # hooks may mutate the cached index from another thread (servers)
        return index.search(query, limit, filters, mode=mode)


def search_multi(
    store: SkillStore,
    queries: Sequence[str],
    limit: int = 10,
    filters: Filters | None = None,
    *,
    mode: str = "hybrid",
    require: str = "any",
) -> list[Hit]:
    """One ranking for several queries (e.g. the facets of a task: "fuzzy string matching", "read PDF
    tables"): each is ranked as by :func:`search` and the rankings are fused by reciprocal rank.
    ``require="any"`` keeps skills any query found; ``"all"`` only those every query found. Each hit's
    ``why["query_ranks"]`` gives its rank per query (None where that query did not retrieve it)."""
    if limit < 1:
        raise UsageError(f"limit must be at least 1 (got {limit})")
    if require not in MULTI_MODES:
        raise UsageError(f"require must be 'any' or 'all' (got {require!r})")
    index, _ = open_index(store)
    with _lock:
        return index.search_multi(list(queries), limit, filters, mode=mode, require=require)


def search_batch(
    store: SkillStore,
    queries: Iterable[tuple[Any, str]],
    limit: int = 10,
    filters: Filters | None = None,
    *,
    mode: str = "hybrid",
) -> Iterator[tuple[Any, list[Hit]]]:
    """Run many queries against one opened index; yields ``(id, hits)`` in input order."""
    if limit < 1:
        raise UsageError(f"limit must be at least 1 (got {limit})")
    index, _ = open_index(store)
    for qid, text in queries:
        with _lock:
            hits = index.search(text, limit, filters, mode=mode)
        yield qid, hits


@hooks.on_version_added
def _on_added(store: SkillStore, skill: Skill, version: Version) -> None:
    try:
        emb = get_embedder()
    except SearchError:
        return
    with _lock:
        cached = _cache.get(_key(store, emb))
        index = cached.index if cached else SearchIndex(emb)
        meta, fields = document(skill, version)
        vec = _vector(store, index, version.digest, fields)
        if cached is not None:
            stale = [m.ref for m in index.metas if m.name == version.name and m.ref != version.ref]
            index.remove(stale)
            index.add(meta, fields, vec)


@hooks.on_version_removed
def _on_removed(store: SkillStore, version: Version) -> None:
    with _lock:
        for (loc, _), cached in _cache.items():
            if loc == store.location:
                cached.index.remove([version.ref])
                cached.dirty = True
