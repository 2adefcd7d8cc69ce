"""Reconciliation scenarios through the CLI, against the emulator over a real loopback socket.

Each test drives ``syncctl plan`` / ``syncctl apply`` in process (CliRunner) on a temporary
project, then checks the plan output, the live jobs (read past the code under test by an
``Observer``) and the state file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import OTHER_TOKEN, TOKEN, TOKENS, ServerInfo
from reconcile_helpers import (
    COMMENTS,
    TICKETS,
    Observer,
    Project,
    RequestLog,
    actions,
    expected_payload,
    job,
    make_project,
    mismatches,
    observer,
)


def assert_converged(project: Project, live: Observer, files: dict[str, dict[str, object]]) -> None:
    """Every file's job is live exactly as written, state maps it, and the next plan is empty."""
    ids = project.ids()
    jobs = live.by_id()
    assert set(ids) == set(files)
    for key, data in files.items():
        assert ids[key] in jobs, f"{key}: state says {ids[key]}, which is not live"
        assert mismatches(expected_payload(key, data), jobs[ids[key]]) == [], key
    assert project.state()["pending"] == {}
    project.ok("plan", "--detailed-exitcode")


def test_create_shows_the_payload_then_makes_the_jobs_and_records_them(
    project: Project, live: Observer
) -> None:
    files = {
        "zendesk/tickets": job("Zendesk tickets", resources=[TICKETS, COMMENTS]),
        "hubspot/contacts": job(mutex_key="hubspot-contacts", state_key="contacts"),
    }
    for key, data in files.items():
        project.write_job(key, data)

    text = project.ok("plan", "--detailed-exitcode", code=2).stdout
    assert "+ create hubspot/contacts" in text
    assert "+ create zendesk/tickets" in text
    assert "+ mutex_key: hubspot-contacts" in text
    assert "Plan: 2 to create, 0 to update, 0 to delete, 0 to adopt, 0 to move" in text
    plan = project.plan()
    assert (plan["format_version"], plan["environment"]) == (1, "local")
    assert actions(plan) == [("create", "hubspot/contacts"), ("create", "zendesk/tickets")]
    for change in plan["changes"]:
        assert change["id"] is None
        assert (
            mismatches(expected_payload(change["key"], files[change["key"]]), change["send"]) == []
        )
    assert live.jobs() == []  # planning changed nothing

    result = project.apply()
    assert result["applied"] == 2
    assert result["failed"] == 0
    assert {o["key"]: o["id"] for o in result["outcomes"]} == project.ids()
    assert len(live.jobs()) == 2
    assert_converged(project, live, files)
    assert "No changes. 2 job(s) in local match the files." in project.ok("plan").stdout


def test_update_shows_a_field_level_diff_and_only_sends_the_changed_fields(
    project: Project, live: Observer, emulator_server: ServerInfo
) -> None:
    before = job("Zendesk tickets", resources=[TICKETS, COMMENTS], mutex_key="m1")
    project.write_job("zendesk/tickets", before)
    project.apply()
    (job_id,) = project.ids().values()

    after = job(
        "Zendesk tickets",
        resources=[
            TICKETS,
            {
                **COMMENTS,
                "query": {"ticket_id": "{{resources.ticketing.tickets.id}}", "sort": "asc"},
            },
        ],
        mutex_key="m2",
    )
    project.write_job("zendesk/tickets", after)
    text = project.ok("plan", "--detailed-exitcode", code=2).stdout
    assert f"~ update zendesk/tickets (id {job_id})" in text
    assert "~ mutex_key: m1 -> m2" in text
    assert "+ query.sort: asc" in text
    (change,) = project.plan()["changes"]
    assert change["action"] == "update"
    assert [(d["field"], d["path"]) for d in change["diff"]] == [
        ("mutex_key", "$.mutex_key"),
        ("resources", "$.resources[1].query.sort"),
    ]
    assert change["send"] == {"mutex_key": "m2", "resources": after["resources"]}

    log = RequestLog(emulator_server.emulator)
    refused = project.ok("apply", "--yes", code=1)  # a mutex_key change is risky
    assert "refused by the risky changes guard" in refused.stderr
    assert log.writes() == []  # refused before anything is sent
    project.apply("--allow-risky")
    assert log.writes() == [("PATCH", "item")]
    assert project.ids() == {"zendesk/tickets": job_id}
    assert_converged(project, live, {"zendesk/tickets": after})


