"""SJ905: a step names its job by a literal ``sync_job_id``.

A remote id is the job of one environment only, and one this repository does not manage: it
is not created, renamed or checked with the workflow. A job of the repository is named by key
(``sync_job``) and resolved per environment at plan time (design §9). A step that sets both is
SJ010's.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._workflow import steps_of
from syncctl.rules.base import WORKFLOWS, FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ905",
    Severity.WARNING,
    "a literal sync_job_id (a job this repository does not manage)",
    WORKFLOWS,
)


@file_rule(RULE)
def check_literal_id(ctx: FileContext) -> Iterator[Finding]:
    jobs = ctx.config.jobs_dir.name
    for step in steps_of(ctx.data):
        config = step.fields.get("config")
        if not isinstance(config, dict) or "sync_job" in config:
            continue
        job_id = config.get("sync_job_id")
        if not isinstance(job_id, str) or not job_id:
            continue
        yield ctx.finding(
            RULE,
            (*step.path, "config", "sync_job_id"),
            f"step {step.number} runs the job with remote id {job_id!r}, which this repository "
            "does not manage (the id differs per environment)",
            hint=f"name a job of {jobs}/ by key instead: sync_job: <integration>/<job>",
        )
