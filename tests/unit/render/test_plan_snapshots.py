"""Snapshots of every plan renderer: text without and with colour, markdown and JSON, for one plan
with every action, both kinds (a workflow create with its steps), validation warnings, a failing
guard and every kind of key change (added, removed, changed, a long value, a whole entry).

The fixtures under ``tests/fixtures/render/`` are the reviewed output; regenerate them with
``python tests/unit/render/test_plan_snapshots.py`` only when a change of output is intended, and
read the diff.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from syncctl.client.models import LiveJob, LiveObject, LiveWorkflow
from syncctl.findings import Finding, Severity
from syncctl.kinds import WORKFLOW
from syncctl.reconcile.guards import MassDelete, judge
from syncctl.reconcile.normalise import normalise
from syncctl.reconcile.plan import Action, DesiredJob, Plan
from syncctl.reconcile.planner import plan_environment
from syncctl.reconcile.state import Entry, State
from syncctl.render.plan import PLAN

FIXTURES = Path(__file__).parents[2] / "fixtures" / "render"
TRIGGER = "integrated_account:active"
LIST = {"resource": "ticketing/tickets", "method": "list", "query": {"since": "{{args.since}}"}}
RUN_IF = 'integrated_account.integration.name = "zendesk" and ' + "x" * 60


def job(key: str, *, protected: bool = False, **fields: Any) -> DesiredJob:
    integration, name = key.split("/")
    body = {"integration_name": integration, "label": name.title(), "default_runtime_version": 3}
    payload = normalise(body | {"resources": [LIST]} | fields)
    return DesiredJob(key, integration, payload["label"], payload, protected)


def live(job_id: str, desired: DesiredJob, **changes: Any) -> LiveJob:
    return LiveJob.model_validate({**desired.payload, "id": job_id, **changes})


def every_part() -> Plan:
    """The plan every snapshot renders."""
    new = job("zendesk/new", protected=True)
    changed = job(
        "zendesk/tickets",
        label="Tickets",
        args_validation="$exists(args.since) and " + "b" * 80,
        args_schema={"type": "object", "properties": {"since": {"type": "string"}}},
        resources=[
            {**LIST, "query": {"limit": 50}},
            {"resource": "ticketing/comments", "method": "list"},
        ],
    )
    guarded = job("zendesk/guarded", protected=True)
    adopted = job("hubspot/contacts")
    moved = job("zendesk/renamed")
    same = job("zendesk/same")
    flow_payload = normalise(
        {
            "trigger_name": TRIGGER,
            "config": {
                "run_if": RUN_IF,
                "steps": [
                    {
                        "type": "run",
                        "action": "run_sync_job",
                        "config": {"sync_job": "zendesk/new"},
                    },
                    {
                        "type": "run",
                        "action": "run_sync_job",
                        "cron_expression": "0 */6 * * *",
                        "config": {"sync_job": "zendesk/same"},
                    },
                ],
            },
        },
        WORKFLOW,
    )
    flow = DesiredJob("workflow:onboarding", "", TRIGGER, flow_payload, kind=WORKFLOW)
    state = State(
        "staging",
        4,
        {
            "zendesk/tickets": Entry("t1", "h"),
            "zendesk/guarded": Entry("g1", "h"),
            "zendesk/old-name": Entry("m1", "h"),
            "zendesk/same": Entry("s1", same.hash),
            "zendesk/retired": Entry("r1", "h"),
            "salesforce/elsewhere": Entry("e1", "h"),
        },
    )
    old_tickets = job(
        "zendesk/tickets",
        label="Old tickets",
        args_validation="$exists(args.since) and " + "a" * 80,
        args_schema={"type": "object"},
    )
    lives: list[LiveObject] = [
        live("t1", old_tickets),
        live("g1", guarded),
        live("m1", moved),
        live("s1", same),
        live("r1", job("zendesk/retired")),
        live("e1", job("salesforce/elsewhere")),
        live("a1", adopted),
        live("u1", job("pipedrive/deals")),
    ]
    stranger = {"trigger_name": TRIGGER, "config": {"steps": []}, "id": "w9"}
    warning = Finding(
        "jobs/zendesk/tickets.yaml",
        7,
        5,
        "SJ402",
        Severity.WARNING,
        "args.since is declared but never used",
        "$.args_schema.properties.since",
        "use it in a query, or remove it from args_schema",
    )
    plan = plan_environment(
        "staging",
        [new, changed, guarded, adopted, moved, same, flow],
        state,
        {"sync_job": lives, "workflow": [LiveWorkflow.model_validate(stranger)]},
        prune=True,
        warnings=[warning],
        elsewhere={"salesforce/elsewhere"},
    )
    return judge(plan, [MassDelete(0.25)])


RENDERINGS = {
    "plan.txt": ("text", False),
    "plan-color.txt": ("text", True),
    "plan.md": ("markdown", False),
    "plan.json": ("json", False),
}


@pytest.mark.parametrize("name", sorted(RENDERINGS))
def test_each_renderer_keeps_its_snapshot(name: str) -> None:
    fmt, color = RENDERINGS[name]
    expected = (FIXTURES / name).read_text(encoding="utf-8")
    assert PLAN.render(fmt, every_part(), color=color) == expected


def test_the_snapshot_plan_has_every_part() -> None:
    """What the snapshots are meant to show is really in the plan they pin."""
    plan = every_part()
    assert {c.action for c in plan.actionable} == set(Action) - {Action.NOOP}
    assert {c.kind for c in plan.actionable} == {"sync_job", "workflow"}
    assert {d.op for c in plan.changes for d in c.diff} == {"add", "remove", "change"}
    assert plan.warnings
    assert plan.refused
    assert any(c.protected_from is not None for c in plan.changes)


def test_colour_reaches_every_marked_line_and_nothing_else() -> None:
    plain = (FIXTURES / "plan.txt").read_text(encoding="utf-8").splitlines()
    colored = (FIXTURES / "plan-color.txt").read_text(encoding="utf-8").splitlines()
    escape = re.compile(r"\x1b\[[0-9;]*m")
    assert [escape.sub("", line) for line in colored] == plain
    colors = {"+": "\x1b[32m", "-": "\x1b[31m", "~": "\x1b[33m", "!": "\x1b[31m"}
    marked = 0
    for line, styled in zip(plain, colored, strict=True):
        mark = line.lstrip()[:2]
        if line.startswith("  ") and mark[:1] in colors and mark[1:] == " ":
            assert styled.startswith(colors[mark[0]]), line
            marked += 1
    assert marked >= 15


def test_the_markdown_diff_marks_every_change_line_in_the_first_column() -> None:
    markdown = (FIXTURES / "plan.md").read_text(encoding="utf-8")
    block = markdown.split("```diff\n", 1)[1].split("```", 1)[0].splitlines()
    first = {"+": "+", "-": "-", "~": "!"}
    for line in block:
        mark = line[1:].lstrip()[:2]
        if mark[:1] in first and mark[1:] == " ":
            assert line[0] == first[mark[0]], line
    # Every line of a long added value is marked too, so GitHub colours the whole block.
    assert "+     +       sync_job: zendesk/same" in block
    assert "-     -   $exists(args.since) and " + "a" * 80 in block
    assert "-         - query.since" in block


def test_json_carries_warnings_and_guards_as_validate_and_guards_shape_them() -> None:
    data = json.loads((FIXTURES / "plan.json").read_text(encoding="utf-8"))
    assert data["format_version"] == 1
    assert data["warnings"][0]["rule"] == "SJ402"
    assert set(data["warnings"][0]) == {
        "file",
        "line",
        "column",
        "rule",
        "severity",
        "message",
        "path",
        "hint",
    }
    assert data["guards"] == [
        {
            "name": "mass delete",
            "ok": False,
            "reason": "the plan deletes 2 of 6 managed jobs and workflows in staging (more than "
            "25%); pass --allow-mass-delete if intended",
        }
    ]


if __name__ == "__main__":  # regenerate the snapshots (only for an intended change of output)
    for file_name, (fmt, color) in RENDERINGS.items():
        text = PLAN.render(fmt, every_part(), color=color)
        (FIXTURES / file_name).write_text(text, encoding="utf-8")
        print(f"wrote {FIXTURES / file_name}")
