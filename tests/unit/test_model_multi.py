"""Jobs in the reserved ``_multi/`` folder: their key, and the ``integration_name`` they send."""

from __future__ import annotations

import textwrap
from pathlib import Path

from syncctl.checks import load_jobs
from syncctl.config import default_config
from syncctl.model import JobSpec, folder_integration_name

V4 = """
default_runtime_version: 4
resources:
  - {name: wait, type: spool}
"""


def _spec(tmp_path: Path, rel: str, text: str) -> JobSpec:
    path = tmp_path / "jobs" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    (job,) = load_jobs([path], default_config(tmp_path))
    return JobSpec.from_job(job)


def test_a_multi_job_is_keyed_by_its_folder_and_sends_an_empty_integration_name(
    tmp_path: Path,
) -> None:
    spec = _spec(tmp_path, "_multi/tickets.yaml", V4)
    assert spec.key == "_multi/tickets"
    assert spec.effective_integration_name == ""
    assert spec.payload()["integration_name"] == ""
    assert spec.payload()["label"] == "_multi/tickets"


def test_an_explicit_empty_integration_name_is_sent_as_written(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "_multi/tickets.yaml", 'integration_name: ""\n' + V4)
    assert spec.payload()["integration_name"] == ""


def test_other_folders_send_their_own_name() -> None:
    assert (folder_integration_name("zendesk"), folder_integration_name("_multi")) == (
        "zendesk",
        "",
    )
