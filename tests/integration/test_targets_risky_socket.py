"""``--target``/``--exclude`` and the risky changes guard against ``syncctl emulator serve``:
the real CLI and the real server as two processes over a real socket. The live objects are read
with plain HTTP past syncctl, so a test fails when apply writes more (or less) than it says.
The same behaviours on the embedded environment: tests/acceptance/test_targets_cli.py and
test_risky_cli.py, whose files these are."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import httpx
from served import child_env, cli, serve, write_files, write_project

TOKEN = "targets-risky-token"
ENV = {"TARGETS_RISKY_TOKEN": TOKEN}  # the variable the project's token_env names
JOB = """\
label: {label}
default_runtime_version: 3
resources:
  - resource: ticketing/tickets
    method: list
"""
FLOW = """\
trigger_name: integrated_account:active
config:
  steps:
    - type: run
      action: run_sync_job
      config: {sync_job: zendesk/tickets}
"""
TARGET_FILES = {
    "jobs/zendesk/tickets.yaml": JOB.format(label="Tickets"),
    "jobs/zendesk/users.yaml": JOB.format(label="Users"),
    "jobs/hubspot/contacts.yaml": JOB.format(label="Contacts"),
    "workflows/onboarding.yaml": FLOW,
}
RISKY_FILE = "jobs/googlecalendar/events.yaml"
V4 = """\
label: Events
default_runtime_version: 4
mutex_key: "{{args.integrated_account_id}}"
state_key: "STATE_KEY"
args_schema:
  integrated_account_id: {type: string, required: true}
resources:
  - type: get_state
    name: get-cursor
    config: {key: last_synced_at, default: "2026-01-01"}
  - type: request
    name: list-events
    depends_on: get-cursor
    resource: calendar/events
    method: list
    integrated_account_id: "{{args.integrated_account_id}}"
    query:
      updated_at: {gt: "{{resources.get-cursor.value}}"}
"""
ACCOUNT = "{{args.integrated_account_id}}"
TENANT = "tenant-{{args.integrated_account_id}}"


class Served(NamedTuple):
    """A project folder and the URL of the emulator its one environment, ``local``, names."""

    root: Path
    url: str


@contextmanager
def served_project(tmp_path: Path, files: dict[str, str]) -> Iterator[Served]:
    """``files`` in a project whose environment is a served emulator, empty at the start."""
    with serve(tmp_path, "--token", TOKEN, env=child_env(**ENV)) as served:
        root = write_project(tmp_path / "project", served.url, "TARGETS_RISKY_TOKEN", files)
        yield Served(root, served.url)


def syncctl(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI as a user runs it: its own process, in the project, with the token set."""
    return cli(root, *args, env=child_env(**ENV))


def live(url: str, path: str) -> list[dict[str, Any]]:
    """Every live object at ``/sync-job`` or ``/workflow``, read past syncctl's client."""
    answer = httpx.get(f"{url}/{path}", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["next_cursor"] is None  # one page holds a test's few objects
    result: list[dict[str, Any]] = body["result"]
    return result


def labels(url: str) -> set[str]:
    return {job["label"] for job in live(url, "sync-job")}


def test_apply_target_creates_only_the_targeted_jobs_and_a_full_plan_shows_the_rest(
    tmp_path: Path,
) -> None:
    with served_project(tmp_path, TARGET_FILES) as (root, url):
        done = syncctl(root, "apply", "--yes", "--target", "zendesk/*")
        jobs, workflows = labels(url), live(url, "workflow")
        rest = syncctl(root, "plan", "--detailed-exitcode")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Partial plan: 2 of 4 objects targeted: zendesk/tickets, zendesk/users" in done.stdout
    assert "hubspot/contacts" not in done.stdout
    assert jobs == {"Tickets", "Users"}
    assert workflows == []
    assert rest.returncode == 2, rest.stdout + rest.stderr
    assert "+ create hubspot/contacts" in rest.stdout
    assert "+ create workflow:onboarding" in rest.stdout
    assert "create zendesk/" not in rest.stdout
    assert "Partial plan" not in rest.stdout


def test_a_targeted_workflow_is_created_with_the_job_it_names_and_nothing_else(
    tmp_path: Path,
) -> None:
    with served_project(tmp_path, TARGET_FILES) as (root, url):
        done = syncctl(root, "apply", "--yes", "--target", "workflow:onboarding")
        jobs, workflows = live(url, "sync-job"), live(url, "workflow")
    assert done.returncode == 0, done.stdout + done.stderr
    assert [job["label"] for job in jobs] == ["Tickets"]
    assert len(workflows) == 1
    assert workflows[0]["config"]["steps"][0]["config"] == {"sync_job_id": jobs[0]["id"]}


def test_excluding_a_job_a_targeted_workflow_needs_exits_2_and_writes_nothing(
    tmp_path: Path,
) -> None:
    with served_project(tmp_path, TARGET_FILES) as (root, url):
        done = syncctl(
            root, "apply", "--yes", "--exclude", "zendesk/tickets", "--target", "workflow:*"
        )
        jobs, workflows = live(url, "sync-job"), live(url, "workflow")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "zendesk/tickets" in done.stderr
    assert "workflow:onboarding" in done.stderr
    assert "Traceback" not in done.stderr
    assert (jobs, workflows) == ([], [])


def test_a_risky_change_is_refused_live_until_allowed(tmp_path: Path) -> None:
    with served_project(tmp_path, {RISKY_FILE: V4.replace("STATE_KEY", ACCOUNT)}) as (root, url):
        first = syncctl(root, "apply", "--yes")
        assert first.returncode == 0, first.stdout + first.stderr
        (before,) = live(url, "sync-job")
        write_files(root, {RISKY_FILE: V4.replace("STATE_KEY", TENANT)})
        planned = syncctl(root, "plan", "--format", "json")
        refused = syncctl(root, "apply", "--yes")
        (unchanged,) = live(url, "sync-job")
        allowed = syncctl(root, "apply", "--yes", "--allow-risky")
        (after,) = live(url, "sync-job")
    document = json.loads(planned.stdout)
    assert document["summary"]["risky"] == 1
    assert [r["field"] for r in document["changes"][0]["risks"]] == ["state_key"]
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "refused by the risky changes guard" in refused.stderr
    assert "state_key" in refused.stderr + refused.stdout
    assert "--allow-risky" in refused.stderr
    assert unchanged == before
    assert before["state_key"] == ACCOUNT
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert "allowed by --allow-risky" in allowed.stdout
    assert (after["id"], after["state_key"]) == (before["id"], TENANT)


def test_a_target_that_matches_nothing_exits_2_naming_it(tmp_path: Path) -> None:
    with served_project(tmp_path, TARGET_FILES) as (root, url):
        done = syncctl(root, "plan", "--target", "nomatch/*")
        jobs = live(url, "sync-job")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "--target 'nomatch/*' matches no job or workflow in local" in done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert jobs == []
