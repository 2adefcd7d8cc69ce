"""SJ903: a job run on a cron schedule has no ``mutex_key``.

A step with ``cron_expression`` starts its job again on every tick, per account, whether or
not the last run has finished; without a ``mutex_key`` two runs of the same account overlap and
race on its records and its state. The finding sits at the step's ``cron_expression`` and names
the job file to change. A job no file defines is SJ901's.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._workflow import JobIndex, steps_of
from syncctl.rules.base import WORKFLOWS, ProjectContext, RuleInfo, project_rule

RULE = RuleInfo(
    "SJ903",
    Severity.WARNING,
    "a job run on a cron schedule has no mutex_key (overlapping runs race)",
    WORKFLOWS,
)

MUTEX = '"{{args.integrated_account_id}}"'


@project_rule(RULE)
def check_cron_mutex(ctx: ProjectContext) -> Iterator[Finding]:
    if not ctx.workflows:
        return
    index = JobIndex(ctx.jobs, ctx.config)
    for workflow in ctx.workflows:
        for step in steps_of(workflow.data):
            key = step.job_key
            if step.cron is None or key is None:
                continue
            job = index.get(key)
            data = job.data if job is not None else None
            if job is None or data is None:
                continue
            mutex = data.get("mutex_key")
            if isinstance(mutex, str) and mutex.strip():
                continue
            yield ctx.finding(
                RULE,
                workflow,
                (*step.path, "cron_expression"),
                f"step {step.number} runs job {key!r} on a cron schedule, but the job has no "
                "mutex_key: a run can start before the last one ends, and the two race",
                hint=f"set mutex_key: {MUTEX} in {job.rel}",
            )
