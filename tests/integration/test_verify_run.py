"""``apply --verify-run`` against ``syncctl emulator serve``: two real processes over a real
socket. Each created or changed job is run once after apply: a completed run, a failed run
(``--run-failure-rate 1``: apply exits 1), a job whose required argument is missing (skipped),
and a workflow or an unchanged job (not run)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from served import child_env, cli, serve, write_project

TOKEN = "verify-run-token"
PLAIN = """\
label: users
default_runtime_version: 3
resources:
  - resource: ticketing/users
    method: list
"""
NEEDS_SINCE = """\
label: tickets
default_runtime_version: 3
args_schema:
  type: object
  properties:
    since: {type: string, required: true}
    integrated_account_id: {type: string}
resources:
  - resource: ticketing/tickets
    method: list
    query:
      since: "{{args.since}}"
      account: "{{args.integrated_account_id}}"
"""
FLOW = """\
trigger_name: integrated_account:active
config:
  steps:
    - type: run
      action: run_sync_job
      config: {sync_job: zendesk/users}
"""
FILES = {
    "jobs/zendesk/users.yaml": PLAIN,
    "jobs/zendesk/tickets.yaml": NEEDS_SINCE,
    "workflows/onboarding.yaml": FLOW,
}
RUN_FAST = ("--run-seconds", "0.2", "--run-start-seconds", "0.05")
# The token the project names (token_env), and a fast poll so runs finish quickly.
ENV = {"VERIFY_TOKEN": TOKEN, "SYNCCTL_RUN_POLL_INTERVAL": "0.05"}


@contextmanager
def project(tmp_path: Path, *options: str) -> Iterator[Path]:
    """A project whose one environment is a served emulator started with ``options``."""
    with serve(tmp_path, "--token", TOKEN, *options, env=child_env(**ENV)) as served:
        yield write_project(tmp_path / "project", served.url, "VERIFY_TOKEN", FILES)


def syncctl(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in ``root`` with the project's token and the fast poll set."""
    return cli(root, *args, env=child_env(**ENV))


def _verify_lines(stdout: str) -> dict[str, str]:
    """``key -> status text`` of each ``verify KEY: ...`` line."""
    found = {}
    for line in stdout.splitlines():
        if line.startswith("verify "):
            key, _, rest = line.removeprefix("verify ").partition(": ")
            found[key] = rest
    return found


def test_a_completed_run_and_a_skipped_job_exit_0(tmp_path: Path) -> None:
    with project(tmp_path, *RUN_FAST) as root:
        done = syncctl(root, "apply", "--yes", "--verify-run", "acct-7")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = _verify_lines(done.stdout)
    assert set(lines) == {"zendesk/users", "zendesk/tickets"}  # the workflow is not run
    assert lines["zendesk/users"].startswith("completed (run ")
    assert lines["zendesk/tickets"].startswith("skipped (")
    assert "needs since: add --verify-arg since=..." in lines["zendesk/tickets"]
    assert "Verify runs for account acct-7: 1 completed, 1 skipped." in done.stdout
    assert done.stdout.index("Apply complete") < done.stdout.index("verify zendesk/")


def test_a_failed_run_makes_apply_exit_1(tmp_path: Path) -> None:
    options = ("--run-failure-rate", "1", *RUN_FAST)
    with project(tmp_path, *options) as root:
        done = syncctl(root, "apply", "--yes", "--verify-run", "acct-7", "--verify-arg", "since=x")
        state = syncctl(root, "state", "list")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = _verify_lines(done.stdout)
    assert lines["zendesk/users"].startswith("FAILED: failed (run ")
    assert lines["zendesk/tickets"].startswith("FAILED: failed (run ")
    assert "zendesk/users" in state.stdout  # apply itself succeeded and was recorded


def test_verify_args_go_to_the_jobs_that_declare_them_and_json_carries_the_runs(
    tmp_path: Path,
) -> None:
    with project(tmp_path, *RUN_FAST) as root:
        done = syncctl(
            root, "apply", "--yes", "--format", "json",
            "--verify-run", "acct-7", "--verify-arg", "since=2026-01-01",
        )  # fmt: skip
        again = syncctl(root, "apply", "--yes", "--verify-run", "acct-7")
    assert done.returncode == 0, done.stdout + done.stderr
    document = json.loads(done.stdout)
    assert document["applied"] == 3
    verify = document["verify"]
    assert verify["account"] == "acct-7"
    assert verify["failed"] == 0
    assert {j["key"]: j["status"] for j in verify["jobs"]} == {
        "zendesk/users": "completed",
        "zendesk/tickets": "completed",
    }
    assert all(j["run_id"] for j in verify["jobs"])
    # Nothing created or changed: nothing is run.
    assert again.returncode == 0, again.stdout + again.stderr
    assert _verify_lines(again.stdout) == {}
    assert "no job was created or changed" in again.stdout


def test_only_a_changed_job_is_run_again(tmp_path: Path) -> None:
    with project(tmp_path, *RUN_FAST) as root:
        first = syncctl(root, "apply", "--yes")
        assert first.returncode == 0, first.stderr
        (root / "jobs" / "zendesk" / "users.yaml").write_text(
            PLAIN.replace("label: users", "label: all users"), encoding="utf-8"
        )
        done = syncctl(root, "apply", "--yes", "--verify-run", "acct-9")
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(_verify_lines(done.stdout)) == ["zendesk/users"]


def test_verify_usage_mistakes_exit_2_before_anything_is_applied(tmp_path: Path) -> None:
    with project(tmp_path, *RUN_FAST) as root:
        lonely = syncctl(root, "apply", "--yes", "--verify-arg", "since=x")
        malformed = syncctl(root, "apply", "--yes", "--verify-run", "a", "--verify-arg", "since")
        state = syncctl(root, "state", "list")
    assert lonely.returncode == 2
    assert "--verify-arg needs --verify-run" in lonely.stderr
    assert malformed.returncode == 2
    assert "not NAME=VALUE" in malformed.stderr
    assert "zendesk/" not in state.stdout
