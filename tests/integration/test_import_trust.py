"""A trustworthy ``syncctl import`` (issue 10, item 4), through the CLI over the loopback
emulator server.

* ``import ID --key KEY`` writes one object where the key says; the key must be valid for the
  object's kind and free, else a usage error (bad shape, several ids) or a skip (taken, wrong
  kind, wrong folder).
* Derived job keys do not repeat the integration (``Zendesk tickets`` -> ``zendesk/tickets``).
* The written files are validated with the rest of the tree and their findings printed; an
  error finding fails the run.
* A literal secret (SJ601's check) skips its object before anything is written, unless
  ``--allow-secrets``; the secret itself is never echoed.
* Every skip and every unknown id exits 1 with a remedy; a complete, clean run exits 0.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import pytest
import yaml
from reconcile_helpers import TICKETS, Observer, Project, job

from syncctl.emulator.handler import Response

RUNTIME_3: dict[str, Any] = {"default_runtime_version": 3, "resources": [TICKETS]}
TRIGGER = "integrated_account:active"
SECRET = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
FINDING = re.compile(r"^(?P<file>[^:]+):\d+:\d+: (?P<rule>SJ\d{3}) (?P<severity>error|warning): ")


def create_workflow(live: Observer, body: Mapping[str, Any]) -> dict[str, Any]:
    """POST /workflow past the code under test (the observer's fault-free emulator)."""
    response: Response = live.emulator.handle(
        "POST", "/workflow", live.headers, json.dumps(dict(body)).encode()
    )
    assert response.status == 201, response.body
    created = response.json()
    assert isinstance(created, dict)
    return created


def workflow_body(job_id: str, cron: str | None = None, run_if: str = "true") -> dict[str, Any]:
    step: dict[str, Any] = {"type": "run", "action": "run_sync_job"}
    if cron is not None:
        step["cron_expression"] = cron
    step["config"] = {"sync_job_id": job_id}
    return {"trigger_name": TRIGGER, "config": {"run_if": run_if, "steps": [step]}}


def import_json(project: Project, *args: str, code: int = 0) -> dict[str, Any]:
    data = json.loads(project.ok("import", *args, "--format", "json", code=code).stdout)
    assert isinstance(data, dict)
    return data


def workflow_keys(project: Project) -> set[str]:
    """The workflow keys of the state file (none when it has no workflow section, or no file)."""
    if not project.state_path().exists():
        return set()
    return set(project.raw_state().get("workflow", {}).get("entries", {}))


# --- --key ---------------------------------------------------------------------------------


def test_key_chooses_where_a_job_goes_and_the_next_plan_is_empty(
    project: Project, live: Observer
) -> None:
    tickets = live.create({"integration_name": "zendesk", "label": "Tickets", **RUNTIME_3})

    out = project.ok("import", tickets["id"], "--key", "zendesk/support-queue").stdout

    assert out == (
        f"imported sync job {tickets['id']} as zendesk/support-queue "
        "(jobs/zendesk/support-queue.yaml)\n"
        "1 imported, 0 skipped in local.\n"
    )
    assert project.ids() == {"zendesk/support-queue": tickets["id"]}
    assert project.read_job("zendesk/support-queue")["label"] == "Tickets"
    assert not project.job_path("zendesk/tickets").exists()
    project.ok("validate", "--strict")
    project.ok("plan", "--detailed-exitcode")


def test_key_chooses_a_workflow_name(project: Project, live: Observer) -> None:
    stranger = live.create({"integration_name": "hubspot", "label": "Contacts", **RUNTIME_3})
    workflow = create_workflow(live, workflow_body(stranger["id"]))

    result = import_json(project, workflow["id"], "--key", "workflow:onboarding")

    (item,) = result["imported"]
    assert (item["kind"], item["key"], item["file"]) == (
        "workflow",
        "workflow:onboarding",
        "workflows/onboarding.yaml",
    )
    assert workflow_keys(project) == {"workflow:onboarding"}
    assert (project.root / "workflows" / "onboarding.yaml").is_file()


ONE_ID = "--key goes with exactly one id"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("id-1", "id-2", "--key", "zendesk/tickets"), ONE_ID),
        (("--all", "--key", "zendesk/tickets"), ONE_ID),
        (("--integration", "zendesk", "--key", "zendesk/tickets"), ONE_ID),
        (("id-1", "--key", "Zendesk/tickets"), "--key 'Zendesk/tickets' is not a valid key"),
        (("id-1", "--key", "zendesk/a/b"), "--key 'zendesk/a/b' is not a valid key"),
        (("id-1", "--key", "tickets"), "--key 'tickets' is not a valid key"),
        (("id-1", "--key", "zendesk/-tickets"), "--key 'zendesk/-tickets' is not a valid key"),
        (
            ("id-1", "--key", "workflow:Onboarding"),
            "--key 'workflow:Onboarding': 'Onboarding' is not a valid workflow name",
        ),
        (("id-1", "--key", "workflow:"), "'' is not a valid workflow name"),
    ],
)
def test_key_usage_errors_exit_2_and_write_nothing(
    project: Project, args: tuple[str, ...], message: str
) -> None:
    result = project.ok("import", *args, code=2)

    assert message in result.stderr
    assert "hint:" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not project.jobs.exists() or not any(project.jobs.rglob("*.yaml"))
    assert not (project.root / "workflows").exists()
    assert not project.state_path().exists()


