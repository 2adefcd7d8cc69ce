"""Fault injection in process: each fault kind, its determinism, runtime changes."""

from __future__ import annotations

import pytest
from emulator_fakes import TOKEN_A, TOKEN_B, TOKENS, Api

from syncctl.emulator.faults import (
    DROP,
    FailRule,
    FaultSettings,
    FaultState,
    parse_burst,
    parse_rate_limit,
)
from syncctl.emulator.handler import Emulator, EmulatorSettings
from syncctl.emulator.store import Store
from syncctl.errors import UsageError


class Ticker:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make(faults: FaultSettings, **kwargs: object) -> Api:
    emulator = Emulator(EmulatorSettings(tokens=TOKENS), Store(":memory:"), faults=faults, **kwargs)  # type: ignore[arg-type]
    return Api(emulator)


def statuses(api: Api, count: int, path: str = "/sync-job") -> list[int]:
    return [api.call("GET", path).status for _ in range(count)]


def test_no_faults_by_default(api: Api) -> None:
    assert statuses(api, 50) == [200] * 50


def test_latency_is_added_per_request() -> None:
    slept: list[float] = []
    api = make(FaultSettings(latency_ms=250), sleep=slept.append)
    api.call("GET", "/sync-job")
    api.create()
    assert slept == [0.25, 0.25]


def test_error_rate_is_seeded_and_about_right() -> None:
    runs = [statuses(make(FaultSettings(error_rate=0.3, seed=7)), 400) for _ in range(2)]
    assert runs[0] == runs[1]  # same seed, same failures
    failures = runs[0].count(500)
    assert set(runs[0]) == {200, 500}
    assert 80 <= failures <= 160
    response = make(FaultSettings(error_rate=1.0, error_status=503)).call("GET", "/sync-job")
    assert response.status == 503
    assert response.json()["error"] == "Service Unavailable"


def test_error_rate_fails_writes_before_they_happen() -> None:
    api = make(FaultSettings(error_rate=1.0))
    assert api.call("POST", "/sync-job", {"integration_name": "z"}).status == 500
    assert api.emulator.store.count() == 0


def test_burst_every_nth_request() -> None:
    api = make(FaultSettings(burst_429_every=3, retry_after=7))
    responses = [api.call("GET", "/sync-job") for _ in range(9)]
    assert [r.status for r in responses] == [200, 200, 429] * 3
    assert responses[2].headers["Retry-After"] == "7"
    assert responses[2].json()["error"] == "Too Many Requests"
    assert "Retry-After" not in responses[0].headers


def test_burst_next_k_requests() -> None:
    api = make(FaultSettings(burst_429_next=2))
    assert statuses(api, 5) == [429, 429, 200, 200, 200]


def test_token_bucket_per_token_with_computed_retry_after() -> None:
    ticker = Ticker()
    api = make(FaultSettings(rate_limit=(5, 10.0)), monotonic=ticker)
    assert statuses(api, 5) == [200] * 5
    limited = api.call("GET", "/sync-job")
    assert limited.status == 429
    assert limited.headers["Retry-After"] == "2"  # one token refills in 10/5 = 2 s
    other = api.call("GET", "/sync-job", token=TOKEN_B)
    assert other.status == 200  # buckets are per token
    ticker.now += 1.0
    assert api.call("GET", "/sync-job").headers["Retry-After"] == "1"
    ticker.now += 1.0
    assert statuses(api, 2) == [200, 429]
    ticker.now += 100.0  # the bucket refills to its capacity, not beyond
    assert statuses(api, 6) == [200] * 5 + [429]


def test_truto_rate_limit_500_per_10_seconds() -> None:
    ticker = Ticker()
    api = make(FaultSettings(rate_limit=(500, 10.0)), monotonic=ticker)
    results = statuses(api, 501)
    assert results[:500] == [200] * 500
    assert results[500] == 429


