"""The search service over a real SQLite registry: vectors at ingest, incremental updates, persistence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from skillyard.errors import UsageError
from skillyard.model import Provenance
from skillyard.registry.sqlite import SQLiteStore
from skillyard.search.embed import get_embedder
from skillyard.search.persist import read_header
from skillyard.services import core, hooks
from skillyard.services import search as svc
from skillyard.services.core_add import add

from ..conftest import skill_obj, write_skill

SKILLS = {
    "sourdough": "Bake sourdough bread: starter, kneading, proofing and oven temperatures.",
    "helm-deploy": "Deploy containers to Kubernetes with Helm charts.",
    "commit-style": "Write conventional git commit messages.",
}


@pytest.fixture
def filled(tmp_path: Path, store: SQLiteStore) -> SQLiteStore:
    root = tmp_path / "skills"
    for name, desc in SKILLS.items():
        write_skill(root, name, desc, f"# {name}\n\n{desc}\n")
    report = add(store, [str(root)])
    assert report.ok, report.to_dict()
    return store


def test_vectors_are_stored_at_ingest(filled: SQLiteStore) -> None:
    kind = svc.artifact_kind(get_embedder())
    stored = dict(filled.iter_artifacts(kind))
    assert {v.digest for v in filled.list_latest()} == set(stored)
    vec = np.frombuffer(next(iter(stored.values())), dtype=np.float32)
    assert vec.shape == (get_embedder().dim,)
    assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-4


def test_search_finds_and_reports_registry_refs(filled: SQLiteStore) -> None:
    hits = svc.search(filled, "helm kubernetes deployment", limit=2)
    assert hits[0].name == "helm-deploy"
    assert hits[0].ref == filled.get_version("helm-deploy").ref
    assert hits[0].digest == filled.get_version("helm-deploy").digest
    assert Path(svc.index_path(filled)).is_file()


def test_add_and_remove_update_the_open_index_incrementally(tmp_path: Path, filled: SQLiteStore) -> None:
    index, _ = svc.open_index(filled)
    before = len(index)
    write_skill(tmp_path / "more", "tomato-garden", "Grow tomatoes in a vegetable garden.")
    add(filled, [str(tmp_path / "more")])
    assert len(index) == before + 1  # the hook updated the cached index in place
    assert svc.search(filled, "tomatoes", limit=1)[0].name == "tomato-garden"
    core.remove(filled, "tomato-garden")
    assert "tomato-garden" not in [h.name for h in svc.search(filled, "tomatoes vegetable garden", limit=5)]
    assert len(svc.open_index(filled)[0]) == before


def test_a_stale_persisted_index_is_reconciled_not_rebuilt(filled: SQLiteStore) -> None:
    svc.open_index(filled)
    svc.forget(filled)
    # A change made without the hooks (e.g. another process): the persisted index is now stale.
    filled.add(skill_obj("yoga", "Morning yoga routine for back pain."), Provenance("mem:yoga"))
    filled.remove("commit-style")
    index, status = svc.open_index(filled)
    assert not status.rebuilt
    assert (status.added, status.removed) == (1, 1)
    assert sorted(m.name for m in index.metas) == ["helm-deploy", "sourdough", "yoga"]
    assert read_header(svc.index_path(filled))["count"] == 3
    svc.forget(filled)
    _, again = svc.open_index(filled)
    assert (again.added, again.removed, again.updated, again.rebuilt) == (0, 0, 0, False)


def test_new_version_replaces_the_old_one_in_results(tmp_path: Path, filled: SQLiteStore) -> None:
    write_skill(tmp_path / "v2", "sourdough", "Brew kombucha tea at home.", "# kombucha\n")
    add(filled, [str(tmp_path / "v2")])
    hits = svc.search(filled, "kombucha", limit=3)
    assert [h.name for h in hits] == ["sourdough"]
    assert hits[0].ref == filled.get_version("sourdough").ref
    assert len([m for m in svc.open_index(filled)[0].metas if m.name == "sourdough"]) == 1


def test_trust_tier_change_is_picked_up(filled: SQLiteStore) -> None:
    v = filled.get_version("helm-deploy")
    filled.set_version_fields(v.digest, trust_tier=0)
    svc.forget(filled)
    hits = svc.search(filled, "helm kubernetes", limit=3, filters=svc.Filters(min_trust=1))
    assert "helm-deploy" not in [h.name for h in hits]


def test_batch_keeps_input_order(filled: SQLiteStore) -> None:
    queries = [("b", "git commit"), (1, "sourdough"), ("z", "helm")]
    out = list(svc.search_batch(filled, queries, limit=1))
    assert [qid for qid, _ in out] == ["b", 1, "z"]
    assert [hits[0].name for _, hits in out] == ["commit-style", "sourdough", "helm-deploy"]


def test_search_multi_fuses_queries_and_checks_arguments(filled: SQLiteStore) -> None:
    hits = svc.search_multi(filled, ["sourdough bread", "git commit"], limit=5, mode="lexical")
    assert {h.name for h in hits} == {"sourdough", "commit-style"}
    assert svc.search_multi(filled, ["sourdough", "git commit"], limit=5, mode="lexical", require="all") == []
    with pytest.raises(UsageError):
        svc.search_multi(filled, ["x"], limit=0)
    with pytest.raises(UsageError):
        svc.search_multi(filled, ["x"], require="some")


def test_hooks_are_registered_on_import() -> None:
    assert svc._on_added in hooks._added
    assert svc._on_removed in hooks._removed
