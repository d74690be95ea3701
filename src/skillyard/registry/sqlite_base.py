"""The connection layer of the SQLite registry: open (WAL, pragmas, retry on a locked open), migrate, and the
two primitives every other part of :class:`~skillyard.registry.sqlite.SQLiteStore` uses: one write
transaction (:meth:`SQLiteBase._tx`) and one locked read (:meth:`SQLiteBase._read`)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from skillyard.registry.interface import StoreError, StoreOpenError
from skillyard.registry.migrations import MIGRATIONS, SCHEMA_MIGRATIONS_DDL, latest_version
from skillyard.registry.sqlite_util import statements, utc_now

__all__ = ["SQLiteBase"]


class SQLiteBase:
    """One SQLite connection, migrated to the latest schema, shared between threads under a lock."""

    def __init__(self, location: str | Path, *, timeout: float = 30.0, compress: bool = True) -> None:
        self.location = str(location)
        self._compress = compress
        self._lock = threading.RLock()
        if self.location != ":memory:":
            path = Path(self.location).expanduser()
            if path.is_dir():
                raise StoreOpenError(f"{self.location}: is a directory, expected a registry database file")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreOpenError(f"{self.location}: cannot create parent directory: {e}") from e
        try:
            self._conn = sqlite3.connect(self.location, timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as e:
            raise StoreOpenError(f"{self.location}: cannot open registry: {e}") from e
        # Opening while another process writes can report "database is locked" at once (SQLite skips the busy
        # handler in some WAL lock states), so the open sequence is retried until the timeout.
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
                self._conn.execute("PRAGMA foreign_keys = ON")
                self._migrate()
                break
            except sqlite3.OperationalError as e:
                if "locked" in str(e) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                self._conn.close()
                raise StoreOpenError(f"{self.location}: not a usable skillyard registry: {e}") from e
            except sqlite3.DatabaseError as e:
                self._conn.close()
                raise StoreOpenError(f"{self.location}: not a usable skillyard registry: {e}") from e

    def _migrate(self) -> None:
        conn = self._conn
        conn.execute(SCHEMA_MIGRATIONS_DDL)
        applied = {int(r[0]) for r in conn.execute("SELECT version FROM schema_migrations")}
        if applied and max(applied) > latest_version():
            raise StoreOpenError(
                f"{self.location}: schema version {max(applied)} is newer than this skillyard "
                f"supports ({latest_version()}); upgrade skillyard"
            )
        for m in MIGRATIONS:
            if m.version in applied:
                continue
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have applied it while we waited for the write lock.
                if conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (m.version,)).fetchone():
                    conn.execute("COMMIT")
                    continue
                for stmt in statements(m.sql):
                    conn.execute(stmt)
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (m.version, m.name, utc_now()),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; the write lock is taken at BEGIN so readers never see partial state."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as e:
                raise StoreError(f"{self.location}: cannot start a write transaction: {e}") from e
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as e:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if isinstance(e, sqlite3.Error):  # disk full, locked too long, corrupt page...
                    raise StoreError(f"{self.location}: {e}") from e
                raise

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as e:
                raise StoreError(f"{self.location}: {e}") from e

    def schema_migrations(self) -> list[tuple[int, str, str]]:
        """The applied migrations as ``(version, name, applied_at)``, oldest first."""
        return [
            (int(r[0]), str(r[1]), str(r[2]))
            for r in self._read("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
        ]

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock, suppress(sqlite3.Error):
            self._conn.close()
