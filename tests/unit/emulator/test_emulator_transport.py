"""The in-process front: httpx over ``EmbeddedTransport`` and ``open_embedded``."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from syncctl.emulator import LOCAL_TOKEN
from syncctl.emulator.faults import DROP, FailRule, FaultSettings
from syncctl.emulator.handler import Emulator, EmulatorSettings
from syncctl.emulator.store import Store
from syncctl.emulator.transport import EmbeddedTransport, open_embedded


def client(transport: httpx.BaseTransport, token: str = LOCAL_TOKEN) -> httpx.Client:
    return httpx.Client(
        transport=transport,
        base_url="http://emulator",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_crud_through_httpx(tmp_path: Path) -> None:
    with client(open_embedded(tmp_path / "db.sqlite3")) as http:
        created = http.post("/sync-job", json={"integration_name": "zendesk", "label": "T"})
        assert created.status_code == 201
        assert created.headers["content-type"] == "application/json"
        job = created.json()
        assert http.get(f"/sync-job/{job['id']}").json() == job
        patched = http.patch(f"/sync-job/{job['id']}", json={"label": "U"}).json()
        assert patched["label"] == "U"
        listed = http.get("/sync-job", params={"limit": 1, "next_cursor": ""}).json()
        assert listed == {"result": [patched], "next_cursor": None}
        assert http.delete(f"/sync-job/{job['id']}").json() == {"id": job["id"]}
        missing = http.get(f"/sync-job/{job['id']}")
        assert missing.status_code == 404
        assert missing.json()["error"] == "Not Found"


def test_open_embedded_creates_folder_and_persists(tmp_path: Path) -> None:
    path = tmp_path / ".syncctl" / "local.sqlite3"
    with client(open_embedded(path)) as http:
        job = http.post("/sync-job", json={"integration_name": "z"}).json()
    assert path.is_file()
    with client(open_embedded(path)) as http:
        assert http.get(f"/sync-job/{job['id']}").json() == job


def test_configured_token_replaces_local_token_same_environment(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with client(open_embedded(path)) as http:
        job = http.post("/sync-job", json={"integration_name": "z"}).json()
    with client(open_embedded(path, token="my-secret"), token="my-secret") as http:
        assert http.get(f"/sync-job/{job['id']}").json() == job  # same environment
        assert (
            http.get("/sync-job", headers={"Authorization": f"Bearer {LOCAL_TOKEN}"}).status_code
            == 401
        )


def test_settings_and_faults_pass_through(tmp_path: Path) -> None:
    settings = EmulatorSettings(default_runtime_version=2, tokens={"ignored": "x"})
    faults = FaultSettings(burst_429_next=1, retry_after=4)
    with client(open_embedded(tmp_path / "db", settings=settings, faults=faults)) as http:
        first = http.get("/sync-job")
        assert first.status_code == 429
        assert first.headers["retry-after"] == "4"
        job = http.post("/sync-job", json={"integration_name": "z"}).json()
        assert job["default_runtime_version"] == 2


def test_drop_after_commit_raises_remote_protocol_error() -> None:
    emulator = Emulator(store=Store(":memory:"))
    emulator.faults = FaultSettings(fail=(FailRule("POST", nth=1, status=DROP),))
    with client(EmbeddedTransport(emulator)) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            http.post("/sync-job", json={"integration_name": "z", "label": "lost?"})
        listed = http.get("/sync-job").json()["result"]
        assert [job["label"] for job in listed] == ["lost?"]  # the write happened
    emulator.close()


def test_transport_leaves_a_borrowed_emulator_open() -> None:
    emulator = Emulator(store=Store(":memory:"))
    with client(EmbeddedTransport(emulator)) as http:
        http.post("/sync-job", json={"integration_name": "z"})
    assert emulator.store.count() == 1  # still usable after the client closed
    emulator.close()


def test_open_embedded_takes_the_known_triggers(tmp_path: Path) -> None:
    body = {"trigger_name": "integrated_account:active", "config": {"steps": []}}
    custom = {"trigger_name": "sync_job_run:completed", "config": {"steps": []}}
    with client(open_embedded(tmp_path / "default.sqlite3")) as http:
        assert http.post("/workflow", json=body).status_code == 201
        assert http.post("/workflow", json=custom).status_code == 404
    triggers = ["sync_job_run:completed"]
    with client(open_embedded(tmp_path / "custom.sqlite3", known_triggers=triggers)) as http:
        created = http.post("/workflow", json=custom)
        assert created.status_code == 201
        assert http.get("/workflow").json() == {"result": [created.json()], "next_cursor": None}
        assert http.post("/workflow", json=body).status_code == 404
    with client(open_embedded(tmp_path / "custom.sqlite3")) as http:  # persisted
        assert http.get(f"/workflow/{created.json()['id']}").json() == created.json()
