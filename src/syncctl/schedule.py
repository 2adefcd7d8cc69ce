"""A workflow step's cron schedule in words, for the plan (design §9).

``describe("0 */6 * * *")`` gives ``At minute 0 past every sixth hour (UTC)``: the English
description of ``cronsim`` (24-hour times, never the system locale) with the time zone Truto
evaluates cron triggers in. It is pure: the expression alone decides the text, the clock is
never read. ``cronsim`` is imported on first use, so commands that never describe a schedule do
not load it.
"""

from __future__ import annotations

from datetime import UTC, datetime

FIELDS = "minute hour day-of-month month day-of-week"
_START = datetime(2000, 1, 1, tzinfo=UTC)  # cronsim wants a moment; any fixed one will do


def describe(cron_expression: str) -> str:
    """The schedule of a five-field cron expression in words, in UTC.

    Raises ``ValueError`` (a one-line message) for an expression that is not valid; SJ902
    reports those in a workflow file before a plan is made."""
    from cronsim import CronSim, CronSimError  # lazy: only the plan pays for it

    fields = cron_expression.split()
    if len(fields) != len(FIELDS.split()):
        raise ValueError(
            f"cron expression {cron_expression!r} has {len(fields)} field(s); "
            f"it takes five: {FIELDS}"
        )
    try:
        words = CronSim(" ".join(fields), _START).explain()
    except CronSimError as error:
        name = str(error).removeprefix("Bad ").strip()
        names = FIELDS.split()
        where = f"the {name} field {fields[names.index(name)]!r}" if name in names else "it"
        raise ValueError(
            f"cron expression {cron_expression!r}: {where} is not valid ({FIELDS}, UTC)"
        ) from None
    return f"{words} (UTC)"
