"""Partial plans (``--target``/``--exclude``): which keys a pattern selects, what a targeted
workflow pulls in, prune only inside the target, and how a partial plan is shown and saved."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from syncctl.client.models import LiveJob, LiveObject, LiveWorkflow
from syncctl.errors import PlanError, UsageError
from syncctl.kinds import WORKFLOW
from syncctl.reconcile.normalise import normalise
from syncctl.reconcile.plan import Action, DesiredJob, Plan
from syncctl.reconcile.planner import plan_environment
from syncctl.reconcile.saved import read_plan, write_plan
from syncctl.reconcile.state import Entry, State
from syncctl.references import resolved
from syncctl.render.plan import PLAN

TRIGGER = "integrated_account:active"


def job(key: str, label: str | None = None) -> DesiredJob:
    integration, name = key.split("/")
    body = {"integration_name": integration, "label": label or name.title()}
    payload = normalise(body | {"resources": [{"resource": "ticketing/tickets", "method": "list"}]})
    return DesiredJob(key, integration, payload["label"], payload)


def workflow(name: str, *keys: str) -> DesiredJob:
    steps = [{"type": "run", "action": "run_sync_job", "config": {"sync_job": k}} for k in keys]
    payload = normalise({"trigger_name": TRIGGER, "config": {"steps": steps}}, WORKFLOW)
    return DesiredJob(f"workflow:{name}", "", TRIGGER, payload, kind=WORKFLOW)


def live_job(job_id: str, desired: DesiredJob, **changes: Any) -> LiveJob:
    return LiveJob.model_validate({**desired.payload, "id": job_id, **changes})


def live_workflow(workflow_id: str, desired: DesiredJob, ids: dict[str, str]) -> LiveWorkflow:
    return LiveWorkflow.model_validate({**resolved(desired.payload, ids), "id": workflow_id})


def plan(
    desired: list[DesiredJob],
    state: State,
    jobs: list[LiveObject],
    workflows: list[LiveObject] | None = None,
    **options: Any,
) -> Plan:
    live = {"sync_job": jobs, "workflow": workflows or []}
    return plan_environment("local", desired, state, live, **options)


ZA, ZB, HC = job("zendesk/a"), job("zendesk/b"), job("hubspot/contacts")


def test_a_target_plans_only_the_keys_it_matches_and_says_the_plan_is_partial() -> None:
    result = plan([ZA, ZB, HC], State("local"), [], target=["zendesk/*"])
    assert [c.key for c in result.changes] == ["zendesk/a", "zendesk/b"]
    assert result.targets is not None
    assert result.targets.keys == ("zendesk/a", "zendesk/b")
    assert result.targets.total == 3
    text = PLAN.render("text", result)
    assert "Partial plan: 2 of 3 objects targeted: zendesk/a, zendesk/b" in text
    assert "Partial plan: 2 of 3" in PLAN.render("markdown", result)
    document = json.loads(PLAN.render("json", result))
    assert document["targets"] == {
        "target": ["zendesk/*"],
        "exclude": [],
        "keys": ["zendesk/a", "zendesk/b"],
        "total": 3,
    }


def test_a_whole_plan_has_no_targets() -> None:
    result = plan([ZA, ZB], State("local"), [])
    assert result.targets is None
    assert json.loads(PLAN.render("json", result))["targets"] is None
    assert "Partial plan" not in PLAN.render("text", result)


def test_star_matches_a_slash_and_excludes_apply_after_targets() -> None:
    everything = plan([ZA, ZB, HC], State("local"), [], target=["*"], exclude=["zendesk/b"])
    assert [c.key for c in everything.changes] == ["hubspot/contacts", "zendesk/a"]
    only_excluded = plan([ZA, ZB, HC], State("local"), [], exclude=["*/a"])
    assert [c.key for c in only_excluded.changes] == ["hubspot/contacts", "zendesk/b"]


@pytest.mark.parametrize("flag", ["target", "exclude"])
def test_a_pattern_that_matches_nothing_is_a_usage_error_naming_it(flag: str) -> None:
    with pytest.raises(UsageError) as caught:
        plan([ZA], State("local"), [], **{flag: ["zendesk/a", "salesforce/*"]})
    assert f"--{flag} 'salesforce/*' matches no job or workflow in local" in caught.value.message
    assert caught.value.exit_code == 2


def test_a_state_key_without_a_file_can_be_targeted_and_prune_deletes_only_inside() -> None:
    state = (
        State("local")
        .with_entry("zendesk/a", Entry("ja", ZA.hash))
        .with_entry("zendesk/b", Entry("jb", ZB.hash))
    )
    lives: list[LiveObject] = [live_job("ja", ZA), live_job("jb", ZB)]
    result = plan([], state, lives, prune=True, target=["zendesk/b"])
    assert [(c.action, c.key) for c in result.changes] == [(Action.DELETE, "zendesk/b")]
    kept = plan([], state, lives, target=["zendesk/b"])
    assert [o.key for o in kept.orphaned] == ["zendesk/b"]  # zendesk/a is outside: not listed


def test_unmanaged_live_jobs_are_not_listed_in_a_partial_plan() -> None:
    stranger = live_job("s1", job("salesforce/x", "Someone else's"))
    assert len(plan([ZA], State("local"), [stranger]).unmanaged) == 1
    assert plan([ZA], State("local"), [stranger], target=["zendesk/a"]).unmanaged == ()


def test_a_targeted_workflow_pulls_in_the_jobs_it_runs() -> None:
    flow = workflow("onboarding", "zendesk/a")
    result = plan([ZA, ZB, flow], State("local"), [], target=["workflow:*"])
    assert [c.key for c in result.changes] == ["zendesk/a", "workflow:onboarding"]
    assert result.targets is not None
    assert result.targets.keys == ("workflow:onboarding", "zendesk/a")


def test_an_exclude_that_removes_a_job_a_targeted_workflow_needs_stops_naming_both() -> None:
    flow = workflow("onboarding", "zendesk/a")
    with pytest.raises(UsageError) as caught:
        plan([ZA, ZB, flow], State("local"), [], exclude=["zendesk/a"])
    message = caught.value.message
    assert "zendesk/a" in message
    assert "workflow:onboarding" in message


def test_pruning_a_targeted_job_a_workflow_outside_the_target_runs_is_refused() -> None:
    flow = workflow("onboarding", "zendesk/a")
    state = (
        State("local")
        .with_entry("zendesk/a", Entry("ja", ZA.hash))
        .with_entry("workflow:onboarding", Entry("w1", flow.hash), kind=WORKFLOW)
    )
    live_flow = live_workflow("w1", flow, {"zendesk/a": "ja"})
    # Both files gone and pruned: the whole plan deletes both; a plan targeting only the job
    # would leave the workflow running a deleted job.
    whole = plan([], state, [live_job("ja", ZA)], [live_flow], prune=True)
    assert {c.key for c in whole.changes} == {"zendesk/a", "workflow:onboarding"}
    with pytest.raises(PlanError) as caught:
        plan([], state, [live_job("ja", ZA)], [live_flow], prune=True, target=["zendesk/a"])
    assert "workflow:onboarding" in caught.value.message
    assert "outside the target" in caught.value.message


def test_a_move_is_inside_when_either_key_is() -> None:
    renamed = job("zendesk/renamed", "A")
    state = State("local").with_entry("zendesk/a", Entry("ja", renamed.hash))
    lives: list[LiveObject] = [live_job("ja", renamed)]
    by_old = plan([renamed], state, lives, target=["zendesk/a"])
    by_new = plan([renamed], state, lives, target=["zendesk/renamed"])
    assert [c.action for c in by_old.changes] == [Action.MOVE]
    assert [c.action for c in by_new.changes] == [Action.MOVE]


def test_a_saved_partial_plan_keeps_its_targets(tmp_path: Path) -> None:
    result = plan([ZA, ZB, HC], State("local"), [], target=["zendesk/*"], exclude=["*/b"])
    write_plan(result, tmp_path / "plan.json")
    loaded = read_plan(tmp_path / "plan.json")
    assert loaded.targets == result.targets
    assert "Partial plan: 1 of 3 objects targeted: zendesk/a" in PLAN.render("text", loaded)
