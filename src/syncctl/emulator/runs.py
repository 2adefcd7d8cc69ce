"""Sync-job runs in the emulator: the ``/sync-job-run`` object and its simulated lifecycle.

Reference §1.5: a run is created with ``sync_job_id`` and ``integrated_account_id`` (both
required), ``args``, ``webhook_id`` **or** ``daemon_group_key`` (not both), ``error_handling``
(``fail_fast`` | ``ignore`` | ``batch``), ``ignore_previous_run``, and runtime 4 extras (kept as
sent). Its statuses are ``created``, ``running``, ``rate_limited``, ``completed``, ``failed`` and
``stopped``; it also carries ``version``, ``resource_stats``, ``daemon_id``, ``started_at`` and
``finished_at``.

Nothing runs: a run's fate is drawn when it is created (``RunSettings``: a seeded failure rate,
and the chance of one ``rate_limited`` spell) and written into the stored object as a
``Schedule`` under the private key ``_emulator``, which no answer ever shows (``public``).
Each read brings the run up to date with the clock (``advance``, a pure function), so the
lifecycle needs no thread, survives a restart (the schedule is in SQLite) and is the same in the
served and the embedded emulator:

    created --start--> running [--> rate_limited --> running] --finish--> completed | failed

DELETE stops a run that has not finished (``stop``): a later GET shows ``stopped``.

``resource_stats`` (per resource, per method; RS ``SyncJobRunResourceStats``) grows with the
run's progress from the job's resources; the inner value's shape is not documented, so the
emulator's ``{"records": n}`` is its own choice.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from syncctl.emulator.jobs import Invalid, ordered
from syncctl.errors import UsageError
from syncctl.kinds.table import Access, Field, Kind

SENT, READ_ONLY = Access.SENT, Access.READ_ONLY
PRIVATE = "_emulator"
"""The stored key holding a run's schedule; stripped from every answer."""
TERMINAL = frozenset({"completed", "failed", "stopped"})
ERROR_HANDLING = ("fail_fast", "ignore", "batch")
RECORDS_PER_SECOND = 20
"""How fast the emulator's resource counters grow while a run is running (per resource)."""

SYNC_JOB_RUN = Kind(
    name="sync_job_run",
    api_path="/sync-job-run",
    folder_key="",
    folder_default="",
    key_prefix="sync-job-run:",
    schema_file="",
    identity="runs are not reconciled: the emulator serves them, syncctl run creates them",
    fields=(
        Field("id", READ_ONLY, ("string",)),
        Field("environment_id", READ_ONLY, ("string",)),
        Field("sync_job_id", SENT, ("string",), required=True),
        Field("integrated_account_id", SENT, ("string",), required=True),
        Field("args", SENT, ("object", "null")),
        Field("resources", SENT, ("array", "null")),
        Field("webhook_id", SENT, ("string", "null")),
        Field("daemon_group_key", SENT, ("string", "null")),
        Field("error_handling", SENT, ("string",), default="ignore"),
        Field("ignore_previous_run", SENT, ("boolean",), default=False),
        Field("status", READ_ONLY, ("string",)),
        Field("version", READ_ONLY, ("integer",)),
        Field("daemon_id", READ_ONLY, ("string", "null")),
        Field("resource_stats", READ_ONLY, ("object", "null")),
        Field("started_at", READ_ONLY, ("string", "null")),
        Field("finished_at", READ_ONLY, ("string", "null")),
        Field("created_at", READ_ONLY, ("string",)),
        Field("updated_at", READ_ONLY, ("string",)),
    ),
    noun="run",
)
"""The emulator's table of a run (not one of ``syncctl.kinds.KINDS``: runs are not
reconciled)."""


