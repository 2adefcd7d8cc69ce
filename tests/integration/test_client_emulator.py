"""The client against the real emulator, over a loopback socket and in process.

Every test here runs on both fronts (``socket``: ``running_server`` on a free port;
``embedded``: ``EmbeddedTransport``). The emulator's fault clock is the client's fake clock, so
a client "sleeping" for a Retry-After really refills the emulator's token bucket — no test waits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from syncctl.client import RateLimiter, RetryPolicy, SyncJobClient, Timeouts
from syncctl.emulator.faults import DROP, FailRule, FaultSettings
from syncctl.emulator.handler import Emulator, EmulatorSettings
from syncctl.emulator.server import running_server
from syncctl.emulator.store import Store
from syncctl.emulator.transport import EmbeddedTransport
from syncctl.errors import (
    NotFoundError,
    OutcomeUnknownError,
    ServerError,
    TransportError,
)

TOKEN = "client-it-token-a"
OTHER = "client-it-token-b"


class Clock:
    """A shared fake monotonic clock: ``sleep`` advances it and records the delay."""

    def __init__(self) -> None:
        self.now = 5_000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


@dataclass
class Front:
    kind: str
    emulator: Emulator
    clock: Clock
    base_url: str | None  # None: in process

    def client(self, token: str = TOKEN, **options: Any) -> SyncJobClient:
        options.setdefault("retry", RetryPolicy(max_attempts=4, base_delay=0.25, jitter=False))
        options.setdefault("sleep", self.clock.sleep)
        options.setdefault("clock", self.clock)
        if self.base_url is None:
            return SyncJobClient(
                "https://embedded.invalid",
                token,
                transport=EmbeddedTransport(self.emulator),
                **options,
            )
        return SyncJobClient(self.base_url, token, **options)


@pytest.fixture(params=["socket", "embedded"])
def front(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Front]:
    clock = Clock()
    emulator = Emulator(
        EmulatorSettings(tokens={TOKEN: "env-a", OTHER: "env-b"}, page_size_default=4),
        Store(tmp_path / "emulator.sqlite3"),
        monotonic=clock,
    )
    try:
        if request.param == "socket":
            with running_server(emulator=emulator) as base_url:
                yield Front("socket", emulator, clock, base_url)
        else:
            yield Front("embedded", emulator, clock, None)
    finally:
        emulator.close()


def _job(label: str, **extra: Any) -> dict[str, Any]:
    return {"integration_name": "zendesk", "label": label, "resources": [], **extra}


def test_crud_round_trip(front: Front) -> None:
    with front.client() as client:
        created = client.create(_job("first", args_schema={"type": "object", "properties": {}}))
        assert created["environment_id"] == "env-a"
        assert client.get(created["id"]) == created

        updated = client.update(created["id"], {"label": "renamed", "args_schema": None})
        assert updated["label"] == "renamed"
        assert updated["args_schema"] is None
        assert updated["resources"] == []  # untouched top-level fields stay
        assert [job["id"] for job in client.list()] == [created["id"]]

        assert client.delete(created["id"]) == {"id": created["id"]}
        with pytest.raises(NotFoundError, match=f"GET /sync-job/{created['id']}: 404"):
            client.get(created["id"])
        assert list(client.list()) == []
        assert client.request_count == 7


@pytest.mark.parametrize("limit", [None, 1, 3, 7, 10, 100])
def test_pagination_with_odd_page_sizes(front: Front, limit: int | None) -> None:
    with front.client() as client:
        ids = [client.create(_job(f"job {index}"))["id"] for index in range(10)]
        before = client.request_count

        assert [job["id"] for job in client.list(limit=limit)] == ids
        size = limit or 100  # the client's default page size
        assert client.request_count - before == -(-10 // size)


def test_filters_and_environments(front: Front) -> None:
    with front.client() as client, front.client(OTHER) as other:
        mine = client.create(_job("zendesk job"))
        client.create({**_job("hubspot job"), "integration_name": "hubspot"})
        theirs = other.create(_job("other env"))

        assert [j["label"] for j in client.list(integration_name="hubspot")] == ["hubspot job"]
        assert {j["id"] for j in other.list()} == {theirs["id"]}
        with pytest.raises(NotFoundError):
            other.get(mine["id"])


def test_a_5xx_rate_is_absorbed_by_retries(front: Front) -> None:
    with front.client(retry=RetryPolicy(max_attempts=8, base_delay=0.1, jitter=False)) as client:
        created = client.create(_job("steady"))
        front.emulator.faults = FaultSettings(error_rate=0.3, seed=11)

        results = [client.get(created["id"])["label"] for _ in range(40)]

        assert results == ["steady"] * 40
        retries = client.request_count - 1 - 40
        assert retries > 0
        assert len(front.clock.sleeps) == retries


def test_429_bursts_honour_retry_after(front: Front) -> None:
    with front.client() as client:
        created = client.create(_job("x"))
        front.emulator.faults = FaultSettings(burst_429_next=2, retry_after=3)

        assert client.get(created["id"])["id"] == created["id"]

        assert front.clock.sleeps == [3.0, 3.0]
        assert client.request_count == 4


def test_posts_refused_with_429_are_retried_and_created_once(front: Front) -> None:
    front.emulator.faults = FaultSettings(burst_429_next=3, retry_after=2)
    with front.client() as client:
        created = client.create(_job("only once"))

        assert [job["id"] for job in client.list()] == [created["id"]]
        assert front.clock.sleeps == [2.0, 2.0, 2.0]


def test_the_server_token_bucket_is_waited_out(front: Front) -> None:
    front.emulator.faults = FaultSettings(rate_limit=(5, 1.0))
    with front.client(retry=RetryPolicy(max_attempts=6, jitter=False)) as client:
        created = client.create(_job("x"))

        labels = [client.get(created["id"])["label"] for _ in range(14)]

        assert labels == ["x"] * 14
        refused = client.request_count - 15
        assert refused >= 2
        assert front.clock.sleeps
        assert all(delay >= 1.0 for delay in front.clock.sleeps)


def test_a_client_side_limit_keeps_under_the_server_bucket(front: Front) -> None:
    front.emulator.faults = FaultSettings(rate_limit=(5, 1.0))
    limiter = RateLimiter(4.5, burst=5, clock=front.clock, sleep=front.clock.sleep)
    with front.client(rate_limiter=limiter) as client:
        created = client.create(_job("x"))
        for _ in range(19):
            client.get(created["id"])

        assert client.request_count == 20  # not a single 429
        assert front.clock.now - 5_000.0 == pytest.approx(15 / 4.5)  # a burst of 5, then 4.5/s


def test_drop_after_commit_makes_a_post_outcome_unknown(front: Front) -> None:
    front.emulator.faults = FaultSettings(fail=(FailRule("POST", "collection", status=DROP),))
    with front.client() as client:
        with pytest.raises(OutcomeUnknownError) as caught:
            client.create(_job("maybe"))

        assert client.request_count == 1  # never retried blindly
        assert caught.value.method == "POST"
        # The job was created: the caller resolves the unknown outcome by looking it up.
        assert [job["label"] for job in client.list(integration_name="zendesk")] == ["maybe"]


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_drop_after_commit_is_retried_transparently_for_idempotent_methods(
    front: Front, method: str
) -> None:
    with front.client() as client:
        created = client.create(_job("x"))
        front.emulator.faults = FaultSettings(fail=(FailRule(method, "item", status=DROP),))
        before = client.request_count

        if method == "GET":
            assert client.get(created["id"])["label"] == "x"
        elif method == "PATCH":
            assert client.update(created["id"], {"label": "y"})["label"] == "y"
        else:
            assert client.delete(created["id"]) == {"id": created["id"]}

        assert client.request_count - before == 2
        remaining = [job["label"] for job in client.list()]
        assert remaining == ([] if method == "DELETE" else ["y" if method == "PATCH" else "x"])


def test_a_list_page_that_keeps_failing_aborts_the_listing(front: Front) -> None:
    with front.client() as client:
        for index in range(10):
            client.create(_job(f"job {index}"))
        front.emulator.faults = FaultSettings(
            fail=(FailRule("GET", "collection", nth=2, count=10, status=502),)
        )
        seen = []

        with pytest.raises(ServerError, match="502"):
            seen.extend(client.list(limit=3))

        assert len(seen) == 3  # the first page was delivered; the listing did not end quietly


def test_added_latency_is_observed(front: Front) -> None:
    front.emulator.faults = FaultSettings(latency_ms=40)
    with front.client() as client:
        started = time.monotonic()
        list(client.list())
        list(client.list())
        assert time.monotonic() - started >= 0.08


class GatedEmulator(Emulator):
    """An emulator whose added latency lasts until ``gate`` opens, and that counts each
    request it has finished handling on ``finished`` — so tests synchronise without sleeping."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.gate = threading.Event()
        self.finished = threading.Semaphore(0)
        super().__init__(*args, sleep=lambda _seconds: self.gate.wait(10.0), **kwargs)

    def handle(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().handle(*args, **kwargs)
        finally:
            self.finished.release()


def test_read_timeout_retries_a_get_but_never_a_post(tmp_path: Path) -> None:
    emulator = GatedEmulator(EmulatorSettings(tokens={TOKEN: "env-a"}), Store(tmp_path / "s.db"))
    emulator.faults = FaultSettings(latency_ms=1)  # held at the gate: longer than any timeout
    timeouts = Timeouts(connect=2.0, read=0.1)
    retry = RetryPolicy(max_attempts=2, base_delay=0.0, jitter=False)
    try:
        with running_server(emulator=emulator) as base_url:
            front = Front("socket", emulator, Clock(), base_url)
            with front.client(timeout=timeouts, retry=retry) as client:
                with pytest.raises(TransportError, match="after 2 attempts: ReadTimeout"):
                    client.get("any")
                assert client.request_count == 2

                with pytest.raises(OutcomeUnknownError, match="ReadTimeout"):
                    client.create(_job("slow"))
                assert client.request_count == 3

                emulator.gate.set()
                for _ in range(3):
                    assert emulator.finished.acquire(timeout=10.0)
                # The timed-out POST was applied after all: exactly what "unknown" means.
                assert [job["label"] for job in client.list()] == ["slow"]
    finally:
        emulator.close()


def test_connection_refused_is_retried_then_a_transport_error(tmp_path: Path) -> None:
    with running_server(db_path=tmp_path / "gone.sqlite3") as base_url:
        pass  # the port is free again: nothing listens there now
    clock = Clock()
    retry = RetryPolicy(max_attempts=3, base_delay=0.5, jitter=False)
    with SyncJobClient(base_url, TOKEN, retry=retry, sleep=clock.sleep, clock=clock) as client:
        with pytest.raises(TransportError, match="after 3 attempts: ConnectError"):
            client.create(_job("never sent"))
        assert clock.sleeps == [0.5, 1.0]