def test_a_taken_or_wrong_key_is_a_skip_with_a_remedy(project: Project, live: Observer) -> None:
    project.write_job("zendesk/tickets", job("Managed tickets"))
    project.apply()
    project.remove_job("zendesk/tickets")  # the state still records the key
    project.write_job("zendesk/draft", job("Draft", environments=["local"]))  # file, no state
    loose = live.create({"integration_name": "zendesk", "label": "Loose", **RUNTIME_3})
    before = project.ids()

    cases = {
        "zendesk/tickets": "--key zendesk/tickets is taken: the state of local records it",
        "zendesk/draft": "--key zendesk/draft is taken: jobs/zendesk/draft.yaml exists",
        "hubspot/loose": "this job's folder is zendesk/ (its integration_name, SJ005); "
        "use --key zendesk/loose",
        "workflow:loose": "is a sync job, not a workflow; give a job key: --key zendesk/<name>",
    }
    for key, reason in cases.items():
        result = import_json(project, loose["id"], "--key", key, code=1)
        assert result["imported"] == []
        (skip,) = result["skipped"]
        assert reason in skip["reason"], (key, skip["reason"])
    assert project.ids() == before
    assert project.read_job("zendesk/draft") == job("Draft", environments=["local"])
    assert not (project.jobs / "hubspot").exists()


def test_a_job_key_for_a_workflow_is_a_skip(project: Project, live: Observer) -> None:
    stranger = live.create({"integration_name": "hubspot", "label": "Contacts", **RUNTIME_3})
    workflow = create_workflow(live, workflow_body(stranger["id"]))

    result = import_json(project, workflow["id"], "--key", "hubspot/contacts", code=1)

    (skip,) = result["skipped"]
    assert skip["kind"] == "workflow"
    assert "--key workflow:<name>" in skip["reason"]
    assert workflow_keys(project) == set()


# --- derived keys ---------------------------------------------------------------------------


def test_derived_keys_do_not_repeat_the_integration(project: Project, live: Observer) -> None:
    made = {
        "zendesk/tickets": live.create(
            {"integration_name": "zendesk", "label": "Zendesk tickets", **RUNTIME_3}
        ),
        "hubspot/contacts-of-one-owner": live.create(
            {"integration_name": "hubspot", "label": "HubSpot: contacts of one owner", **RUNTIME_3}
        ),
        "google_calendar/events": live.create(
            {"integration_name": "google_calendar", "label": "Google Calendar events", **RUNTIME_3}
        ),
        "jira/jira": live.create({"integration_name": "jira", "label": "Jira", **RUNTIME_3}),
        "jira/jiradata-sync": live.create(
            {"integration_name": "jira", "label": "Jiradata sync", **RUNTIME_3}
        ),
    }

    result = import_json(project, "--all")

    assert {i["key"]: i["id"] for i in result["imported"]} == {key: made[key]["id"] for key in made}
    project.ok("validate", "--strict")


def test_a_stripped_name_that_is_taken_gets_a_suffix(project: Project, live: Observer) -> None:
    project.write_job("zendesk/tickets", job("Hand written", environments=["local"]))
    live.create({"integration_name": "zendesk", "label": "Zendesk tickets", **RUNTIME_3})

    result = import_json(project, "--all")

    assert [i["key"] for i in result["imported"]] == ["zendesk/tickets-2"]
    assert project.read_job("zendesk/tickets")["label"] == "Hand written"


# --- validation of what was written ---------------------------------------------------------


