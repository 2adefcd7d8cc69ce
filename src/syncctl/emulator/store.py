"""SQLite persistence of the emulator's objects, one kind column for every kind it serves.

One connection guarded by a lock: every operation is a short transaction, so concurrent
requests from the server's threads are serialised and never see a half-written object. File
databases use WAL so a second process (another emulator on the same file, a test reading it)
can read while one writes. Objects are stored as JSON texts in one table keyed by ``kind``
(the kind's name: ``sync_job``, ``workflow``…), so a new kind needs no new table; ``seq``
(insertion order, shared by all kinds) gives the deterministic list order and the position
behind the opaque page cursors.

A database written before kinds existed holds its jobs in a table ``jobs``; opening it moves
them, with their positions, into the kind table as ``sync_job`` rows (once, atomically).
Every method takes ``kind=`` (default ``"sync_job"``): one kind's objects are invisible to the
others.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syncctl.errors import EmulatorError

Job = dict[str, Any]
"""One stored object (a sync job, a workflow…) as its JSON object."""

DEFAULT_KIND = "sync_job"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    environment_id TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS objects_kind_env_seq ON objects (kind, environment_id, seq);
"""

_MIGRATE_JOBS = """
INSERT INTO objects (seq, kind, id, environment_id, data)
    SELECT seq, 'sync_job', id, environment_id, data FROM jobs ORDER BY seq;
DROP TABLE jobs;
"""


@dataclass(frozen=True, slots=True)
class Page:
    """One page: each object as its stored JSON text, and the ``seq`` to continue after
    (``None``: no more objects). Listing splices the texts without decoding them."""

    raw: tuple[str, ...]
    next_after: int | None

    @property
    def jobs(self) -> tuple[Job, ...]:
        return tuple(_load(text) for text in self.raw)


class Store:
    """Objects by kind and environment, persisted in SQLite. ``path`` may be ``":memory:"``."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None, timeout=30.0
            )
            if self.path != ":memory:":
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)
            self._migrate()
        except (sqlite3.Error, OSError) as exc:
            raise EmulatorError(f"cannot open emulator database {self.path}: {exc}") from None
        self._closed = False

    def _migrate(self) -> None:
        """Move the jobs of a database from before kinds into the kind table (once)."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            old = self._conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'jobs'"
            ).fetchone()
            if old is not None:
                for statement in _MIGRATE_JOBS.strip().split(";\n"):
                    self._conn.execute(statement)
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def insert(self, job: Job, *, kind: str = DEFAULT_KIND) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT INTO objects (kind, id, environment_id, data) VALUES (?, ?, ?, ?)",
                (kind, job["id"], job["environment_id"], _dump(job)),
            )

    def get(self, environment_id: str, job_id: str, *, kind: str = DEFAULT_KIND) -> Job | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT data FROM objects WHERE id = ? AND environment_id = ? AND kind = ?",
                (job_id, environment_id, kind),
            ).fetchone()
        return None if row is None else _load(row[0])

    def replace(self, environment_id: str, job: Job, *, kind: str = DEFAULT_KIND) -> bool:
        """Overwrite an object in place (its list position is kept); False if it is gone."""
        with self._lock:
            cursor = self._conn.execute(
                "UPDATE objects SET data = ? WHERE id = ? AND environment_id = ? AND kind = ?",
                (_dump(job), job["id"], environment_id, kind),
            )
        return cursor.rowcount == 1

    def delete(self, environment_id: str, job_id: str, *, kind: str = DEFAULT_KIND) -> bool:
        with self._lock:
            cursor = self._conn.execute(
                "DELETE FROM objects WHERE id = ? AND environment_id = ? AND kind = ?",
                (job_id, environment_id, kind),
            )
        return cursor.rowcount == 1

    def page(
        self,
        environment_id: str,
        *,
        after: int = 0,
        limit: int,
        kind: str = DEFAULT_KIND,
        equal: Mapping[str, str] | None = None,
        ids: Sequence[str] | None = None,
    ) -> Page:
        """Up to ``limit`` objects after position ``after``, in creation order.

        ``equal`` keeps the objects whose top-level field has exactly that string value (a
        list filter such as ``integration_name``); ``ids`` keeps those ids (none if empty).
        """
        where = ["kind = ?", "environment_id = ?", "seq > ?"]
        params: list[Any] = [kind, environment_id, after]
        for name, value in (equal or {}).items():
            where.append("json_extract(data, ?) IS ?")
            params.extend((_json_path(name), value))
        if ids is not None:
            if not ids:
                return Page((), None)
            where.append(f"id IN ({', '.join('?' for _ in ids)})")
            params.extend(ids)
        params.append(limit + 1)
        sql = f"SELECT seq, data FROM objects WHERE {' AND '.join(where)} ORDER BY seq LIMIT ?"
        with self._lock:
            rows = self._conn.execute(sql, params).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        return Page(tuple(data for _, data in rows), rows[-1][0] if more else None)

    def count(self, environment_id: str | None = None, *, kind: str = DEFAULT_KIND) -> int:
        """How many objects of ``kind`` there are (in ``environment_id``, or in all)."""
        sql = "SELECT COUNT(*) FROM objects WHERE kind = ?"
        params: list[str] = [kind]
        if environment_id is not None:
            sql += " AND environment_id = ?"
            params.append(environment_id)
        with self._lock:
            row = self._conn.execute(sql, params).fetchone()
        return int(row[0])


def _json_path(name: str) -> str:
    """The SQLite JSON path of a top-level key (a field name of a kind's table)."""
    return f'$."{name}"'


def _dump(job: Job) -> str:
    return json.dumps(job, separators=(",", ":"))


def _load(data: str) -> Job:
    job = json.loads(data)
    assert isinstance(job, dict)
    return job
