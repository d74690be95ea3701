"""A persistent response cache for chat completions, keyed by a hash of the whole request.

The key covers the base URL, model, messages, temperature, JSON mode and token limit, so any change to a
prompt (including a new prompt version) misses. Stored in one SQLite file (WAL, one lock per process) so
several runs, threads and processes can share it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from skillyard.llm.interface import Completion, LLMError, TokenUsage

CACHE_FORMAT = 1


def request_key(request: dict[str, Any]) -> str:
    """Stable sha256 of a request mapping (canonical JSON: sorted keys, no whitespace)."""
    blob = json.dumps({"v": CACHE_FORMAT, **request}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    """SQLite-backed ``key -> Completion`` map. Safe to share between threads."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, created REAL NOT NULL, "
                "value TEXT NOT NULL)"
            )
            self._db.commit()
        except (OSError, sqlite3.Error) as e:
            raise LLMError(f"{self.path}: cannot open the LLM response cache: {e}") from e

    def get(self, key: str) -> Completion | None:
        """The cached completion for ``key`` (marked ``cached=True``), or ``None``."""
        with self._lock:
            row = self._db.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            d = json.loads(row[0])
            return Completion(
                text=str(d["text"]),
                model=str(d["model"]),
                usage=TokenUsage(int(d["prompt_tokens"]), int(d["completion_tokens"])),
                finish_reason=d.get("finish_reason"),
                cached=True,
            )
        except (ValueError, KeyError, TypeError):
            return None  # a corrupt entry is a miss; it is overwritten by the next put

    def put(self, key: str, completion: Completion) -> None:
        value = json.dumps(
            {
                "text": completion.text,
                "model": completion.model,
                "prompt_tokens": completion.usage.prompt_tokens,
                "completion_tokens": completion.usage.completion_tokens,
                "finish_reason": completion.finish_reason,
            },
            ensure_ascii=False,
        )
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO responses (key, created, value) VALUES (?, ?, ?)",
                (key, time.time(), value),
            )
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            row = self._db.execute("SELECT COUNT(*) FROM responses").fetchone()
        return int(row[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