def test_imported_files_are_validated_and_errors_fail_the_run(
    project: Project, live: Observer
) -> None:
    broken = live.create(
        {
            "integration_name": "zendesk",
            "label": "Broken tickets",
            "default_runtime_version": 3,
            "resources": [
                {**TICKETS, "query": {"status": "{{args.y}}"}},  # SJ203: y is not declared
                {"resource": "ticketing/comments", "method": "list", "depends_on": "nowhere"},
            ],
        }
    )
    clean = live.create({"integration_name": "zendesk", "label": "Clean", **RUNTIME_3})

    text = project.ok("import", "--all", code=1).stdout.splitlines()

    assert sorted(text[:2]) == sorted(
        [
            f"imported sync job {broken['id']} as zendesk/broken-tickets "
            "(jobs/zendesk/broken-tickets.yaml)",
            f"imported sync job {clean['id']} as zendesk/clean (jobs/zendesk/clean.yaml)",
        ]
    )
    found = [FINDING.match(line) for line in text[2:-1]]
    assert all(found), text
    assert {(m["file"], m["rule"], m["severity"]) for m in found if m} == {
        ("jobs/zendesk/broken-tickets.yaml", "SJ101", "error"),
        ("jobs/zendesk/broken-tickets.yaml", "SJ203", "error"),
    }
    assert text[-1] == (
        "2 imported, 0 skipped in local; the imported files have 2 errors and 0 warnings: "
        "fix them, then run syncctl validate."
    )
    # The files are kept (they are what is live), and validate says the same.
    assert set(project.ids()) == {"zendesk/broken-tickets", "zendesk/clean"}
    checked = json.loads(project.ok("validate", "--format", "json", code=1).stdout)
    assert {f["rule"] for f in checked["findings"]} == {"SJ101", "SJ203"}


def test_json_findings_include_cross_file_rules_with_the_rest_of_the_tree(
    project: Project, live: Observer
) -> None:
    project.write_job("zendesk/tickets", job("Tickets"))  # no mutex_key
    project.apply()
    workflow = create_workflow(
        live, workflow_body(project.ids()["zendesk/tickets"], cron="0 */6 * * *")
    )

    result = import_json(project, workflow["id"])  # a warning only: exit 0

    (item,) = result["imported"]
    assert item["key"] == "workflow:zendesk-tickets"
    assert [(f["file"], f["rule"], f["severity"]) for f in result["findings"]] == [
        ("workflows/zendesk-tickets.yaml", "SJ903", "warning")
    ]
    assert set(result["findings"][0]) == {
        "file",
        "line",
        "column",
        "rule",
        "severity",
        "message",
        "path",
        "hint",
    }


def test_findings_of_other_files_are_not_reported(project: Project, live: Observer) -> None:
    project.write_job("hubspot/old", job("Old", environments=["local"], mutex_key="{{args.z}}"))
    live.create({"integration_name": "zendesk", "label": "Tickets", **RUNTIME_3})

    result = import_json(project, "--all")

    assert result["findings"] == []
    assert [i["key"] for i in result["imported"]] == ["zendesk/tickets"]


# --- secrets ----------------------------------------------------------------------------------


def secret_job(live: Observer) -> dict[str, Any]:
    return live.create(
        {
            "integration_name": "stripe",
            "label": "Charges",
            "default_runtime_version": 3,
            "resources": [
                {"resource": "payments/charges", "method": "list", "query": {"api_key": SECRET}}
            ],
        }
    )


def test_a_literal_secret_is_skipped_before_anything_is_written(
    project: Project, live: Observer
) -> None:
    leaky = secret_job(live)
    clean = live.create({"integration_name": "stripe", "label": "Refunds", **RUNTIME_3})

    out = project.ok("import", "--all", code=1).stdout

    assert SECRET not in out
    lines = out.splitlines()
    assert (
        lines[0] == f"imported sync job {clean['id']} as stripe/refunds (jobs/stripe/refunds.yaml)"
    )
    assert lines[1].startswith(
        f"skipped sync job {leaky['id']}: a literal secret at $.resources[0].query.api_key "
    )
    assert "(SJ601): nothing written" in lines[1]
    assert "{{args.api_key}}" in lines[1]
    assert "--allow-secrets" in lines[1]
    assert lines[-1] == "1 imported, 1 skipped in local."
    assert not project.job_path("stripe/charges").exists()
    assert project.ids() == {"stripe/refunds": clean["id"]}
    assert SECRET not in "".join(p.read_text() for p in project.jobs.rglob("*.yaml"))


