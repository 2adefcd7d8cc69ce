"""Each fault kind as a client sees it on a real socket."""

from __future__ import annotations

import time

import httpx
import pytest
from conftest import ServerInfo

from syncctl.emulator.faults import DROP, FailRule, FaultSettings


def client(info: ServerInfo) -> httpx.Client:
    return httpx.Client(
        base_url=info.base_url, headers={"Authorization": f"Bearer {info.token}"}, timeout=10.0
    )


def test_latency_is_felt_by_the_client(emulator_server: ServerInfo) -> None:
    with client(emulator_server) as http:
        http.get("/sync-job")  # connect first, so only the latency is timed
        emulator_server.emulator.faults = FaultSettings(latency_ms=150)
        started = time.perf_counter()
        assert http.get("/sync-job").status_code == 200
        assert time.perf_counter() - started >= 0.15


def test_server_errors_at_the_configured_rate(emulator_server: ServerInfo) -> None:
    emulator_server.emulator.faults = FaultSettings(error_rate=0.5, error_status=502, seed=1)
    with client(emulator_server) as http:
        responses = [http.get("/sync-job") for _ in range(60)]
    codes = [r.status_code for r in responses]
    assert set(codes) == {200, 502}
    assert 15 <= codes.count(502) <= 45
    failed = next(r for r in responses if r.status_code == 502)
    assert failed.headers["content-type"] == "application/json"
    assert failed.json()["error"] == "Bad Gateway"


def test_429_burst_with_retry_after(emulator_server: ServerInfo) -> None:
    emulator_server.emulator.faults = FaultSettings(burst_429_next=2, retry_after=5)
    with client(emulator_server) as http:
        responses = [http.get("/sync-job") for _ in range(3)]
    assert [r.status_code for r in responses] == [429, 429, 200]
    assert responses[0].headers["retry-after"] == "5"
    assert responses[0].json() == {
        "statusCode": 429,
        "error": "Too Many Requests",
        "message": "Too many requests (injected)",
    }


def test_token_bucket_rate_limit(emulator_server: ServerInfo) -> None:
    emulator_server.emulator.faults = FaultSettings(rate_limit=(10, 100.0))
    with client(emulator_server) as http:
        codes = [http.get("/sync-job").status_code for _ in range(12)]
        limited = http.get("/sync-job")
    assert codes[:10] == [200] * 10
    assert codes[10:] == [429, 429]
    assert int(limited.headers["retry-after"]) in range(1, 11)


def test_fail_the_nth_page_request(emulator_server: ServerInfo) -> None:
    with client(emulator_server) as http:
        for _ in range(3):
            http.post("/sync-job", json={"integration_name": "z"})
        emulator_server.emulator.faults = FaultSettings(
            fail=(FailRule("GET", "collection", nth=2, status=503),)
        )
        first = http.get("/sync-job", params={"limit": 1})
        second = http.get(
            "/sync-job", params={"limit": 1, "next_cursor": first.json()["next_cursor"]}
        )
        assert first.status_code == 200
        assert second.status_code == 503


@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE"])
def test_drop_after_commit_cuts_the_connection(emulator_server: ServerInfo, method: str) -> None:
    emulator = emulator_server.emulator
    with client(emulator_server) as http:
        job = http.post("/sync-job", json={"integration_name": "z", "label": "before"}).json()
        emulator.faults = FaultSettings(drop_after_commit_rate=1.0)
        request = {
            "POST": ("POST", "/sync-job", {"integration_name": "z", "label": "dropped"}),
            "PATCH": ("PATCH", f"/sync-job/{job['id']}", {"label": "dropped"}),
            "DELETE": ("DELETE", f"/sync-job/{job['id']}", None),
        }[method]
        with pytest.raises(httpx.RemoteProtocolError):
            http.request(request[0], request[1], json=request[2])
        emulator.faults = FaultSettings()
        labels = [j["label"] for j in http.get("/sync-job").json()["result"]]
    expected = {"POST": ["before", "dropped"], "PATCH": ["dropped"], "DELETE": []}[method]
    assert labels == expected  # the write was committed although the answer never came


def test_drop_rule_on_a_read(emulator_server: ServerInfo) -> None:
    emulator_server.emulator.faults = FaultSettings(
        fail=(FailRule("GET", "collection", nth=1, status=DROP),)
    )
    with client(emulator_server) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            http.get("/sync-job")
        assert http.get("/sync-job").status_code == 200  # a new connection works
