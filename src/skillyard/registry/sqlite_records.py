"""Derived data kept beside the versions in the SQLite registry: artifacts (scan results, embeddings) keyed
by version digest, JSON records keyed by ``(kind, key)``, and the append-only audit log."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from skillyard.registry.sqlite_base import SQLiteBase
from skillyard.registry.sqlite_util import json_obj, utc_now

__all__ = ["SQLiteRecords"]


class SQLiteRecords(SQLiteBase):
    """Artifacts, records and the audit log; every write is its own transaction."""

    def put_artifact(self, digest: str, kind: str, data: bytes) -> None:
        """Attach derived data (``kind`` e.g. ``scan``, ``embedding:wordllama``) to a version digest."""
        with self._tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO artifacts (digest, kind, data, created_at) VALUES (?, ?, ?, ?)",
                (digest, kind, data, utc_now()),
            )

    def get_artifact(self, digest: str, kind: str) -> bytes | None:
        rows = self._read("SELECT data FROM artifacts WHERE digest = ? AND kind = ?", (digest, kind))
        return bytes(rows[0][0]) if rows else None

    def iter_artifacts(self, kind: str) -> Iterator[tuple[str, bytes]]:
        """Every ``(digest, data)`` of ``kind``, sorted by digest (materialised, so writes may interleave)."""
        rows = self._read("SELECT digest, data FROM artifacts WHERE kind = ? ORDER BY digest", (kind,))
        for r in rows:
            yield str(r[0]), bytes(r[1])

    def put_record(self, kind: str, key: str, value: dict[str, Any]) -> None:
        """Store a JSON record under ``(kind, key)``, replacing any previous one."""
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        with self._tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO records (kind, key, json, updated_at) VALUES (?, ?, ?, ?)",
                (kind, key, text, utc_now()),
            )

    def put_records(self, kind: str, items: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Store many JSON records of one ``kind`` in a single transaction (all or none)."""
        now = utc_now()
        rows = [(kind, key, json.dumps(v, ensure_ascii=False, sort_keys=True, default=str), now) for key, v in items]
        with self._tx() as conn:
            conn.executemany("INSERT OR REPLACE INTO records (kind, key, json, updated_at) VALUES (?, ?, ?, ?)", rows)

    def get_record(self, kind: str, key: str) -> dict[str, Any] | None:
        rows = self._read("SELECT json FROM records WHERE kind = ? AND key = ?", (kind, key))
        return json_obj(rows[0][0]) if rows else None

    def list_records(self, kind: str, prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
        """Records of ``kind`` whose key starts with ``prefix``, sorted by key."""
        rows = self._read(
            "SELECT key, json FROM records WHERE kind = ? AND substr(key, 1, ?) = ? ORDER BY key",
            (kind, len(prefix), prefix),
        )
        return [(str(r[0]), json_obj(r[1])) for r in rows]

    def audit(self, action: str, subject: str, detail: dict[str, Any] | None = None) -> None:
        """Append one entry to the audit log."""
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO audit (ts, action, subject, detail) VALUES (?, ?, ?, ?)",
                (utc_now(), action, subject, json.dumps(detail or {}, default=str)),
            )

    def audit_log(self, limit: int = 100) -> Sequence[dict[str, Any]]:
        """The newest ``limit`` audit entries, newest first."""
        rows = self._read("SELECT id, ts, action, subject, detail FROM audit ORDER BY id DESC LIMIT ?", (int(limit),))
        return [{"id": int(r[0]), "ts": r[1], "action": r[2], "subject": r[3], "detail": json_obj(r[4])} for r in rows]
