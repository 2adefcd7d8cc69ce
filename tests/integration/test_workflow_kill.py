"""``kill -9`` between the job creates and the first workflow create: ``syncctl apply --yes`` runs
as a subprocess against the emulator over a real socket and is killed while the server holds its
first ``POST /workflow``. That request is then either dropped unhandled, or carried out with its
answer going nowhere (the create committed, the client never knew). A rerun of apply must
converge either way: every job and workflow lives exactly once, the state maps each key with no
pending create left, and the next plan is empty.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import TOKEN, ServerInfo
from reconcile_helpers import (
    Gate,
    Observer,
    Project,
    job,
    live_workflows,
    make_project,
    run_job,
    step_job_ids,
    workflow,
    workflow_ids,
    workflow_section,
    write_workflow,
)

START_TIMEOUT = 30.0  # seconds for a subprocess to import syncctl and reach its first workflow
JOBS = {"zendesk/tickets": "Tickets", "zendesk/users": "Users", "hubspot/contacts": "Contacts"}
FLOWS = {
    "onboarding": ("zendesk/tickets", "zendesk/users"),  # sorted first: the one held
    "refresh": ("hubspot/contacts",),
}


def start_apply(project: Project, log_file: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "syncctl", "--config", str(project.config), "apply", "--yes"]
    with log_file.open("ab") as stderr:
        return subprocess.Popen(
            command,
            cwd=project.root,
            env=dict(os.environ),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )


@pytest.mark.parametrize("commit", [False, True], ids=["create-never-made", "answer-lost"])
def test_apply_killed_at_the_first_workflow_create_converges_on_rerun(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    emulator_server: ServerInfo,
    live: Observer,
    commit: bool,
) -> None:
    project = make_project(
        tmp_path / "project",
        monkeypatch,
        {"local": (emulator_server.base_url, TOKEN)},
        extra={"local": {"concurrency": 1}},  # one workflow at a time: the second is never sent
    )
    for key, label in JOBS.items():
        project.write_job(key, job(label, mutex_key=f"m-{key}"))
    for name, keys in FLOWS.items():
        write_workflow(project, name, workflow(*(run_job(k) for k in keys)))
    gate = Gate(emulator_server.emulator, "POST", "/workflow", commit=commit)
    stderr_log = tmp_path / "apply-stderr.log"

    process = start_apply(project, stderr_log)
    try:
        assert gate.arrived.wait(START_TIMEOUT), stderr_log.read_text()
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        gate.release.set()
    assert gate.done.wait(10)

    # Killed between the kinds: every job made and recorded, both workflow creates pending.
    assert set(project.ids()) == set(JOBS)
    assert len(live.jobs()) == len(JOBS)
    section = workflow_section(project)
    assert (section["entries"], set(section["pending"])) == (
        {},
        {f"workflow:{name}" for name in FLOWS},
    )
    assert len(live_workflows(live)) == (1 if commit else 0)

    result = project.apply()

    assert result["failed"] == 0
    done = {o["key"]: o["action"] for o in result["outcomes"]}
    assert done == {
        "workflow:onboarding": "adopt" if commit else "create",  # found by content, not re-sent
        "workflow:refresh": "create",
    }
    job_ids = project.ids()
    assert Counter((j["integration_name"], j["label"]) for j in live.jobs()) == {
        (key.split("/")[0], label): 1 for key, label in JOBS.items()
    }
    assert set(job_ids.values()) == set(live.by_id())
    flows = {flow["id"]: flow for flow in live_workflows(live)}
    ids = workflow_ids(project)
    assert set(ids) == {f"workflow:{name}" for name in FLOWS}
    assert set(ids.values()) == set(flows)  # no duplicate, none unrecorded
    for name, keys in FLOWS.items():
        assert step_job_ids(flows[ids[f"workflow:{name}"]]) == [job_ids[k] for k in keys]
    assert workflow_section(project)["pending"] == {}
    assert project.state()["pending"] == {}
    project.ok("plan", "--detailed-exitcode")
