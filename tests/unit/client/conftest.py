"""Fixtures for the client's unit tests: the fake API, the fake clock, a client factory."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from client_fakes import BASE_URL, TOKEN, FakeApi, FakeClock

from syncctl.client import RetryPolicy, SyncJobClient


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


MakeClient = Callable[..., SyncJobClient]


@pytest.fixture
def make_client(api: FakeApi, clock: FakeClock) -> Iterator[MakeClient]:
    """Build clients over the fake API; no real sleeping, deterministic jitter."""
    made: list[SyncJobClient] = []

    def build(**options: Any) -> SyncJobClient:
        options.setdefault("transport", httpx.MockTransport(api))
        options.setdefault("retry", RetryPolicy(max_attempts=4, base_delay=0.5, jitter=False))
        options.setdefault("sleep", clock.sleep)
        options.setdefault("clock", clock)
        options.setdefault("wall_clock", clock)
        options.setdefault("rng", random.Random(7))
        token = options.pop("token", TOKEN)
        client = SyncJobClient(options.pop("base_url", BASE_URL), token, **options)
        made.append(client)
        return client

    yield build
    for client in made:
        client.close()
