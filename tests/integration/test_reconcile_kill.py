"""``kill -9`` mid-apply: ``syncctl apply --yes`` runs as a subprocess against the emulator over a
real socket (40 creates, 30 ms of latency each, concurrency 2), is killed with SIGKILL at a
random moment, possibly again on the rerun, and a final rerun must converge: every job exists
exactly once, the state maps every key (no pending create left), and the next plan is empty.

The kill moment is random per seed (0.05-0.5 s after the server committed the run's first write
on the first run, 0.05-0.6 s on the second); waiting for that write is the one condition wait.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import TOKEN, TOKENS, ServerInfo
from reconcile_helpers import Project, RequestLog, job, make_project, observer

from syncctl.emulator.faults import FaultSettings

JOBS = 40
START_TIMEOUT = 30.0  # seconds for a subprocess to import syncctl and send its first write


def key(n: int) -> str:
    return f"{('zendesk', 'hubspot', 'jira', 'salesforce')[n % 4]}/job-{n:02d}"


def command(project: Project) -> list[str]:
    return [sys.executable, "-m", "syncctl", "--config", str(project.config), "apply", "--yes"]


def start_apply(project: Project, log_file: Path) -> subprocess.Popen[bytes]:
    with log_file.open("ab") as stderr:
        return subprocess.Popen(
            command(project),
            cwd=project.root,
            env=dict(os.environ),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )


def kill_after(process: subprocess.Popen[bytes], log: RequestLog, delay: float) -> bool:
    """SIGKILL ``process`` ``delay`` seconds after its first committed write; False if it
    ended first."""
    deadline = time.monotonic() + START_TIMEOUT
    while not log.write_done.wait(0.05):
        assert process.poll() is None, "apply ended without writing anything"
        assert time.monotonic() < deadline, "apply sent no write in time"
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        code = process.wait(timeout=10)
        # Between the wait's timeout and the signal, apply may have ended on its own.
        assert code in (0, -signal.SIGKILL), f"apply exited {code}"
        return code == -signal.SIGKILL
    return False


@pytest.mark.parametrize("seed", [11, 22, 33])
def test_apply_killed_at_random_points_converges_on_rerun(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    emulator_server: ServerInfo,
    emulator_db: Path,
    seed: int,
) -> None:
    rng = random.Random(seed)
    project = make_project(
        tmp_path / "project",
        monkeypatch,
        {"local": (emulator_server.base_url, TOKEN)},
        extra={"local": {"concurrency": 2}},
    )
    labels = {key(n): f"Job {n:02d}" for n in range(JOBS)}
    for k, label in labels.items():
        project.write_job(k, job(label, mutex_key=f"m-{k}"))
    emulator_server.emulator.faults = FaultSettings(latency_ms=30)
    log = RequestLog(emulator_server.emulator)
    stderr_log = tmp_path / "apply-stderr.log"

    with observer(emulator_db, TOKENS, TOKEN) as live:
        killed: list[bool] = []
        made: list[int] = []
        for delay in (rng.uniform(0.05, 0.5), rng.uniform(0.05, 0.6)):
            log.write_done.clear()
            process = start_apply(project, stderr_log)
            try:
                killed.append(kill_after(process, log, delay))
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
            counts = live.labels()
            assert max(counts.values(), default=1) == 1, f"duplicates after a kill: {counts}"
            state = project.state()  # written atomically: always readable JSON
            assert set(state["jobs"]) <= set(labels)
            made.append(sum(counts.values()))
        # The first kill must land mid-apply, else the test proves nothing.
        assert killed[0], "the first kill came after apply had finished"
        assert 0 < made[0] < JOBS, made

        final = subprocess.run(
            command(project),
            cwd=project.root,
            env=dict(os.environ),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert final.returncode == 0, final.stderr.decode()
        emulator_server.emulator.faults = FaultSettings()

        counts = live.labels()
        assert counts == {(k.split("/")[0], label): 1 for k, label in labels.items()}
        state = project.state()
        assert state["pending"] == {}
        assert set(state["jobs"]) == set(labels)
        live_ids = {j["id"]: j["label"] for j in live.jobs()}
        assert {live_ids[e["id"]] for e in state["jobs"].values()} == set(labels.values())
    project.ok("plan", "--detailed-exitcode")
