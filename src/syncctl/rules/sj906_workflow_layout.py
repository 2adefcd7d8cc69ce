"""SJ906: the workflow file is not where a workflow file lives, or its name is not valid.

A workflow file is ``<workflows folder>/<name>.yaml`` (key ``workflow:<name>``), the name
matching ``^[a-z0-9][a-z0-9_-]*$`` like a job's. Subfolders are not read as a namespace. The
finding is about the path, so it sits at 1:1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from syncctl.findings import Finding, Severity
from syncctl.rules.base import WORKFLOWS, FileContext, JobFile, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ906",
    Severity.ERROR,
    "workflow file layout: not workflows/<name>.yaml, or a bad name",
    WORKFLOWS,
)

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
SUFFIX = ".yaml"


@file_rule(RULE)
def check_workflow_layout(ctx: FileContext) -> Iterable[Finding]:
    problem = _problem(ctx.job, ctx.config.workflows_dir.name)
    if problem is None:
        return ()
    message, hint = problem
    return (Finding(ctx.job.rel, 1, 1, RULE.id, RULE.severity, message, "$", hint),)


def _problem(job: JobFile, folder: str) -> tuple[str, str] | None:
    name = job.path.name
    if not name.endswith(SUFFIX) or name == SUFFIX:
        suffix = job.path.suffix or "no extension"
        hint = (
            f"rename it to {job.path.stem}{SUFFIX}"
            if job.path.suffix == ".yml"
            else "only .yaml files belong in the workflows folder"
        )
        return f"workflow files end in .yaml (this one: {suffix})", hint
    layout = job.layout or (name,)
    if len(layout) > 1:
        return (
            f"file is nested in {folder}/ ({folder}/{'/'.join(layout)}); workflow files live "
            f"at {folder}/<name>.yaml",
            f"move it to {folder}/{layout[-1]}",
        )
    stem = name.removesuffix(SUFFIX)
    if not NAME.match(stem):
        return (
            f"workflow name {stem!r} must match ^[a-z0-9][a-z0-9_-]*$",
            "use lower-case letters, digits, '-' and '_' (not first)",
        )
    return None
