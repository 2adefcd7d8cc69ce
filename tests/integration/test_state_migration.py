"""A state file written before the per-kind format, in a real project over a real socket:
read-only commands leave it byte for byte, ``apply`` migrates it and keeps the old file under
``.syncctl/backups/``, and the migrated file round-trips."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from reconcile_helpers import Observer, Project, job

from syncctl.reconcile.state import StateStore, render

FIXTURE = Path(__file__).parents[1] / "fixtures" / "state" / "local.json"


def _old_state(project: Project) -> Path:
    path = project.state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURE, path)
    # The fixture's jobs: one whose live job is gone, one pending create; the protected
    # entry has no file (and no live job) any more.
    project.write_job("zendesk/tickets", job("tickets"))
    project.write_job("zendesk/comments", job("comments"))
    return path


def test_read_only_commands_leave_an_old_state_file_byte_for_byte(project: Project) -> None:
    path = _old_state(project)

    plan = project.plan("--detailed-exitcode", code=2)
    listed = project.ok("state", "list").stdout
    project.ok("state", "show", "hubspot/contacts")
    project.ok("plan", "--out", str(project.root / "plan.json"))

    assert path.read_bytes() == FIXTURE.read_bytes()
    assert not (project.root / ".syncctl").exists()
    assert {(c["action"], c["key"]) for c in plan["changes"]} == {
        ("create", "zendesk/comments"),
        ("create", "zendesk/tickets"),
        ("delete", "hubspot/contacts"),
    }
    assert "hubspot/contacts  7b2e5d3f-1c4e-4f60-9bac-1d2e3f4a5b6c  protected" in listed
    assert "zendesk/comments  (pending create)" in listed


def test_apply_migrates_the_state_file_and_keeps_the_old_one(
    project: Project, live: Observer
) -> None:
    path = _old_state(project)

    result = project.apply()

    assert result["failed"] == 0
    backup = project.root / ".syncctl" / "backups" / "local.format-1.serial-3.json"
    assert backup.read_bytes() == FIXTURE.read_bytes()
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["format_version"] == 2
    assert set(raw["sync_job"]["entries"]) == {"zendesk/comments", "zendesk/tickets"}
    assert raw["sync_job"]["pending"] == {}
    assert {e["id"] for e in raw["sync_job"]["entries"].values()} == set(live.by_id())
    # The migrated file round-trips, and the next plan is empty.
    text = path.read_text(encoding="utf-8")
    assert render(StateStore(path, "local").load()) == text
    assert project.plan("--detailed-exitcode")["changes"] == [
        change for change in project.plan()["changes"] if change["action"] == "noop"
    ]
    assert path.read_text(encoding="utf-8") == text


def test_a_state_edit_migrates_too(project: Project) -> None:
    path = _old_state(project)

    project.ok("state", "rm", "hubspot/contacts")

    assert json.loads(path.read_text(encoding="utf-8"))["format_version"] == 2
    assert project.state()["jobs"].keys() == {"zendesk/tickets"}
    backup = project.root / ".syncctl" / "backups" / "local.format-1.serial-3.json"
    assert backup.read_bytes() == FIXTURE.read_bytes()
