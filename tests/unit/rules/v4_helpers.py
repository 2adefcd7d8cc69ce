"""Run one rule on a runtime 4 job written inline (shared by the runtime 4 rule tests)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import ModuleType

from syncctl.config import default_config
from syncctl.findings import Finding
from syncctl.loader import load_text
from syncctl.rules.base import FileContext, JobFile

FILE = "jobs/github/repos.yaml"
HEAD = (
    "integration_name: github\n"
    "label: Repos\n"
    "default_runtime_version: 4\n"
    'state_key: "{{args.integrated_account_id}}"\n'
)
"""Four lines: a body's first line is line 5."""


def run(rule: ModuleType, body: str, head: str = HEAD) -> list[Finding]:
    doc = load_text(head + textwrap.dedent(body), FILE)
    job = JobFile(Path(FILE), FILE, doc, ("github", "repos.yaml"))
    return list(rule.check(FileContext(job, default_config(Path("/nowhere")))))


def where(findings: list[Finding]) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.rule) for f in findings]
