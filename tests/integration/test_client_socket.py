"""The client over a real loopback socket: concurrency and the canary token."""

from __future__ import annotations

import logging
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from syncctl.client import RateLimiter, RetryPolicy, SyncJobClient
from syncctl.emulator.faults import DROP, FailRule, FaultSettings
from syncctl.emulator.handler import Emulator, EmulatorSettings
from syncctl.emulator.server import running_server
from syncctl.emulator.store import Store
from syncctl.errors import ApiError, NotFoundError, OutcomeUnknownError

CANARY = "canary-6f1c0e3d-never-print-me"


def _no_wait(_seconds: float) -> None:
    return None


def test_threads_sharing_one_client_and_several_clients_in_parallel(emulator_server) -> None:
    base_url, emulator, token = emulator_server
    emulator.faults = FaultSettings(error_rate=0.1, error_status=503, seed=3)
    retry = RetryPolicy(max_attempts=10, base_delay=0.0, jitter=False)
    shared = SyncJobClient(base_url, token, retry=retry, sleep=_no_wait)
    barrier = threading.Barrier(8)

    def work(worker: int) -> list[str]:
        barrier.wait()
        own = SyncJobClient(base_url, token, retry=retry, sleep=_no_wait)
        with own:
            ids = []
            for index in range(12):
                client = shared if index % 2 else own
                job = client.create({"integration_name": "zendesk", "label": f"w{worker}-{index}"})
                client.update(job["id"], {"mutex_key": f"m{worker}"})
                ids.append(job["id"])
            return ids

    with shared, ThreadPoolExecutor(8) as pool:
        created = [job_id for ids in pool.map(work, range(8)) for job_id in ids]
        emulator.faults = FaultSettings()
        listed = list(shared.list(limit=7))

    assert len(created) == len(set(created)) == 96
    assert sorted(job["id"] for job in listed) == sorted(created)
    assert all(job["mutex_key"].startswith("m") for job in listed)
    assert len({job["label"] for job in listed}) == 96


@pytest.fixture
def canary_server(tmp_path: Path):
    emulator = Emulator(EmulatorSettings(tokens={CANARY: "env-c"}), Store(tmp_path / "c.db"))
    try:
        with running_server(emulator=emulator) as base_url:
            yield base_url, emulator
    finally:
        emulator.close()


def _text(error: BaseException) -> str:
    return "\n".join(
        [str(error), repr(error), "".join(traceback.format_exception(error)), str(vars(error))]
    )


def test_the_canary_token_never_leaves_the_client(canary_server, caplog, capfd) -> None:
    caplog.set_level(logging.DEBUG)
    base_url, emulator = canary_server
    errors: list[BaseException] = []
    retry = RetryPolicy(max_attempts=3, base_delay=0.0, jitter=False)
    limiter = RateLimiter(None, sleep=_no_wait)

    with SyncJobClient(base_url, CANARY, retry=retry, rate_limiter=limiter, sleep=_no_wait) as c:
        job = c.create({"integration_name": "zendesk", "label": "canary"})
        c.update(job["id"], {"label": "still canary"})
        assert [j["id"] for j in c.list(limit=1)] == [job["id"]]

        faults = [
            FaultSettings(fail=(FailRule("POST", status=DROP),)),
            FaultSettings(fail=(FailRule("PATCH", status=DROP),)),
            FaultSettings(burst_429_next=5, retry_after=0),
            FaultSettings(error_rate=1.0),
            FaultSettings(),
        ]
        for setting in faults:
            emulator.faults = setting
            for call in (
                lambda: c.create({"integration_name": "zendesk"}),
                lambda: c.update(job["id"], {"label": "x"}),
                lambda: c.get("missing"),
                lambda: list(c.list()),
            ):
                try:
                    call()
                except ApiError as exc:
                    errors.append(exc)
        c.delete(job["id"])
        with pytest.raises(NotFoundError) as gone:
            c.get(job["id"])
        errors.append(gone.value)
        client_repr = repr(c)

    with SyncJobClient(base_url, CANARY + "-wrong", retry=retry, sleep=_no_wait) as wrong:
        with pytest.raises(ApiError, match="401") as unauthorised:
            wrong.get("x")
        errors.append(unauthorised.value)

    kinds = {type(error).__name__ for error in errors}
    assert {"OutcomeUnknownError", "RateLimitedError", "ServerError", "NotFoundError"} <= kinds
    assert {"AuthError"} <= kinds
    assert any(isinstance(error, OutcomeUnknownError) for error in errors)
    for error in errors:
        assert CANARY not in _text(error)
    assert CANARY not in client_repr
    assert caplog.records
    assert CANARY not in caplog.text
    out, err = capfd.readouterr()
    assert CANARY not in out + err
