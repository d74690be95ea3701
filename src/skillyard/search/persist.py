"""Save and load a :class:`~skillyard.search.engine.SearchIndex` as one ``.npz`` file (no pickle).

The file holds the document metadata (JSON), the vector matrix, the vocabulary, each field's postings (term
frequencies as sparse columns) and, when they were built, each field's BM25 scores, so loading needs neither
the registry, nor re-tokenising, nor re-indexing. It is a plain uncompressed ``.npz`` (``numpy.load`` reads
it), written so that every array's data starts 64-byte aligned: loading memory-maps the large arrays straight
from the file instead of reading them into private memory. Pages a query never touches (the term frequencies,
most columns) stay on disk, and the ones it touches are page cache the kernel can reclaim and share between
processes. Writes go to a temporary file renamed over the old one, so readers never see a half-written index
(and a process still mapping the old file keeps its own copy). ``FORMAT_VERSION`` changes whenever the
layout or the analyser changes; an index of another version or embedder is refused with
:class:`~skillyard.search.interface.IndexFormatError` and rebuilt.
"""

from __future__ import annotations

import json
import os
import struct
import tempfile
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from skillyard.search.engine import DocMeta, SearchConfig, SearchIndex
from skillyard.search.interface import Embedder, IndexFormatError, SearchError
from skillyard.search.lexical import FIELDS, Postings

FORMAT_VERSION = 3
_ALIGN = 64
_PAD_ID = 0x5359  # extra-field id of the padding block that aligns array data ("SY"; readers skip unknown ids)
# Arrays below this size are read into memory; larger ones are memory-mapped.
_MAP_MIN_BYTES = 1 << 16

Arr = np.ndarray[Any, Any]


def _json_array(obj: Any) -> np.ndarray[Any, np.dtype[np.uint8]]:
    return np.frombuffer(json.dumps(obj, ensure_ascii=False).encode(), dtype=np.uint8)


def _json_pieces(items: list[DocMeta], per: int = 2048) -> list[bytes]:
    """``items`` (as dicts) as one JSON array, encoded in pieces (no whole-document str: that can be 4 bytes a char)."""
    pieces = [b"["]
    for i in range(0, len(items), per):
        chunk = json.dumps([m.to_dict() for m in items[i : i + per]], ensure_ascii=False).encode()
        pieces.append((b"," if i else b"") + chunk[1:-1])
    pieces.append(b"]")
    return pieces


def _write_member(zf: zipfile.ZipFile, fh: BinaryIO, name: str, arr: Arr | list[bytes]) -> None:
    """One stored (uncompressed) ``name.npy`` member whose array data starts at a multiple of ``_ALIGN``;
    a list of byte strings is written as one uint8 array without joining them first."""
    info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    # local header (30) + name + zip64 extra (20, forced) + our padding; numpy pads its own header to 64.
    base = fh.tell() + 30 + len(info.filename.encode()) + 20
    pad = -base % _ALIGN
    if 0 < pad < 4:
        pad += _ALIGN
    info.extra = struct.pack("<HH", _PAD_ID, pad - 4) + b"\0" * (pad - 4) if pad else b""
    with zf.open(info, "w", force_zip64=True) as out:
        if isinstance(arr, list):
            size = sum(len(b) for b in arr)
            header = {"descr": "|u1", "fortran_order": False, "shape": (size,)}
            np.lib.format.write_array_header_1_0(out, header)
            for piece in arr:
                out.write(piece)
        else:
            np.lib.format.write_array(out, np.asarray(arr), allow_pickle=False)


