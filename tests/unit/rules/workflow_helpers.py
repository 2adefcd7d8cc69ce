"""Run the workflow rules on workflow and job files written inline (shared by the SJ9xx tests)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from syncctl.config import Config, default_config
from syncctl.findings import Finding
from syncctl.kinds import SYNC_JOB, WORKFLOW
from syncctl.loader import load_text
from syncctl.rules.base import FileCheck, FileContext, JobFile, ProjectCheck, ProjectContext

FILE = "workflows/onboarding.yaml"
HEAD = "trigger_name: integrated_account:active\nconfig:\n  steps:\n"
"""Three lines: a body's first line is line 4."""

STEP = "    - type: run\n      action: run_sync_job\n"
"""The two fixed lines of a step (``config`` and the rest follow)."""


def workflow(text: str, file: str = FILE) -> JobFile:
    """A workflow file at ``file`` (under ``workflows/``) holding ``text``."""
    doc = load_text(textwrap.dedent(text), file)
    layout = tuple(file.split("/")[1:])
    return JobFile(Path(file), file, doc, layout, WORKFLOW)


def job(key: str, text: str = "resources: []\n") -> JobFile:
    """A job file ``jobs/<key>.yaml`` holding ``text``."""
    file = f"jobs/{key}.yaml"
    doc = load_text(textwrap.dedent(text), file)
    integration, name = key.split("/")
    return JobFile(Path(file), file, doc, (integration, f"{name}.yaml"), SYNC_JOB)


def config(root: Path = Path("/nowhere")) -> Config:
    return default_config(root)


def run_file(
    check: FileCheck, body: str, head: str = HEAD, cfg: Config | None = None
) -> list[Finding]:
    """The findings of a file rule's check on a workflow of ``head`` + ``body`` (as written)."""
    return list(check(FileContext(workflow(head + body), cfg or config())))


def run_project(
    check: ProjectCheck, workflows: list[JobFile], jobs: list[JobFile], cfg: Config | None = None
) -> list[Finding]:
    """The findings of a project rule's check over ``jobs`` and ``workflows``."""
    return list(check(ProjectContext(jobs, cfg or config(), workflows)))


def where(findings: list[Finding]) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.rule) for f in findings]
