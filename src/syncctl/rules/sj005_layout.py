"""SJ005: the file is not where a job file lives, or its names are not valid.

A job file is ``<jobs folder>/<integration>/<job>.yaml``: the folder is the integration, the
stem is the job name, both matching ``^[a-z0-9][a-z0-9_-]*$``. When the file sets
``integration_name`` it must equal the folder. The reserved folder ``_multi/`` holds runtime 4
jobs that span integrations: their ``integration_name`` is ``""`` (or absent) and their key is
``_multi/<job>``. Layout problems are placed at 1:1 (they are about the path, not the
content); a mismatching ``integration_name`` or runtime at its value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from syncctl.findings import Finding, Severity
from syncctl.rules._runtime import is_runtime_v4
from syncctl.rules.base import MULTI_FOLDER, FileContext, JobFile, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ005",
    Severity.ERROR,
    "file layout: not jobs/<integration>/<job>.yaml, bad name, integration_name ≠ folder",
)

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
SUFFIX = ".yaml"
_SHAPE = "job files live at jobs/<integration>/<job>.yaml"


@file_rule(RULE)
def check_layout(ctx: FileContext) -> Iterable[Finding]:
    job = ctx.job
    problem = _layout_problem(job, ctx.config.jobs_dir.name)
    if problem is not None:
        message, hint = problem
        return (Finding(job.rel, 1, 1, RULE.id, RULE.severity, message, "$", hint),)
    assert job.layout is not None
    folder = job.layout[0]
    data = job.data
    if data is None:
        return ()
    if folder == MULTI_FOLDER:
        return _multi_problems(ctx, data)
    declared = data.get("integration_name")
    if isinstance(declared, str) and declared != folder:
        jobs = ctx.config.jobs_dir.name
        hint = (
            f"a job that spans integrations lives in {jobs}/{MULTI_FOLDER}/; move it there, "
            f"or set integration_name: {folder}"
            if declared == "" and is_runtime_v4(data)
            else f"set integration_name: {folder}, or move the file to the folder "
            f"{declared or '<integration>'}/"
        )
        return (
            ctx.finding(
                RULE,
                ("integration_name",),
                f"integration_name {declared!r} does not match the folder {folder!r}",
                hint=hint,
            ),
        )
    return ()


def _multi_problems(ctx: FileContext, data: dict[str, Any]) -> list[Finding]:
    """A ``_multi/`` job must be runtime 4 and name no integration."""
    out: list[Finding] = []
    stem, jobs = ctx.job.name, ctx.config.jobs_dir.name
    if not is_runtime_v4(data):
        message = f"jobs in {MULTI_FOLDER}/ span integrations and must be runtime 4"
        hint = (
            f"set default_runtime_version: 4, or move the file to {jobs}/<integration>/{stem}.yaml"
        )
        if "default_runtime_version" in data:
            out.append(ctx.finding(RULE, ("default_runtime_version",), message, hint=hint))
        else:
            out.append(Finding(ctx.job.rel, 1, 1, RULE.id, RULE.severity, message, "$", hint))
    declared = data.get("integration_name")
    if isinstance(declared, str) and declared != "":
        out.append(
            ctx.finding(
                RULE,
                ("integration_name",),
                f"integration_name {declared!r} in {MULTI_FOLDER}/, where jobs span integrations",
                hint=f'set integration_name: "" (or drop it), or move the file to '
                f"{jobs}/{declared}/{stem}.yaml",
            )
        )
    return out


def _layout_problem(job: JobFile, jobs: str) -> tuple[str, str] | None:
    layout = job.layout
    if not job.path.name.endswith(SUFFIX):
        suffix = job.path.suffix or "no extension"
        hint = (
            f"rename it to {job.path.stem}{SUFFIX}"
            if job.path.suffix == ".yml"
            else ("only .yaml files belong in the jobs folder")
        )
        return f"job files end in .yaml (this one: {suffix})", hint
    if layout is None:
        return (
            f"file is outside the jobs folder ({jobs}/); {_SHAPE}",
            f"move it to {jobs}/<integration>/{job.path.name}",
        )
    if len(layout) == 1:
        return (
            f"file is directly in {jobs}/; {_SHAPE}",
            f"move it into an integration folder: {jobs}/<integration>/{layout[0]}",
        )
    if len(layout) > 2:
        return (
            f"file is nested too deep ({jobs}/{'/'.join(layout)}); {_SHAPE}",
            f"move it to {jobs}/{layout[0]}/{layout[-1]}",
        )
    folder, stem = layout[0], layout[1].removesuffix(SUFFIX)
    bad = [
        f"{what} {name!r}"
        for what, name in (("folder", folder), ("job name", stem))
        if not NAME.match(name) and not (what == "folder" and name == MULTI_FOLDER)
    ]
    if bad:
        reserved = f"; {MULTI_FOLDER}/ is the one reserved folder" if folder.startswith("_") else ""
        return (
            f"{' and '.join(bad)} must match ^[a-z0-9][a-z0-9_-]*$",
            f"use lower-case letters, digits, '-' and '_' (not first){reserved}",
        )
    return None
