"""Desired jobs: what plan and apply build from the job files."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncctl.config import load_config
from syncctl.errors import ValidationFailedError
from syncctl.model import JobSpec, TrustedJob
from syncctl.reconcile.desired import load_desired
from syncctl.validate import validate_tree

REPO = Path(__file__).resolve().parents[3]


def test_trusted_view_equals_the_checked_view_on_the_catalog() -> None:
    config = load_config(REPO / "pyproject.toml")
    jobs, report = validate_tree([config.jobs_dir], config)
    assert report.errors == ()
    assert len(jobs) >= 12
    for job in jobs:
        trusted, checked = TrustedJob.of(job), JobSpec.from_job(job)
        assert trusted.payload() == checked.payload()
        assert trusted.effective_label == checked.effective_label
        assert trusted.protected == checked.protected
        for env in config.environments:
            assert trusted.targets(env, config.environments) == checked.targets(
                env, config.environments
            )


def test_only_jobs_targeting_the_environment_are_desired() -> None:
    config = load_config(REPO / "pyproject.toml")
    local = {job.key for job in load_desired(config, config.environment("local"))}
    production = {job.key for job in load_desired(config, config.environment("production"))}
    assert local
    assert local != production
    assert "zendesk/support-directory" in local


def test_files_with_errors_stop_plan_and_apply(tmp_path: Path) -> None:
    (tmp_path / "jobs" / "zendesk").mkdir(parents=True)
    (tmp_path / "jobs" / "zendesk" / "bad.yaml").write_text("label: [\n")
    (tmp_path / "syncctl.toml").write_text(
        '[environments.local]\nurl = "embedded:.syncctl/local.sqlite3"\n'
    )
    config = load_config(tmp_path / "syncctl.toml")
    with pytest.raises(ValidationFailedError, match=r"jobs/zendesk/bad.yaml:2:1: SJ001"):
        load_desired(config, config.environment("local"))
