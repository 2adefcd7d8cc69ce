"""The state file ``state/<env>.json``: which remote object each file owns, one section per kind.

Format (``format_version`` 2; design §10)::

    {"format_version": 2, "environment": "production", "serial": 7,
     "sync_job": {
       "entries": {"zendesk/tickets": {"id": "…", "hash": "sha256:…", "protected": false}},
       "pending": {"hubspot/contacts": {"label": "…", "integration": "hubspot", "hash": "…"}}},
     "workflow": {
       "entries": {"workflow:onboarding": {"id": "…", "hash": "sha256:…", "protected": false}},
       "pending": {"workflow:nightly": {"trigger_name": "integrated_account:active", "hash": "…"}}}}

There is one section per kind of ``syncctl.kinds.KINDS``, named after the kind, in that order.
Every kind's entries are ``Entry`` lines. ``pending`` records a create that was sent but whose
answer was not yet recorded: after a crash the next run looks the object up before creating it
again, by what the kind's pending record (``PENDING_TYPES``) holds: a job by integration and
label (``Pending``), a workflow, which has no label, by content (``PendingWorkflow``: trigger and
content hash; design §9). ``State`` changes any kind's section (``kind=``, default the jobs').

Format 1 (today's files before kinds) had the sync jobs' ``jobs`` and ``pending`` at the top
level. It is read as it is; only a command that writes state rewrites it in format 2, and
before the first such write the old file is copied to ``.syncctl/backups/`` (``StateStore``).
Read-only commands (``plan``, ``state list``) leave it byte for byte as it was.

Files are parsed by pydantic models (``_FORMATS``): each error is one line naming the file and
the key path, e.g. ``state/production.json: sync_job.entries.zendesk/x.id: expected a string``.

Writes are atomic (temporary file + ``os.replace``) and happen after every successful operation,
so a killed process loses nothing. One writer at a time: an exclusive lock through the
``filelock`` library (``flock`` on POSIX, ``msvcrt`` on Windows; released by the operating system
if the process dies, so no stale locks) on ``.syncctl/locks/<environment>.lock`` of the project,
never beside the committed state file, and a ``.holder`` file naming the process that holds it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar, cast

from filelock import FileLock, Timeout
from pydantic import (
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    create_model,
)
from pydantic import Field as ModelField

from syncctl.config import work_dir
from syncctl.errors import StateError
from syncctl.kinds import KINDS, SYNC_JOB, WORKFLOW, Kind
from syncctl.typed_errors import first_error

logger = logging.getLogger(__name__)
"""One INFO record per state file written (``-v``): its path and serial."""

STATE_FORMAT = 2
FIRST_FORMAT = 1
BACKUP_DIR = Path(".syncctl") / "backups"
"""Where, under the project root, a migration keeps the state file it rewrote."""
LOCK_DIR = Path(".syncctl") / "locks"
"""Where, under the project root, the state locks are: git-ignored working data, so a lock file
(which may stay after release) is never committed beside the state."""
_FILE = ConfigDict(extra="forbid")
"""Every model of the file: an unknown key (a typo such as ``protect``) is an error rather than
silently ignored. Fields are strict by type (``StrictStr``…): ``"7"`` is not a number, ``1`` not
``true`` (a strict *config* would accept the entry dataclasses only as instances)."""


class Record(Protocol):
    """A line of the file: an entry or a pending create, as the file holds it."""

    def to_dict(self) -> dict[str, Any]: ...


class PendingCreate(Record, Protocol):
    """A pending create of any kind: at least the content hash of what was sent."""

    @property
    def hash(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Entry:
    """A file that owns a remote object."""

    __pydantic_config__ = _FILE

    id: StrictStr
    hash: StrictStr
    protected: StrictBool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "hash": self.hash, "protected": self.protected}


@dataclass(frozen=True, slots=True)
class Pending:
    """A sync-job create that was sent; its outcome is not recorded yet. After a crash the job
    is looked up by ``integration`` and ``label`` before it is created again."""

    __pydantic_config__ = _FILE

    label: StrictStr
    integration: StrictStr
    hash: StrictStr

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "integration": self.integration, "hash": self.hash}


@dataclass(frozen=True, slots=True)
class PendingWorkflow:
    """A workflow create that was sent; its outcome is not recorded yet. Workflows have no
    label, so after a crash the create is looked up by content (design §9): an unmanaged live
    workflow with this ``trigger_name`` whose content hash (trigger and resolved config) is
    ``hash``."""

    __pydantic_config__ = _FILE

    trigger_name: StrictStr
    hash: StrictStr

    def to_dict(self) -> dict[str, Any]:
        return {"trigger_name": self.trigger_name, "hash": self.hash}


PENDING_TYPES: Mapping[str, type[PendingCreate]] = {
    SYNC_JOB.name: Pending,
    WORKFLOW.name: PendingWorkflow,
}
"""The pending record of each kind, by kind name: what its lost-answer lookup needs. A kind
without a line here cannot be written to or read from a state file."""


@dataclass(frozen=True, slots=True)
class Section:
    """One kind's part of the state: its entries (key -> ``Entry``) and pending creates (key ->
    the kind's record of ``PENDING_TYPES``)."""

    entries: Mapping[str, Entry] = field(default_factory=dict)
    pending: Mapping[str, PendingCreate] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "entries": {k: self.entries[k].to_dict() for k in sorted(self.entries)},
            "pending": {k: self.pending[k].to_dict() for k in sorted(self.pending)},
        }


