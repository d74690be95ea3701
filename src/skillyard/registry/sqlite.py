"""The embedded SQLite registry: content-addressed blobs, versions, provenance, artifacts, records, audit.

Durability and atomicity: the database runs in WAL mode with ``synchronous=NORMAL`` and foreign keys on.
Every mutating call is one ``BEGIN IMMEDIATE ... COMMIT`` transaction, and the blobs of a version are written
in the same transaction as the version row and its file list, so after a crash (even ``kill -9``) a version
is either fully present or absent and no blob is left unreferenced by a half-written add. ``remove`` deletes
the blobs and artifacts nothing references any more in the same transaction; :meth:`SQLiteStore.gc` sweeps
anything left behind by older releases or manual edits.

Labels: an explicit ``label`` argument, else ``Manifest.version_label`` (``metadata.version`` or ClawHub's
top-level ``version``), else the per-skill sequence number (``1``, ``2``, ...). When the wanted label is
already taken by different content the next free ``LABEL+N`` (N = 2, 3, ...) is used, so a label always
names exactly one content. ``latest`` and ``sha256:...`` are reserved and never used as labels.

The class is assembled from one module per concern, each readable on its own:

- ``sqlite_base``: open, pragmas, migrations, the write transaction and the locked read;
- ``sqlite_read``: versions, labels and digest prefixes, files, rebuilt skills;
- ``sqlite_write``: add / add_many, remove, version fields, gc;
- ``sqlite_records``: artifacts, JSON records, the audit log;
- ``sqlite_util``: row mapping, label picking, codecs and the integrity check.
"""

from __future__ import annotations

import sqlite3

from skillyard.registry.sqlite_records import SQLiteRecords
from skillyard.registry.sqlite_util import CODEC_RAW, CODEC_ZLIB, CheckReport, check_connection
from skillyard.registry.sqlite_write import SQLiteWrites

__all__ = ["CODEC_RAW", "CODEC_ZLIB", "CheckReport", "SQLiteStore"]


class SQLiteStore(SQLiteWrites, SQLiteRecords):
    """A :class:`~skillyard.registry.interface.SkillStore` in one SQLite file (or ``:memory:``).

    Safe to share between threads of one process (calls are serialised by a lock) and between processes
    (SQLite locking; writers wait up to ``timeout`` seconds for each other).
    ``SQLiteStore(location, *, timeout=30.0, compress=True)``: opening is in
    :class:`~skillyard.registry.sqlite_base.SQLiteBase`.
    """

    def stats(self) -> dict[str, int]:
        """Counts and sizes: skills, versions, blobs, stored and raw blob bytes."""
        row = self._read(
            "SELECT (SELECT COUNT(*) FROM skills), (SELECT COUNT(*) FROM versions), "
            "(SELECT COUNT(*) FROM blobs), (SELECT COALESCE(SUM(length(data)), 0) FROM blobs), "
            "(SELECT COALESCE(SUM(size), 0) FROM blobs)"
        )[0]
        keys = ("skills", "versions", "blobs", "blob_bytes_stored", "blob_bytes_raw")
        return {k: int(v) for k, v in zip(keys, row, strict=True)}

    def check(self, *, deep: bool = True) -> CheckReport:
        """Verify the registry: SQLite integrity and foreign keys, every version's files present, every
        version digest recomputed from its file list, and (``deep``) every blob's sha256 from its bytes."""
        with self._lock:
            try:
                return check_connection(self._conn, deep=deep)
            except sqlite3.DatabaseError as e:
                return CheckReport(0, 0, (f"database unreadable: {e}",))

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({self.location!r})"
