"""The compact lexical layout: bm25s's scores bit for bit, merges and deletions equal a fresh build, and the
memory-mapped index file."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import bm25s
import numpy as np
import pytest
from bm25s.tokenization import Tokenized

from skillyard.search import lexical
from skillyard.search.embed import HashingEmbedder
from skillyard.search.engine import DocMeta, SearchIndex
from skillyard.search.lexical import FIELDS, LexicalIndex
from skillyard.search.persist import load_index, save_index
from skillyard.search.text import extract_fields


def _docs(n: int, vocab: int, seed: int) -> list[tuple[np.ndarray, ...]]:
    rng = np.random.default_rng(seed)
    docs = []
    for _ in range(n):
        sizes = rng.integers(0, [4, 12, 20, 200])  # an empty field now and then
        # Zipf-like ids: many repeats per document, a long tail of rare terms.
        docs.append(tuple((rng.zipf(1.3, s) % vocab).astype(np.int32) for s in sizes))
    return docs


def _index(docs: list[tuple[np.ndarray, ...]], vocab: int) -> LexicalIndex:
    lex = LexicalIndex(vocab={f"t{i}": i for i in range(vocab)})
    lex.extend(docs)
    lex.ensure_built()
    return lex


def _dense(lex: LexicalIndex, f: str) -> dict[tuple[int, int], float]:
    m = lex.matrices[f]  # type: ignore[index]
    cols = np.searchsorted(m.indptr, np.arange(len(m.data)), side="right") - 1
    return {(int(d), int(t)): float(s) for d, t, s in zip(m.indices, cols, m.data, strict=True)}


def _bm25s(docs: list[tuple[np.ndarray, ...]], fi: int) -> dict[tuple[int, int], float]:
    """What the previous implementation stored: one bm25s model per field over field-local term ids."""
    local: dict[int, int] = {}
    corpus = [[local.setdefault(int(t), len(local)) for t in d[fi]] for d in docs]
    model = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    model.index(Tokenized(ids=corpus, vocab={str(k): v for k, v in local.items()}), show_progress=False)
    sc = model.scores
    inv = {v: k for k, v in local.items()}
    out = {}
    for c in range(len(sc["indptr"]) - 1):
        for k in range(sc["indptr"][c], sc["indptr"][c + 1]):
            out[(int(sc["indices"][k]), inv[c])] = float(sc["data"][k])
    return out


def test_scores_equal_bm25s_bit_for_bit() -> None:
    docs = _docs(300, 500, seed=1)
    lex = _index(docs, 500)
    for fi, f in enumerate(FIELDS):
        ours, theirs = _dense(lex, f), _bm25s(docs, fi)
        assert ours.keys() == theirs.keys()
        assert all(ours[k] == theirs[k] for k in ours), f  # exact float32 equality, not approximate


def test_batched_merges_and_deletions_equal_a_fresh_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexical, "_PENDING", 7)  # many merges of a small pending batch
    docs = _docs(120, 300, seed=2)
    lex = LexicalIndex(vocab={f"t{i}": i for i in range(300)})
    for i in range(0, len(docs), 5):
        lex.extend(docs[i : i + 5])
    drop = [0, 3, 50, 51, 119]
    lex.delete(drop)
    lex.ensure_built()
    kept = [d for i, d in enumerate(docs) if i not in drop]
    fresh = _index(kept, 300)
    for f in FIELDS:
        assert _dense(lex, f) == _dense(fresh, f)
        np.testing.assert_array_equal(lex.postings()[f].lengths, fresh.postings()[f].lengths)
    np.testing.assert_array_equal(lex.doc_frequencies(), fresh.doc_frequencies())
    assert len(lex) == len(kept)
    assert lex.idf("t1") == fresh.idf("t1") > 0


def test_term_frequencies_beyond_uint16_are_kept() -> None:
    lex = LexicalIndex(vocab={"a": 0, "b": 1})
    many = np.zeros(70_000, np.int32)
    lex.extend([(many[:1], many[:1], many[:0], many), (many[:0], many[:0], many[:0], np.array([1], np.int32))])
    body = lex.postings()["body"]
    assert body.tf.dtype == np.uint32 and int(body.tf.max()) == 70_000


def test_matched_fields_and_name_coverage_read_the_columns() -> None:
    lex = LexicalIndex()
    for name, desc in (("pdf-tools", "merge pdf files"), ("csv", "read csv tables")):
        lex.append(lex.analyse(extract_fields(name, desc, f"# {name}\n{desc}\n")))
    everywhere = {f: ["pdf"] for f in FIELDS}  # the heading is the name
    assert lex.matched_fields(0, {"pdf": 1.0, "tabl": 1.0}) == everywhere
    assert lex.matched_fields(1, {"pdf": 1.0, "tabl": 1.0}) == {"description": ["tabl"], "body": ["tabl"]}
    cover = lex.name_coverage({"csv": 0.5, "pdf": 1.0})
    assert cover[1] == pytest.approx(0.5) and cover[0] == 0.0  # pdf-tools' name has a term not in the query


def _search_index(n: int) -> SearchIndex:
    idx = SearchIndex(HashingEmbedder(64))
    rng = np.random.default_rng(3)
    words = [f"word{i}" for i in range(400)]
    for i in range(n):
        text = " ".join(rng.choice(words, 60))
        idx.add(DocMeta(name=f"skill-{i}", ref=f"skill-{i}@1"), extract_fields(f"skill-{i}", text[:80], text))
    idx.lexical.ensure_built()
    return idx


def test_saved_index_is_aligned_memory_mapped_and_answers_the_same(tmp_path: Path) -> None:
    idx = _search_index(600)
    path = tmp_path / "i.npz"
    save_index(idx, path)
    with np.load(path) as z:  # still a plain .npz
        assert int(z["vectors"].shape[0]) == 600
    loaded = load_index(path, idx.embedder)
    body = loaded.lexical.postings()["body"]
    assert isinstance(body.indices.base, np.memmap) and not body.indices.flags.writeable
    assert body.indices.ctypes.data % 64 == 0 and loaded.vectors.ctypes.data % 64 == 0
    assert loaded.lexical.matrices is not None
    for q in ("word1 word7 word300", "skill 12", "word9"):
        assert [h.to_dict() for h in loaded.search(q, 5)] == [h.to_dict() for h in idx.search(q, 5)]
    # The loaded arrays are read-only maps: changes go to fresh arrays, and the file is not touched.
    before = path.read_bytes()
    loaded.add(DocMeta(name="new", ref="new@1"), extract_fields("new", "word1 word2", "word1"))
    loaded.remove(["skill-3@1"])
    assert loaded.search("word1 word2", 1)[0].ref == "new@1"
    assert path.read_bytes() == before
    save_index(loaded, path)  # over the file it maps
    again = load_index(path, idx.embedder)
    assert len(again) == 600 and "skill-3@1" not in again and "new@1" in again


def test_members_are_stored_uncompressed(tmp_path: Path) -> None:
    path = tmp_path / "i.npz"
    save_index(_search_index(20), path)
    with zipfile.ZipFile(path) as zf:
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_STORED}
        assert {"metas.npy", "vectors.npy", "body_tf.npy", "body_bm25.npy"} <= set(zf.namelist())


def test_metadata_json_is_written_in_pieces_that_join_to_one_array() -> None:
    from skillyard.search.persist import _json_pieces

    metas = [DocMeta(name=f"s{i}", ref=f"s{i}@1", description="naïve 日本語 ✓" * (i % 3)) for i in range(7)]
    for per in (1, 2, 7, 100):
        joined = b"".join(_json_pieces(metas, per=per))
        assert json.loads(joined) == [m.to_dict() for m in metas]
    assert json.loads(b"".join(_json_pieces([]))) == []