@dataclass(frozen=True, slots=True)
class State:
    """One environment's state. ``jobs`` and ``pending`` are the ``sync_job`` section; the
    sections of the other kinds are in ``others`` (by kind name; an empty section is left out).

    Every change returns a new state with ``serial`` one higher. ``kind`` (a ``Kind`` or its
    name, default sync jobs) says which section a change is made in; keys are per section."""

    environment: str
    serial: int = 0
    jobs: Mapping[str, Entry] = field(default_factory=dict)
    pending: Mapping[str, Pending] = field(default_factory=dict)
    others: Mapping[str, Section] = field(default_factory=dict)

    def section(self, kind: Kind | str) -> Section:
        """The section of ``kind`` (empty when it has none)."""
        name = _kind_name(kind)
        if name == SYNC_JOB.name:
            return Section(self.jobs, self.pending)
        return self.others.get(name, Section())

    def owner_of(self, remote_id: str, *, kind: Kind | str = SYNC_JOB) -> str | None:
        """The key whose entry in ``kind``'s section owns the remote object ``remote_id``."""
        for key, entry in self.section(kind).entries.items():
            if entry.id == remote_id:
                return key
        return None

    def with_entry(self, key: str, entry: Entry, *, kind: Kind | str = SYNC_JOB) -> State:
        """Record that ``key`` owns ``entry`` (its pending create, if any, is done)."""
        section = self.section(kind)
        return self._with(
            kind, Section({**section.entries, key: entry}, _dropped(section.pending, key))
        )

    def without(self, key: str, *, kind: Kind | str = SYNC_JOB) -> State:
        """Forget ``key``: its entry and its pending create."""
        section = self.section(kind)
        return self._with(
            kind, Section(_dropped(section.entries, key), _dropped(section.pending, key))
        )

    def with_pending(
        self, pending: Mapping[str, PendingCreate], *, kind: Kind | str = SYNC_JOB
    ) -> State:
        """Record creates about to be sent (all of a plan's at once: one write). Each record
        must be ``kind``'s type of ``PENDING_TYPES`` (a ``TypeError`` otherwise)."""
        name = _kind_name(kind)
        wanted = PENDING_TYPES[name]
        for key, record in pending.items():
            if not isinstance(record, wanted):
                raise TypeError(
                    f"pending create {key!r} of kind {name} must be a {wanted.__name__}, "
                    f"not a {type(record).__name__}"
                )
        section = self.section(name)
        return self._with(name, Section(section.entries, {**section.pending, **pending}))

    def moved(self, old: str, new: str, *, kind: Kind | str = SYNC_JOB) -> State:
        """Give ``old``'s entry to ``new`` (a renamed file); the remote object is unchanged."""
        name = _kind_name(kind)
        noun = _BY_NAME[name].word
        section = self.section(name)
        if old not in section.entries:
            raise StateError(f"no {noun} {old!r} in the {self.environment} state")
        if new in section.entries:
            raise StateError(f"{noun} {new!r} is already in the {self.environment} state")
        entries = {(new if k == old else k): v for k, v in section.entries.items()}
        return self._with(name, Section(dict(sorted(entries.items())), section.pending))

    def _with(self, kind: Kind | str, section: Section) -> State:
        """This state with ``section`` as ``kind``'s and the next serial."""
        name = _kind_name(kind)
        if name == SYNC_JOB.name:
            # ``with_pending`` admits only ``Pending`` records to the jobs' section.
            pending = cast("Mapping[str, Pending]", section.pending)
            return replace(self, serial=self.serial + 1, jobs=section.entries, pending=pending)
        others = {k: v for k, v in self.others.items() if k != name}
        if section != Section():
            others[name] = section
        ordered = {k.name: others[k.name] for k in KINDS if k.name in others}
        return replace(self, serial=self.serial + 1, others=ordered)

    def to_dict(self) -> dict[str, Any]:
        """The state as the file holds it (format ``STATE_FORMAT``)."""
        return {
            "format_version": STATE_FORMAT,
            "environment": self.environment,
            "serial": self.serial,
            **{kind.name: self.section(kind).to_dict() for kind in KINDS},
        }


