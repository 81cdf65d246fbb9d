"""Sentence embeddings kept between runs: `OUT/.plandiff/embeddings.sqlite`.

Keyed by model name and text hash, so a re-run, or a new plan that repeats
the reference's texts, embeds nothing twice.  SQLite in WAL mode: several
worker processes may read and add at once, every insert is a transaction,
and a killed process leaves the file consistent.
"""
from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .cache import STATE_DIR
from .errors import StorageError

log = logging.getLogger(__name__)

STORE_FILE = "embeddings.sqlite"
BUSY_TIMEOUT_MS = 30_000   # another process is writing: wait this long before giving up
_QUERY_CHUNK = 500         # keys per SELECT (SQLite limits bound parameters)


class SqliteEmbeddingStore:
    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / STATE_DIR / STORE_FILE
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as con:
                con.execute("PRAGMA journal_mode=WAL")
                con.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, key TEXT NOT NULL, "
                            "vector BLOB NOT NULL, PRIMARY KEY (model, key))")
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the embedding cache {self.path}: {exc}") from exc

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection for one transaction: committed on success, rolled back on error, closed."""
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            with con:
                yield con
        finally:
            con.close()

    def get_many(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        try:
            with self._connect() as con:
                for start in range(0, len(keys), _QUERY_CHUNK):
                    chunk = list(keys[start:start + _QUERY_CHUNK])
                    marks = ",".join("?" * len(chunk))
                    rows = con.execute(f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})",
                                       [model, *chunk])
                    found.update((key, np.frombuffer(blob, dtype=np.float32)) for key, blob in rows)
        except sqlite3.Error as exc:
            # The cache only saves time: an unreadable one is recomputed, not fatal.
            log.warning("embedding cache %s unreadable (%s): embedding again", self.path, exc)
            return {}
        return found

    def put_many(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        rows = [(model, key, np.asarray(v, dtype=np.float32).tobytes()) for key, v in vectors.items()]
        try:
            with self._connect() as con:
                con.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?, ?)", rows)
        except sqlite3.Error as exc:
            log.warning("embedding cache %s not updated (%s)", self.path, exc)
