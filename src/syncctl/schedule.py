"""Cron schedules of workflow steps: whether one is valid, and what it means in words.

Truto turns a step with ``cron_expression`` into a cron trigger per account, evaluated in UTC
(reference §1.6): five fields, checked by ``cronsim`` (names such as ``MON`` and ``JAN``, lists,
ranges, steps, ``L`` and ``#``). :func:`problem` says which field is wrong (rule SJ902);
:func:`describe` gives the schedule in words for the plan, e.g. ``describe("0 */6 * * *")`` is
``At minute 0 past every sixth hour (UTC)``: cronsim's English (24-hour times, never the system
locale). Both are pure: the expression alone decides, the clock is never read. ``cronsim`` is
imported on first use, so commands that never meet a schedule do not load it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

FIELDS = ("minute", "hour", "day-of-month", "month", "day-of-week")
SHAPE = " ".join(FIELDS)
_ALLOWED = {
    "minute": "0-59",
    "hour": "0-23",
    "day-of-month": "1-31 (a day the month has) or L",
    "month": "1-12 or JAN-DEC",
    "day-of-week": "0-7 or SUN-SAT (0 and 7 are Sunday), with # or L",
}
_START = datetime(2000, 1, 1, tzinfo=UTC)  # cronsim wants a moment; any fixed one will do


@dataclass(frozen=True, slots=True)
class Problem:
    """Why an expression is not valid: a one-line message, the offset in the expression where
    the wrong field starts (0 for a wrong field count), and how to fix it."""

    message: str
    offset: int
    hint: str


def problem(expression: str) -> Problem | None:
    """Why ``expression`` is not a valid five-field cron expression, or ``None``."""
    from cronsim import CronSim, CronSimError  # lazy: only schedules pay for it

    fields = list(re.finditer(r"\S+", expression))
    if len(fields) != len(FIELDS):  # cronsim also takes a leading seconds field; Truto does not
        counted = f"{len(fields)} field{'s' if len(fields) != 1 else ''}"
        return Problem(
            f"cron expression {expression!r} has {counted}; it takes five: {SHAPE} (UTC)",
            fields[0].start() if fields else 0,
            'e.g. "0 */6 * * *" (every six hours); seconds and @-names are not supported',
        )
    try:
        CronSim(expression, _START)
    except CronSimError as error:
        name = str(error).removeprefix("Bad ").strip()
        position = FIELDS.index(name) if name in FIELDS else 0
        field, allowed = fields[position], _ALLOWED[FIELDS[position]]
        return Problem(
            f"cron expression {expression!r}: the {FIELDS[position]} field "
            f"{field.group()!r} is not valid",
            field.start(),
            f"{FIELDS[position]} takes {allowed}; lists (1,15), ranges (1-5) and steps (*/10) "
            "of those",
        )
    return None


def describe(cron_expression: str) -> str:
    """The schedule of a five-field cron expression in words, in UTC.

    Raises ``ValueError`` (:func:`problem`'s one-line message) for an expression that is not
    valid; SJ902 reports those in a workflow file before a plan is made."""
    found = problem(cron_expression)
    if found is not None:
        raise ValueError(found.message)
    from cronsim import CronSim

    return f"{CronSim(cron_expression, _START).explain()} (UTC)"
