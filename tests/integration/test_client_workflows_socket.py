"""``client.workflows`` against ``syncctl emulator serve`` over a real loopback socket: a 429 with
``Retry-After`` on ``/workflow`` is waited out, a cut create answer is an unknown outcome that is
never retried, and the token (held in a variable, as a user would) never shows anywhere."""

from __future__ import annotations

import logging
import os
import signal
import traceback
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from test_emulator_cli import Served, serve, stop

from syncctl.client import RateLimiter, RetryPolicy, SyncJobClient
from syncctl.errors import ApiError, NotFoundError, OutcomeUnknownError

CANARY = "canary-wf-socket-8d2a61c4-never-print"
TRIGGER = "custom:event"


class RecordingClock:
    """Monotonic and wall clock in one; ``sleep`` records and advances, never waits."""

    def __init__(self) -> None:
        self.now = 1_000_000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SYNCCTL_LOCAL_TOKEN"}
    env["PYTHONUNBUFFERED"] = "1"
    env["WF_TOKEN"] = CANARY
    return env


def _client(served: Served, clock: RecordingClock) -> SyncJobClient:
    return SyncJobClient(
        served.url,
        CANARY,
        retry=RetryPolicy(max_attempts=4, base_delay=0.0, jitter=False),
        rate_limiter=RateLimiter(None, clock=clock, sleep=clock.sleep),
        sleep=clock.sleep,
        clock=clock,
        wall_clock=clock,
    )


def _text(error: BaseException) -> str:
    return "\n".join(
        [str(error), repr(error), "".join(traceback.format_exception(error)), str(vars(error))]
    )


def _serve(tmp_path: Path, *faults: str) -> AbstractContextManager[Served]:
    """The emulator as a user starts it, with the token in ``$WF_TOKEN`` and ``faults``."""
    args = ("--token-env", "WF_TOKEN=local", "--trigger", TRIGGER, "--seed", "1", *faults)
    return serve(tmp_path, *args, env=_env())


def test_a_429_with_retry_after_on_workflow_is_waited_out(tmp_path: Path, caplog, capfd) -> None:
    caplog.set_level(logging.DEBUG, logger="syncctl.client")
    clock = RecordingClock()
    with _serve(tmp_path, "--burst-429", "next:2", "--retry-after", "3") as served:
        with _client(served, clock) as client:
            created = client.workflows.create({"trigger_name": TRIGGER, "config": {"steps": []}})
            assert client.request_count == 3  # two 429s, then the create
            listed = list(client.workflows.list(trigger_name=TRIGGER))
            with pytest.raises(NotFoundError) as caught:
                client.workflows.get(CANARY)
        code, out, err = stop(served, signal.SIGTERM)

    assert clock.sleeps == [3.0, 3.0]  # the server's Retry-After, for every thread
    assert [flow.id for flow in listed] == [created.id]
    assert created.trigger_name == TRIGGER
    assert created["environment_id"] == "local"
    assert code == 0, err
    assert "429 Too Many Requests; retry 1 of 3 in 3.000s" in caplog.text
    assert CANARY not in _text(caught.value)
    assert CANARY not in caplog.text + out + err
    captured = capfd.readouterr()
    assert CANARY not in captured.out + captured.err


def test_a_cut_create_answer_is_an_unknown_outcome_and_never_retried(
    tmp_path: Path, caplog, capfd
) -> None:
    caplog.set_level(logging.DEBUG, logger="syncctl.client")
    clock = RecordingClock()
    errors: list[ApiError] = []
    with _serve(tmp_path, "--drop-after-commit-rate", "1") as served:
        with _client(served, clock) as client:
            with pytest.raises(OutcomeUnknownError) as caught:
                client.workflows.create({"trigger_name": TRIGGER, "config": {"steps": []}})
            assert client.request_count == 1
            errors.append(caught.value)
            listed = list(client.workflows.list())  # reads are never cut
            with pytest.raises(NotFoundError) as unknown:
                client.workflows.create({"trigger_name": f"{CANARY}:x", "config": {}})
            errors.append(unknown.value)
        code, out, err = stop(served, signal.SIGTERM)

    error = caught.value
    assert str(error).startswith("POST /workflow: outcome unknown (RemoteProtocolError")
    assert error.hint == "look the workflow up (by trigger_name and config) before sending it again"
    assert [flow.trigger_name for flow in listed] == [TRIGGER]  # created once, not twice
    assert "[REDACTED]:x not found" in str(unknown.value)
    assert code == 0, err
    for failure in errors:
        assert CANARY not in _text(failure)
    assert CANARY not in caplog.text + out + err
    captured = capfd.readouterr()
    assert CANARY not in captured.out + captured.err
