"""Multi-query search: several queries (the facets of one task) fused into one ranking."""

from __future__ import annotations

import pytest

from skillyard.search.embed import get_embedder
from skillyard.search.engine import DocMeta, Filters, SearchIndex
from skillyard.search.fusion import fuse_orders
from skillyard.search.interface import SearchError
from skillyard.search.text import extract_fields

POOL = {
    "pdf-extract": "Extract text and tables from PDF documents.",
    "pdf-merge": "Merge and split PDF files, reorder pages.",
    "fuzzy-match": "Fuzzy string matching of names with edit distance and token ratios.",
    "git-commits": "Write clear git commit messages following the conventional commits format.",
    "bread-baking": "Bake sourdough bread at home: starter, kneading, proofing and oven temperatures.",
    "pdf-fuzzy-search": "Search PDF documents for approximate (fuzzy) string matches.",
}


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    idx = SearchIndex(get_embedder())
    for name, desc in POOL.items():
        tier = 3 if name != "pdf-extract" else 1
        meta = DocMeta(name=name, ref=f"{name}@1", description=desc, trust_tier=tier)
        idx.add(meta, extract_fields(name, desc, f"# {name}\n\n{desc}\n"))
    return idx


def test_fuse_orders_any_sums_reciprocal_ranks_and_all_intersects() -> None:
    any_ = fuse_orders([[1, 2, 3], [3, 4]], k=10)
    assert any_[3] == pytest.approx(1 / 13 + 1 / 11)
    assert any_[1] == pytest.approx(1 / 11)
    assert max(any_, key=lambda p: any_[p]) == 3  # retrieved by both queries beats first place in one
    assert set(fuse_orders([[1, 2, 3], [3, 4]], k=10, require="all")) == {3}
    with pytest.raises(ValueError):
        fuse_orders([[1]], k=10, require="most")


def test_any_of_brings_each_facets_best_skill_into_one_list(index: SearchIndex) -> None:
    single = [h.name for h in index.search("fuzzy string matching", 2, mode="lexical")]
    assert "git-commits" not in single
    names = [h.name for h in index.search_multi(["fuzzy string matching", "git commit message"], 3, mode="lexical")]
    assert "fuzzy-match" in names and "git-commits" in names
    assert "bread-baking" not in names


def test_all_of_keeps_only_skills_every_query_retrieved(index: SearchIndex) -> None:
    hits = index.search_multi(["pdf documents", "fuzzy string"], 5, mode="lexical", require="all")
    assert [h.name for h in hits] == ["pdf-fuzzy-search"]
    assert hits[0].why["query_ranks"][0] is not None and hits[0].why["query_ranks"][1] is not None


def test_why_gives_rank_per_query_and_matched_terms_of_all_queries(index: SearchIndex) -> None:
    hits = index.search_multi(["sourdough", "git commits"], 5, mode="lexical")
    by_name = {h.name: h for h in hits}
    assert by_name["bread-baking"].why["query_ranks"] == [1, None]
    assert by_name["git-commits"].why["query_ranks"] == [None, 1]
    assert "sourdough" in " ".join(by_name["bread-baking"].why["matched"]["description"])


def test_one_query_ranks_as_plain_search_and_filters_apply(index: SearchIndex) -> None:
    q = "extract tables from pdf"
    assert [h.ref for h in index.search_multi([q], 4)] == [h.ref for h in index.search(q, 4)]
    hits = index.search_multi([q, "merge pdf"], 5, Filters(min_trust=2))
    assert hits and all(h.name != "pdf-extract" for h in hits)


def test_empty_queries_and_bad_modes(index: SearchIndex) -> None:
    assert index.search_multi([], 5) == []
    assert index.search_multi(["  ", ""], 5) == []
    with pytest.raises(SearchError):
        index.search_multi(["pdf"], 5, require="most")
    with pytest.raises(SearchError):
        index.search_multi(["pdf"], 5, mode="fuzzy")
