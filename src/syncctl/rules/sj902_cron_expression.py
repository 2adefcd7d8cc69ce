"""SJ902: a step's ``cron_expression`` is not a valid five-field cron expression.

Truto turns a step with ``cron_expression`` into a cron trigger per account, evaluated in UTC
(reference §1.6). The expression is checked by ``syncctl.schedule.problem`` (``cronsim``). A wrong
number of fields is placed at the start of the string; a bad field at that field, and the
message names it.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._workflow import steps_of
from syncctl.rules.base import WORKFLOWS, FileContext, RuleInfo, file_rule
from syncctl.schedule import FIELDS, problem

RULE = RuleInfo(
    "SJ902",
    Severity.ERROR,
    "invalid cron_expression (five fields: minute hour day-of-month month day-of-week, UTC)",
    WORKFLOWS,
)

__all__ = ["FIELDS", "RULE", "check_cron"]


@file_rule(RULE)
def check_cron(ctx: FileContext) -> Iterator[Finding]:
    for step in steps_of(ctx.data):
        cron = step.cron
        if cron is None or not cron.strip():
            continue  # not a string, or empty: SJ010
        found = problem(cron)
        if found is None:
            continue
        yield ctx.finding_inside(
            RULE,
            (*step.path, "cron_expression"),
            found.offset,
            f"step {step.number}: {found.message}",
            hint=found.hint,
        )
