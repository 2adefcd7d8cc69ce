"""Risky changes: a change that orphans stored state or re-keys runs carries its risks in the
plan (text mark, JSON ``risks``, markdown warning row, a ``risky`` count), and the risky guard
refuses the plan unless it is allowed."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from syncctl.client.models import LiveJob, LiveObject, LiveWorkflow
from syncctl.config import Environment
from syncctl.errors import PlanError
from syncctl.kinds import WORKFLOW
from syncctl.reconcile.guards import RISKY, Risky, guards_for, judge, refuse
from syncctl.reconcile.normalise import normalise
from syncctl.reconcile.plan import Action, DesiredJob, Plan
from syncctl.reconcile.planner import plan_environment
from syncctl.reconcile.saved import read_plan, write_plan
from syncctl.reconcile.state import Entry, State
from syncctl.render.plan import PLAN

TRIGGER = "integrated_account:active"
V4: dict[str, Any] = {
    "integration_name": "googlecalendar",
    "label": "Events",
    "default_runtime_version": 4,
    "state_key": "{{args.integrated_account_id}}",
    "mutex_key": "{{args.integrated_account_id}}",
    "resources": [
        {"type": "get_state", "name": "get-cursor", "config": {"key": "last_synced_at"}},
        {"type": "request", "name": "list-events", "depends_on": "get-cursor",
         "resource": "calendar/events", "method": "list"},
        {"type": "update_state", "name": "set-cursor", "depends_on": "list-events",
         "config": {"key": "last_synced_at", "value": "now"}},
    ],
}  # fmt: skip
KEY = "googlecalendar/events"


def desired(body: dict[str, Any]) -> DesiredJob:
    payload = normalise(body)
    return DesiredJob(KEY, "googlecalendar", payload["label"], payload)


def plan_of(want: dict[str, Any], have: dict[str, Any], *, adopt: bool = False) -> Plan:
    """The plan that turns the live job ``have`` into the file ``want``: managed (an update)
    or, with ``adopt``, unmanaged with the same label (an adoption)."""
    file = desired(want)
    state = State("local")
    if not adopt:
        state = state.with_entry(KEY, Entry("j1", desired(have).hash))
    live: list[LiveObject] = [LiveJob.model_validate({**normalise(have), "id": "j1"})]
    return plan_environment("local", [file], state, {"sync_job": live})


def edited(**changes: Any) -> dict[str, Any]:
    return copy.deepcopy(V4) | changes


def fields(result: Plan) -> list[str]:
    return [risk.field for change in result.changes for risk in change.risks]


@pytest.mark.parametrize("name", ["state_key", "mutex_key"])
def test_a_changed_state_or_mutex_key_is_risky(name: str) -> None:
    result = plan_of(edited(**{name: "{{args.tenant}}"}), V4)
    assert fields(result) == [name]


def test_a_changed_runtime_version_is_risky() -> None:
    assert fields(plan_of(edited(default_runtime_version=3), V4)) == ["default_runtime_version"]


def test_a_renamed_state_node_key_is_risky_and_names_the_node() -> None:
    want = edited()
    want["resources"][0]["config"]["key"] = "cursor"
    want["resources"][2]["config"]["key"] = "cursor"
    result = plan_of(want, V4)
    assert fields(result) == [
        "resources[get-cursor].config.key",
        "resources[set-cursor].config.key",
    ]
    reason = result.changes[0].risks[0].reason
    assert "get-cursor" in reason
    assert '"last_synced_at"' in reason
    assert '"cursor"' in reason


def test_a_removed_state_node_whose_key_no_node_keeps_is_risky() -> None:
    want = edited()
    want["resources"] = [want["resources"][1]]  # both state nodes gone
    want["resources"][0].pop("depends_on")
    assert fields(plan_of(want, V4)) == [
        "resources[get-cursor].config.key",
        "resources[set-cursor].config.key",
    ]


def test_a_removed_state_node_whose_key_another_node_keeps_is_not_risky() -> None:
    want = edited()
    want["resources"] = want["resources"][:2]  # set-cursor gone; get-cursor keeps the key
    result = plan_of(want, V4)
    assert result.changes[0].action is Action.UPDATE
    assert fields(result) == []


def test_an_ordinary_change_is_not_risky() -> None:
    result = plan_of(edited(label="Calendar events"), V4)
    assert result.changes[0].action is Action.UPDATE
    assert fields(result) == []
    assert json.loads(PLAN.render("json", result))["changes"][0]["risks"] == []
    assert judge(result, [Risky()]).refused == ()


def test_an_adopt_that_changes_the_state_key_is_risky() -> None:
    result = plan_of(edited(state_key="{{args.tenant}}"), V4, adopt=True)
    assert result.changes[0].action is Action.ADOPT
    assert fields(result) == ["state_key"]


def test_a_workflow_trigger_change_is_risky() -> None:
    def flow(trigger: str) -> DesiredJob:
        payload = normalise({"trigger_name": trigger, "config": {"steps": []}}, WORKFLOW)
        return DesiredJob("workflow:w", "", trigger, payload, kind=WORKFLOW)

    want, have = flow("integrated_account:created"), flow(TRIGGER)
    state = State("local").with_entry("workflow:w", Entry("w1", have.hash), kind=WORKFLOW)
    live = LiveWorkflow.model_validate({**have.payload, "id": "w1"})
    result = plan_environment("local", [want], state, {"workflow": [live]})
    assert fields(result) == ["trigger_name"]


def test_every_format_shows_the_risk() -> None:
    result = judge(plan_of(edited(state_key="{{args.tenant}}"), V4), [Risky()])
    text = PLAN.render("text", result)
    assert (
        "!! risky: state_key changes: every account's incremental cursor is orphaned "
        "(full re-sync)" in text
    )
    assert "! risky changes: 1 change(s) in local are risky: googlecalendar/events (state_key)" in (
        text
    )
    markdown = PLAN.render("markdown", result)
    assert "| ⚠️ **risky** | `state_key` | state_key changes:" in markdown
    document = json.loads(PLAN.render("json", result))
    assert document["summary"]["risky"] == 1
    assert document["changes"][0]["risks"] == [
        {
            "field": "state_key",
            "reason": "state_key changes: every account's incremental cursor is orphaned "
            "(full re-sync)",
        }
    ]


def test_the_guard_refuses_unless_allowed_and_names_the_flag() -> None:
    result = plan_of(edited(state_key="{{args.tenant}}"), V4)
    env = Environment(name="local", url="embedded:x", token_env="T", state_path=Path("s"))
    refused = judge(result, guards_for(env))
    with pytest.raises(PlanError) as caught:
        refuse(refused)
    assert "refused by the risky changes guard" in caught.value.message
    assert "--allow-risky" in caught.value.message
    allowed = judge(result, guards_for(env, allowed={RISKY}))
    refuse(allowed)  # does not raise
    assert next(v.reason for v in allowed.guards if v.name == RISKY).endswith(
        "allowed by --allow-risky"
    )


def test_a_saved_plan_keeps_its_risks_so_apply_judges_them_again(tmp_path: Path) -> None:
    result = plan_of(edited(state_key="{{args.tenant}}"), V4)
    write_plan(result, tmp_path / "plan.json")
    loaded = read_plan(tmp_path / "plan.json")
    assert loaded.changes[0].risks == result.changes[0].risks
    assert judge(loaded, [Risky()]).refused
