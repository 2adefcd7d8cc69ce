"""The plan's graphs: created jobs and jobs whose node/edge set changes are drawn in markdown."""

from __future__ import annotations

import json
from typing import Any

from syncctl.client.models import LiveJob
from syncctl.reconcile.normalise import normalise
from syncctl.reconcile.plan import Action, DesiredJob, make_plan
from syncctl.reconcile.state import Entry, State
from syncctl.render.plan_markdown import render

READ = {"name": "read", "type": "get_state", "config": {"key": "since"}}
LIST = {
    "name": "list",
    "type": "request",
    "depends_on": "read",
    "resource": "ticketing/tickets",
    "method": "list",
    "integrated_account_id": "{{args.integrated_account_id}}",
}
SEND = {
    "name": "send",
    "type": "destination",
    "destination_type": "webhook",
    "resources_to_persist": ["list"],
    "config": {"id": "{{args.webhook_id}}"},
}


def desired(key: str, *nodes: dict[str, Any]) -> DesiredJob:
    payload = normalise(
        {
            "integration_name": key.split("/")[0],
            "label": key,
            "default_runtime_version": 4,
            "resources": list(nodes),
        }
    )
    return DesiredJob(key, key.split("/")[0], key, payload)


def live(job_id: str, job: DesiredJob, *nodes: dict[str, Any]) -> LiveJob:
    return LiveJob.model_validate({**job.payload, "id": job_id, "resources": list(nodes)})


def state(**ids: str) -> State:
    return State("local", 1, {k.replace("__", "/"): Entry(v, "h") for k, v in ids.items()})


def test_a_created_job_carries_its_graph_and_markdown_folds_a_mermaid_chart() -> None:
    plan = make_plan("local", [desired("zendesk/new", READ, LIST, SEND)], State("local"), [])
    (change,) = plan.changes
    assert change.graph is not None
    assert change.to_dict()["graph"]["edges"] == [
        {"from": 0, "to": 1, "kind": "depends_on"},
        {"from": 1, "to": 2, "kind": "persists"},
    ]
    text = render(plan)
    chart = (
        "<details><summary>graph of <code>zendesk/new</code></summary>\n\n```mermaid\n"
        "flowchart TD\n"
        '  n0["read (get_state)"]\n'
        '  n1["list (request)"]\n'
        '  n2["send (destination)"]\n'
        "  n0 --> n1\n"
        "  n1 -. persists .-> n2\n"
        "```\n\n</details>\n"
    )
    assert chart in text


def test_a_new_node_redraws_the_graph_of_an_update() -> None:
    job = desired("zendesk/t", READ, LIST, SEND)
    plan = make_plan("local", [job], state(zendesk__t="1"), [live("1", job, READ, LIST)])
    (change,) = plan.changes
    assert change.action is Action.UPDATE
    assert change.graph is not None
    assert "changed graph of <code>zendesk/t</code>" in render(plan)


def test_a_relinked_node_redraws_the_graph() -> None:
    job = desired("zendesk/t", READ, {**LIST, "depends_on": None})
    plan = make_plan("local", [job], state(zendesk__t="1"), [live("1", job, READ, LIST)])
    assert plan.changes[0].graph is not None


def test_a_field_edit_that_keeps_the_graph_draws_nothing() -> None:
    job = desired("zendesk/t", READ, {**LIST, "method": "get"})
    reordered = live("1", job, LIST, READ)
    for current in (live("1", job, READ, LIST), reordered):
        plan = make_plan("local", [job], state(zendesk__t="1"), [current])
        (change,) = plan.changes
        assert (change.action, change.graph) == (Action.UPDATE, None)
        assert "mermaid" not in render(plan)
        assert json.loads(json.dumps(change.to_dict()))["graph"] is None


def test_markdown_diff_lines_carry_their_symbol_in_the_first_column() -> None:
    job = desired("zendesk/t", READ, {**LIST, "method": "get"}, SEND)
    plan = make_plan("local", [job], state(zendesk__t="1"), [live("1", job, READ, LIST)])
    lines = render(plan).splitlines()
    start = lines.index("```diff") + 1
    block = lines[start : lines.index("```", start)]
    assert block[:4] == [
        "! ~ update zendesk/t (id 1)",
        "!     ~ resources[1] list",
        "!         ~ method: list -> get",
        "+     + resources[2] send:",
    ]
    assert all(line[:1] == "+" for line in block[4:]), "a whole added node is marked"
