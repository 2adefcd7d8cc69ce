"""The sync-job object as the emulator keeps it: field types, defaults, create and merge.

Known fields and their types follow the reference (§2). Read-only fields are set by the server.
Each function raises ``Invalid`` with the 400 message; the handler turns it into the envelope.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from syncctl.emulator.store import Job
from syncctl.syncjob import READ_ONLY_FIELDS, WRITABLE_FIELDS

READ_ONLY = READ_ONLY_FIELDS
NULLABLE = ("args_schema", "args_validation", "mutex_key", "state_key")
# Output key order of a job (unknown stored keys follow, then the timestamps).
ORDER = ("id", "environment_id", *WRITABLE_FIELDS)
KNOWN = frozenset(ORDER) | frozenset(READ_ONLY)

UnknownFields = Literal["store", "reject", "drop"]
ReadOnlyFields = Literal["reject", "ignore"]


class Invalid(Exception):
    """A request body the API would answer with 400."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "label": (lambda v: isinstance(v, str), "a string"),
    "integration_name": (lambda v: isinstance(v, str), "a string"),
    "default_runtime_version": (lambda v: _is_int(v) and 1 <= v <= 4, "an integer from 1 to 4"),
    "resources": (lambda v: isinstance(v, list), "an array"),
    "args_schema": (lambda v: v is None or isinstance(v, dict), "an object or null"),
    "args_validation": (lambda v: v is None or isinstance(v, str), "a string or null"),
    "mutex_key": (lambda v: v is None or isinstance(v, str), "a string or null"),
    "state_key": (lambda v: v is None or isinstance(v, str), "a string or null"),
}


def check_fields(
    body: Mapping[str, Any],
    current: Mapping[str, Any],
    *,
    unknown: UnknownFields,
    read_only: ReadOnlyFields,
) -> dict[str, Any]:
    """The writable fields of ``body`` after type checks; ``current`` holds read-only values.

    A read-only field equal to its current value is accepted silently (a read-modify-write
    client sends them back); a different value is refused or dropped per ``read_only``.
    """
    accepted: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in body.items():
        if key in READ_ONLY:
            if key in current and current[key] == value:
                continue
            if read_only == "reject":
                problems.append(f"'{key}' is read-only")
            continue
        check = _CHECKS.get(key)
        if check is None:
            if unknown == "reject":
                problems.append(f"'{key}' is not an allowed field")
            elif unknown == "store":
                accepted[key] = value
            continue
        valid, expected = check
        if not valid(value):
            problems.append(f"'{key}' must be {expected}")
        else:
            accepted[key] = value
    if problems:
        raise Invalid("; ".join(problems))
    return accepted


def ordered(job: Mapping[str, Any]) -> Job:
    """Known fields in a stable order, unknown stored fields next, timestamps last."""
    out: Job = {key: job[key] for key in ORDER if key in job}
    out.update((k, v) for k, v in job.items() if k not in KNOWN)
    out.update((k, job[k]) for k in ("created_at", "updated_at") if k in job)
    return out


def new_job(
    fields: Mapping[str, Any],
    *,
    job_id: str,
    environment_id: str,
    now: str,
    default_runtime_version: int,
) -> Job:
    if "integration_name" not in fields:
        raise Invalid("'integration_name' is required")
    job: Job = {
        "id": job_id,
        "environment_id": environment_id,
        "label": "Untitled",
        "default_runtime_version": default_runtime_version,
        "resources": [],
        **dict.fromkeys(NULLABLE),
        **fields,
        "created_at": now,
        "updated_at": now,
    }
    return ordered(job)


def merged(job: Mapping[str, Any], fields: Mapping[str, Any], *, now: str) -> Job:
    """PATCH: top-level keys replaced wholesale (nested values are not merged)."""
    return ordered({**job, **fields, "updated_at": now})