def save_index(index: SearchIndex, path: Path, extra: dict[str, Any] | None = None) -> None:
    """Write ``index`` to ``path`` atomically; ``extra`` (e.g. a registry fingerprint) is kept in the header."""
    lex = index.lexical
    postings = lex.postings()
    built = lex.matrices
    header = {
        "format": FORMAT_VERSION,
        "bm25": built is not None,
        "k1": lex.k1,
        "b": lex.b,
        "embedder": index.embedder.id,
        "dim": index.embedder.dim,
        "count": len(index),
        "extra": extra or {},
    }
    arrays: dict[str, Arr | list[bytes]] = {
        "header": _json_array(header),
        "metas": _json_pieces(index.metas),
        "vocab": _json_array(sorted(lex.vocab, key=lex.vocab.__getitem__)),
        "df": lex.doc_frequencies(),
        "vectors": index.vectors,
    }
    for f, p in postings.items():
        arrays |= {f"{f}_indptr": p.indptr, f"{f}_indices": p.indices, f"{f}_tf": p.tf, f"{f}_lengths": p.lengths}
        if built is not None:
            arrays[f"{f}_bm25"] = built[f].data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
            for name, arr in arrays.items():
                _write_member(zf, fh, name, arr)
        Path(tmp).chmod(0o644)  # mkstemp creates 0600; the index is as readable as the registry next to it
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _Members:
    """Arrays of an ``.npz``: stored members memory-mapped (read-only) in place, others read by numpy."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip = zipfile.ZipFile(path)
        self._infos = {i.filename.removesuffix(".npy"): i for i in self._zip.infolist()}

    def close(self) -> None:
        self._zip.close()

    def __contains__(self, name: str) -> bool:
        return name in self._infos

    def __getitem__(self, name: str) -> Arr:
        info = self._infos[name]
        if info.compress_type != zipfile.ZIP_STORED or info.file_size < _MAP_MIN_BYTES:
            with self._zip.open(info) as fh:
                return np.lib.format.read_array(fh, allow_pickle=False)
        with self.path.open("rb") as fh:
            fh.seek(info.header_offset)
            local = fh.read(30)
            if local[:4] != b"PK\x03\x04":
                raise ValueError(f"member {name}: bad local header")
            name_len, extra_len = struct.unpack("<HH", local[26:30])
            fh.seek(info.header_offset + 30 + name_len + extra_len)
            version = np.lib.format.read_magic(fh)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
            elif version == (2, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
            else:
                raise ValueError(f"member {name}: unsupported .npy version {version}")
            offset = fh.tell()
        if dtype.hasobject:
            raise ValueError(f"member {name}: object arrays are not allowed")
        if not shape or int(np.prod(shape)) == 0:
            return np.zeros(shape, dtype=dtype)
        arr = np.memmap(self.path, dtype=dtype, mode="r", offset=offset, shape=shape, order="F" if fortran else "C")
        # A plain read-only ndarray view (the mapping stays alive through ``.base``): slicing a plain array in
        # the query loop is cheaper than slicing a ``np.memmap``.
        return np.asarray(arr)


def _json(z: _Members, name: str) -> Any:
    return json.loads(bytes(np.asarray(z[name])).decode())


def read_header(path: Path) -> dict[str, Any]:
    """The header of a saved index (format, embedder, count, extra) without loading the rest."""
    try:
        with zipfile.ZipFile(path) as zf, zf.open("header.npy") as fh:
            header: dict[str, Any] = json.loads(bytes(np.lib.format.read_array(fh, allow_pickle=False)).decode())
            return header
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as e:
        raise IndexFormatError(f"{path}: unreadable search index: {e}") from e


def load_index(path: Path, embedder: Embedder, config: SearchConfig | None = None) -> SearchIndex:
    """Load an index saved by :func:`save_index`; refuses other format versions and other embedders."""
    header = read_header(path)
    if header.get("format") != FORMAT_VERSION:
        raise IndexFormatError(f"{path}: index format {header.get('format')} (expected {FORMAT_VERSION})")
    if header.get("embedder") != embedder.id:
        raise IndexFormatError(f"{path}: index built with embedder {header.get('embedder')}, not {embedder.id}")
    index = SearchIndex(embedder, config or SearchConfig())
    try:
        z = _Members(path)
        try:
            metas = [DocMeta.from_dict(d) for d in _json(z, "metas")]
            vocab = {t: i for i, t in enumerate(_json(z, "vocab"))}
            vectors = z["vectors"]
            postings = {
                f: Postings(
                    np.asarray(z[f"{f}_indptr"], dtype=np.int64),
                    np.asarray(z[f"{f}_indices"], dtype=np.int32),
                    z[f"{f}_tf"],
                    np.asarray(z[f"{f}_lengths"], dtype=np.int32),
                )
                for f in FIELDS
            }
            df = np.array(z["df"], dtype=np.int32)  # a private copy: adding documents updates it
            scores = {f: z[f"{f}_bm25"] for f in FIELDS} if header.get("bm25") else None
        finally:
            z.close()
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as e:
        raise IndexFormatError(f"{path}: unreadable search index: {e}") from e
    if vectors.shape != (len(metas), embedder.dim) or vectors.dtype != np.float32:
        raise IndexFormatError(f"{path}: inconsistent search index (vectors do not match the document count)")
    if any(p.tf.dtype.kind != "u" for p in postings.values()):
        raise IndexFormatError(f"{path}: inconsistent search index (term frequencies are not unsigned)")
    try:
        if len(postings[FIELDS[0]].lengths) != len(metas):
            raise ValueError("postings do not match the document count")
        index.lexical.load(vocab, postings, df)
        index.restore(metas, vectors)
        same_params = header.get("k1") == index.lexical.k1 and header.get("b") == index.lexical.b
        if scores is not None and same_params:
            index.lexical.set_matrices({f: np.asarray(s, dtype=np.float32) for f, s in scores.items()})
    except (ValueError, SearchError) as e:
        raise IndexFormatError(f"{path}: inconsistent search index: {e}") from e
    return index
