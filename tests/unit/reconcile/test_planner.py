"""Planning jobs and workflows together (design §9): pure functions, no I/O."""

from __future__ import annotations

from typing import Any

import pytest

from syncctl.client.models import LiveJob, LiveObject, LiveWorkflow
from syncctl.errors import PlanError
from syncctl.kinds import WORKFLOW
from syncctl.reconcile.normalise import normalise
from syncctl.reconcile.plan import Action, Adopt, Create, Delete, DesiredJob, Move, Noop, Plan
from syncctl.reconcile.planner import plan_environment
from syncctl.reconcile.state import Entry, State
from syncctl.references import resolved
from syncctl.render.plan import PLAN

TRIGGER = "integrated_account:active"
V3 = [{"resource": "ticketing/tickets", "method": "list"}]


def job(key: str) -> DesiredJob:
    integration = key.split("/")[0]
    label = key.split("/")[1].title()
    payload = normalise(
        {"integration_name": integration, "label": label, "default_runtime_version": 3}
        | {"resources": V3}
    )
    return DesiredJob(key, integration, label, payload)


def workflow(name: str, *steps: dict[str, Any]) -> DesiredJob:
    payload = normalise({"trigger_name": TRIGGER, "config": {"steps": list(steps)}}, WORKFLOW)
    return DesiredJob(f"workflow:{name}", "", TRIGGER, payload, kind=WORKFLOW)


def step(key: str, cron: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "run", "action": "run_sync_job", "config": {"sync_job": key}}
    if cron is not None:
        out["cron_expression"] = cron
    return out


def live_job(job_id: str, desired: DesiredJob) -> LiveJob:
    return LiveJob.model_validate({**desired.payload, "id": job_id})


def live_workflow(workflow_id: str, desired: DesiredJob, ids: dict[str, str]) -> LiveWorkflow:
    return LiveWorkflow.model_validate({**resolved(desired.payload, ids), "id": workflow_id})


def plan(
    desired: list[DesiredJob],
    state: State,
    jobs: list[LiveObject],
    workflows: list[LiveObject],
    *,
    prune: bool = False,
) -> Plan:
    live = {"sync_job": jobs, "workflow": workflows}
    return plan_environment("local", desired, state, live, prune=prune)


A, B = job("zendesk/a"), job("zendesk/b")
FLOW = workflow("onboarding", step("zendesk/a"), step("zendesk/b", "0 */6 * * *"))
IDS = {"zendesk/a": "ja", "zendesk/b": "jb"}


def applied_state() -> State:
    return (
        State("local")
        .with_entry("zendesk/a", Entry("ja", A.hash))
        .with_entry("zendesk/b", Entry("jb", B.hash))
        .with_entry("workflow:onboarding", Entry("w1", FLOW.hash), kind=WORKFLOW)
    )


def test_a_live_workflow_is_compared_in_keys_so_an_applied_one_is_a_noop() -> None:
    result = plan(
        [A, B, FLOW],
        applied_state(),
        [live_job("ja", A), live_job("jb", B)],
        [live_workflow("w1", FLOW, IDS)],
    )
    assert not result.has_changes
    assert [(c.kind, c.action) for c in result.changes][-1] == ("workflow", Action.NOOP)
    assert PLAN.render("text", result).endswith(
        "No changes. 2 job(s) and 1 workflow(s) in local match the files.\n"
    )


def test_a_workflow_naming_another_id_is_updated_to_the_file() -> None:
    other = live_workflow("w1", FLOW, {"zendesk/a": "ja", "zendesk/b": "elsewhere"})
    result = plan([A, B, FLOW], applied_state(), [live_job("ja", A), live_job("jb", B)], [other])
    (change,) = result.actionable
    assert (change.kind, change.action, change.id) == ("workflow", Action.UPDATE, "w1")
    assert change.send == {"config": FLOW.payload["config"]}  # keys: resolved at apply
    assert [(d.path, d.before, d.after) for d in change.diff] == [
        ("$.config.steps[1].config.sync_job_id", "elsewhere", None),
        ("$.config.steps[1].config.sync_job", None, "zendesk/b"),
    ]


def test_creates_come_jobs_first_and_every_change_carries_its_kind() -> None:
    result = plan([A, B, FLOW], State("local"), [], [])
    assert [(c.kind, c.key) for c in result.changes] == [
        ("sync_job", "zendesk/a"),
        ("sync_job", "zendesk/b"),
        ("workflow", "workflow:onboarding"),
    ]
    assert {c["kind"] for c in result.to_dict()["changes"]} == {"sync_job", "workflow"}
    text = PLAN.render("text", result)
    assert "  + create workflow:onboarding\n" in text
    assert "        1. run zendesk/a at once when the trigger fires\n" in text
    assert "        2. run zendesk/b at minute 0 past every sixth hour, UTC (0 */6 * * *)\n" in text


