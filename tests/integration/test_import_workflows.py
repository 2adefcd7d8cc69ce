"""``syncctl import`` covers workflows (design §9): over the loopback emulator server, through
the CLI. Jobs are imported before workflows, so a workflow's ``sync_job_id`` of a job imported
in the same run becomes ``sync_job: <key>``; an id no managed job has is kept (SJ905); names
come from the first job key and never overwrite a file."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import yaml
from reconcile_helpers import TICKETS, Observer, Project, job

from syncctl.emulator.handler import Response

TRIGGER = "integrated_account:active"
RUNTIME_3: dict[str, Any] = {"default_runtime_version": 3, "resources": [TICKETS]}
RUN_IF = 'integrated_account.integration.name = "zendesk"'


def create_workflow(live: Observer, body: Mapping[str, Any]) -> dict[str, Any]:
    """POST /workflow past the code under test (the observer's fault-free emulator)."""
    raw = json.dumps(dict(body)).encode()
    response: Response = live.emulator.handle("POST", "/workflow", live.headers, raw)
    assert response.status == 201, response.body
    created = response.json()
    assert isinstance(created, dict)
    return created


def run_step(job_id: str, cron: str | None = None) -> dict[str, Any]:
    """A workflow step that runs sync job ``job_id`` (on ``cron`` when given), as the API
    takes it; the wire tests build their steps with it too."""
    step: dict[str, Any] = {"type": "run", "action": "run_sync_job"}
    if cron is not None:
        step["cron_expression"] = cron
    step["config"] = {"sync_job_id": job_id}
    return step


def workflow_body(*steps: dict[str, Any]) -> dict[str, Any]:
    return {"trigger_name": TRIGGER, "config": {"run_if": RUN_IF, "steps": list(steps)}}


def expected_hash(data: Mapping[str, Any]) -> str:
    """The content hash of a workflow file, computed apart from syncctl: the canonical JSON of
    its sent fields (``trigger_name``, ``config``)."""
    sent = {"trigger_name": data.get("trigger_name"), "config": data.get("config")}
    text = json.dumps(sent, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def workflow_entries(project: Project) -> dict[str, Any]:
    entries = project.raw_state()["workflow"]["entries"]
    assert isinstance(entries, dict)
    return entries


def import_json(project: Project, *args: str, code: int = 0) -> dict[str, Any]:
    data = json.loads(project.ok("import", *args, "--format", "json", code=code).stdout)
    assert isinstance(data, dict)
    return data


def test_import_all_writes_jobs_then_a_workflow_naming_them_by_key(
    project: Project, live: Observer
) -> None:
    directory = live.create(
        {"integration_name": "zendesk", "label": "Support directory", **RUNTIME_3}
    )
    tickets = live.create(
        {
            "integration_name": "zendesk",
            "label": "Tickets with comments",
            "default_runtime_version": 3,
            "args_schema": {
                "type": "object",
                "properties": {"integrated_account_id": {"type": "string"}},
            },
            "mutex_key": "{{args.integrated_account_id}}",
            "resources": [{"resource": "ticketing/tickets", "method": "list"}],
        }
    )
    workflow = create_workflow(
        live, workflow_body(run_step(directory["id"]), run_step(tickets["id"], "0 */6 * * *"))
    )

    result = import_json(project, "--all")

    found = [(i["kind"], i["key"], i["id"]) for i in result["imported"]]
    assert sorted(found[:2]) == [
        ("sync_job", "zendesk/support-directory", directory["id"]),
        ("sync_job", "zendesk/tickets-with-comments", tickets["id"]),
    ]
    assert found[2:] == [("workflow", "workflow:zendesk-support-directory", workflow["id"])]
    assert result["skipped"] == []
    assert result["imported"][2]["file"] == "workflows/zendesk-support-directory.yaml"
    assert result["imported"][2]["note"] is None
    text = (project.root / "workflows" / "zendesk-support-directory.yaml").read_text("utf-8")
    assert text == (
        "# yaml-language-server: $schema=../schemas/workflow.schema.json\n"
        'trigger_name: "integrated_account:active"\n'
        "config:\n"
        '  run_if: "integrated_account.integration.name = \\"zendesk\\""\n'
        "  steps:\n"
        "    - type: run\n"
        "      action: run_sync_job\n"
        "      config:\n"
        "        sync_job: zendesk/support-directory\n"
        "    - type: run\n"
        "      action: run_sync_job\n"
        '      cron_expression: "0 */6 * * *"\n'
        "      config:\n"
        "        sync_job: zendesk/tickets-with-comments\n"
    )
    data = yaml.safe_load(text)
    assert workflow_entries(project) == {
        "workflow:zendesk-support-directory": {
            "id": workflow["id"],
            "hash": expected_hash(data),
            "protected": False,
        }
    }
    assert project.ids() == {
        "zendesk/support-directory": directory["id"],
        "zendesk/tickets-with-comments": tickets["id"],
    }
    project.ok("validate", "--strict")
    project.ok("fmt", "--check")
    # Depends on plan/apply covering workflows: the live workflow read back into key space
    # must equal the file, and its entry's hash must be the file's.
    project.ok("plan", "--detailed-exitcode")
    again = import_json(project, "--all")
    assert again["imported"] == []
    assert again["skipped"] == []


def test_import_by_id_finds_a_workflow_after_the_jobs(project: Project, live: Observer) -> None:
    project.write_job("zendesk/support-directory", job("Support directory"))
    project.apply()
    managed = project.ids()["zendesk/support-directory"]
    loose = live.create({"integration_name": "hubspot", "label": "Contacts", **RUNTIME_3})
    workflow = create_workflow(live, workflow_body(run_step(loose["id"]), run_step(managed)))

    # The workflow is asked for first; the job is still imported first and counts as managed.
    # The unknown id is a skip: the run exits 1 (issue 10) and says what to do.
    out = project.ok("import", workflow["id"], loose["id"], "missing-id", code=1).stdout

    assert out == (
        f"imported sync job {loose['id']} as hubspot/contacts (jobs/hubspot/contacts.yaml)\n"
        f"imported workflow {workflow['id']} as workflow:hubspot-contacts "
        "(workflows/hubspot-contacts.yaml)\n"
        "skipped missing-id: no such job or workflow in local; check the id (syncctl plan "
        "lists the unmanaged live objects) or choose another environment with --env\n"
        "2 imported, 1 skipped in local.\n"
    )
    data = yaml.safe_load((project.root / "workflows" / "hubspot-contacts.yaml").read_text())
    assert data == {
        "trigger_name": TRIGGER,
        "config": {
            "run_if": RUN_IF,
            "steps": [
                {
                    "type": "run",
                    "action": "run_sync_job",
                    "config": {"sync_job": "hubspot/contacts"},
                },
                {
                    "type": "run",
                    "action": "run_sync_job",
                    "config": {"sync_job": "zendesk/support-directory"},
                },
            ],
        },
    }
    entry = workflow_entries(project)["workflow:hubspot-contacts"]
    assert entry == {"id": workflow["id"], "hash": expected_hash(data), "protected": False}
    project.ok("validate", "--strict")

    again = import_json(project, workflow["id"], code=1)  # asked for, not imported: exit 1
    assert again["imported"] == []
    assert again["skipped"] == [
        {
            "kind": "workflow",
            "id": workflow["id"],
            "reason": "already managed as workflow:hubspot-contacts; nothing to import "
            "(syncctl state mv renames it)",
        }
    ]


def test_a_workflow_naming_an_unmanaged_job_keeps_its_id(project: Project, live: Observer) -> None:
    stranger = live.create({"integration_name": "hubspot", "label": "Contacts", **RUNTIME_3})
    workflow = create_workflow(live, workflow_body(run_step(stranger["id"])))

    result = import_json(project, workflow["id"])  # the job is not asked for: stays unmanaged

    (item,) = result["imported"]
    name = "workflow-" + workflow["id"][:8].lower()
    assert item["kind"] == "workflow"
    assert item["key"] == f"workflow:{name}"
    assert item["file"] == f"workflows/{name}.yaml"
    assert repr(stranger["id"]) in item["note"]
    assert "SJ905" in item["note"]
    data = yaml.safe_load((project.root / item["file"]).read_text("utf-8"))
    assert data["config"]["steps"] == [run_step(stranger["id"])]
    assert workflow_entries(project) == {
        item["key"]: {"id": workflow["id"], "hash": expected_hash(data), "protected": False}
    }
    assert project.ids() == {}
    checked = project.ok("validate", "--format", "json")  # a warning, not an error
    rules = [f["rule"] for f in json.loads(checked.stdout)["findings"]]
    assert rules == ["SJ905"]
    text = project.ok("import", "--all").stdout  # imports the job; the workflow is managed
    assert f"imported sync job {stranger['id']} as hubspot/contacts" in text
    assert "workflow" not in text


def test_names_never_overwrite_a_file_and_stay_unique_in_one_run(
    project: Project, live: Observer
) -> None:
    directory = live.create(
        {"integration_name": "zendesk", "label": "Support directory", **RUNTIME_3}
    )
    first = create_workflow(live, workflow_body(run_step(directory["id"])))
    second = create_workflow(live, workflow_body(run_step(directory["id"], "0 3 * * *")))
    existing = project.root / "workflows" / "zendesk-support-directory.yaml"
    existing.parent.mkdir()
    existing.write_text("# hand-written, not managed\ntrigger_name: x\n", encoding="utf-8")

    result = import_json(project, "--all")

    workflows = {i["id"]: i for i in result["imported"] if i["kind"] == "workflow"}
    by_id = sorted([first["id"], second["id"]])
    assert workflows[by_id[0]]["key"] == "workflow:zendesk-support-directory-2"
    assert workflows[by_id[1]]["key"] == "workflow:zendesk-support-directory-3"
    assert existing.read_text("utf-8") == "# hand-written, not managed\ntrigger_name: x\n"
    assert set(workflow_entries(project)) == {
        "workflow:zendesk-support-directory-2",
        "workflow:zendesk-support-directory-3",
    }
    for item in workflows.values():
        assert (project.root / item["file"]).is_file()


def test_integration_imports_jobs_only(project: Project, live: Observer) -> None:
    directory = live.create(
        {"integration_name": "zendesk", "label": "Support directory", **RUNTIME_3}
    )
    create_workflow(live, workflow_body(run_step(directory["id"])))

    result = import_json(project, "--integration", "zendesk")

    assert [i["kind"] for i in result["imported"]] == ["sync_job"]
    assert not (project.root / "workflows").exists()
    assert workflow_entries(project) == {}