_BY_NAME = {kind.name: kind for kind in KINDS}
_KIND_NAMES = tuple(_BY_NAME)
_V = TypeVar("_V")


def _kind_name(kind: Kind | str) -> str:
    """The name of ``kind``; a ``ValueError`` for a kind the state file has no section for."""
    name = kind if isinstance(kind, str) else kind.name
    if name not in _KIND_NAMES:
        raise ValueError(f"no kind {name!r} in the state file (kinds: {', '.join(_KIND_NAMES)})")
    return name


def _dropped(table: Mapping[str, _V], key: str) -> dict[str, _V]:
    return {k: v for k, v in table.items() if k != key}


# -- the file formats, as pydantic models -------------------------------------------------------


class _Header(BaseModel):
    """What every format has; checked first, so a wrong file gets a message of its own."""

    model_config = ConfigDict(extra="allow")

    format_version: StrictInt
    environment: Any = None


class _FormatOne(BaseModel):
    """Format 1: the sync jobs' ``jobs`` and ``pending`` at the top level."""

    model_config = _FILE

    format_version: Literal[1]
    environment: StrictStr
    serial: StrictInt = ModelField(default=0, ge=0)
    jobs: dict[str, Entry] = ModelField(default_factory=dict)
    pending: dict[str, Pending] = ModelField(default_factory=dict)

    def to_state(self) -> State:
        return State(self.environment, self.serial, self.jobs, self.pending)


def _section_model(kind: Kind) -> type[BaseModel]:
    """The model of ``kind``'s section: ``Entry`` lines and the kind's pending records."""
    record: Any = PENDING_TYPES[kind.name]
    return create_model(
        f"_{kind.name}_section",
        __config__=_FILE,
        entries=(dict[str, Entry], ModelField(default_factory=dict)),
        pending=(dict[str, record], ModelField(default_factory=dict)),
    )


_SECTIONS = {kind.name: _section_model(kind) for kind in KINDS}
_FORMAT_TWO_FIELDS: dict[str, Any] = {
    "format_version": (Literal[2], ...),
    "environment": (StrictStr, ...),
    "serial": (StrictInt, ModelField(default=0, ge=0)),
    **{name: (model, ModelField(default_factory=model)) for name, model in _SECTIONS.items()},
}
_FormatTwo: type[BaseModel] = create_model(
    "_FormatTwo",
    __config__=_FILE,
    __doc__="Format 2: one section per kind of ``KINDS``, named after it.",
    **_FORMAT_TWO_FIELDS,
)

_FORMATS: dict[int, TypeAdapter[Any]] = {
    FIRST_FORMAT: TypeAdapter(_FormatOne),
    STATE_FORMAT: TypeAdapter(_FormatTwo),
}


