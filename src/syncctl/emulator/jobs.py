"""The sync-job object as the emulator keeps it: field types, defaults, create and merge.

Everything about fields comes from the kind's table (``syncctl.kinds``; reference §2): which
are known, which read-only (set by the server), their type checks, what a create stores when a
field is omitted (a nullable field: ``null``) and the output order. Each function takes the
``kind`` (default: sync jobs) and raises ``Invalid`` with the 400 message; the handler turns it
into the envelope.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Literal

from syncctl.emulator.store import Job
from syncctl.kinds import NO_DEFAULT, SYNC_JOB, Access, Kind

UnknownFields = Literal["store", "reject", "drop"]
ReadOnlyFields = Literal["reject", "ignore"]


class Invalid(Exception):
    """A request body the API would answer with 400."""


def check_fields(
    body: Mapping[str, Any],
    current: Mapping[str, Any],
    *,
    unknown: UnknownFields,
    read_only: ReadOnlyFields,
    kind: Kind = SYNC_JOB,
) -> dict[str, Any]:
    """The writable fields of ``body`` after type checks; ``current`` holds read-only values.

    A read-only field equal to its current value is accepted silently (a read-modify-write
    client sends them back); a different value is refused or dropped per ``read_only``. A
    local field of the table is unknown to the API like any other name.
    """
    accepted: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in body.items():
        line = kind.line(key)
        if line is not None and line.access is Access.READ_ONLY:
            if key in current and current[key] == value:
                continue
            if read_only == "reject":
                problems.append(f"'{key}' is read-only")
            continue
        if line is None or line.access is not Access.SENT:
            if unknown == "reject":
                problems.append(f"'{key}' is not an allowed field")
            elif unknown == "store":
                accepted[key] = value
            continue
        if not line.accepts(value):
            problems.append(f"'{key}' must be {line.expected}")
        else:
            accepted[key] = value
    if problems:
        raise Invalid("; ".join(problems))
    return accepted


def ordered(job: Mapping[str, Any], kind: Kind = SYNC_JOB) -> Job:
    """Fields in the table's API order; unknown stored fields come after the last writable
    one, before the trailing read-only fields (the timestamps)."""
    order = kind.api_order
    last_sent = max((order.index(name) for name in kind.sent), default=len(order) - 1)
    head, tail = order[: last_sent + 1], order[last_sent + 1 :]
    out: Job = {key: job[key] for key in head if key in job}
    out.update((k, v) for k, v in job.items() if kind.line(k) is None or k in kind.local)
    out.update((k, job[k]) for k in tail if k in job)
    return out


def create_defaults(kind: Kind = SYNC_JOB) -> Job:
    """What a create stores for each writable field it omits (a fresh copy each call)."""
    defaults: Job = {}
    for line in kind.fields:
        if line.access is not Access.SENT:
            continue
        if line.default is not NO_DEFAULT:
            defaults[line.name] = copy.deepcopy(line.default)
        elif line.nullable:
            defaults[line.name] = None
    return defaults


def new_job(
    fields: Mapping[str, Any],
    *,
    job_id: str,
    environment_id: str,
    now: str,
    default_runtime_version: int,
    kind: Kind = SYNC_JOB,
) -> Job:
    """A created object: the table's defaults, then ``fields`` (``default_runtime_version``, an
    emulator setting, overrides the table's default of that field when the kind has one)."""
    missing = [f.name for f in kind.fields if f.required and f.name not in fields]
    if missing:
        raise Invalid("; ".join(f"'{name}' is required" for name in missing))
    defaults = create_defaults(kind)
    if "default_runtime_version" in defaults:
        defaults["default_runtime_version"] = default_runtime_version
    job: Job = {
        "id": job_id,
        "environment_id": environment_id,
        **defaults,
        **fields,
        "created_at": now,
        "updated_at": now,
    }
    return ordered(job, kind)


def merged(
    job: Mapping[str, Any], fields: Mapping[str, Any], *, now: str, kind: Kind = SYNC_JOB
) -> Job:
    """PATCH: top-level keys replaced wholesale (nested values are not merged)."""
    return ordered({**job, **fields, "updated_at": now}, kind)
