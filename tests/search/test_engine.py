"""Ranking, filters, duplicate collapse, add/remove and persistence of the search index (shipped embedder)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from skillyard.search.embed import HashingEmbedder, get_embedder
from skillyard.search.engine import DocMeta, Filters, SearchIndex
from skillyard.search.interface import Embedder, IndexFormatError, SearchError
from skillyard.search.persist import load_index, save_index
from skillyard.search.text import extract_fields

POOL = {
    "car-maintenance": "Keep a car running: oil changes, tire rotation, brake checks and engine service schedules.",
    "bread-baking": "Bake sourdough bread at home: starter, kneading, proofing and oven temperatures.",
    "git-commits": "Write clear git commit messages following the conventional commits format.",
    "pdf-extract": "Extract text and tables from PDF documents.",
    "kubernetes-deploy": "Deploy containers to a Kubernetes cluster with manifests and Helm charts.",
    "email-drafting": "Draft polite professional emails to customers and colleagues.",
}


def _meta(name: str, **kw: object) -> DocMeta:
    return DocMeta(name=name, ref=f"{name}@1", description=POOL.get(name, ""), **kw)  # type: ignore[arg-type]


def _index(embedder: Embedder | None = None, extra: dict[str, dict[str, object]] | None = None) -> SearchIndex:
    idx = SearchIndex(embedder or get_embedder())
    for name, desc in POOL.items():
        idx.add(_meta(name, **(extra or {}).get(name, {})), extract_fields(name, desc, f"# {name}\n\n{desc}\n"))
    return idx


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return _index()


def _names(idx: SearchIndex, q: str, mode: str = "hybrid", **kw: object) -> list[str]:
    return [h.name for h in idx.search(q, 3, mode=mode, **kw)]  # type: ignore[arg-type]


def test_lexical_ranks_the_skill_sharing_rare_terms_first(index: SearchIndex) -> None:
    assert _names(index, "sourdough starter", "lexical")[0] == "bread-baking"
    assert _names(index, "helm charts", "lexical") == ["kubernetes-deploy"]


def test_lexical_finds_nothing_without_shared_terms(index: SearchIndex) -> None:
    assert _names(index, "vehicle upkeep", "lexical") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("vehicle upkeep", "car-maintenance"),
        ("cooking loaves", "bread-baking"),
        ("letters to clients", "email-drafting"),
    ],
)
def test_semantic_ranks_a_synonymous_skill_first(index: SearchIndex, query: str, expected: str) -> None:
    assert _names(index, query, "semantic")[0] == expected


def test_hybrid_ranks_relevant_first_for_lexical_and_semantic_matches(index: SearchIndex) -> None:
    assert _names(index, "commit message conventions")[0] == "git-commits"
    assert _names(index, "vehicle upkeep")[0] == "car-maintenance"


def test_hits_carry_ref_snippet_and_why(index: SearchIndex) -> None:
    hit = index.search("helm kubernetes", 1)[0]
    assert hit.ref == "kubernetes-deploy@1"
    assert hit.snippet.startswith("Deploy containers")
    assert hit.why["lexical_rank"] == 1
    assert "kubernet" in hit.why["matched"]["name"]
    assert hit.score > 0


def test_unknown_mode_is_an_error(index: SearchIndex) -> None:
    with pytest.raises(SearchError, match="mode"):
        index.search("x", mode="fuzzy")


def test_filters_trust_tags_source_agent() -> None:
    extra: dict[str, dict[str, object]] = {
        "pdf-extract": {"trust_tier": 3, "tags": ("Documents",), "source": "https://github.com/acme/skills"},
        "email-drafting": {"trust_tier": 0, "agents": ("codex",)},
        "git-commits": {"agents": ("claude",)},
    }
    idx = _index(extra=extra)
    q = "extract pdf text, draft emails, git commits"
    assert set(_names(idx, q)) >= {"pdf-extract", "email-drafting", "git-commits"}
    assert "email-drafting" not in [h.name for h in idx.search(q, 10, Filters(min_trust=1))]
    assert [h.name for h in idx.search(q, 10, Filters(tags=("documents",)))] == ["pdf-extract"]
    assert [h.name for h in idx.search(q, 10, Filters(source="acme/skills"))] == ["pdf-extract"]
    by_agent = [h.name for h in idx.search(q, 10, Filters(agent="claude"))]
    assert "git-commits" in by_agent and "email-drafting" not in by_agent
    assert "pdf-extract" in by_agent  # declares no agent: compatible with all


def test_identical_skills_collapse_into_one_hit_with_duplicates() -> None:
    idx = _index()
    desc = POOL["pdf-extract"]
    idx.add(DocMeta("pdf-extract", "mirror/pdf-extract@1", description=desc), extract_fields("pdf-extract", desc, ""))
    idx.add(DocMeta("pdf-tools", "pdf-tools@1", description=desc), extract_fields("pdf-tools", desc, ""))
    hits = idx.search("extract tables from pdf", 5)
    pdf_hits = [h for h in hits if "pdf" in h.name]
    assert len(pdf_hits) <= 2
    assert sum(len(h.duplicates) for h in pdf_hits) >= 1
    first = pdf_hits[0]
    assert "mirror/pdf-extract@1" in (first.ref, *first.duplicates)


def test_add_replace_and_remove() -> None:
    idx = _index()
    assert len(idx) == len(POOL)
    idx.add(_meta("car-maintenance"), extract_fields("car-maintenance", "Grow tomatoes in a garden.", ""))
    assert len(idx) == len(POOL)
    assert _names(idx, "tomatoes garden", "lexical") == ["car-maintenance"]
    assert idx.remove(["car-maintenance@1", "nope@1"]) == 1
    assert "car-maintenance@1" not in idx
    assert "car-maintenance" not in _names(idx, "tomatoes garden oil brake")
    assert _names(idx, "sourdough", "lexical") == ["bread-baking"]


def test_vectors_of_wrong_shape_are_refused() -> None:
    idx = SearchIndex(HashingEmbedder(16))
    with pytest.raises(SearchError, match="shape"):
        idx.add(_meta("x"), extract_fields("x", "y", ""), np.zeros(8, dtype=np.float32))


def test_persist_roundtrip_gives_identical_results(tmp_path: Path, index: SearchIndex) -> None:
    path = tmp_path / "i.npz"
    index.lexical.ensure_built()
    save_index(index, path)
    loaded = load_index(path, index.embedder)
    assert loaded.lexical.matrices is not None  # BM25 matrices persisted, not rebuilt
    for q in ("vehicle upkeep", "helm", "git commit message format"):
        a, b = index.search(q, 5), loaded.search(q, 5)
        assert [(h.ref, round(h.score, 6)) for h in a] == [(h.ref, round(h.score, 6)) for h in b]


def test_persisted_index_without_matrices_rebuilds_them(tmp_path: Path) -> None:
    idx = _index(HashingEmbedder(32))
    idx.add(_meta("yoga"), extract_fields("yoga", "Morning yoga stretches.", ""))  # invalidates the matrices
    path = tmp_path / "i.npz"
    save_index(idx, path)
    loaded = load_index(path, idx.embedder)
    assert loaded.lexical.matrices is None
    assert [h.name for h in loaded.search("yoga stretches", 1, mode="lexical")] == ["yoga"]


def test_persisted_index_of_another_embedder_or_corrupt_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "i.npz"
    save_index(_index(HashingEmbedder(32)), path)
    with pytest.raises(IndexFormatError, match="embedder"):
        load_index(path, HashingEmbedder(64))
    path.write_bytes(b"not a zip")
    with pytest.raises(IndexFormatError, match=str(path.name)):
        load_index(path, HashingEmbedder(32))


def test_hashing_embedder_is_a_working_fallback() -> None:
    idx = _index(HashingEmbedder())
    assert _names(idx, "sourdough bread", "semantic")[0] == "bread-baking"


def test_two_stage_vector_scan_scores_kept_documents_exactly() -> None:
    from dataclasses import replace

    idx = _index(HashingEmbedder(32))
    qv = idx.embedder.embed(["sourdough bread oven kubernetes"])[0]
    exact = idx.vectors @ qv
    idx.config = replace(idx.config, prefilter_above=0, prefilter_dims=8, prefilter_keep=3)
    two = idx._similarities(qv)
    kept = np.isclose(two, exact, atol=1e-6)
    assert kept.sum() >= 3
    assert two[~kept].max(initial=-1.0) < two[kept].min()
    idx.config = replace(idx.config, prefilter_keep=len(idx))
    assert np.allclose(idx._similarities(qv), exact, atol=1e-6)


def test_keyword_queries_skip_the_headings_boost() -> None:
    # "tolerances" is a section title of one skill and said twice in the other's body.
    idx = SearchIndex(get_embedder())
    a = "Machining notes for lathes.\n\n## Tolerances\n\nKeep them tight and check them often with gauges."
    b = "Machining notes for mills. Tolerances matter: measure tolerances with calipers."
    idx.add(_meta("lathe-notes"), extract_fields("lathe-notes", "Lathe machining notes.", a))
    idx.add(_meta("mill-notes"), extract_fields("mill-notes", "Mill machining notes.", b))
    with_boost = idx.lexical.scores({"toler": 1.0})
    without = idx.lexical.scores({"toler": 1.0}, weights={"headings": 0.0})
    assert with_boost[0] > with_boost[1] and without[0] < without[1]
    assert [h.name for h in idx.search("tolerances", 2, mode="lexical")] == ["mill-notes", "lathe-notes"]
    boosted = SearchIndex(idx.embedder, replace(idx.config, short_headings_weight=None), idx.lexical, idx.metas)
    boosted._vecs, boosted._pos = idx._vecs, idx._pos
    assert [h.name for h in boosted.search("tolerances", 2, mode="lexical")] == ["lathe-notes", "mill-notes"]
