"""The write side of the SQLite registry: adding versions (one at a time or batched under savepoints),
removing them with the blobs and artifacts nothing references any more, version fields, and blob gc.

Atomicity: every call is one ``BEGIN IMMEDIATE ... COMMIT`` transaction, and the blobs of a version are written
in the same transaction as the version row and its file list (see ``docs/registry.md``).
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator

from skillyard.errors import NotFoundError
from skillyard.model import Provenance, Skill, Version, skill_digest
from skillyard.registry.interface import AddResult, StoreError
from skillyard.registry.sqlite_read import SQLiteReads
from skillyard.registry.sqlite_util import (
    CODEC_RAW,
    CODEC_ZLIB,
    SELECT_VERSION,
    clean_label,
    is_safe_path,
    manifest_license,
    pick_seq_and_label,
    row_to_version,
    utc_now,
)

__all__ = ["SQLiteWrites"]

_COMPRESS_MIN = 512  # smaller bodies are stored raw: zlib's header cost outweighs the saving
_ZLIB_LEVEL = 1  # ~2.5x on skill text at a fraction of level 6's CPU cost (see docs/registry.md)


class SQLiteWrites(SQLiteReads):
    """Mutations of skills and versions (``remove`` resolves labels through the read side)."""

    def add(self, skill: Skill, provenance: Provenance, *, label: str | None = None) -> AddResult:
        """Store ``skill`` as a new version of ``skill.name`` unless that exact content is already stored.

        Returns the existing version with ``created=False`` when a version of the same name has the same
        digest. Atomic: one transaction covers blobs, version row, file list and audit entry.
        """
        with self._tx() as conn:
            return self._add_in_tx(conn, skill, provenance, label)

    def add_many(
        self, items: Iterable[tuple[Skill, Provenance]], *, batch_size: int = 64
    ) -> Iterator[AddResult | StoreError]:
        """Add many skills, ``batch_size`` per transaction, each inside its own savepoint.

        Every version is still all-or-nothing (a failing item rolls back to its savepoint and is yielded as
        a :class:`StoreError`); batching only saves commit overhead. Results are yielded in input order.
        """
        batch: list[tuple[Skill, Provenance]] = []
        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                yield from self._add_batch(batch)
                batch = []
        if batch:
            yield from self._add_batch(batch)

    def _add_batch(self, batch: list[tuple[Skill, Provenance]]) -> list[AddResult | StoreError]:
        out: list[AddResult | StoreError] = []
        with self._tx() as conn:
            for skill, prov in batch:
                conn.execute("SAVEPOINT one_version")
                try:
                    out.append(self._add_in_tx(conn, skill, prov, None))
                except (sqlite3.Error, StoreError) as e:
                    conn.execute("ROLLBACK TO one_version")
                    out.append(StoreError(f"{skill.location or skill.name}: {e}"))
                conn.execute("RELEASE one_version")
        return out

    def _add_in_tx(self, conn: sqlite3.Connection, skill: Skill, prov: Provenance, label: str | None) -> AddResult:
        name = skill.name
        if not name:
            raise StoreError(f"{skill.location or '?'}: skill has no name")
        files = sorted(skill.files, key=lambda f: f.path)
        for f in files:
            if not is_safe_path(f.path):
                raise StoreError(
                    f"{skill.location or name}: unsafe file path {f.path!r} (absolute, '..' or empty part)"
                )
        digest = skill_digest((f.path, f.sha256) for f in files)
        now = utc_now()
        row = conn.execute("SELECT id FROM skills WHERE name = ?", (name,)).fetchone()
        if row is None:
            skill_id = int(
                conn.execute("INSERT INTO skills (name, created_at) VALUES (?, ?)", (name, now)).lastrowid or 0
            )
        else:
            skill_id = int(row[0])
            same = conn.execute(
                SELECT_VERSION + "WHERE v.skill_id = ? AND v.digest = ?",
                (skill_id, digest),
            ).fetchone()
            if same is not None:
                return AddResult(row_to_version(same), created=False)
        prev = conn.execute(
            "SELECT digest, seq FROM versions WHERE skill_id = ? ORDER BY seq DESC LIMIT 1", (skill_id,)
        ).fetchone()
        wanted = clean_label(label) or clean_label(skill.manifest.version_label if skill.manifest else None)
        seq, final_label = pick_seq_and_label(conn, skill_id, name, digest, wanted)
        conn.execute("DELETE FROM retired_labels WHERE name = ? AND label = ?", (name, final_label))

        for f in files:
            if conn.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (f.sha256,)).fetchone() is None:
                codec, data = self._encode(f.data)
                conn.execute(
                    "INSERT INTO blobs (sha256, size, codec, data) VALUES (?, ?, ?, ?)",
                    (f.sha256, f.size, codec, data),
                )
        self._before_version_row(conn, skill)
        version = Version(
            name=name,
            label=final_label,
            digest=digest,
            seq=seq,
            created_at=now,
            provenance=Provenance(
                source_uri=prov.source_uri,
                git_commit=prov.git_commit,
                git_path=prov.git_path,
                license=prov.license if prov.license is not None else manifest_license(skill),
                imported_at=prov.imported_at or now,
            ),
            parent_digest=prev[0] if prev else None,
            description=skill.description,
            file_count=len(files),
            total_size=sum(f.size for f in files),
        )
        p = version.provenance
        assert p is not None
        cur = conn.execute(
            "INSERT INTO versions (skill_id, label, seq, digest, parent_digest, created_at, source_uri, "
            "git_commit, git_path, license, imported_at, description, trust_tier, file_count, total_size) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                skill_id,
                final_label,
                seq,
                digest,
                version.parent_digest,
                now,
                p.source_uri,
                p.git_commit,
                p.git_path,
                p.license,
                p.imported_at,
                version.description,
                version.trust_tier,
                version.file_count,
                version.total_size,
            ),
        )
        conn.executemany(
            "INSERT INTO version_files (version_id, path, sha256) VALUES (?, ?, ?)",
            [(cur.lastrowid, f.path, f.sha256) for f in files],
        )
        conn.execute(
            "INSERT INTO audit (ts, action, subject, detail) VALUES (?, 'add', ?, ?)",
            (now, f"{name}@{final_label}", json.dumps({"digest": digest, "source": prov.source_uri})),
        )
        return AddResult(version, created=True)

    def _before_version_row(self, conn: sqlite3.Connection, skill: Skill) -> None:
        """Seam between writing blobs and the version row (crash-consistency tests subclass it)."""

    def _encode(self, data: bytes) -> tuple[int, bytes]:
        if self._compress and len(data) >= _COMPRESS_MIN:
            packed = zlib.compress(data, _ZLIB_LEVEL)
            if len(packed) < len(data) * 0.9:
                return CODEC_ZLIB, packed
        return CODEC_RAW, data

    def remove(self, name: str, label: str | None = None) -> int:
        """Remove one version (or every version when ``label`` is None); returns how many were removed.

        Blobs and artifacts no remaining version references are deleted in the same transaction.
        """
        with self._tx() as conn:
            if label is None:
                rows = conn.execute(
                    "SELECT v.id, v.digest, v.label, v.seq FROM versions v JOIN skills s ON s.id = v.skill_id "
                    "WHERE s.name = ?",
                    (name,),
                ).fetchall()
                if not rows:
                    raise NotFoundError(f"no skill named {name!r} in {self.location}")
            else:
                t = self._version_row(name, label)
                rows = [(t[-1], t[2], t[1], t[3])]
            ids = [int(r[0]) for r in rows]
            marks = ",".join("?" * len(ids))
            shas = [
                str(r[0])
                for r in conn.execute(
                    f"SELECT DISTINCT sha256 FROM version_files WHERE version_id IN ({marks})",  # noqa: S608
                    ids,
                )
            ]
            conn.execute(f"DELETE FROM versions WHERE id IN ({marks})", ids)  # noqa: S608
            self._drop_unreferenced(conn, shas, [str(r[1]) for r in rows])
            conn.execute(
                "DELETE FROM skills WHERE name = ? AND NOT EXISTS (SELECT 1 FROM versions WHERE skill_id = skills.id)",
                (name,),
            )
            now = utc_now()
            conn.executemany(
                "INSERT OR REPLACE INTO retired_labels (name, label, seq, digest, removed_at) VALUES (?, ?, ?, ?, ?)",
                [(name, r[2], r[3], r[1], now) for r in rows],
            )
            conn.executemany(
                "INSERT INTO audit (ts, action, subject, detail) VALUES (?, 'remove', ?, ?)",
                [(now, f"{name}@{r[2]}", json.dumps({"digest": r[1]})) for r in rows],
            )
        return len(rows)

    @staticmethod
    def _drop_unreferenced(conn: sqlite3.Connection, shas: list[str], digests: list[str]) -> None:
        conn.executemany(
            "DELETE FROM blobs WHERE sha256 = ? AND NOT EXISTS "
            "(SELECT 1 FROM version_files WHERE sha256 = blobs.sha256)",
            [(s,) for s in shas],
        )
        conn.executemany(
            "DELETE FROM artifacts WHERE digest = ? AND NOT EXISTS "
            "(SELECT 1 FROM versions WHERE digest = artifacts.digest)",
            [(d,) for d in digests],
        )

    def set_version_fields(self, digest: str, *, trust_tier: int | None = None, risk: str | None = None) -> None:
        """Set the trust tier and/or scan risk of every version with ``digest``."""
        with self._tx() as conn:
            if trust_tier is not None:
                conn.execute("UPDATE versions SET trust_tier = ? WHERE digest = ?", (int(trust_tier), digest))
            if risk is not None:
                conn.execute("UPDATE versions SET risk = ? WHERE digest = ?", (risk, digest))

    def gc(self) -> int:
        """Delete blobs no version references; returns how many. Normally there are none."""
        with self._tx() as conn:
            cur = conn.execute(
                "DELETE FROM blobs WHERE NOT EXISTS (SELECT 1 FROM version_files WHERE sha256 = blobs.sha256)"
            )
            return int(cur.rowcount)
