"""``syncctl run`` against ``syncctl emulator serve``: two real processes over a real socket.

Each test starts the emulator with the run options it needs (duration, failure rate, rate
limited spells, 429 bursts), applies one job with ``syncctl apply``, and runs ``syncctl run``
as a user would.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from served import child_env, cli, read_line, serve, write_project

TOKEN = "run-socket-token"
KEY = "zendesk/tickets"
JOB = """\
label: tickets
default_runtime_version: 3
args_schema:
  type: object
  properties:
    since: {type: string, required: true}
    page_size: {type: integer}
    integrated_account_id: {type: string}
resources:
  - resource: ticketing/tickets
    method: list
    query:
      since: "{{args.since}}"
      limit: "{{args.page_size}}"
      account: "{{args.integrated_account_id}}"
"""
FILES = {f"jobs/{KEY}.yaml": JOB}
# The token the project names (token_env), and a fast poll so runs finish quickly.
ENV = {"RUN_SOCKET_TOKEN": TOKEN, "SYNCCTL_RUN_POLL_INTERVAL": "0.05"}


def syncctl(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in ``root`` with the project's token and the fast poll set."""
    return cli(root, *args, env=child_env(**ENV), timeout=60)


@contextmanager
def applied(tmp_path: Path, *options: str) -> Iterator[tuple[Path, str]]:
    with serve(tmp_path, "--token", TOKEN, *options, env=child_env(**ENV)) as served:
        root = write_project(tmp_path / "project", served.url, "RUN_SOCKET_TOKEN", FILES)
        done = syncctl(root, "apply", "--yes")
        assert done.returncode == 0, done.stderr
        yield root, served.url


RUN = ("run", KEY, "--account", "acct-7", "--arg", "since=2026-01-01")


def test_completed_exits_0_with_status_lines_and_counters(tmp_path: Path) -> None:
    with applied(tmp_path, "--run-seconds", "0.3", "--run-start-seconds", "0.1") as (root, _):
        done = syncctl(root, *RUN, "--arg", "page_size=50")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[1] for line in lines[1:-1]] == ["created", "running", "completed"]
    assert "ticketing/tickets list:" in lines[-1]
    assert done.stderr == ""


def test_failed_exits_1(tmp_path: Path) -> None:
    with applied(tmp_path, "--run-failure-rate", "1", "--run-seconds", "0.2") as (root, _):
        done = syncctl(root, *RUN, "--format", "json")
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    assert document["status"] == "failed"
    assert document["run"]["args"] == {"since": "2026-01-01", "integrated_account_id": "acct-7"}
    assert document["run"]["finished_at"] is not None


def test_a_run_deleted_mid_run_is_stopped_and_exits_1(tmp_path: Path) -> None:
    with applied(tmp_path, "--run-seconds", "30") as (root, url):
        process = subprocess.Popen(
            [sys.executable, "-m", "syncctl", *RUN],
            cwd=root,
            env=child_env(**ENV),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
        )
        try:
            first = read_line(process, time.monotonic() + 30)
            run_id = first.split()[1]
            read_line(process, time.monotonic() + 30)  # created
            deleted = httpx.delete(
                f"{url}/sync-job-run/{run_id}", headers={"Authorization": f"Bearer {TOKEN}"}
            )
            assert deleted.status_code == 200
            out, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate(timeout=30)
        assert process.returncode == 1, err
        assert "stopped" in out.decode().splitlines()[-1]
        later = httpx.get(
            f"{url}/sync-job-run/{run_id}", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert later.json()["status"] == "stopped"


def test_timeout_exits_3_and_the_run_goes_on(tmp_path: Path) -> None:
    with applied(tmp_path, "--run-seconds", "30") as (root, url):
        done = syncctl(root, *RUN, "--timeout", "0.3", "--format", "json")
        assert done.returncode == 3, done.stderr
        document = json.loads(done.stdout)
        assert document["timed_out"] is True
        run_id = document["run"]["id"]
        later = httpx.get(
            f"{url}/sync-job-run/{run_id}", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert later.json()["status"] == "running"


def test_a_rate_limited_spell_is_shown_and_429s_are_ridden_out(tmp_path: Path) -> None:
    options = (
        "--run-seconds", "0.4", "--run-rate-limited-rate", "1",
        "--run-rate-limited-seconds", "0.4", "--burst-429", "every:3", "--retry-after", "0",
    )  # fmt: skip
    with applied(tmp_path, *options) as (root, _):
        done = syncctl(root, "-v", *RUN)
    assert done.returncode == 0, done.stderr
    statuses = [line.split()[1] for line in done.stdout.splitlines()[1:-1]]
    assert "rate_limited" in statuses
    assert statuses[-1] == "completed"
    assert "resumes by itself" in done.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--arg", "since=x", "--arg", "page_size=ten"), "page_size is declared as integer"),
        ((), "needs the argument(s) since"),
        (("--arg", "since=x", "--arg", "until=y"), "declares no argument 'until'"),
    ],
)
def test_argument_errors_exit_2_before_any_run(
    tmp_path: Path, args: tuple[str, ...], words: str
) -> None:
    with applied(tmp_path) as (root, url):
        done = syncctl(root, "run", KEY, "--account", "a", *args)
        listed = httpx.get(f"{url}/sync-job-run", headers={"Authorization": f"Bearer {TOKEN}"})
    assert done.returncode == 2
    assert words in done.stderr
    assert "Traceback" not in done.stderr
    assert listed.json()["result"] == []  # nothing was started
