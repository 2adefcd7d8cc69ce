"""Workflows end to end (design §9): ``syncctl plan`` / ``apply`` through the CLI against the
emulator over a real loopback socket.

Each test checks the real effect: the live workflows and jobs (read past the code under test by
an ``Observer``), the requests the emulator answered (``RequestLog``: ``workflows``/``workflow``
are the routes of ``/workflow``, ``collection``/``item`` those of ``/sync-job``) and the state
file's ``sync_job`` and ``workflow`` sections.
"""

from __future__ import annotations

from conftest import ServerInfo
from reconcile_helpers import (
    Observer,
    Project,
    RequestLog,
    actions,
    get_workflow,
    job,
    live_workflows,
    post_workflow,
    remove_workflow,
    run_job,
    step_job_ids,
    workflow,
    workflow_ids,
    workflow_section,
    write_workflow,
)

from syncctl.emulator.faults import DROP, FailRule, FaultSettings

TICKETS_KEY = "zendesk/tickets"
USERS_KEY = "zendesk/users"
FLOW_KEY = "workflow:onboarding"
RUN_IF = 'integrated_account.integration.name = "zendesk"'


def onboarding(*job_keys: str) -> dict[str, object]:
    """The onboarding workflow file: each job in ``job_keys`` run at once."""
    return workflow(*(run_job(k) for k in job_keys), run_if=RUN_IF)


def tickets_job(key: str) -> dict[str, object]:
    """A job with a label of its own (not its key's), so that renaming its file keeps its
    content: a ``move``, not a delete and a create."""
    return job(f"Job {key.rsplit('/', 1)[-1]}", mutex_key=f"m-{key}")


def start(project: Project, *, jobs: tuple[str, ...] = (TICKETS_KEY,)) -> None:
    """``jobs`` and the onboarding workflow naming the first of them, applied."""
    for key in jobs:
        project.write_job(key, tickets_job(key))
    write_workflow(project, "onboarding", onboarding(jobs[0]))
    project.apply()


def one_line_error(stderr: str) -> str:
    """The user's whole error output: one ``syncctl: error:`` line, no traceback."""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("syncctl: error: "), stderr
    return lines[0]


def test_a_job_and_its_workflow_are_created_in_one_apply(
    project: Project, live: Observer, emulator_server: ServerInfo
) -> None:
    project.write_job(TICKETS_KEY, job(mutex_key="m1"))
    write_workflow(project, "onboarding", onboarding(TICKETS_KEY))
    log = RequestLog(emulator_server.emulator)

    result = project.apply()

    assert result["failed"] == 0
    assert log.writes() == [("POST", "collection"), ("POST", "workflows")]  # the job first
    (job_id,) = [j["id"] for j in live.jobs()]
    (flow,) = live_workflows(live)
    assert get_workflow(live, flow["id"]) == flow
    assert step_job_ids(flow) == [job_id]  # the key resolved to the live job's id
    assert flow["config"]["run_if"] == RUN_IF
    assert flow["trigger_name"] == "integrated_account:active"
    raw = project.raw_state()
    assert raw["sync_job"]["entries"][TICKETS_KEY]["id"] == job_id
    assert raw["workflow"]["entries"][FLOW_KEY]["id"] == flow["id"]
    assert (raw["sync_job"]["pending"], raw["workflow"]["pending"]) == ({}, {})
    project.ok("plan", "--detailed-exitcode")


