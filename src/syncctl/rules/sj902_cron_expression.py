"""SJ902: a step's ``cron_expression`` is not a valid five-field cron expression.

Truto turns a step with ``cron_expression`` into a cron trigger per account, evaluated in UTC
(reference §1.6). The expression is checked by ``cronsim`` (minute, hour, day-of-month, month,
day-of-week; names such as ``MON`` and ``JAN``, lists, ranges, steps, ``L`` and ``#``). A wrong
number of fields is placed at the start of the string; a bad field at that field, and the
message names it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

from cronsim import CronSim, CronSimError

from syncctl.findings import Finding, Severity
from syncctl.rules._workflow import steps_of
from syncctl.rules.base import WORKFLOWS, FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ902",
    Severity.ERROR,
    "invalid cron_expression (five fields: minute hour day-of-month month day-of-week, UTC)",
    WORKFLOWS,
)

FIELDS = ("minute", "hour", "day-of-month", "month", "day-of-week")
_ALLOWED = {
    "minute": "0-59",
    "hour": "0-23",
    "day-of-month": "1-31 (a day the month has) or L",
    "month": "1-12 or JAN-DEC",
    "day-of-week": "0-7 or SUN-SAT (0 and 7 are Sunday), with # or L",
}
_START = datetime(2000, 1, 1, tzinfo=UTC)  # any fixed moment: validity never reads the clock
_SHAPE = "minute hour day-of-month month day-of-week"


def cron_problem(expression: str) -> tuple[str, int, str] | None:
    """Why ``expression`` is not a valid cron expression: (message, offset, hint), or ``None``.

    The offset is where the wrong field starts in the string (0 for a wrong field count)."""
    fields = list(re.finditer(r"\S+", expression))
    if len(fields) != len(FIELDS):  # cronsim also takes a leading seconds field; Truto does not
        counted = f"{len(fields)} field{'s' if len(fields) != 1 else ''}"
        return (
            f"cron_expression {expression!r} has {counted}; it takes five: {_SHAPE} (UTC)",
            fields[0].start() if fields else 0,
            'e.g. "0 */6 * * *" (every six hours); seconds and @-names are not supported',
        )
    try:
        CronSim(expression, _START)
    except CronSimError as error:
        name = str(error).removeprefix("Bad ").strip()
        position = FIELDS.index(name) if name in FIELDS else 0
        field, allowed = fields[position], _ALLOWED[FIELDS[position]]
        return (
            f"cron_expression {expression!r}: the {FIELDS[position]} field "
            f"{field.group()!r} is not valid",
            field.start(),
            f"{FIELDS[position]} takes {allowed}; lists (1,15), ranges (1-5) and steps (*/10) "
            "of those",
        )
    return None


@file_rule(RULE)
def check_cron(ctx: FileContext) -> Iterator[Finding]:
    for step in steps_of(ctx.data):
        cron = step.cron
        if cron is None or not cron.strip():
            continue  # not a string, or empty: SJ010
        problem = cron_problem(cron)
        if problem is None:
            continue
        message, offset, hint = problem
        yield ctx.finding_inside(
            RULE,
            (*step.path, "cron_expression"),
            offset,
            f"step {step.number}: {message}",
            hint=hint,
        )