def _from_format_two(model: BaseModel) -> State:
    sections = {kind.name: getattr(model, kind.name) for kind in KINDS}
    jobs = sections.pop(SYNC_JOB.name)
    others = {
        name: Section(section.entries, section.pending)
        for name, section in sections.items()
        if section.entries or section.pending
    }
    return State(
        model.environment,  # type: ignore[attr-defined]
        model.serial,  # type: ignore[attr-defined]
        jobs.entries,
        jobs.pending,
        others,
    )


def _parse(raw: Any, path: Path, environment: str) -> tuple[State, int]:
    """The state in ``raw`` (a decoded file) and the format it was written in."""
    where = f"{path}"
    if not isinstance(raw, dict):
        raise StateError(f"{where}: not a state file (expected a JSON object)")
    if "format_version" not in raw:
        raise StateError(f"{where}: missing format_version; is this a syncctl state file?")
    try:
        header = _Header.model_validate(raw)
    except ValidationError as exc:
        raise StateError(f"{where}: {first_error(exc)}; is this a syncctl state file?") from None
    version = header.format_version
    if version > STATE_FORMAT:
        raise StateError(
            f"{where}: state format {version} is newer than this syncctl understands "
            f"({STATE_FORMAT})",
            hint="upgrade syncctl",
        )
    if version not in _FORMATS:
        raise StateError(f"{where}: unknown state format {version}; is this a syncctl state file?")
    if header.environment != environment:
        raise StateError(
            f"{where}: state belongs to environment {header.environment!r}, not {environment!r}"
        )
    try:
        model = _FORMATS[version].validate_python(raw)
    except ValidationError as exc:
        raise StateError(
            f"{where}: {first_error(exc)}",
            hint="restore it from git (state files are committed) or fix the entry by hand",
        ) from None
    if isinstance(model, _FormatOne):
        return model.to_state(), version
    return _from_format_two(model), version


Lines = dict[str, tuple[object, str]]
Cache = dict[tuple[str, str], Lines]
"""Rendered lines by (kind, ``entries``|``pending``), kept between writes."""


def _table(entries: Mapping[str, Record], cache: Lines) -> str:
    if not entries:
        return "{}"
    rows = []
    for key in sorted(entries):
        entry = entries[key]
        cached = cache.get(key)
        # Identity first: states share unchanged entries, and dataclass equality is slow.
        if cached is None or cached[0] is not entry:
            line = f"      {json.dumps(key)}: {json.dumps(entry.to_dict(), ensure_ascii=False)}"
            cache[key] = cached = (entry, line)
        rows.append(cached[1])
    return "{\n" + ",\n".join(rows) + "\n    }"


def render(state: State, cache: Cache | None = None) -> str:
    """The state file's text: one line per entry, so a git diff shows one line per change.

    Written by hand around the C JSON encoder (``json.dumps(..., indent=2)`` uses the slow
    pure-Python one), and each entry's line is kept in ``cache`` between writes: the file is
    rewritten after every operation, and only the changed lines need rendering again."""
    lines: Cache = cache if cache is not None else {}
    sections = []
    for kind in KINDS:
        section = state.section(kind)
        entries = _table(section.entries, lines.setdefault((kind.name, "entries"), {}))
        pending = _table(section.pending, lines.setdefault((kind.name, "pending"), {}))
        sections.append(
            f'  "{kind.name}": {{\n    "entries": {entries},\n    "pending": {pending}\n  }}'
        )
    return (
        "{\n"
        f'  "format_version": {STATE_FORMAT},\n'
        f'  "environment": {json.dumps(state.environment)},\n'
        f'  "serial": {state.serial},\n' + ",\n".join(sections) + "\n}\n"
    )


def backup_name(path: Path, version: int, serial: int) -> str:
    """``production.format-1.serial-7.json``: the copy of a state file kept by a migration."""
    return f"{path.stem}.format-{version}.serial-{serial}{path.suffix}"