def test_a_renamed_job_file_is_a_move_and_its_workflow_needs_no_change(
    project: Project, live: Observer, emulator_server: ServerInfo
) -> None:
    start(project)
    (job_id,) = project.ids().values()
    (flow,) = live_workflows(live)
    before = workflow_section(project)["entries"][FLOW_KEY]
    renamed = "zendesk/tickets-v2"
    project.rename_job(TICKETS_KEY, renamed)
    write_workflow(project, "onboarding", onboarding(renamed))  # as SJ901 asks

    plan = project.plan()
    assert actions(plan) == [("move", renamed)]
    (move,) = [c for c in plan["changes"] if c["action"] == "move"]
    assert (move["kind"], move["from_key"], move["id"]) == ("sync_job", TICKETS_KEY, job_id)
    flows = [c for c in plan["changes"] if c["kind"] == "workflow"]
    assert [(c["action"], c["key"], c["id"]) for c in flows] == [("noop", FLOW_KEY, flow["id"])]
    log = RequestLog(emulator_server.emulator)
    project.apply()

    assert log.writes() == []
    assert project.ids() == {renamed: job_id}
    after = workflow_section(project)["entries"][FLOW_KEY]
    assert after["id"] == flow["id"]
    assert after["hash"] != before["hash"]  # the file changed: its entry records the new one
    assert live_workflows(live) == [flow]  # untouched, still naming the same job id
    project.ok("plan", "--detailed-exitcode")


def test_a_job_pruned_with_its_workflow_is_deleted_after_the_workflow(
    project: Project, live: Observer, emulator_server: ServerInfo
) -> None:
    start(project, jobs=(TICKETS_KEY, USERS_KEY, "zendesk/agents"))
    ids = project.ids()
    assert len(live_workflows(live)) == 1
    project.remove_job(TICKETS_KEY)
    remove_workflow(project, "onboarding")
    log = RequestLog(emulator_server.emulator)

    project.ok("apply", "--prune", "--yes")

    assert log.writes() == [("DELETE", "workflow"), ("DELETE", "item")]
    assert live_workflows(live) == []
    assert set(live.by_id()) == {ids[USERS_KEY], ids["zendesk/agents"]}
    assert workflow_section(project) == {"entries": {}, "pending": {}}
    assert set(project.ids()) == {USERS_KEY, "zendesk/agents"}
    project.ok("plan", "--prune", "--detailed-exitcode")


def test_pruning_a_job_an_unmanaged_workflow_runs_is_refused(
    project: Project, live: Observer, emulator_server: ServerInfo
) -> None:
    keys = (TICKETS_KEY, USERS_KEY, "zendesk/agents")
    for key in keys:
        project.write_job(key, job(mutex_key=f"m-{key}"))
    project.apply()
    ids = project.ids()
    stranger = post_workflow(
        live,
        {
            "trigger_name": "integrated_account:active",
            "config": {
                "steps": [
                    {
                        "type": "run",
                        "action": "run_sync_job",
                        "config": {"sync_job_id": ids[TICKETS_KEY]},
                    }
                ]
            },
        },
    )
    project.remove_job(TICKETS_KEY)
    state_before, jobs_before = project.raw_state(), live.by_id()
    log = RequestLog(emulator_server.emulator)

    for command in (("plan", "--prune"), ("apply", "--prune", "--yes")):
        result = project.cli(*command)
        assert result.exit_code == 1, result.output
        line = one_line_error(result.stderr)
        assert f"refusing to delete job {TICKETS_KEY} (id {ids[TICKETS_KEY]})" in line
        assert stranger["id"] in line

    assert log.writes() == []
    assert live.by_id() == jobs_before
    assert live_workflows(live) == [stranger]
    assert project.raw_state() == state_before


def test_lost_state_adopts_jobs_by_label_and_workflows_by_content(
    project: Project, live: Observer, emulator_server: ServerInfo
) -> None:
    start(project, jobs=(TICKETS_KEY, USERS_KEY))
    write_workflow(project, "users-only", onboarding(USERS_KEY))
    project.apply()
    job_ids, flow_ids = project.ids(), workflow_ids(project)
    assert set(flow_ids) == {FLOW_KEY, "workflow:users-only"}
    project.state_path().unlink()

    plan = project.plan()
    adopted = {(c["kind"], c["key"]): c["id"] for c in plan["changes"] if c["action"] == "adopt"}
    assert adopted == {("sync_job", k): v for k, v in job_ids.items()} | {
        ("workflow", k): v for k, v in flow_ids.items()
    }
    # Within an action, jobs come before workflows (the kinds' order), then by key.
    assert actions(plan) == [("adopt", k) for k in [*sorted(job_ids), *sorted(flow_ids)]]
    log = RequestLog(emulator_server.emulator)
    project.apply()

    assert log.writes() == []  # recorded, nothing created or changed
    assert (project.ids(), workflow_ids(project)) == (job_ids, flow_ids)
    assert len(live_workflows(live)) == 2
    project.ok("plan", "--detailed-exitcode")


