"""SJ901: a workflow step names a job key that no file defines, or a job not desired in all the
workflow's environments.

A step's ``config.sync_job`` is a job key (``<integration>/<job>``, its path under the jobs
folder), resolved per environment to the job's remote id at plan time (design §9). A key that
no job file has gets a did-you-mean over the known keys (a renamed job file is the usual cause:
syncctl never edits workflow files, so the step must be given the new key). A job whose
``environments`` leave out an environment the workflow runs in has no remote id there. The
finding sits at the step's ``sync_job`` value.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._suggest import did_you_mean, listing
from syncctl.rules._workflow import JobIndex, environments_of, steps_of
from syncctl.rules.base import WORKFLOWS, ProjectContext, RuleInfo, project_rule

RULE = RuleInfo(
    "SJ901",
    Severity.ERROR,
    "a step names a job key that no file defines, or one not desired in all the workflow's "
    "environments",
    WORKFLOWS,
)


@project_rule(RULE)
def check_step_jobs(ctx: ProjectContext) -> Iterator[Finding]:
    if not ctx.workflows:
        return
    index = JobIndex(ctx.jobs, ctx.config)
    jobs = ctx.config.jobs_dir.name
    for workflow in ctx.workflows:
        data = workflow.data
        configured = ctx.config.environments  # an unknown name is SJ701's
        wanted = [e for e in environments_of(data, ctx.config) if e in configured]
        for step in steps_of(data):
            key = step.job_key
            if key is None:
                continue
            where = (*step.path, "config", "sync_job")
            job = index.get(key)
            if job is None:
                hint = did_you_mean(key, index.keys) or (
                    f"create {jobs}/{key}.yaml, or name one of the job keys: "
                    f"{listing(index.keys, 5)}"
                )
                yield ctx.finding(
                    RULE,
                    workflow,
                    where,
                    f"step {step.number} runs job {key!r}, which no file in {jobs}/ defines",
                    hint=hint,
                )
                continue
            if job.data is None:
                continue  # an unreadable job file: its own findings say why
            missing = [e for e in wanted if e not in environments_of(job.data, ctx.config)]
            if missing:
                names = ", ".join(repr(e) for e in missing)
                yield ctx.finding(
                    RULE,
                    workflow,
                    where,
                    f"step {step.number} runs job {key!r}, which is not applied in {names}, "
                    "where this workflow runs",
                    hint=f"add {', '.join(missing)} to the environments of {job.rel}, or "
                    "leave them out of the workflow's environments",
                )
