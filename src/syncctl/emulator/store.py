"""SQLite persistence of the emulator's sync jobs.

One connection guarded by a lock: every operation is a short transaction, so concurrent
requests from the server's threads are serialised and never see a half-written job. File
databases use WAL so a second process (another emulator on the same file, a test reading it)
can read while one writes. Jobs are stored as JSON objects; ``seq`` (insertion order) gives the
deterministic list order and the position behind the opaque page cursors.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syncctl.errors import EmulatorError

Job = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    environment_id TEXT NOT NULL,
    integration_name TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_env_seq ON jobs (environment_id, seq);
"""


@dataclass(frozen=True, slots=True)
class Page:
    """One page: each job as its stored JSON text, and the ``seq`` to continue after
    (``None``: no more jobs). Listing splices the texts without decoding them."""

    raw: tuple[str, ...]
    next_after: int | None

    @property
    def jobs(self) -> tuple[Job, ...]:
        return tuple(_load(text) for text in self.raw)


class Store:
    """Jobs by environment, persisted in SQLite. ``path`` may be ``":memory:"``."""

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
        except (sqlite3.Error, OSError) as exc:
            raise EmulatorError(f"cannot open emulator database {self.path}: {exc}") from None
        self._closed = False

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def insert(self, job: Job) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT INTO jobs (id, environment_id, integration_name, data) VALUES (?, ?, ?, ?)",
                (job["id"], job["environment_id"], job.get("integration_name"), _dump(job)),
            )

    def get(self, environment_id: str, job_id: str) -> Job | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT data FROM jobs WHERE id = ? AND environment_id = ?",
                (job_id, environment_id),
            ).fetchone()
        return None if row is None else _load(row[0])

    def replace(self, environment_id: str, job: Job) -> bool:
        """Overwrite a job in place (its list position is kept); False if it is gone."""
        with self._lock:
            cursor = self._conn.execute(
                "UPDATE jobs SET integration_name = ?, data = ?"
                " WHERE id = ? AND environment_id = ?",
                (job.get("integration_name"), _dump(job), job["id"], environment_id),
            )
        return cursor.rowcount == 1

    def delete(self, environment_id: str, job_id: str) -> bool:
        with self._lock:
            cursor = self._conn.execute(
                "DELETE FROM jobs WHERE id = ? AND environment_id = ?", (job_id, environment_id)
            )
        return cursor.rowcount == 1

    def page(
        self,
        environment_id: str,
        *,
        after: int = 0,
        limit: int,
        integration_name: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> Page:
        """Up to ``limit`` jobs after position ``after``, in creation order."""
        where = ["environment_id = ?", "seq > ?"]
        params: list[Any] = [environment_id, after]
        if integration_name is not None:
            where.append("integration_name = ?")
            params.append(integration_name)
        if ids is not None:
            if not ids:
                return Page((), None)
            where.append(f"id IN ({', '.join('?' for _ in ids)})")
            params.extend(ids)
        params.append(limit + 1)
        sql = f"SELECT seq, data FROM jobs WHERE {' AND '.join(where)} ORDER BY seq LIMIT ?"
        with self._lock:
            rows = self._conn.execute(sql, params).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        return Page(tuple(data for _, data in rows), rows[-1][0] if more else None)

    def count(self, environment_id: str | None = None) -> int:
        with self._lock:
            if environment_id is None:
                row = self._conn.execute("SELECT COUNT(*) FROM jobs").fetchone()
            else:
                row = self._conn.execute(
                    "SELECT COUNT(*) FROM jobs WHERE environment_id = ?", (environment_id,)
                ).fetchone()
        return int(row[0])


def _dump(job: Job) -> str:
    return json.dumps(job, separators=(",", ":"))


def _load(data: str) -> Job:
    job = json.loads(data)
    assert isinstance(job, dict)
    return job