def test_removed_file_is_orphaned_without_prune_and_deleted_with_it(
    project: Project, live: Observer
) -> None:
    for name in ("a", "b", "c"):
        project.write_job(f"jira/{name}", job())
    project.apply()
    ids = project.ids()
    project.remove_job("jira/c")

    plan = project.plan("--detailed-exitcode")  # orphaned is not a change: exit 0
    assert actions(plan) == []
    assert [(o["key"], o["id"]) for o in plan["orphaned"]] == [("jira/c", ids["jira/c"])]
    assert "! jira/c" in project.ok("plan").stdout
    project.apply()
    assert ids["jira/c"] in live.by_id()  # kept
    assert project.ids() == ids  # still recorded, so a later --prune can delete it

    plan = project.plan("--prune")
    assert actions(plan) == [("delete", "jira/c")]
    assert [c["id"] for c in plan["changes"] if c["action"] == "delete"] == [ids["jira/c"]]
    project.apply("--prune")
    assert set(live.by_id()) == {ids["jira/a"], ids["jira/b"]}
    assert project.ids() == {k: v for k, v in ids.items() if k != "jira/c"}
    project.ok("plan", "--prune", "--detailed-exitcode")


def test_a_live_job_with_the_same_integration_and_label_is_adopted_and_updated(
    project: Project, live: Observer, emulator_server: ServerInfo
) -> None:
    made = live.create({"integration_name": "zendesk", "label": "Tickets", "resources": [TICKETS]})
    same = live.create({"integration_name": "jira", "label": "Issues", "resources": [TICKETS]})
    other = live.create({"integration_name": "hubspot", "label": "Tickets", "resources": []})
    files = {
        "zendesk/tickets": job("Tickets", resources=[TICKETS, COMMENTS]),
        "jira/issues": job("Issues"),
    }
    for key, data in files.items():
        project.write_job(key, data)

    plan = project.plan()
    assert actions(plan) == [("adopt", "jira/issues"), ("adopt", "zendesk/tickets")]
    by_key = {c["key"]: c for c in plan["changes"]}
    assert by_key["zendesk/tickets"]["id"] == made["id"]
    assert by_key["zendesk/tickets"]["send"] == {"resources": [TICKETS, COMMENTS]}
    assert (by_key["jira/issues"]["id"], by_key["jira/issues"]["diff"]) == (same["id"], [])
    assert [u["id"] for u in plan["unmanaged"]] == [other["id"]]

    log = RequestLog(emulator_server.emulator)
    project.apply()
    assert log.writes() == [("PATCH", "item")]  # only the job that differed; nothing created
    assert project.ids() == {"zendesk/tickets": made["id"], "jira/issues": same["id"]}
    assert len(live.jobs()) == 3
    assert live.get(other["id"]) == other
    assert_converged(project, live, files)


def test_two_adoption_candidates_are_an_error_naming_both(project: Project, live: Observer) -> None:
    first = live.create({"integration_name": "zendesk", "label": "Tickets", "resources": []})
    second = live.create({"integration_name": "zendesk", "label": "Tickets", "resources": []})
    project.write_job("zendesk/tickets", job("Tickets"))
    for command in (["plan"], ["apply", "--yes"]):
        result = project.ok(*command, code=1)
        assert first["id"] in result.stderr
        assert second["id"] in result.stderr
        assert "Traceback" not in result.stderr
    assert project.ids() == {}
    assert sorted(j["id"] for j in live.jobs()) == sorted([first["id"], second["id"]])


def test_a_renamed_file_is_a_move_without_any_api_call(
    project: Project, live: Observer, emulator_server: ServerInfo
) -> None:
    data = job("Zendesk tickets", resources=[TICKETS, COMMENTS])
    project.write_job("zendesk/tickets", data)
    project.apply()
    (job_id,) = project.ids().values()
    before = live.get(job_id)

    project.rename_job("zendesk/tickets", "zendesk/tickets-with-comments")
    plan = project.plan()
    (change,) = plan["changes"]
    assert (change["action"], change["from_key"], change["key"], change["id"]) == (
        "move",
        "zendesk/tickets",
        "zendesk/tickets-with-comments",
        job_id,
    )
    assert "> move zendesk/tickets -> zendesk/tickets-with-comments" in project.ok("plan").stdout
    log = RequestLog(emulator_server.emulator)
    project.apply()
    assert log.writes() == []
    assert set(log.calls) == {("GET", "collection"), ("GET", "workflows")}
    assert project.ids() == {"zendesk/tickets-with-comments": job_id}
    assert live.get(job_id) == before  # updated_at too: untouched
    assert_converged(project, live, {"zendesk/tickets-with-comments": data})


