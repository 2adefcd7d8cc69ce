"""``plan``/``apply --target/--exclude`` through the CLI on the embedded environment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import project, run

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


def files() -> dict[str, str]:
    return {
        "jobs/zendesk/tickets.yaml": JOB.format(label="Tickets"),
        "jobs/zendesk/users.yaml": JOB.format(label="Users"),
        "jobs/hubspot/contacts.yaml": JOB.format(label="Contacts"),
        "workflows/onboarding.yaml": FLOW,
    }


def test_plan_target_is_partial_in_text_and_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, files())
    code, out, _ = run(root, "plan", "--target", "hubspot/*", monkeypatch=monkeypatch)
    assert code == 0
    assert "Partial plan: 1 of 4 objects targeted: hubspot/contacts" in out
    assert "+ create hubspot/contacts" in out
    assert "zendesk/" not in out
    code, out, _ = run(
        root, "plan", "--target", "zendesk/*", "--exclude", "*/users", "--format", "json",
        monkeypatch=monkeypatch,
    )  # fmt: skip
    document = json.loads(out)
    assert document["targets"] == {
        "target": ["zendesk/*"],
        "exclude": ["*/users"],
        "keys": ["zendesk/tickets"],
        "total": 4,
    }
    assert [c["key"] for c in document["changes"]] == ["zendesk/tickets"]


def test_a_pattern_that_matches_nothing_exits_2_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, files())
    code, out, err = run(root, "plan", "--target", "salesforce/*", monkeypatch=monkeypatch)
    assert code == 2
    assert "--target 'salesforce/*' matches no job or workflow in local" in err
    assert out == ""
    assert "Traceback" not in err


def test_a_targeted_workflow_brings_its_job_and_an_exclude_of_it_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, files())
    code, out, _ = run(root, "plan", "--target", "workflow:*", monkeypatch=monkeypatch)
    assert code == 0
    assert "Partial plan: 2 of 4 objects targeted: workflow:onboarding, zendesk/tickets" in out
    code, _, err = run(
        root, "plan", "--target", "workflow:*", "--exclude", "zendesk/tickets",
        monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 2
    assert "zendesk/tickets" in err
    assert "workflow:onboarding" in err


def test_apply_target_applies_only_the_target_and_prunes_only_inside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, files())
    code, out, _ = run(root, "apply", "--yes", "--target", "zendesk/users", monkeypatch=monkeypatch)
    assert code == 0, out
    assert "create zendesk/users" in out
    assert "hubspot/contacts" not in out
    code, out, _ = run(root, "apply", "--yes", monkeypatch=monkeypatch)  # the rest
    assert code == 0
    assert "zendesk/users" not in out
    for name in ("users", "tickets"):
        (root / "jobs" / "zendesk" / f"{name}.yaml").unlink()
    (root / "workflows" / "onboarding.yaml").unlink()
    code, out, _ = run(
        root, "apply", "--yes", "--prune", "--target", "zendesk/users", "--allow-mass-delete",
        monkeypatch=monkeypatch,
    )  # fmt: skip
    assert code == 0, out
    assert "delete zendesk/users" in out
    assert "zendesk/tickets" not in out  # orphaned, outside the target: not even listed
    code, listed, _ = run(root, "state", "list", monkeypatch=monkeypatch)
    assert code == 0
    assert "zendesk/tickets" in listed
    assert "zendesk/users" not in listed


def test_a_saved_plan_keeps_its_targets_and_apply_plan_target_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, files())
    code, _, _ = run(
        root, "plan", "--target", "hubspot/*", "--out", "plan.json", monkeypatch=monkeypatch
    )
    assert code == 0
    assert json.loads((root / "plan.json").read_text())["targets"]["keys"] == ["hubspot/contacts"]
    code, _, err = run(root, "apply", "plan.json", "--target", "zendesk/*", monkeypatch=monkeypatch)
    assert code == 2
    assert "--target is decided when the plan is made" in err
    code, out, _ = run(root, "apply", "plan.json", monkeypatch=monkeypatch)
    assert code == 0
    assert "create hubspot/contacts" in out
    assert "zendesk" not in out