def test_a_workflow_naming_a_job_not_applied_here_stops_the_plan() -> None:
    with pytest.raises(PlanError, match=r"workflow:onboarding names job 'zendesk/b', which is not"):
        plan([A, FLOW], State("local"), [], [])


def test_lost_state_adopts_a_workflow_by_its_exact_content() -> None:
    jobs: list[LiveObject] = [live_job("ja", A), live_job("jb", B)]
    result = plan([A, B, FLOW], State("local"), jobs, [live_workflow("w1", FLOW, IDS)])
    assert [(type(c), c.kind, c.id) for c in result.changes] == [
        (Adopt, "sync_job", "ja"),
        (Adopt, "sync_job", "jb"),
        (Adopt, "workflow", "w1"),
    ]
    assert not result.changes[-1].diff


def test_a_workflow_that_differs_is_not_adopted_but_created() -> None:
    jobs: list[LiveObject] = [live_job("ja", A), live_job("jb", B)]
    other = workflow("x", step("zendesk/a"))
    result = plan([A, B, FLOW], State("local"), jobs, [live_workflow("w9", other, IDS)])
    assert isinstance(result.changes[0], Create)
    assert result.changes[0].kind == "workflow"
    assert [u.id for u in result.unmanaged] == ["w9"]
    assert "  · workflow on integrated_account:active (id w9)" in PLAN.render("text", result)


def test_an_ambiguous_workflow_adoption_names_every_id() -> None:
    jobs: list[LiveObject] = [live_job("ja", A), live_job("jb", B)]
    twins: list[LiveObject] = [live_workflow(i, FLOW, IDS) for i in ("w1", "w2")]
    with pytest.raises(
        PlanError, match="2 unmanaged live workflows have exactly its content: w1, w2"
    ):
        plan([A, B, FLOW], State("local"), jobs, twins)


def test_a_renamed_job_is_a_move_and_its_workflow_is_unchanged() -> None:
    renamed = DesiredJob("zendesk/b2", "zendesk", "B", B.payload)
    flow = workflow("onboarding", step("zendesk/a"), step("zendesk/b2", "0 */6 * * *"))
    state = applied_state().with_entry("workflow:onboarding", Entry("w1", flow.hash), kind=WORKFLOW)
    result = plan(
        [A, renamed, flow],
        state,
        [live_job("ja", A), live_job("jb", B)],
        [live_workflow("w1", FLOW, IDS)],  # live: still the id of the job that moved
    )
    assert [(type(c), c.key) for c in result.changes] == [
        (Move, "zendesk/b2"),
        (Noop, "zendesk/a"),
        (Noop, "workflow:onboarding"),
    ]


def test_pruning_a_job_an_unmanaged_workflow_runs_is_refused_with_both_names() -> None:
    state = applied_state().without("workflow:onboarding", kind=WORKFLOW)
    stranger = live_workflow("w7", workflow("x", step("zendesk/b")), IDS)
    with pytest.raises(PlanError) as caught:
        plan([A], state, [live_job("ja", A), live_job("jb", B)], [stranger], prune=True)
    message = str(caught.value)
    assert "refusing to delete job zendesk/b (id jb)" in message
    assert "unmanaged live workflow w7" in message


def test_pruning_a_kept_managed_workflows_job_is_refused_and_pruning_both_is_not() -> None:
    jobs: list[LiveObject] = [live_job("ja", A), live_job("jb", B)]
    flows: list[LiveObject] = [live_workflow("w1", FLOW, IDS)]
    protected = applied_state().with_entry(
        "workflow:onboarding", Entry("w1", FLOW.hash, protected=True), kind=WORKFLOW
    )
    with pytest.raises(PlanError, match="managed workflow workflow:onboarding"):
        plan([A], protected, jobs, flows, prune=True)

    result = plan([A], applied_state(), jobs, flows, prune=True)
    deletes = [(c.kind, c.key) for c in result.changes if isinstance(c, Delete)]
    assert deletes == [("sync_job", "zendesk/b"), ("workflow", "workflow:onboarding")]
    assert result.managed == 3


def test_without_prune_the_job_is_only_orphaned_and_nothing_is_refused() -> None:
    stranger = live_workflow("w7", workflow("x", step("zendesk/b")), IDS)
    state = applied_state().without("workflow:onboarding", kind=WORKFLOW)
    result = plan([A], state, [live_job("ja", A), live_job("jb", B)], [stranger])
    assert [o.key for o in result.orphaned] == ["zendesk/b"]