def test_an_out_of_band_edit_is_reverted(project: Project, live: Observer) -> None:
    data = job("Zendesk tickets", resources=[TICKETS, COMMENTS], state_key="s")
    project.write_job("zendesk/tickets", data)
    project.apply()
    (job_id,) = project.ids().values()
    live.update(job_id, {"label": "renamed by hand", "state_key": None, "resources": [TICKETS]})

    (change,) = project.plan()["changes"]
    assert change["action"] == "update"
    assert {d["field"] for d in change["diff"]} == {"label", "state_key", "resources"}
    assert [r["field"] for r in change["risks"]] == ["state_key"]  # even putting it back
    project.apply("--allow-risky")
    assert project.ids() == {"zendesk/tickets": job_id}
    assert len(live.jobs()) == 1
    assert_converged(project, live, {"zendesk/tickets": data})


def test_an_out_of_band_delete_is_recreated(project: Project, live: Observer) -> None:
    data = job("Zendesk tickets")
    project.write_job("zendesk/tickets", data)
    project.write_job("zendesk/other", job())
    project.apply()
    old = project.ids()
    live.delete(old["zendesk/tickets"])

    plan = project.plan()
    assert actions(plan) == [("create", "zendesk/tickets")]
    assert "deleted outside syncctl" in plan["changes"][0]["note"]
    project.apply()
    new = project.ids()
    assert new["zendesk/other"] == old["zendesk/other"]
    assert new["zendesk/tickets"] != old["zendesk/tickets"]
    assert live.labels()[("zendesk", "Zendesk tickets")] == 1
    assert_converged(project, live, {"zendesk/tickets": data, "zendesk/other": job()})


def test_unmanaged_jobs_are_listed_and_never_changed(project: Project, live: Observer) -> None:
    strangers = [
        live.create({"integration_name": "zendesk", "label": "Made by hand", "resources": []}),
        live.create({"integration_name": "salesforce", "label": "Legacy", "resources": [TICKETS]}),
    ]
    project.write_job("zendesk/tickets", job())
    project.write_job("zendesk/gone", job())
    project.apply()
    project.remove_job("zendesk/gone")

    plan = project.plan("--prune")
    assert sorted(u["id"] for u in plan["unmanaged"]) == sorted(s["id"] for s in strangers)
    assert plan["summary"]["unmanaged"] == 2
    assert "Unmanaged live jobs (never touched): 2" in project.ok("plan").stdout
    project.apply("--prune")
    after = live.by_id()
    assert [after[s["id"]] for s in strangers] == strangers
    assert len(after) == 3


