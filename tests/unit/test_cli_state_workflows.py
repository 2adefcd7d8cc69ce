"""``syncctl state list|show|mv|rm`` over a state file holding both kinds (issue 9).

Each test runs the CLI in process on a temporary project whose ``staging`` state file has
sync jobs and workflows, entries and pending creates of each, and reads the file back after a
command that writes it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from syncctl.cli.main import cli
from syncctl.kinds import SYNC_JOB, WORKFLOW
from syncctl.reconcile.state import (
    Entry,
    Pending,
    PendingWorkflow,
    Section,
    State,
    StateStore,
)

ENV = "staging"
JOB_ID = "6a1f4c2e-0b3d-4e5f-8a9b-0c1d2e3f4a5b"
PROTECTED_JOB_ID = "7b2e5d3f-1c4e-4f60-9bac-1d2e3f4a5b6c"
WORKFLOW_ID = "9c3d4e5f-2a1b-4c6d-8e7f-0a1b2c3d4e5f"
PROTECTED_WORKFLOW_ID = "0d4e5f6a-3b2c-4d7e-9f80-1b2c3d4e5f6a"

BOTH_KINDS = State(
    ENV,
    serial=5,
    jobs={
        "zendesk/tickets": Entry(JOB_ID, "sha256:1111"),
        "hubspot/contacts": Entry(PROTECTED_JOB_ID, "sha256:2222", protected=True),
    },
    pending={"zendesk/comments": Pending("comments", "zendesk", "sha256:3333")},
    others={
        WORKFLOW.name: Section(
            {
                "workflow:zendesk-onboarding": Entry(WORKFLOW_ID, "sha256:4444"),
                "workflow:audit": Entry(PROTECTED_WORKFLOW_ID, "sha256:6666", protected=True),
            },
            {"workflow:nightly": PendingWorkflow("integrated_account:active", "sha256:5555")},
        )
    },
)

JOB_LINES = [
    f"hubspot/contacts  {PROTECTED_JOB_ID}  protected",
    f"zendesk/tickets  {JOB_ID}",
    "zendesk/comments  (pending create)",
]
WORKFLOW_LINES = [
    f"workflow:audit  {PROTECTED_WORKFLOW_ID}  protected",
    f"workflow:zendesk-onboarding  {WORKFLOW_ID}",
    "workflow:nightly  (pending create)",
]


class Project:
    """A project with one environment, ``staging``, whose state file is ``state/staging.json``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "syncctl.toml").write_text(
            'state_dir = "state"\n'
            f'default_environment = "{ENV}"\n\n'
            f"[environments.{ENV}]\n"
            'url = "https://api.example.test"\n'
            'token_env = "SYNCCTL_TEST_STAGING_TOKEN"\n',
            encoding="utf-8",
        )

    @property
    def state_path(self) -> Path:
        return self.root / "state" / f"{ENV}.json"

    def write_state(self, state: State) -> None:
        store = StateStore.for_environment(self.root, self.state_path, ENV)
        store.update(lambda _old: state)

    def read_state(self) -> State:
        return StateStore(self.state_path, ENV).load()

    def raw(self) -> dict[str, Any]:
        data = json.loads(self.state_path.read_text(encoding="utf-8"))
        assert isinstance(data, dict)
        return data

    def run(self, *args: str) -> Result:
        argv = ["--config", str(self.root / "syncctl.toml"), *args]
        return CliRunner().invoke(cli, argv, catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    made = Project(tmp_path)
    made.write_state(BOTH_KINDS)
    return made


def _error_line(result: Result) -> str:
    """The one line a failed command printed (a traceback or a second line fails the test)."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# ---- state list --------------------------------------------------------------------------


def test_list_shows_jobs_as_before_then_workflows(project: Project) -> None:
    result = project.run("state", "list")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == JOB_LINES + WORKFLOW_LINES
    assert result.stderr == ""


def test_list_of_jobs_only_is_unchanged(tmp_path: Path) -> None:
    made = Project(tmp_path)
    made.write_state(State(ENV, 1, BOTH_KINDS.jobs, BOTH_KINDS.pending))

    result = made.run("state", "list")

    assert result.stdout == "".join(f"{line}\n" for line in JOB_LINES)
    assert result.stderr == ""


def test_list_of_workflows_only_is_not_reported_empty(tmp_path: Path) -> None:
    made = Project(tmp_path)
    made.write_state(State(ENV, 1, others={WORKFLOW.name: BOTH_KINDS.section(WORKFLOW)}))

    result = made.run("state", "list")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == WORKFLOW_LINES
    assert "No managed" not in result.stderr


def test_list_of_an_empty_state_says_so(tmp_path: Path) -> None:
    result = Project(tmp_path).run("state", "list")

    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"No managed jobs or workflows in {ENV}.\n"


# ---- state show --------------------------------------------------------------------------


def test_show_a_workflow_entry_names_its_kind(project: Project) -> None:
    result = project.run("state", "show", "workflow:audit")

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "key": "workflow:audit",
        "kind": "workflow",
        "id": PROTECTED_WORKFLOW_ID,
        "hash": "sha256:6666",
        "protected": True,
    }


def test_show_a_pending_workflow_create(project: Project) -> None:
    result = project.run("state", "show", "workflow:nightly")

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "key": "workflow:nightly",
        "kind": "workflow",
        "pending": {"trigger_name": "integrated_account:active", "hash": "sha256:5555"},
    }


def test_show_a_job_keeps_its_fields_and_adds_its_kind(project: Project) -> None:
    entry = json.loads(project.run("state", "show", "zendesk/tickets").stdout)
    pending = json.loads(project.run("state", "show", "zendesk/comments").stdout)

    assert list(entry) == ["key", "kind", "id", "hash", "protected"]
    assert entry == {
        "key": "zendesk/tickets",
        "kind": "sync_job",
        "id": JOB_ID,
        "hash": "sha256:1111",
        "protected": False,
    }
    assert pending == {
        "key": "zendesk/comments",
        "kind": "sync_job",
        "pending": {"label": "comments", "integration": "zendesk", "hash": "sha256:3333"},
    }


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("workflow:x", "no workflow 'workflow:x' in the staging state"),
        ("zendesk/x", "no job 'zendesk/x' in the staging state"),
    ],
)
def test_show_a_missing_key_names_its_kind(project: Project, key: str, message: str) -> None:
    result = project.run("state", "show", key)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert _error_line(result).startswith(f"syncctl: error: {message} (hint:")


def test_show_looks_only_in_the_section_of_the_keys_kind(tmp_path: Path) -> None:
    # A hand-edited file with a workflow key among the jobs: the key is a workflow's, so it
    # is looked up among the workflows, where it is not.
    made = Project(tmp_path)
    made.write_state(State(ENV, 1, {"workflow:stray": Entry(JOB_ID, "sha256:1")}))

    result = made.run("state", "show", "workflow:stray")

    assert result.exit_code == 1
    assert "no workflow 'workflow:stray'" in _error_line(result)


# ---- state mv ----------------------------------------------------------------------------


def test_mv_renames_a_workflow_within_its_section(project: Project) -> None:
    before = project.read_state()

    result = project.run("state", "mv", "workflow:zendesk-onboarding", "workflow:zendesk-welcome")

    assert result.exit_code == 0, result.stderr
    assert result.stdout == "moved workflow:zendesk-onboarding -> workflow:zendesk-welcome\n"
    after = project.read_state()
    workflows = after.section(WORKFLOW)
    assert set(workflows.entries) == {"workflow:audit", "workflow:zendesk-welcome"}
    assert workflows.entries["workflow:zendesk-welcome"] == Entry(WORKFLOW_ID, "sha256:4444")
    assert workflows.pending == before.section(WORKFLOW).pending
    assert after.section(SYNC_JOB) == before.section(SYNC_JOB)
    assert after.serial == before.serial + 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "zendesk/tickets",
            "workflow:tickets",
            "cannot move job 'zendesk/tickets' to 'workflow:tickets', which is a workflow key",
        ),
        (
            "workflow:audit",
            "zendesk/audit",
            "cannot move workflow 'workflow:audit' to 'zendesk/audit', which is a job key",
        ),
    ],
)
def test_mv_between_kinds_is_a_usage_error(
    project: Project, old: str, new: str, message: str
) -> None:
    before = project.state_path.read_bytes()

    result = project.run("state", "mv", old, new)

    assert result.exit_code == 2
    assert _error_line(result).startswith(f"syncctl: error: {message} (hint:")
    assert project.state_path.read_bytes() == before


def test_mv_of_a_missing_workflow_names_the_kind(project: Project) -> None:
    before = project.state_path.read_bytes()

    result = project.run("state", "mv", "workflow:gone", "workflow:new")

    assert result.exit_code == 1
    assert _error_line(result) == "syncctl: error: no workflow 'workflow:gone' in the staging state"
    assert project.state_path.read_bytes() == before


def test_mv_onto_an_existing_workflow_is_refused(project: Project) -> None:
    result = project.run("state", "mv", "workflow:zendesk-onboarding", "workflow:audit")

    assert result.exit_code == 1
    assert "workflow 'workflow:audit' is already in the staging state" in _error_line(result)
    assert project.read_state().section(WORKFLOW) == BOTH_KINDS.section(WORKFLOW)


def test_mv_of_a_job_still_works(project: Project) -> None:
    result = project.run("state", "mv", "zendesk/tickets", "zendesk/all-tickets")

    assert result.exit_code == 0, result.stderr
    after = project.read_state()
    assert after.jobs["zendesk/all-tickets"] == Entry(JOB_ID, "sha256:1111")
    assert "zendesk/tickets" not in after.jobs
    assert after.section(WORKFLOW) == BOTH_KINDS.section(WORKFLOW)


# ---- state rm ----------------------------------------------------------------------------


def test_rm_of_a_workflow_leaves_the_jobs_untouched(project: Project) -> None:
    jobs_before = project.raw()["sync_job"]

    result = project.run("state", "rm", "workflow:zendesk-onboarding")

    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "removed workflow:zendesk-onboarding from the staging state "
        "(the live workflow is untouched)\n"
    )
    raw = project.raw()
    assert raw["sync_job"] == jobs_before
    assert set(raw["workflow"]["entries"]) == {"workflow:audit"}
    assert set(raw["workflow"]["pending"]) == {"workflow:nightly"}
    listed = project.run("state", "list").stdout.splitlines()
    assert listed == [*JOB_LINES, WORKFLOW_LINES[0], WORKFLOW_LINES[2]]


def test_rm_of_a_pending_workflow_create(project: Project) -> None:
    result = project.run("state", "rm", "workflow:nightly")

    assert result.exit_code == 0, result.stderr
    after = project.read_state()
    assert after.section(WORKFLOW).pending == {}
    assert set(after.section(WORKFLOW).entries) == {"workflow:audit", "workflow:zendesk-onboarding"}
    assert after.section(SYNC_JOB) == BOTH_KINDS.section(SYNC_JOB)


def test_rm_of_a_missing_workflow_names_the_kind(project: Project) -> None:
    before = project.state_path.read_bytes()

    result = project.run("state", "rm", "workflow:x")

    assert result.exit_code == 1
    assert _error_line(result).startswith(
        "syncctl: error: no workflow 'workflow:x' in the staging state (hint:"
    )
    assert project.state_path.read_bytes() == before


def test_rm_of_a_job_leaves_the_workflows_untouched(project: Project) -> None:
    workflows_before = project.raw()["workflow"]

    result = project.run("state", "rm", "zendesk/tickets")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("(the live job is untouched)\n")
    assert project.raw()["workflow"] == workflows_before
    assert "zendesk/tickets" not in project.read_state().jobs


# ---- help --------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["list"], ["show"], ["mv"], ["rm"]])
def test_help_mentions_workflows(tmp_path: Path, command: list[str]) -> None:
    result = Project(tmp_path).run("state", *command, "--help")

    assert result.exit_code == 0
    assert "workflow" in result.stdout