def test_fail_the_nth_list_page() -> None:
    api = make(FaultSettings(fail=(FailRule("GET", "collection", nth=2, status=503),)))
    for _ in range(3):
        api.create()
    assert api.call("GET", "/sync-job/x").status == 404  # an item GET does not count
    assert statuses(api, 4) == [200, 503, 200, 200]


def test_fail_rule_count_and_retry_after() -> None:
    rule = FailRule("*", "*", nth=2, count=2, status=429, retry_after=3)
    api = make(FaultSettings(fail=(rule,)))
    responses = [api.call("GET", "/sync-job") for _ in range(5)]
    assert [r.status for r in responses] == [200, 429, 429, 200, 200]
    assert responses[1].headers["Retry-After"] == "3"


def test_drop_rule_commits_then_drops() -> None:
    api = make(FaultSettings(fail=(FailRule("POST", "collection", nth=1, status=DROP),)))
    dropped = api.call("POST", "/sync-job", {"integration_name": "z", "label": "lost"})
    assert dropped.drop is True
    assert dropped.status == 201  # what would have been sent
    assert api.emulator.store.count() == 1
    kept = api.call("POST", "/sync-job", {"integration_name": "z"})
    assert kept.drop is False


def test_drop_after_commit_rate_only_hits_writes() -> None:
    api = make(FaultSettings(drop_after_commit_rate=1.0))
    created = api.call("POST", "/sync-job", {"integration_name": "z"})
    assert created.drop
    job_id = created.json()["id"]
    assert not api.call("GET", f"/sync-job/{job_id}").drop
    assert not api.call("GET", "/sync-job").drop
    assert api.call("PATCH", f"/sync-job/{job_id}", {"label": "x"}).drop
    assert api.call("DELETE", f"/sync-job/{job_id}").drop
    assert api.emulator.store.count() == 0  # the delete happened


def test_faults_change_at_runtime_and_counters_restart(api: Api) -> None:
    assert statuses(api, 3) == [200] * 3
    api.emulator.faults = FaultSettings(burst_429_next=1)
    assert statuses(api, 2) == [429, 200]
    api.emulator.faults = FaultSettings(burst_429_next=1)
    assert statuses(api, 2) == [429, 200]
    api.emulator.faults = FaultSettings()
    assert statuses(api, 2) == [200, 200]
    assert api.emulator.faults == FaultSettings()


def test_faults_apply_only_after_authentication() -> None:
    api = make(FaultSettings(error_rate=1.0))
    assert api.call("GET", "/sync-job", token="nope").status == 401


@pytest.mark.parametrize(
    "kwargs",
    [
        {"error_rate": 1.5},
        {"drop_after_commit_rate": -0.1},
        {"latency_ms": -1},
        {"error_status": 404},
        {"burst_429_every": -1},
        {"rate_limit": (0, 10.0)},
        {"rate_limit": (5, 0.0)},
    ],
)
def test_invalid_fault_settings_are_usage_errors(kwargs: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        FaultSettings(**kwargs)  # type: ignore[arg-type]


def test_parse_helpers() -> None:
    assert parse_rate_limit("500/10") == (500, 10.0)
    assert parse_rate_limit("5") == (5, 1.0)
    assert parse_burst("every:3") == (3, 0)
    assert parse_burst("next:2") == (0, 2)
    for bad in ("x/1", "0/1", "5/0", "5/-1"):
        with pytest.raises(UsageError):
            parse_rate_limit(bad)
    for bad in ("every", "every:0", "later:1", "next:x"):
        with pytest.raises(UsageError):
            parse_burst(bad)


def test_fault_state_is_independent_per_token() -> None:
    ticker = Ticker()
    state = FaultState(FaultSettings(rate_limit=(1, 1.0)), ticker)
    assert state.decide("GET", "collection", TOKEN_A).status is None
    assert state.decide("GET", "collection", TOKEN_A).status == 429
    assert state.decide("GET", "collection", TOKEN_B).status is None