def test_environments_restrict_where_a_job_is_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator_server: ServerInfo, emulator_db: Path
) -> None:
    url = emulator_server.base_url
    project = make_project(
        tmp_path / "project", monkeypatch, {"local": (url, TOKEN), "staging": (url, OTHER_TOKEN)}
    )
    files = {
        "zendesk/everywhere": job(),
        "zendesk/staging-only": job(environments=["staging"]),
        "zendesk/local-only": job(environments=["local"]),
    }
    for key, data in files.items():
        project.write_job(key, data)

    assert actions(project.plan()) == [
        ("create", "zendesk/everywhere"),
        ("create", "zendesk/local-only"),
    ]
    project.apply()
    staged = project.plan(env="staging")
    assert actions(staged) == [("create", "zendesk/everywhere"), ("create", "zendesk/staging-only")]
    assert staged["unmanaged"] == []  # the other environment's jobs are invisible
    project.apply(env="staging")

    with observer(emulator_db, TOKENS, TOKEN) as a, observer(emulator_db, TOKENS, OTHER_TOKEN) as b:
        assert sorted(j["label"] for j in a.jobs()) == ["zendesk/everywhere", "zendesk/local-only"]
        assert sorted(j["label"] for j in b.jobs()) == [
            "zendesk/everywhere",
            "zendesk/staging-only",
        ]
        assert set(project.ids("local")) == {"zendesk/everywhere", "zendesk/local-only"}
        assert set(project.ids("staging")) == {"zendesk/everywhere", "zendesk/staging-only"}
        assert set(project.ids("local").values()) == {j["id"] for j in a.jobs()}
        assert set(project.ids("staging").values()) == {j["id"] for j in b.jobs()}
    project.ok("plan", "--detailed-exitcode")
    project.ok("plan", "--detailed-exitcode", env="staging")

    # No longer targeted at local: orphaned there (file kept), deleted there only with --prune.
    project.write_job("zendesk/everywhere", job(environments=["staging"]))
    plan = project.plan()
    assert actions(plan) == []
    assert [o["key"] for o in plan["orphaned"]] == ["zendesk/everywhere"]
    gone = project.ids("local")["zendesk/everywhere"]
    project.apply("--prune")
    with observer(emulator_db, TOKENS, TOKEN) as a, observer(emulator_db, TOKENS, OTHER_TOKEN) as b:
        assert gone not in a.by_id()
        assert [j["label"] for j in a.jobs()] == ["zendesk/local-only"]
        assert len(b.jobs()) == 2
    project.ok("plan", "--prune", "--detailed-exitcode", env="staging")


def test_a_protected_job_is_never_deleted_even_after_its_file_is_gone(
    project: Project, live: Observer
) -> None:
    project.write_job("zendesk/keep", job(protected=True))
    project.write_job("zendesk/a", job())
    project.write_job("zendesk/b", job())
    project.apply()
    ids = project.ids()
    assert project.state()["jobs"]["zendesk/keep"]["protected"] is True
    project.remove_job("zendesk/keep")

    plan = project.plan("--prune")
    assert actions(plan) == []
    assert [(o["key"], o["id"]) for o in plan["orphaned"]] == [
        ("zendesk/keep", ids["zendesk/keep"])
    ]
    assert "protected" in plan["orphaned"][0]["note"]
    project.apply("--prune", "--allow-mass-delete")
    assert ids["zendesk/keep"] in live.by_id()
    assert project.state()["jobs"]["zendesk/keep"]["protected"] is True


def test_protecting_an_applied_job_takes_effect_without_changes_to_it(
    project: Project, live: Observer
) -> None:
    project.write_job("zendesk/keep", job())
    project.write_job("zendesk/a", job())
    project.write_job("zendesk/b", job())
    project.apply()
    job_id = project.ids()["zendesk/keep"]
    before = live.get(job_id)

    project.write_job("zendesk/keep", job(protected=True))  # a local key: nothing to send
    text = project.ok("plan", "--detailed-exitcode", code=2).stdout  # a change, of state only
    assert "~ protected: false -> true (state only)" in text
    project.apply()
    assert live.get(job_id) == before
    project.ok("plan", "--detailed-exitcode")
    assert project.state()["jobs"]["zendesk/keep"]["protected"] is True
    assert live.get(job_id) == before
    project.remove_job("zendesk/keep")
    project.apply("--prune")
    assert live.get(job_id) == before


def test_a_file_without_default_runtime_version_gets_the_server_default(
    project: Project, live: Observer
) -> None:
    data = {"resources": [TICKETS]}  # allowed (a warning): the server picks the runtime
    project.write_job("zendesk/tickets", data)
    (change,) = project.plan()["changes"]
    assert change["action"] == "create"
    project.apply()
    (job,) = live.jobs()
    assert job["default_runtime_version"] == 3  # the emulator's default
    assert_converged(project, live, {"zendesk/tickets": data})


def test_verbose_apply_reports_progress_on_stderr(project: Project, live: Observer) -> None:
    project.write_job("zendesk/a", job())
    project.write_job("zendesk/b", job())
    result = project.ok("-v", "apply", "--yes")
    progress = sorted(line for line in result.stderr.splitlines() if line.startswith("["))
    assert [line[:6] for line in progress] == ["[1/2] ", "[2/2] "]
    assert all(": ok" in line for line in progress)
    assert "[1/2]" not in result.stdout
    assert "Apply complete in local: 2 change(s) applied." in result.stdout
    assert len(live.jobs()) == 2


