"""``syncctl run JOB_KEY --account ID`` through the CLI: a project on disk, applied to its
embedded environment (or to an in-process server whose runs are configured), then run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import project, run

from syncctl.emulator.handler import EmulatorSettings
from syncctl.emulator.runs import RunSettings
from syncctl.emulator.server import running_server

JOB = """\
label: pipelines
default_runtime_version: 3
args_schema:
  type: object
  properties:
    project_slug: {type: string, required: true}
    count: {type: integer}
    ids: {type: array}
    integrated_account_id: {type: string}
resources:
  - resource: cicd/pipelines
    method: list
    query:
      slug: "{{args.project_slug}}"
      count: "{{args.count}}"
      ids: "{{args.ids}}"
      account: "{{args.integrated_account_id}}"
"""
KEY = "circleci/pipelines"


@pytest.fixture(autouse=True)
def fast_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNCCTL_RUN_POLL_INTERVAL", "0.05")


@pytest.fixture
def applied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose one job is applied to the embedded local environment."""
    root = project(tmp_path, {f"jobs/{KEY}.yaml": JOB})
    code, _, err = run(root, "apply", "--yes", monkeypatch=monkeypatch)
    assert code == 0, err
    return root


def test_a_run_is_followed_to_completed_and_exits_0(
    applied: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(
        applied, "run", KEY, "--account", "acct-1", "--arg", "project_slug=gh/o/r",
        monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("run ")
    assert f"of {KEY} for account acct-1" in lines[0]
    statuses = [line.split()[1] for line in lines[1:-1]]
    assert statuses == ["created", "running", "completed"]
    assert "cicd/pipelines list:" in lines[-2]
    assert f"of {KEY} completed in" in lines[-1]


def test_json_shows_the_typed_args_and_the_account_fill(
    applied: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(
        applied, "run", KEY, "--account", "acct-1", "--format", "json",
        "--arg", "project_slug=s", "--arg", "count=3", "--arg", 'ids=["a","b"]',
        monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 0
    document = json.loads(out)
    assert document["status"] == "completed"
    assert document["exit_code"] == 0
    assert [h["status"] for h in document["history"]] == ["created", "running", "completed"]
    assert document["run"]["args"] == {
        "project_slug": "s",
        "count": 3,
        "ids": ["a", "b"],
        "integrated_account_id": "acct-1",
    }
    assert document["run"]["integrated_account_id"] == "acct-1"


def test_no_wait_only_starts_the_run(applied: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(
        applied, "run", KEY, "--account", "a", "--arg", "project_slug=s", "--no-wait",
        "--format", "json", monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 0
    document = json.loads(out)
    assert document["waited"] is False
    assert document["status"] == "created"


def test_timeout_exits_3_and_says_the_run_goes_on(
    applied: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(
        applied, "run", KEY, "--account", "a", "--arg", "project_slug=s", "--timeout", "0.05",
        monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 3
    assert "stopped waiting after 0.05s" in out
    assert "it goes on (exit 3)" in out


def test_env_after_the_command_is_accepted(applied: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run(
        applied, "run", KEY, "--env", "local", "--account", "a", "--arg", "project_slug=s",
        monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 0, err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((), "needs the argument(s) project_slug (hint: add --arg project_slug=...)"),
        (("--arg", "project_slug=s", "--arg", "count=three"), "count is declared as integer"),
        (("--arg", "project_slug=s", "--arg", "ids=a,b"), "a JSON array"),
        (("--arg", "project_slug=s", "--arg", "slug=x"), "declares no argument 'slug'"),
        (("--arg", "project_slug"), "is not NAME=VALUE"),
    ],
)
def test_argument_mistakes_are_usage_errors(
    applied: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], words: str
) -> None:
    code, out, err = run(applied, "run", KEY, "--account", "a", *args, monkeypatch=monkeypatch)
    assert code == 2
    assert out == ""
    assert words in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_an_unknown_key_is_a_usage_error_with_the_closest_key(
    applied: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(
        applied, "run", "circleci/pipeline", "--account", "a", monkeypatch=monkeypatch
    )
    assert code == 2
    assert "no job file has the key 'circleci/pipeline'" in err
    assert "did you mean circleci/pipelines?" in err


def test_a_job_not_in_state_says_apply_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {f"jobs/{KEY}.yaml": JOB})
    code, _, err = run(
        root, "run", KEY, "--account", "a", "--arg", "project_slug=s", monkeypatch=monkeypatch
    )
    assert code == 1
    assert f"job {KEY} is not managed in environment 'local'" in err
    assert "syncctl apply" in err
    assert len(err.strip().splitlines()) == 1


def test_help_documents_the_exit_codes() -> None:
    from click.testing import CliRunner

    from syncctl.cli.main import cli

    result = CliRunner().invoke(cli, ["run", "--help"])
    assert result.exit_code == 0
    for line in ("0  completed", "1  failed or stopped", "2  usage", "3  stopped waiting"):
        assert line in result.stdout
    assert "--poll-interval" not in result.stdout  # hidden: for tests and slow APIs


@pytest.fixture
def failing_server(tmp_path: Path) -> Iterator[str]:
    settings = EmulatorSettings(tokens={"t-accept": "local"}, runs=RunSettings(failure_rate=1.0))
    with running_server(db_path=tmp_path / "server.sqlite3", settings=settings) as url:
        yield url


def test_a_failed_run_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_server: str
) -> None:
    root = project(tmp_path / "p", {f"jobs/{KEY}.yaml": JOB})
    (root / "syncctl.toml").write_text(
        f'[environments.local]\nurl = "{failing_server}"\ntoken_env = "RUN_IT_TOKEN"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("RUN_IT_TOKEN", "t-accept")
    assert run(root, "apply", "--yes", monkeypatch=monkeypatch)[0] == 0
    code, out, _ = run(
        root, "run", KEY, "--account", "a", "--arg", "project_slug=s", "--format", "json",
        monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 1
    assert json.loads(out)["status"] == "failed"
