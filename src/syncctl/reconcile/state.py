"""The state file ``state/<env>.json``: which remote job each job file owns.

Format (``format_version`` 1)::

    {"format_version": 1, "environment": "production", "serial": 7,
     "jobs": {"zendesk/tickets": {"id": "…", "hash": "sha256:…", "protected": false}},
     "pending": {"hubspot/contacts": {"label": "…", "integration": "hubspot", "hash": "…"}}}

``pending`` records a create that was sent but whose answer was not yet recorded: after a crash
the next run looks the job up by integration and label before creating it again.

Writes are atomic (temporary file + ``os.replace``) and happen after every successful operation,
so a killed process loses nothing. One writer at a time: an exclusive ``flock`` on
``<state>.lock`` (released by the kernel if the process dies, so no stale locks).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from syncctl.errors import StateError

STATE_FORMAT = 1


@dataclass(frozen=True, slots=True)
class Entry:
    """A job file that owns a remote job."""

    id: str
    hash: str
    protected: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "hash": self.hash, "protected": self.protected}


@dataclass(frozen=True, slots=True)
class Pending:
    """A create that was sent; its outcome is not recorded yet."""

    label: str
    integration: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "integration": self.integration, "hash": self.hash}


@dataclass(frozen=True, slots=True)
class State:
    environment: str
    serial: int = 0
    jobs: Mapping[str, Entry] = field(default_factory=dict)
    pending: Mapping[str, Pending] = field(default_factory=dict)

    def owner_of(self, job_id: str) -> str | None:
        for key, entry in self.jobs.items():
            if entry.id == job_id:
                return key
        return None

    def with_entry(self, key: str, entry: Entry) -> State:
        jobs = dict(self.jobs)
        jobs[key] = entry
        pending = {k: v for k, v in self.pending.items() if k != key}
        return replace(self, serial=self.serial + 1, jobs=jobs, pending=pending)

    def without(self, key: str) -> State:
        jobs = {k: v for k, v in self.jobs.items() if k != key}
        pending = {k: v for k, v in self.pending.items() if k != key}
        return replace(self, serial=self.serial + 1, jobs=jobs, pending=pending)

    def with_pending(self, pending: Mapping[str, Pending]) -> State:
        """Record creates about to be sent (all of a plan's at once: one write)."""
        return replace(self, serial=self.serial + 1, pending={**self.pending, **pending})

    def moved(self, old: str, new: str) -> State:
        if old not in self.jobs:
            raise StateError(f"no job {old!r} in the {self.environment} state")
        if new in self.jobs:
            raise StateError(f"job {new!r} is already in the {self.environment} state")
        jobs = {(new if k == old else k): v for k, v in self.jobs.items()}
        return replace(self, serial=self.serial + 1, jobs=dict(sorted(jobs.items())))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": STATE_FORMAT,
            "environment": self.environment,
            "serial": self.serial,
            "jobs": {k: self.jobs[k].to_dict() for k in sorted(self.jobs)},
            "pending": {k: self.pending[k].to_dict() for k in sorted(self.pending)},
        }


Lines = dict[str, tuple[object, str]]


def _table(entries: Mapping[str, Entry] | Mapping[str, Pending], cache: Lines) -> str:
    if not entries:
        return "{}"
    rows = []
    for key in sorted(entries):
        entry = entries[key]
        cached = cache.get(key)
        # Identity first: states share unchanged entries, and dataclass equality is slow.
        if cached is None or cached[0] is not entry:
            line = f"    {json.dumps(key)}: {json.dumps(entry.to_dict(), ensure_ascii=False)}"
            cache[key] = cached = (entry, line)
        rows.append(cached[1])
    return "{\n" + ",\n".join(rows) + "\n  }"


def render(state: State, cache: tuple[Lines, Lines] | None = None) -> str:
    """The state file's text: one line per job, so a git diff shows one line per change.

    Written by hand around the C JSON encoder (``json.dumps(..., indent=2)`` uses the slow
    pure-Python one), and each entry's line is kept in ``cache`` between writes: the file is
    rewritten after every operation, and only the changed lines need rendering again."""
    jobs_cache, pending_cache = cache if cache is not None else ({}, {})
    return (
        "{\n"
        f'  "format_version": {STATE_FORMAT},\n'
        f'  "environment": {json.dumps(state.environment)},\n'
        f'  "serial": {state.serial},\n'
        f'  "jobs": {_table(state.jobs, jobs_cache)},\n'
        f'  "pending": {_table(state.pending, pending_cache)}\n'
        "}\n"
    )