def test_lost_state_with_two_identical_unmanaged_workflows_stops_naming_both(
    project: Project, live: Observer, emulator_server: ServerInfo
) -> None:
    start(project)
    (flow,) = live_workflows(live)
    twin = post_workflow(live, {"trigger_name": flow["trigger_name"], "config": flow["config"]})
    project.state_path().unlink()
    log = RequestLog(emulator_server.emulator)

    for command in (("plan",), ("apply", "--yes")):
        result = project.cli(*command)
        assert result.exit_code == 1, result.output
        line = one_line_error(result.stderr)
        assert FLOW_KEY in line
        assert flow["id"] in line
        assert twin["id"] in line

    assert log.writes() == []
    assert len(live_workflows(live)) == 2
    assert not project.state_path().exists() or workflow_ids(project) == {}


def test_a_workflow_create_whose_answer_is_cut_is_resolved_by_content(
    project: Project, live: Observer, emulator_server: ServerInfo
) -> None:
    project.write_job(TICKETS_KEY, job(mutex_key="m1"))
    write_workflow(project, "onboarding", onboarding(TICKETS_KEY))
    emulator_server.emulator.faults = FaultSettings(
        fail=(FailRule("POST", "collection", status=DROP, kind="workflow"),)
    )
    log = RequestLog(emulator_server.emulator)

    result = project.apply()

    assert result["failed"] == 0
    assert log.faults() == [("POST", "workflows", 201, True)]  # committed, answer cut once
    assert [w for w in log.writes() if w[1] == "workflows"] == [("POST", "workflows")]
    (flow,) = live_workflows(live)
    assert workflow_ids(project) == {FLOW_KEY: flow["id"]}
    assert workflow_section(project)["pending"] == {}
    assert step_job_ids(flow) == list(project.ids().values())
    emulator_server.emulator.faults = FaultSettings()
    project.ok("plan", "--detailed-exitcode")


def test_the_plan_names_the_kind_of_every_change_and_a_new_workflows_steps(
    project: Project,
) -> None:
    project.write_job(TICKETS_KEY, job(mutex_key="m1"))
    project.write_job(USERS_KEY, job(mutex_key="m2"))
    write_workflow(
        project,
        "onboarding",
        workflow(run_job(TICKETS_KEY), run_job(USERS_KEY, cron="0 */6 * * *"), run_if=RUN_IF),
    )

    plan = project.plan()
    kinds = {(c["action"], c["key"]): c["kind"] for c in plan["changes"]}
    assert kinds == {
        ("create", TICKETS_KEY): "sync_job",
        ("create", USERS_KEY): "sync_job",
        ("create", FLOW_KEY): "workflow",
    }
    text = project.ok("plan").stdout
    lines = text.splitlines()
    head = lines.index(f"  + create {FLOW_KEY}")
    steps = lines.index("      steps, once applied:", head)
    assert lines[steps + 1 : steps + 3] == [
        f"        1. run {TICKETS_KEY} at once when the trigger fires",
        f"        2. run {USERS_KEY} at minute 0 past every sixth hour, UTC (0 */6 * * *)",
    ]

    project.apply()
    plan = project.plan()
    noops = {(c["action"], c["key"]): c["kind"] for c in plan["changes"]}
    assert noops == {("noop", key): kind for (_action, key), kind in kinds.items()}
