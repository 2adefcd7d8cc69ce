"""A ``_multi/`` job as plan sees it: integration ``""``, so it adopts a live multi job."""

from __future__ import annotations

from pathlib import Path

from syncctl.client.models import LiveJob
from syncctl.config import default_config
from syncctl.reconcile.desired import load_desired
from syncctl.reconcile.plan import Action, make_plan
from syncctl.reconcile.state import State

MULTI = """\
integration_name: ""
label: Every helpdesk
default_runtime_version: 4
resources:
  - name: wait
    type: spool
"""


def test_a_multi_job_is_desired_with_an_empty_integration_and_adopts_its_live_twin(
    tmp_path: Path,
) -> None:
    path = tmp_path / "jobs" / "_multi" / "helpdesk.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(MULTI, encoding="utf-8")
    config = default_config(tmp_path)
    (job,) = load_desired(config, config.environment("local"))
    assert (job.key, job.integration, job.payload["integration_name"]) == (
        "_multi/helpdesk",
        "",
        "",
    )
    twin = LiveJob.model_validate({**job.payload, "id": "9"})
    plan = make_plan("local", [job], State("local"), [twin])
    (change,) = plan.changes
    assert (change.action, change.id, change.diff) == (Action.ADOPT, "9", ())