def test_allow_secrets_writes_it_and_prints_the_finding(project: Project, live: Observer) -> None:
    leaky = secret_job(live)

    result = import_json(project, leaky["id"], "--allow-secrets", code=1)

    assert [i["key"] for i in result["imported"]] == ["stripe/charges"]
    assert result["skipped"] == []
    (finding,) = result["findings"]
    assert (finding["file"], finding["rule"], finding["path"]) == (
        "jobs/stripe/charges.yaml",
        "SJ601",
        "$.resources[0].query.api_key",
    )
    assert SECRET not in finding["message"]
    assert project.read_job("stripe/charges")["resources"][0]["query"]["api_key"] == SECRET
    assert project.ids() == {"stripe/charges": leaky["id"]}


def test_a_secret_in_a_workflow_is_skipped_too(project: Project, live: Observer) -> None:
    stranger = live.create({"integration_name": "hubspot", "label": "Contacts", **RUNTIME_3})
    workflow = create_workflow(
        live, workflow_body(stranger["id"], run_if=f'integrated_account.context.key = "{SECRET}"')
    )

    result = import_json(project, workflow["id"], code=1)

    (skip,) = result["skipped"]
    assert skip["kind"] == "workflow"
    assert skip["reason"].startswith("a literal secret at $.config.run_if ")
    assert SECRET not in skip["reason"]
    assert not (project.root / "workflows").exists()
    assert workflow_keys(project) == set()

    allowed = import_json(project, workflow["id"], "--allow-secrets", code=1)
    # SJ601 is no workflow rule of validate: the finding of the check before writing is kept.
    assert [f["rule"] for f in allowed["findings"]] == ["SJ601", "SJ905"]
    assert workflow_keys(project) == {allowed["imported"][0]["key"]}


# --- exit codes and remedies --------------------------------------------------------------------


def test_an_unknown_id_exits_1_with_a_remedy(project: Project) -> None:
    result = project.ok("import", "1234", code=1)

    assert result.stdout == (
        "skipped 1234: no such job or workflow in local; check the id (syncctl plan lists the "
        "unmanaged live objects) or choose another environment with --env\n"
        "0 imported, 1 skipped in local.\n"
    )


def test_an_id_already_managed_exits_1_and_says_so(project: Project) -> None:
    project.write_job("zendesk/tickets", job("Tickets"))
    project.apply()

    result = import_json(project, project.ids()["zendesk/tickets"], code=1)

    (skip,) = result["skipped"]
    assert skip["reason"] == (
        "already managed as zendesk/tickets; nothing to import (syncctl state mv renames it)"
    )


def test_a_label_clash_says_what_to_do(project: Project, live: Observer) -> None:
    project.write_job("zendesk/mine", job("Tickets", environments=["local"]))
    clash = live.create({"integration_name": "zendesk", "label": "Tickets", **RUNTIME_3})

    result = import_json(project, clash["id"], code=1)

    (skip,) = result["skipped"]
    assert skip["reason"] == (
        "label 'Tickets' is already used by jobs/zendesk/mine.yaml (SJ006); if that file is "
        "this job, syncctl plan adopts it; else give one of them another label and import again"
    )


def test_an_unrepresentable_integration_says_why(project: Project, live: Observer) -> None:
    odd = live.create({"integration_name": "Hub Spot", "label": "Contacts", **RUNTIME_3})

    result = import_json(project, "--all", code=1)

    (skip,) = result["skipped"]
    assert skip["id"] == odd["id"]
    assert "integration_name 'Hub Spot' cannot be a folder name (SJ005" in skip["reason"]
    assert "until the integration is renamed" in skip["reason"]


def test_nothing_to_import_exits_0(project: Project) -> None:
    assert project.ok("import", "--all").stdout == "0 imported, 0 skipped in local.\n"


def test_yaml_written_is_what_was_validated(project: Project, live: Observer) -> None:
    """The findings' file is the one on disk: line numbers point into it."""
    broken = live.create(
        {
            "integration_name": "zendesk",
            "label": "Tickets",
            "default_runtime_version": 3,
            "resources": [{**TICKETS, "query": {"status": "{{args.y}}"}}],
        }
    )
    result = import_json(project, broken["id"], code=1)
    (finding,) = result["findings"]
    lines = (project.root / finding["file"]).read_text("utf-8").splitlines()
    assert "{{args.y}}" in lines[finding["line"] - 1]
    assert yaml.safe_load("\n".join(lines))["label"] == "Tickets"
