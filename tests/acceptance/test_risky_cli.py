"""Risky changes through the CLI: ``plan`` marks them in every format, ``apply`` refuses them
before any prompt unless ``--allow-risky``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import project, run

KEY_FILE = "jobs/googlecalendar/events.yaml"
V4 = """\
label: Events
default_runtime_version: 4
mutex_key: "{{{{args.integrated_account_id}}}}"
state_key: "{state_key}"
args_schema:
  integrated_account_id: {{type: string, required: true}}
resources:
  - type: get_state
    name: get-cursor
    config: {{key: {cursor}, default: "2026-01-01"}}
  - type: request
    name: list-events
    depends_on: get-cursor
    resource: calendar/events
    method: list
    integrated_account_id: "{{{{args.integrated_account_id}}}}"
    query:
      updated_at: {{gt: "{{{{resources.get-cursor.value}}}}"}}
"""
ACCOUNT = "{{args.integrated_account_id}}"


def job(state_key: str = ACCOUNT, cursor: str = "last_synced_at") -> str:
    return V4.format(state_key=state_key, cursor=cursor)


@pytest.fixture
def applied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = project(tmp_path, {KEY_FILE: job()})
    code, out, err = run(root, "apply", "--yes", monkeypatch=monkeypatch)
    assert code == 0, out + err
    return root


def test_a_changed_state_key_is_marked_in_every_plan_format(
    applied: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (applied / KEY_FILE).write_text(job(state_key="tenant-{{args.integrated_account_id}}"))
    code, text, _ = run(applied, "plan", monkeypatch=monkeypatch)
    assert code == 0
    assert (
        "      !! risky: state_key changes: every account's incremental cursor is orphaned "
        "(full re-sync)" in text
    )
    assert "! risky changes: 1 change(s) in local are risky: googlecalendar/events" in text
    assert "--allow-risky" in text
    _, raw, _ = run(applied, "plan", "--format", "json", monkeypatch=monkeypatch)
    document = json.loads(raw)
    assert document["summary"]["risky"] == 1
    assert [r["field"] for r in document["changes"][0]["risks"]] == ["state_key"]
    _, markdown, _ = run(applied, "plan", "--format", "markdown", monkeypatch=monkeypatch)
    assert "| ⚠️ **risky** | `state_key` |" in markdown


def test_a_renamed_state_node_key_is_risky(applied: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (applied / KEY_FILE).write_text(job(cursor="cursor"))
    _, raw, _ = run(applied, "plan", "--format", "json", monkeypatch=monkeypatch)
    risks = json.loads(raw)["changes"][0]["risks"]
    assert [r["field"] for r in risks] == ["resources[get-cursor].config.key"]


def test_apply_refuses_a_risky_plan_before_asking_and_allow_risky_applies_it(
    applied: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (applied / KEY_FILE).write_text(job(state_key="tenant-{{args.integrated_account_id}}"))
    # No --yes and no terminal: a prompt would be a usage error (exit 2); the guard comes first.
    code, out, err = run(applied, "apply", monkeypatch=monkeypatch)
    assert code == 1
    assert "refused by the risky changes guard" in err
    assert "--allow-risky" in err
    assert "needs confirmation" not in err
    assert "Apply these changes" not in err
    code, out, _ = run(applied, "apply", "--yes", monkeypatch=monkeypatch)
    assert code == 1  # --yes does not override the guard
    code, out, err = run(applied, "apply", "--yes", "--allow-risky", monkeypatch=monkeypatch)
    assert code == 0, out + err
    assert "update googlecalendar/events" in out
    assert "allowed by --allow-risky" in out
    code, out, _ = run(applied, "plan", "--detailed-exitcode", monkeypatch=monkeypatch)
    assert code == 0, out


def test_a_saved_risky_plan_is_refused_by_apply_unless_allowed(
    applied: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (applied / KEY_FILE).write_text(job(state_key="tenant-{{args.integrated_account_id}}"))
    code, _, _ = run(applied, "plan", "--out", "plan.json", monkeypatch=monkeypatch)
    assert code == 0
    code, _, err = run(applied, "apply", "plan.json", monkeypatch=monkeypatch)
    assert code == 1
    assert "risky changes" in err
    code, out, err = run(applied, "apply", "plan.json", "--allow-risky", monkeypatch=monkeypatch)
    assert code == 0, out + err


def test_an_ordinary_change_is_not_risky(applied: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (applied / KEY_FILE).write_text(job().replace("label: Events", "label: Calendar events"))
    _, raw, _ = run(applied, "plan", "--format", "json", monkeypatch=monkeypatch)
    document = json.loads(raw)
    assert document["summary"]["risky"] == 0
    assert document["changes"][0]["risks"] == []
    code, out, err = run(applied, "apply", "--yes", monkeypatch=monkeypatch)
    assert code == 0, out + err