@dataclass(frozen=True, slots=True)
class RunSettings:
    """How the emulator simulates runs (reference §1.5 leaves all of it open).

    A run waits ``start_seconds`` as ``created``, then runs ``run_seconds`` (a spell of
    ``rate_limited`` adds ``rate_limited_seconds`` in the middle). ``failure_rate`` is the
    chance it ends ``failed``; ``rate_limited_rate`` the chance it has a spell. Both are drawn
    at create from an RNG seeded with ``seed`` (``None``: unseeded), so a seeded emulator gives
    the same fates in the same order. ``error_handling`` is the default of a create that omits
    it (the docs say ``ignore``, Truto's skills ``fail_fast``).
    """

    start_seconds: float = 0.1
    run_seconds: float = 0.5
    failure_rate: float = 0.0
    rate_limited_rate: float = 0.0
    rate_limited_seconds: float = 0.3
    seed: int | None = None
    error_handling: Literal["fail_fast", "ignore", "batch"] = "ignore"

    def __post_init__(self) -> None:
        for name in ("failure_rate", "rate_limited_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise UsageError(f"{name} must be a probability between 0 and 1, not {value}")
        for name in ("start_seconds", "run_seconds", "rate_limited_seconds"):
            if getattr(self, name) < 0:
                raise UsageError(f"{name} must not be negative")
        if self.error_handling not in ERROR_HANDLING:
            raise UsageError(f"error_handling must be one of {', '.join(ERROR_HANDLING)}")


@dataclass(frozen=True, slots=True)
class Schedule:
    """A run's fate, fixed at create: seconds after ``t0`` (the create, as a UNIX time) at which
    it starts, is rate limited (``spell``: from, to) and finishes, and how it ends."""

    t0: float
    start: float
    finish: float
    outcome: Literal["completed", "failed"]
    spell: tuple[float, float] | None = None
    streams: tuple[tuple[str, str], ...] = ()  # (resource, method) counted in resource_stats

    def to_dict(self) -> dict[str, Any]:
        return {
            "t0": self.t0,
            "start": self.start,
            "finish": self.finish,
            "outcome": self.outcome,
            "spell": None if self.spell is None else list(self.spell),
            "streams": [list(pair) for pair in self.streams],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Schedule:
        spell = data.get("spell")
        return cls(
            t0=float(data["t0"]),
            start=float(data["start"]),
            finish=float(data["finish"]),
            outcome=data["outcome"],
            spell=None if spell is None else (float(spell[0]), float(spell[1])),
            streams=tuple((str(r), str(m)) for r, m in data.get("streams", [])),
        )

    def status_at(self, elapsed: float) -> str:
        """The status ``elapsed`` seconds after the create (never ``stopped``: that is a
        DELETE's)."""
        if elapsed < self.start:
            return "created"
        if elapsed >= self.finish:
            return self.outcome
        if self.spell is not None and self.spell[0] <= elapsed < self.spell[1]:
            return "rate_limited"
        return "running"

    def busy_seconds(self, elapsed: float) -> float:
        """Seconds spent running (not rate limited) by ``elapsed``: what the counters show."""
        done = max(0.0, min(elapsed, self.finish) - self.start)
        if self.spell is not None:
            done -= max(0.0, min(elapsed, self.spell[1]) - self.spell[0])
        return max(0.0, done)


def streams_of(job: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The (resource, method) pairs a run of ``job`` counts: each entry's ``name`` (runtime 4)
    or ``resource`` (1-3), with its ``method`` (``list`` when unsaid)."""
    out: list[tuple[str, str]] = []
    resources = job.get("resources")
    for entry in resources if isinstance(resources, list) else []:
        if not isinstance(entry, Mapping):
            continue
        name = entry.get("name") or entry.get("resource")
        method = entry.get("method") or "list"
        if isinstance(name, str) and isinstance(method, str) and (name, method) not in out:
            out.append((name, method))
    return tuple(out)


def plan_schedule(
    settings: RunSettings, rng: random.Random, t0: float, job: Mapping[str, Any]
) -> Schedule:
    """Draw a new run's fate: two draws per run, always in the same order (determinism)."""
    fails = rng.random() < settings.failure_rate
    limited = rng.random() < settings.rate_limited_rate
    start = settings.start_seconds
    finish = start + settings.run_seconds
    spell = None
    if limited:
        begin = start + settings.run_seconds / 2
        spell = (begin, begin + settings.rate_limited_seconds)
        finish += settings.rate_limited_seconds
    return Schedule(t0, start, finish, "failed" if fails else "completed", spell, streams_of(job))


def check_create(body: Mapping[str, Any]) -> dict[str, Any]:
    """The run-only rules of a create body (before the table's checks): ``status`` may only
    say ``created`` (runtime 4), ``webhook_id`` and ``daemon_group_key`` exclude each other,
    ``error_handling`` is one of three. Returns the body without ``status``."""
    fields = dict(body)
    status = fields.pop("status", None)
    if status not in (None, "created"):
        raise Invalid("'status' can only be 'created' when a run is created")
    if fields.get("webhook_id") is not None and fields.get("daemon_group_key") is not None:
        raise Invalid("give either 'webhook_id' or 'daemon_group_key', not both")
    handling = fields.get("error_handling")
    if handling is not None and handling not in ERROR_HANDLING:
        raise Invalid(f"'error_handling' must be one of {', '.join(ERROR_HANDLING)}")
    for name in ("sync_job_id", "integrated_account_id"):
        if isinstance(fields.get(name), str) and not fields[name]:
            raise Invalid(f"'{name}' must not be empty")
    return fields


def begin(run: Mapping[str, Any], schedule: Schedule) -> dict[str, Any]:
    """A created run: status ``created``, nothing counted yet, its schedule kept privately."""
    started = {
        **run,
        "status": "created",
        "version": 1,
        "daemon_id": None,
        "resource_stats": {},
        "started_at": None,
        "finished_at": None,
    }
    return {**ordered(started, SYNC_JOB_RUN), PRIVATE: schedule.to_dict()}


def _stamp(unix: float) -> str:
    moment = datetime.fromtimestamp(unix, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _stats(schedule: Schedule, elapsed: float) -> dict[str, Any]:
    records = int(schedule.busy_seconds(elapsed) * RECORDS_PER_SECOND)
    stats: dict[str, Any] = {}
    for resource, method in schedule.streams:
        stats.setdefault(resource, {})[method] = {"records": records}
    return stats


def advance(run: Mapping[str, Any], now: float) -> dict[str, Any]:
    """``run`` as it is at UNIX time ``now``: status, counters and timestamps from its
    schedule. A finished run (or one without a schedule) is returned unchanged."""
    out = dict(run)
    raw = run.get(PRIVATE)
    if run.get("status") in TERMINAL or not isinstance(raw, Mapping):
        return out
    schedule = Schedule.from_dict(raw)
    elapsed = max(0.0, now - schedule.t0)
    status = schedule.status_at(elapsed)
    out["status"] = status
    if status != "created" and out.get("started_at") is None:
        out["started_at"] = _stamp(schedule.t0 + schedule.start)
    if status in TERMINAL:
        out["finished_at"] = _stamp(schedule.t0 + schedule.finish)
    out["resource_stats"] = _stats(schedule, elapsed)
    if out != dict(run):
        moment = schedule.t0 + min(elapsed, schedule.finish)
        out["updated_at"] = max(str(run.get("updated_at", "")), _stamp(moment))
    return out


def stop(run: Mapping[str, Any], now: float) -> dict[str, Any]:
    """DELETE: a run not yet finished at ``now`` is ``stopped`` (its counters as they were);
    a finished one keeps its status."""
    out = advance(run, now)
    if out.get("status") in TERMINAL:
        return out
    out["status"] = "stopped"
    out["finished_at"] = _stamp(now)
    out["updated_at"] = max(str(out.get("updated_at", "")), _stamp(now))
    return out


def public(run: Mapping[str, Any]) -> dict[str, Any]:
    """A run as answers show it: without the private schedule."""
    return {key: value for key, value in run.items() if key != PRIVATE}