V4_ARGS = {
    "type": "object",
    "properties": {
        "integrated_account_id": {"type": "string", "required": True},
        "webhook_id": {"type": "string", "required": True},
    },
}
V4_LIST = {
    "name": "list-tickets",
    "type": "request",
    "resource": "ticketing/tickets",
    "method": "list",
    "integrated_account_id": "{{args.integrated_account_id}}",
}
V4_SEND = {
    "name": "to-webhook",
    "type": "destination",
    "destination_type": "webhook",
    "resources_to_persist": ["list-tickets"],
    "config": {"id": "{{args.webhook_id}}"},
}


def v4_job(label: str, *nodes: dict[str, object], **fields: object) -> dict[str, object]:
    return {
        "label": label,
        "default_runtime_version": 4,
        "args_schema": V4_ARGS,
        "resources": list(nodes),
        **fields,
    }


def test_v4_and_multi_jobs_apply_as_sent_diff_by_node_and_import_back_clean(
    project: Project,
    live: Observer,
    emulator_server: ServerInfo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = {
        "zendesk/tickets-v4": v4_job("Tickets to a webhook", V4_LIST, V4_SEND),
        "_multi/helpdesk": v4_job(
            "Helpdesk tickets, every integration", V4_LIST, V4_SEND, integration_name=""
        ),
    }
    for key, data in files.items():
        project.write_job(key, data)
    plan = project.plan()
    assert {c["key"]: c["send"]["integration_name"] for c in plan["changes"]} == {
        "zendesk/tickets-v4": "zendesk",
        "_multi/helpdesk": "",
    }
    markdown = project.ok("plan", "--format", "markdown").stdout
    assert "<summary>graph of <code>_multi/helpdesk</code></summary>" in markdown
    assert "  n0 -. persists .-> n1" in markdown
    project.apply()
    assert_converged(project, live, files)  # stored as sent; the next plan is empty
    multi = live.get(project.ids()["_multi/helpdesk"])
    assert (multi["integration_name"], multi["resources"]) == ("", [V4_LIST, V4_SEND])

    # One inserted node is one added element, named; the graph is redrawn.
    spool = {"name": "spool-all", "type": "spool", "depends_on": "list-tickets"}
    files["zendesk/tickets-v4"] = v4_job("Tickets to a webhook", V4_LIST, spool, V4_SEND)
    project.write_job("zendesk/tickets-v4", files["zendesk/tickets-v4"])
    text = project.ok("plan").stdout
    changed = [line for line in text.splitlines() if line.startswith("      ")]
    assert changed[0].startswith("      + resources[1] spool-all: {name: spool-all")
    assert not any(line.lstrip().startswith(("- ", "~ ")) for line in changed)
    (change,) = [c for c in project.plan()["changes"] if c["action"] == "update"]
    assert [(d["op"], d["element"]) for d in change["diff"]] == [("add", "resources[1] spool-all")]
    assert change["graph"] is not None
    project.apply()
    assert_converged(project, live, files)

    # Imported into a fresh project: clean v4 files, the multi job under _multi/.
    other = make_project(
        tmp_path / "other", monkeypatch, {"local": (emulator_server.base_url, TOKEN)}
    )
    result = json.loads(other.ok("import", "--all", "--format", "json").stdout)
    keys = {i["key"] for i in result["imported"]}
    assert keys == {"zendesk/tickets-to-a-webhook", "_multi/helpdesk-tickets-every-integration"}
    assert result["skipped"] == []
    other.ok("validate", "--strict")
    other.ok("fmt", "--check")
    other.ok("plan", "--detailed-exitcode")
    pairs = {
        "zendesk/tickets-to-a-webhook": "zendesk/tickets-v4",
        "_multi/helpdesk-tickets-every-integration": "_multi/helpdesk",
    }
    for imported, original in pairs.items():
        assert other.read_job(imported) == expected_payload(original, files[original])
    text = other.job_path("_multi/helpdesk-tickets-every-integration").read_text()
    assert 'integration_name: ""' in text
    assert "  - name: list-tickets\n    type: request\n    resource: ticketing/tickets" in text