def _parse(raw: Any, path: Path, environment: str) -> State:
    where = f"{path}"
    if not isinstance(raw, dict):
        raise StateError(f"{where}: not a state file (expected a JSON object)")
    version = raw.get("format_version")
    if not isinstance(version, int):
        raise StateError(f"{where}: missing format_version; is this a syncctl state file?")
    if version > STATE_FORMAT:
        raise StateError(
            f"{where}: state format {version} is newer than this syncctl understands "
            f"({STATE_FORMAT})",
            hint="upgrade syncctl",
        )
    if raw.get("environment") != environment:
        raise StateError(
            f"{where}: state belongs to environment {raw.get('environment')!r}, not {environment!r}"
        )
    try:
        jobs = {
            str(k): Entry(str(v["id"]), str(v["hash"]), bool(v.get("protected", False)))
            for k, v in dict(raw.get("jobs", {})).items()
        }
        pending = {
            str(k): Pending(str(v["label"]), str(v["integration"]), str(v["hash"]))
            for k, v in dict(raw.get("pending", {})).items()
        }
        serial = int(raw.get("serial", 0))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StateError(
            f"{where}: corrupt state entry ({exc.__class__.__name__}: {exc})"
        ) from None
    return State(environment, serial, jobs, pending)


class StateStore:
    """Reads and atomically writes one environment's state file; thread-safe."""

    def __init__(self, path: Path, environment: str) -> None:
        self.path = path
        self.environment = environment
        self._changed = threading.Condition()
        self._state: State | None = None
        self._version = 0  # in-memory changes made so far
        self._written = 0  # of which are on disk
        self._writing = False
        self._lines: tuple[Lines, Lines] = ({}, {})

    def load(self) -> State:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            state = State(self.environment)
        except OSError as exc:
            raise StateError(f"{self.path}: cannot read state: {exc.strerror}") from None
        else:
            try:
                raw = json.loads(text)
            except json.JSONDecodeError as exc:
                raise StateError(
                    f"{self.path}:{exc.lineno}:{exc.colno}: state file is not valid JSON "
                    f"({exc.msg})",
                    hint="restore it from git (state files are committed) or remove it and "
                    "re-adopt the jobs",
                ) from None
            state = _parse(raw, self.path, self.environment)
        self._state = state
        return state

    @property
    def state(self) -> State:
        return self._state if self._state is not None else self.load()

    def update(self, change: Callable[[State], State]) -> State:
        """Apply ``change(state) -> state``; return once a file holding it is written.

        Thread-safe, with group commit: while one thread writes, the changes of others pile up
        in memory and the next write carries them all. Every caller still returns only after
        its own change is on disk, so a crash never loses an operation reported done.
        """
        with self._changed:
            new = change(self.state)
            self._state = new
            self._version += 1
            mine = self._version
            while self._written < mine:
                if self._writing:
                    self._changed.wait()
                    continue
                self._writing = True
                snapshot, version = self._state, self._version
                self._changed.release()
                try:
                    self._write(snapshot)
                finally:
                    self._changed.acquire()
                    self._writing = False
                    self._changed.notify_all()
                self._written = max(self._written, version)
            return new

    def _write(self, state: State) -> None:
        """Write a temporary file beside the state, then rename it over (atomic). Only one
        thread writes at a time (``update``), and one process (``locked``)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        try:
            tmp.write_text(render(state, self._lines), encoding="utf-8")
            tmp.replace(self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise

    @contextlib.contextmanager
    def locked(self) -> Iterator[StateStore]:
        """Hold the environment's lock: one writer at a time, across processes."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with lock_path.open("a+") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                raise StateError(
                    f"{self.path}: state is locked by another syncctl process (pid {holder})",
                    hint="wait for it to finish; the lock is released when it exits",
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            try:
                yield self
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
