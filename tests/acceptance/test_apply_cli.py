"""``syncctl apply`` on the embedded environment: machine-readable stdout stays parseable."""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

import pytest
from click.testing import CliRunner

from syncctl.cli.main import cli

JOB = dedent(
    """\
    label: Zendesk tickets
    default_runtime_version: 3
    resources:
      - resource: ticketing/tickets
        method: list
    """
)


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_apply_without_a_saved_plan_shows_the_plan_on_stderr_for_other_formats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    (tmp_path / "jobs" / "zendesk").mkdir(parents=True)
    (tmp_path / "jobs" / "zendesk" / "tickets.yaml").write_text(JOB)
    (tmp_path / "syncctl.toml").write_text(
        '[environments.local]\nurl = "embedded:.syncctl/local.sqlite3"\n'
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SYNCCTL_LOCAL_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["apply", "--yes", "--format", fmt], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "+ create zendesk/tickets" in result.stderr
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["applied"] == 1
        assert data["outcomes"][0]["action"] == "create"
    else:
        assert result.stdout.startswith("### syncctl apply — `local`")
        assert "+ create" not in result.stdout