class StateStore:
    """Reads and atomically writes one environment's state file; thread-safe.

    ``backups`` is the folder that keeps a state file of an earlier format when it is first
    rewritten (default: ``.syncctl/backups`` beside the state file; ``for_environment`` gives
    the project's ``.syncctl/backups``); ``locks`` is the folder of its lock (likewise
    ``.syncctl/locks``)."""

    def __init__(
        self,
        path: Path,
        environment: str,
        *,
        backups: Path | None = None,
        locks: Path | None = None,
    ) -> None:
        self.path = path
        self.environment = environment
        self.backups = backups if backups is not None else path.parent / BACKUP_DIR
        self.locks = locks if locks is not None else path.parent / LOCK_DIR
        self._changed = threading.Condition()
        self._state: State | None = None
        self._version = 0  # in-memory changes made so far
        self._written = 0  # of which are on disk
        self._writing = False
        self._lines: Cache = {}
        self._old: tuple[int, int, bytes] | None = None  # format, serial, text of an old file

    @classmethod
    def for_environment(cls, root: Path, state_path: Path, environment: str) -> StateStore:
        """The store of one environment of the project at ``root`` (backups in its
        ``.syncctl/backups``, the lock in its ``.syncctl/locks``)."""
        return cls(state_path, environment, backups=root / BACKUP_DIR, locks=root / LOCK_DIR)

    def load(self) -> State:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            state, version, data = State(self.environment), STATE_FORMAT, b""
        except OSError as exc:
            raise StateError(f"{self.path}: cannot read state: {exc.strerror}") from None
        else:
            try:
                raw = json.loads(data)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                position = (
                    f":{exc.lineno}:{exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
                )
                reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8"
                raise StateError(
                    f"{self.path}{position}: state file is not valid JSON ({reason})",
                    hint="restore it from git (state files are committed) or remove it and "
                    "re-adopt the jobs",
                ) from None
            state, version = _parse(raw, self.path, self.environment)
        self._old = (version, state.serial, data) if version < STATE_FORMAT else None
        self._state = state
        return state

    @property
    def state(self) -> State:
        return self._state if self._state is not None else self.load()

    @property
    def read_format(self) -> int:
        """The format of the file as last read (``STATE_FORMAT`` once it is rewritten)."""
        return self._old[0] if self._old is not None else STATE_FORMAT

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
        thread writes at a time (``update``), and one process (``locked``). The first write
        over a file of an earlier format keeps that file under ``backups`` first."""
        if self._old is not None:
            self._keep_old(*self._old)
            self._old = None
        _atomic_write(self.path, render(state, self._lines).encode())
        logger.info("wrote state file %s (serial %d)", self.path, state.serial)

    def _keep_old(self, version: int, serial: int, data: bytes) -> None:
        target = self.backups / backup_name(self.path, version, serial)
        if not target.exists():  # a copy of these very bytes is kept already
            _atomic_write(target, data)

    @property
    def lock_path(self) -> Path:
        """The environment's lock file: ``<locks>/<environment>.lock``."""
        return self.locks / f"{_SAFE_NAME.sub('_', self.environment)}.lock"

    @contextlib.contextmanager
    def locked(self) -> Iterator[StateStore]:
        """Hold the environment's lock: one writer at a time, across processes (and across
        stores of one process). A second writer fails at once with a one-line error naming the
        lock and the process holding it; it never waits behind an apply of unknown length."""
        lock_path = self.lock_path
        work_dir(self.locks.parent)
        self.locks.mkdir(parents=True, exist_ok=True)
        holder = lock_path.with_name(lock_path.name + ".holder")
        lock = FileLock(lock_path, timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise StateError(
                f"{self.path}: state is locked by another syncctl process "
                f"(pid {_holder_of(holder)})",
                hint=f"wait for it to finish; its lock {lock_path} is released when it exits",
            ) from None
        try:
            with contextlib.suppress(OSError):
                holder.write_text(str(os.getpid()), encoding="utf-8")
            yield self
        finally:
            with contextlib.suppress(OSError):
                holder.unlink()
            lock.release()


_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")
"""Characters an environment name may have that a lock file name should not."""


def _holder_of(holder: Path) -> str:
    """The pid the holder of a lock wrote, or ``unknown`` (it may be between acquiring and
    writing, or the file may be unreadable)."""
    try:
        return holder.read_text(encoding="utf-8").strip() or "unknown"
    except OSError:
        return "unknown"


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
