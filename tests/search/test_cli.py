"""``skillyard search``: JSON output, batch mode order, filters and usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillyard.cli.main import cli

from ..conftest import write_skill


@pytest.fixture
def registry(tmp_path: Path) -> str:
    root = tmp_path / "skills"
    write_skill(root, "sourdough", "Bake sourdough bread: starter, kneading and proofing.")
    write_skill(root, "helm-deploy", "Deploy containers to Kubernetes with Helm charts.", frontmatter={"tags": "[ops]"})
    write_skill(root, "commit-style", "Write conventional git commit messages.")
    reg = str(tmp_path / "reg.db")
    res = CliRunner().invoke(cli, ["--registry", reg, "add", str(root), "--json"])
    assert res.exit_code == 0, res.output
    return reg


def _run(reg: str, *args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, ["--registry", reg, "search", *args])
    return res.exit_code, res.output


def test_single_query_json(registry: str) -> None:
    code, out = _run(registry, "helm kubernetes", "--limit", "2", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["query"] == "helm kubernetes"
    first = doc["results"][0]
    assert first["name"] == "helm-deploy" and first["ref"] == "helm-deploy@1"
    assert {"score", "snippet", "why", "digest", "duplicates"} <= first.keys()
    assert len(doc["results"]) <= 2


def test_text_output_names_the_hit(registry: str) -> None:
    code, out = _run(registry, "sourdough bread")
    assert code == 0
    assert "sourdough@1" in out.splitlines()[0]


def test_batch_one_line_per_query_in_input_order(tmp_path: Path, registry: str) -> None:
    qfile = tmp_path / "q.jsonl"
    lines = [{"id": "c", "query": "git commit"}, {"id": 7, "query": "sourdough"}, {"id": "a", "query": "helm"}]
    qfile.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    code, out = _run(registry, "--queries", str(qfile), "--json", "--limit", "1")
    assert code == 0
    rows = [json.loads(x) for x in out.splitlines()]
    assert [r["id"] for r in rows] == ["c", 7, "a"]
    assert [r["results"][0]["name"] for r in rows] == ["commit-style", "sourdough", "helm-deploy"]


def test_tag_filter(registry: str) -> None:
    code, out = _run(registry, "deploy bread commit", "--tag", "ops", "--json")
    assert code == 0
    assert [r["name"] for r in json.loads(out)["results"]] == ["helm-deploy"]


def test_bad_query_file_is_a_usage_error_naming_file_and_line(tmp_path: Path, registry: str) -> None:
    qfile = tmp_path / "bad.jsonl"
    qfile.write_text('{"id": 1, "query": "ok"}\n{"id": 2}\n', encoding="utf-8")
    code, out = _run(registry, "--queries", str(qfile), "--json")
    assert code == 2
    assert f"{qfile}:2" in json.loads(out)["error"]["message"]


def test_query_and_queries_are_exclusive(tmp_path: Path, registry: str) -> None:
    code, _ = _run(registry, "--json")
    assert code == 2
    code, _ = _run(registry, "x", "--queries", str(tmp_path / "q.jsonl"), "--json")
    assert code == 2


def test_unknown_trust_tier_is_a_usage_error(registry: str) -> None:
    code, out = _run(registry, "x", "--min-trust", "godlike", "--json")
    assert code == 2
    assert "trust tier" in json.loads(out)["error"]["message"]


def test_reindex_rebuilds(registry: str) -> None:
    code, out = _run(registry, "helm", "--reindex", "--json")
    assert code == 0
    assert json.loads(out)["results"][0]["name"] == "helm-deploy"
    assert Path(registry + ".search.npz").is_file()


def test_unknown_embedder_is_a_configuration_error(registry: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLYARD_EMBEDDER", "no-such-model")
    code, out = _run(registry, "helm", "--json")
    assert code == 2
    assert "no-such-model" in json.loads(out)["error"]["message"]


def test_hashing_embedder_gets_its_own_index(registry: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLYARD_EMBEDDER", "hashing")
    code, out = _run(registry, "sourdough bread", "--json")
    assert code == 0
    assert json.loads(out)["results"][0]["name"] == "sourdough"
    assert list(Path(registry).parent.glob("reg.db.search.hashing*.npz"))


def test_any_of_fuses_queries_into_one_list(registry: str) -> None:
    code, out = _run(registry, "sourdough", "--any-of", "helm charts", "--mode", "lexical", "--json")
    assert code == 0, out
    doc = json.loads(out)
    assert doc["queries"] == ["sourdough", "helm charts"] and doc["require"] == "any"
    by_name = {r["name"]: r for r in doc["results"]}
    assert set(by_name) == {"sourdough", "helm-deploy"}
    assert by_name["sourdough"]["why"]["query_ranks"] == [1, None]
    assert by_name["helm-deploy"]["why"]["query_ranks"] == [None, 1]


def test_all_of_keeps_skills_every_query_finds(registry: str) -> None:
    code, out = _run(registry, "--all-of", "deploy", "--all-of", "kubernetes helm", "--mode", "lexical", "--json")
    assert code == 0, out
    assert [r["name"] for r in json.loads(out)["results"]] == ["helm-deploy"]
    code, out = _run(registry, "--all-of", "sourdough", "--all-of", "helm", "--mode", "lexical")
    assert code == 0 and "no matching skills" in out


def test_any_of_and_all_of_are_exclusive_and_not_with_batch(tmp_path: Path, registry: str) -> None:
    assert _run(registry, "x", "--any-of", "y", "--all-of", "z", "--json")[0] == 2
    assert _run(registry, "--any-of", "y", "--queries", str(tmp_path / "q.jsonl"), "--json")[0] == 2
