"""The published pre-commit hook, run exactly as declared in .pre-commit-hooks.yaml."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from user_repo import GOOD_JOB, REPO, git, with_syncctl


def hook(name: str, config: str = ".pre-commit-hooks.yaml") -> dict[str, Any]:
    hooks = yaml.safe_load((REPO / config).read_text())
    if isinstance(hooks, dict):  # .pre-commit-config.yaml: repos -> hooks
        hooks = [h for repo in hooks["repos"] for h in repo["hooks"]]
    (found,) = [h for h in hooks if h["id"] == name]
    return dict(found)


def run_entry(entry: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        shlex.split(entry), cwd=cwd, env=with_syncctl(), capture_output=True, text=True, check=False
    )


def test_hook_checks_the_whole_tree_serially() -> None:
    declared = hook("syncctl-validate")
    assert declared["pass_filenames"] is False
    assert declared["require_serial"] is True
    assert declared["language"] == "python"
    files = re.compile(declared["files"])
    assert files.search("jobs/zendesk/tickets.yaml")
    assert files.search("workflows/zendesk-onboarding.yaml")
    assert files.search("pyproject.toml")
    assert not files.search("src/syncctl/loader.py")


@pytest.mark.parametrize("config", [".pre-commit-hooks.yaml", ".pre-commit-config.yaml"])
def test_hook_entry_fails_on_a_broken_job_and_passes_on_a_good_one(
    tmp_path: Path, config: str
) -> None:
    entry = hook("syncctl-validate", config)["entry"]
    entry = entry.replace(".venv/bin/", "")  # the repo's own config runs the project venv
    jobs = tmp_path / "jobs" / "zendesk"
    jobs.mkdir(parents=True)
    (tmp_path / "syncctl.toml").write_text(
        '[environments.local]\nurl = "embedded:.syncctl/local.sqlite3"\n'
    )
    (jobs / "tickets.yaml").write_text(GOOD_JOB)
    (jobs / "broken.yaml").write_text("label: Broken\nresources:\n  - resource: x\n    id: {{a}}\n")
    # The hook runs `validate --git`: what git tracks or has staged is what it checks.
    git("init", "--quiet", cwd=tmp_path)
    git("add", "--all", cwd=tmp_path)
    failed = run_entry(entry, tmp_path)
    assert failed.returncode == 1, failed.stderr
    assert "jobs/zendesk/broken.yaml:4:9: SJ003 error" in failed.stdout

    (jobs / "broken.yaml").unlink()
    git("add", "--all", cwd=tmp_path)
    passed = run_entry(entry, tmp_path)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout == "1 file checked: no problems found\n"
