"""The workflow catalog in ``workflows/``: what ``make demo`` validates with the jobs.

At least three workflows, one with cron steps; each carries its editor modeline and names only
jobs of the catalog, and one workflow file validates on its own as in the whole tree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_helpers import run

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / "workflows"
MODELINE = "# yaml-language-server: $schema=../schemas/workflow.schema.json"
FILES = sorted(WORKFLOWS.glob("*.yaml"))


def _steps(path: Path) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["config"][
        "steps"
    ]
    return steps


def test_the_catalog_has_three_workflows_and_cron_steps() -> None:
    assert len(FILES) >= 3
    assert any(step.get("cron_expression") for path in FILES for step in _steps(path))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_workflow_starts_with_its_modeline_and_names_catalog_jobs(path: Path) -> None:
    assert path.read_text(encoding="utf-8").splitlines()[0] == MODELINE
    for step in _steps(path):
        key = step["config"]["sync_job"]
        assert (REPO / "jobs" / f"{key}.yaml").is_file(), key


def test_the_catalog_counts_jobs_and_workflows(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(REPO, "validate", "--strict", "--format", "json", monkeypatch=monkeypatch)
    report = json.loads(out)
    assert (code, report["findings"]) == (0, [])
    jobs = len(list((REPO / "jobs").glob("*/*.yaml")))
    assert report["summary"]["files_checked"] == jobs + len(FILES)


def test_one_workflow_file_validates_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(
        REPO, "validate", "--strict", "workflows/zendesk-onboarding.yaml", monkeypatch=monkeypatch
    )
    assert (code, err) == (0, "")
    assert out == "1 file checked: no problems found\n"
