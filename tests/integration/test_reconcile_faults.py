"""Apply under faults: the emulator over a real socket injects 5xx, 429 bursts, dropped answers
after commit, latency and failing list pages while ``syncctl apply`` runs through the CLI.

The claims: apply converges after a few reruns, with no duplicate job and no lost job; the jobs
that stay desired keep their ids (nothing is deleted and re-created); and a listing that fails
part-way aborts plan and apply (exit 1) before anything is deleted.

The CLI is run in process with ``connect`` wrapped to use ``FAST_RETRY``: the same retry rules
and budget, but sleeps of at most 20 ms (Retry-After included), so the matrix stays fast.
"""

from __future__ import annotations

import functools
from collections import Counter

import pytest
from conftest import ServerInfo
from reconcile_helpers import (
    FAST_RETRY,
    Observer,
    Project,
    RequestLog,
    expected_payload,
    job,
    mismatches,
)

from syncctl.connect import connect
from syncctl.emulator.faults import DROP, FailRule, FaultSettings

MAX_RUNS = 5
INTEGRATIONS = ("zendesk", "hubspot", "jira")


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's own retry policy, with sleeps capped at 20 ms (these tests must stay fast)."""
    monkeypatch.setattr(
        "syncctl.reconcile.session.connect", functools.partial(connect, retry=FAST_RETRY)
    )


def key(n: int) -> str:
    return f"{INTEGRATIONS[n % 3]}/job-{n:02d}"


def data(n: int, version: int = 1) -> dict[str, object]:
    """Job ``n``; a new ``version`` changes its query (an ordinary update, not a risky one)."""
    tickets = {"resource": "ticketing/tickets", "method": "list"}
    return job(
        f"Job {n:02d}", mutex_key=f"m{n}", resources=[{**tickets, "query": {"v": str(version)}}]
    )


def start(project: Project, count: int = 30) -> dict[str, str]:
    """``count`` jobs applied without faults (two list pages at the default page size)."""
    for n in range(count):
        project.write_job(key(n), data(n))
    project.apply()
    ids = project.ids()
    assert len(ids) == count
    return ids


def assert_converged(
    project: Project, live: Observer, files: dict[str, dict[str, object]], kept: dict[str, str]
) -> None:
    """Each file's job lives exactly once as written; nothing else lives; kept ids are kept."""
    jobs = live.by_id()
    labels = live.labels()
    duplicates = {label: n for label, n in labels.items() if n > 1}
    assert duplicates == {}
    assert len(jobs) == len(files)  # no stray job: no duplicate under another label, none extra
    ids = project.ids()
    assert set(ids) == set(files)
    assert project.state()["pending"] == {}
    for k, d in files.items():
        assert mismatches(expected_payload(k, d), jobs[ids[k]]) == [], k
    assert {k: ids[k] for k in kept} == kept  # updated in place, never deleted and re-created
    project.ok("plan", "--prune", "--detailed-exitcode")


FAULTS = {
    "500-rate": FaultSettings(error_rate=0.25, error_status=500, seed=1),
    "503-rate": FaultSettings(error_rate=0.25, error_status=503, seed=2),
    "429-every-3rd": FaultSettings(burst_429_every=3, retry_after=1),
    "429-burst": FaultSettings(burst_429_next=8, retry_after=1),
    "drop-post": FaultSettings(fail=(FailRule("POST", "collection", nth=1, count=4, status=DROP),)),
    "drop-patch": FaultSettings(fail=(FailRule("PATCH", "item", nth=1, count=4, status=DROP),)),
    "drop-delete": FaultSettings(fail=(FailRule("DELETE", "item", nth=1, count=4, status=DROP),)),
    "drop-rate": FaultSettings(drop_after_commit_rate=0.4, seed=3),
    "latency": FaultSettings(latency_ms=20),
    "page-2-fails-twice": FaultSettings(
        fail=(FailRule("GET", "collection", nth=2, count=2, status=502),)
    ),
    "mixed": FaultSettings(
        error_rate=0.1, drop_after_commit_rate=0.2, burst_429_every=7, latency_ms=2, seed=4
    ),
}


@pytest.mark.parametrize("faults", FAULTS.values(), ids=FAULTS.keys())
def test_apply_converges_under_faults_without_duplicates_or_losses(
    project: Project, live: Observer, emulator_server: ServerInfo, faults: FaultSettings
) -> None:
    ids = start(project)
    files = {key(n): data(n) for n in range(30)}
    for n in range(0, 8):  # 8 updates
        files[key(n)] = data(n, version=2)
    for n in range(24, 30):  # 6 deletes (20%: under the mass-delete ratio)
        del files[key(n)]
        project.remove_job(key(n))
    for n in range(30, 40):  # 10 creates
        files[key(n)] = data(n)
    for k, d in files.items():
        project.write_job(k, d)
    kept = {k: ids[k] for k in files if k in ids}

    log = RequestLog(emulator_server.emulator)
    emulator_server.emulator.faults = faults
    codes = []
    for _run in range(MAX_RUNS):
        result = project.cli("apply", "--yes", "--prune")
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
        if result.exit_code == 1:  # never a silent failure: a failed job or an abort is named
            assert "FAILED" in result.stdout or result.stderr.startswith("syncctl: error:")
        codes.append(result.exit_code)
        if result.exit_code == 0:
            break
    emulator_server.emulator.faults = FaultSettings()
    seen = Counter((*a[:3], a[3]) for a in log.faults())
    assert codes[-1] == 0, f"no convergence in {MAX_RUNS} runs: exit codes {codes}; {seen}"
    assert faults.latency_ms or log.faults(), "the faults never fired: the test proves nothing"
    assert_converged(project, live, files, kept)


@pytest.mark.parametrize(
    ("status", "nth"),
    [(500, 1), (500, 2), (429, 2), (404, 2)],
    ids=["500-first-page", "500-second-page", "429-second-page", "404-second-page"],
)
def test_a_failing_list_page_aborts_before_any_delete(
    project: Project, live: Observer, emulator_server: ServerInfo, nth: int, status: int
) -> None:
    ids = start(project)
    for n in range(5, 30):  # most files removed: a partial listing must not turn into deletes
        project.remove_job(key(n))
    project.write_job(key(0), data(0, version=2))
    project.write_job(key(40), data(40))
    before_live, before_state = live.by_id(), project.state()
    emulator_server.emulator.faults = FaultSettings(
        fail=(FailRule("GET", "collection", nth=nth, count=1000, status=status, retry_after=1),)
    )

    for command in (
        ("plan", "--prune"),
        ("apply", "--yes", "--prune", "--allow-mass-delete"),
    ):
        result = project.cli(*command)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("syncctl: error: GET /sync-job"), result.stderr
        assert "Traceback" not in result.output
    assert live.by_id() == before_live  # no delete, no update, no create
    assert project.state() == before_state

    emulator_server.emulator.faults = FaultSettings()  # the listing works again: now it prunes
    project.apply("--prune", "--allow-mass-delete")
    files = {key(n): data(n) for n in range(1, 5)} | {key(0): data(0, 2), key(40): data(40)}
    assert_converged(project, live, files, {key(n): ids[key(n)] for n in range(5)})
