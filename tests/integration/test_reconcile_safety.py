"""Saved plans, stale-plan refusal, the mass-delete guard and ``syncctl import``, through the CLI
against the emulator over a real loopback socket."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ServerInfo
from reconcile_helpers import (
    COMMENTS,
    TICKETS,
    Observer,
    Project,
    RequestLog,
    actions,
    expected_payload,
    job,
    mismatches,
)


@pytest.fixture
def started(project: Project, live: Observer) -> dict[str, str]:
    """Two applied jobs; returns their ids by key."""
    project.write_job("zendesk/tickets", job("Tickets", resources=[TICKETS, COMMENTS]))
    project.write_job("zendesk/users", job("Users"))
    project.apply()
    return project.ids()


def test_a_saved_plan_applies_what_was_planned(
    project: Project, live: Observer, started: dict[str, str], tmp_path: Path
) -> None:
    planned = job("Tickets", resources=[TICKETS], mutex_key="t")
    project.write_job("zendesk/tickets", planned)
    project.write_job("hubspot/contacts", job())
    saved = tmp_path / "plan.json"
    result = project.ok("plan", "--out", str(saved))
    assert "Plan: 1 to create, 1 to update" in result.stdout
    assert f"syncctl apply {saved}" in result.stderr
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["kind"] == "syncctl-plan"
    assert actions(document) == [("create", "hubspot/contacts"), ("update", "zendesk/tickets")]

    # The plan carries its bodies: a later edit of the file does not change what it applies.
    project.write_job("zendesk/tickets", job("Tickets", mutex_key="edited after the plan"))
    result = project.ok("apply", str(saved), "--format", "json", "--allow-risky")  # mutex_key
    assert json.loads(result.stdout)["applied"] == 2
    ids = project.ids()
    assert ids["zendesk/tickets"] == started["zendesk/tickets"]
    assert (
        mismatches(expected_payload("zendesk/tickets", planned), live.get(ids["zendesk/tickets"]))
        == []
    )
    assert (
        mismatches(expected_payload("hubspot/contacts", job()), live.get(ids["hubspot/contacts"]))
        == []
    )
    assert len(live.jobs()) == 3
    # Applying the same plan twice is refused: the state moved on.
    assert "stale plan" in project.ok("apply", str(saved), code=1).stderr


def test_a_saved_plan_is_refused_when_a_live_job_changed_after_it(
    project: Project, live: Observer, started: dict[str, str], tmp_path: Path
) -> None:
    project.write_job("zendesk/tickets", job("Tickets", mutex_key="planned"))
    project.write_job("hubspot/contacts", job())
    saved = tmp_path / "plan.json"
    project.ok("plan", "--out", str(saved))
    live.update(started["zendesk/tickets"], {"state_key": "changed by someone else"})
    before_live, before_state = live.by_id(), project.state()

    result = project.ok("apply", str(saved), code=1)
    assert "stale plan" in result.stderr
    assert started["zendesk/tickets"] in result.stderr
    assert "Traceback" not in result.stderr
    assert live.by_id() == before_live  # not even the create ran
    assert project.state() == before_state


def test_a_saved_plan_is_refused_when_a_planned_job_was_deleted(
    project: Project, live: Observer, started: dict[str, str], tmp_path: Path
) -> None:
    project.remove_job("zendesk/users")
    saved = tmp_path / "plan.json"
    project.ok("plan", "--prune", "--out", str(saved))
    live.delete(started["zendesk/users"])
    before_live, before_state = live.by_id(), project.state()
    assert "no longer exists" in project.ok("apply", str(saved), code=1).stderr
    assert live.by_id() == before_live
    assert project.state() == before_state


def test_a_saved_plan_is_refused_when_the_state_changed_after_it(
    project: Project, live: Observer, started: dict[str, str], tmp_path: Path
) -> None:
    project.write_job("hubspot/contacts", job())
    saved = tmp_path / "plan.json"
    project.ok("plan", "--out", str(saved))
    project.ok("state", "rm", "zendesk/users")  # state only: the serial moves on
    before_live, before_state = live.by_id(), project.state()
    result = project.ok("apply", str(saved), code=1)
    assert "state changed" in result.stderr
    assert live.by_id() == before_live
    assert project.state() == before_state


def test_a_saved_plan_for_another_environment_is_refused(
    project: Project, started: dict[str, str], tmp_path: Path
) -> None:
    saved = tmp_path / "plan.json"
    project.write_job("hubspot/contacts", job())
    project.ok("plan", "--out", str(saved))
    document = json.loads(saved.read_text(encoding="utf-8"))
    saved.write_text(json.dumps({**document, "environment": "production"}), encoding="utf-8")
    refused = project.ok("apply", str(saved), code=1).stderr
    assert "the plan is for environment 'production', which is not configured here" in refused


def test_a_mass_delete_is_refused_unless_allowed(project: Project, live: Observer) -> None:
    for name in ("a", "b", "c", "d"):
        project.write_job(f"jira/{name}", job())
    project.apply()
    ids = project.ids()
    for name in ("b", "c", "d"):
        project.remove_job(f"jira/{name}")

    result = project.ok("apply", "--yes", "--prune", code=1)
    assert "deletes 3 of 4 managed jobs" in result.stderr
    assert "--allow-mass-delete" in result.stderr
    assert set(live.by_id()) == set(ids.values())
    assert project.ids() == ids

    saved = project.root / "prune.json"
    project.ok("plan", "--prune", "--out", str(saved))
    assert "--allow-mass-delete" in project.ok("apply", str(saved), code=1).stderr
    assert set(live.by_id()) == set(ids.values())

    project.apply(str(saved), "--allow-mass-delete")
    assert set(live.by_id()) == {ids["jira/a"]}
    assert project.ids() == {"jira/a": ids["jira/a"]}


def test_a_small_delete_needs_no_override(project: Project, live: Observer) -> None:
    for name in ("a", "b", "c"):
        project.write_job(f"jira/{name}", job())
    project.apply()
    project.remove_job("jira/c")
    project.apply("--prune")  # 1 of 3 is under the default ratio (50%)
    assert len(live.jobs()) == 2


def test_import_writes_files_that_validate_strict_and_plan_empty(
    project: Project, live: Observer
) -> None:
    rich = live.create(
        {
            "integration_name": "zendesk",
            "label": "Tickets with comments",
            "default_runtime_version": 3,
            "args_schema": {
                "type": "object",
                "properties": {"ticket_ids": {"type": "array", "required": True}},
            },
            "resources": [{**TICKETS, "query": {"id": "{{args.ticket_ids}}"}}, COMMENTS],
            "mutex_key": "zendesk-{{args.ticket_ids}}",
        }
    )
    yes = [  # YAML 1.1 booleans as strings, and the same label twice
        live.create(
            {
                "integration_name": "hubspot",
                "label": "yes",
                "default_runtime_version": 2,
                "state_key": "on",
                "resources": [{"resource": "crm/contacts", "method": "list"}],
            }
        ),
        live.create({"integration_name": "hubspot", "label": "yes", "resources": [TICKETS]}),
    ]
    clash = live.create({"integration_name": "hubspot", "label": "Issues", "resources": []})
    project.write_job("jira/issues", job("Issues"))  # managed: never imported
    project.apply()
    managed = project.ids()["jira/issues"]

    # Two label clashes are skipped: the run exits 1 (issue 10), each reason with its remedy.
    result = json.loads(project.ok("import", "--all", "--format", "json", code=1).stdout)
    imported = {i["id"]: i for i in result["imported"]}
    skipped = {s["id"]: s["reason"] for s in result["skipped"]}
    assert rich["id"] in imported
    assert managed not in imported
    assert managed not in skipped
    # Of two jobs sharing a label, one is imported; the other would fail SJ006, so is skipped.
    (dropped,) = [j["id"] for j in yes if j["id"] not in imported]
    assert "label 'yes' is already used by jobs/hubspot/yes.yaml" in skipped[dropped]
    assert "label 'Issues' is already used by jobs/jira/issues.yaml" in skipped[clash["id"]]
    assert set(imported) | set(skipped) == {rich["id"], clash["id"], *(j["id"] for j in yes)}
    for item in imported.values():
        assert (project.root / item["file"]).is_file()
        assert project.ids()[item["key"]] == item["id"]

    project.ok("validate", "--strict")
    project.ok("plan", "--detailed-exitcode")
    for item in imported.values():
        data = project.read_job(item["key"])
        assert mismatches(expected_payload(item["key"], data), live.get(item["id"])) == []
    # A second import finds nothing new to import; the clashes are still skipped (exit 1).
    again = json.loads(project.ok("import", "--all", "--format", "json", code=1).stdout)
    assert again["imported"] == []
    assert {s["id"] for s in again["skipped"]} == {dropped, clash["id"]}


def test_a_saved_plan_rereads_only_the_jobs_it_touches(
    project: Project, live: Observer, emulator_server: ServerInfo, tmp_path: Path
) -> None:
    for n in range(6):
        project.write_job(f"jira/job-{n}", job())
    project.apply()
    ids = project.ids()
    project.write_job("jira/job-0", job(mutex_key="changed"))
    saved = tmp_path / "plan.json"
    project.ok("plan", "--out", str(saved))
    live.update(ids["jira/job-5"], {"state_key": "drift"})  # unchanged in the plan: not stale

    log = RequestLog(emulator_server.emulator)
    project.apply(str(saved), "--allow-risky")  # the plan changes a mutex_key
    assert log.calls.count(("GET", "item")) == 1  # the updated job's fingerprint, nothing else
    assert log.writes() == [("PATCH", "item")]
    assert live.get(ids["jira/job-0"])["mutex_key"] == "changed"
