"""A saved plan keeps each change's element-wise diff (what ``apply plan.json`` shows)."""

from __future__ import annotations

from pathlib import Path

from syncctl.client.models import LiveJob
from syncctl.reconcile.normalise import normalise
from syncctl.reconcile.plan import DesiredJob, make_plan
from syncctl.reconcile.saved import read_plan, write_plan
from syncctl.reconcile.state import Entry, State

NODE = {"name": "wait", "type": "spool"}


def test_op_and_element_survive_a_saved_plan(tmp_path: Path) -> None:
    payload = normalise(
        {
            "integration_name": "zendesk",
            "label": "t",
            "default_runtime_version": 4,
            "resources": [NODE, {"name": "more", "type": "spool", "depends_on": "wait"}],
        }
    )
    job = DesiredJob("zendesk/t", "zendesk", "t", payload)
    current = LiveJob.model_validate({**payload, "id": "1", "resources": [NODE]})
    plan = make_plan("local", [job], State("local", 1, {"zendesk/t": Entry("1", "h")}), [current])
    write_plan(plan, tmp_path / "plan.json")
    (change,) = read_plan(tmp_path / "plan.json").changes
    assert change.diff == plan.changes[0].diff
    assert [(d.op, d.element) for d in change.diff] == [("add", "resources[1] more")]
