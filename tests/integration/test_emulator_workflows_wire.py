"""``/workflow`` over a real loopback socket: CRUD, pages, triggers, environments, faults,
restarts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import OTHER_TOKEN, TOKENS, ServerInfo
from test_import_workflows import run_step

from syncctl.emulator.faults import DROP, FailRule, FaultSettings
from syncctl.emulator.handler import EmulatorSettings
from syncctl.emulator.server import running_server

ACTIVE = "integrated_account:active"


def client(base_url: str, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=10.0
    )


def every_page(http: httpx.Client, **params: Any) -> tuple[list[dict[str, Any]], int]:
    """All workflows, following next_cursor from an empty one; and the number of pages."""
    seen: list[dict[str, Any]] = []
    cursor, pages = "", 0
    while True:
        response = http.get("/workflow", params={**params, "next_cursor": cursor})
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert set(body) == {"result", "next_cursor"}
        pages += 1
        seen.extend(body["result"])
        if body["next_cursor"] is None:
            return seen, pages
        assert body["result"], "a cursor came with an empty page"
        cursor = body["next_cursor"]


def test_crud_and_pagination_over_the_wire(emulator_server: ServerInfo) -> None:
    with client(emulator_server.base_url, emulator_server.token) as http:
        job = http.post("/sync-job", json={"integration_name": "zendesk"}).json()
        flows = []
        for i in range(7):
            config = {"run_if": f"$n = {i}", "steps": [run_step(job["id"], "0 */6 * * *")]}
            created = http.post("/workflow", json={"trigger_name": ACTIVE, "config": config})
            assert created.status_code == 201
            assert created.headers["content-type"] == "application/json"
            flows.append(created.json())
        assert flows[0]["config"]["steps"][0]["config"] == {"sync_job_id": job["id"]}
        seen, pages = every_page(http, limit=3)
        assert (seen, pages) == (flows, 3)
        assert every_page(http, trigger_name=ACTIVE, environment_id="env-a")[0] == flows
        assert every_page(http, trigger_name="other")[0] == []
        flow_id = flows[0]["id"]
        assert http.get(f"/workflow/{flow_id}").json() == flows[0]
        patched = http.patch(f"/workflow/{flow_id}", json={"config": {"steps": []}})
        assert patched.status_code == 200
        assert patched.json()["config"] == {"steps": []}
        assert patched.json()["updated_at"] > flows[0]["updated_at"]
        assert http.delete(f"/workflow/{flow_id}").json() == {"id": flow_id}
        gone = http.get(f"/workflow/{flow_id}")
        assert gone.status_code == 404
        assert gone.json() == {
            "statusCode": 404,
            "error": "Not Found",
            "message": f"Workflow {flow_id} not found",
        }
        assert http.get("/sync-job").json()["result"] == [job]  # the kinds stay apart


def test_an_unknown_trigger_answers_404(emulator_server: ServerInfo) -> None:
    with client(emulator_server.base_url, emulator_server.token) as http:
        response = http.post("/workflow", json={"trigger_name": "account:gone", "config": {}})
        invalid = http.post("/workflow", json={"trigger_name": ACTIVE})
        listed = http.get("/workflow").json()
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "statusCode": 404,
        "error": "Not Found",
        "message": f"Trigger account:gone not found (known triggers: {ACTIVE})",
    }
    assert invalid.status_code == 400
    assert invalid.json()["message"] == "'config' is required"
    assert listed == {"result": [], "next_cursor": None}


def test_each_token_sees_only_its_environment(emulator_server: ServerInfo) -> None:
    url = emulator_server.base_url
    body = {"trigger_name": ACTIVE, "config": {"steps": []}}
    with client(url, emulator_server.token) as mine, client(url, OTHER_TOKEN) as theirs:
        flow = mine.post("/workflow", json=body).json()
        other = theirs.post("/workflow", json=body).json()
        assert (flow["environment_id"], other["environment_id"]) == ("env-a", "env-b")
        assert theirs.get(f"/workflow/{flow['id']}").status_code == 404
        assert theirs.patch(f"/workflow/{flow['id']}", json={"config": {}}).status_code == 404
        assert theirs.delete(f"/workflow/{flow['id']}").status_code == 404
        assert theirs.get("/workflow").json() == {"result": [other], "next_cursor": None}
        assert mine.get("/workflow", params={"environment_id": "env-b"}).json()["result"] == []
        assert mine.get("/workflow").json() == {"result": [flow], "next_cursor": None}
        unauthorised = mine.get("/workflow", headers={"Authorization": "Bearer wrong"})
        assert unauthorised.status_code == 401
        assert unauthorised.headers["content-type"] == "application/json"


def test_a_job_a_workflow_names_can_be_deleted(emulator_server: ServerInfo) -> None:
    with client(emulator_server.base_url, emulator_server.token) as http:
        job = http.post("/sync-job", json={"integration_name": "zendesk"}).json()
        config = {"steps": [run_step(job["id"])]}
        flow = http.post("/workflow", json={"trigger_name": ACTIVE, "config": config}).json()
        assert http.delete(f"/sync-job/{job['id']}").status_code == 200
        assert http.get(f"/sync-job/{job['id']}").status_code == 404
        assert http.get(f"/workflow/{flow['id']}").json() == flow


def test_a_workflow_create_whose_answer_is_cut_was_committed(emulator_server: ServerInfo) -> None:
    rule = FailRule("POST", "collection", status=DROP, kind="workflow")
    emulator_server.emulator.faults = FaultSettings(fail=(rule,))
    body = {"trigger_name": ACTIVE, "config": {"steps": []}}
    with client(emulator_server.base_url, emulator_server.token) as http:
        assert http.post("/sync-job", json={"integration_name": "z"}).status_code == 201
        with pytest.raises(httpx.RemoteProtocolError):
            http.post("/workflow", json=body)
        listed = http.get("/workflow").json()["result"]
        again = http.post("/workflow", json=body)
    assert [flow["trigger_name"] for flow in listed] == [ACTIVE]
    assert again.status_code == 201


def test_a_429_on_the_workflow_list_carries_retry_after(emulator_server: ServerInfo) -> None:
    rule = FailRule("GET", "collection", nth=1, count=1, status=429, retry_after=4, kind="workflow")
    emulator_server.emulator.faults = FaultSettings(fail=(rule,))
    with client(emulator_server.base_url, emulator_server.token) as http:
        assert http.get("/sync-job").status_code == 200
        limited = http.get("/workflow")
        assert http.get("/workflow").status_code == 200
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "4"
    assert limited.json() == {
        "statusCode": 429,
        "error": "Too Many Requests",
        "message": "Injected failure",
    }


def test_workflows_survive_a_restart(emulator_db: Path) -> None:
    settings = EmulatorSettings(tokens=TOKENS, known_triggers=[ACTIVE, "custom:event"])
    token = next(iter(TOKENS))
    with running_server(db_path=emulator_db, settings=settings) as url, client(url, token) as http:
        job = http.post("/sync-job", json={"integration_name": "z"}).json()
        config = {"steps": [run_step(job["id"])]}
        flow = http.post("/workflow", json={"trigger_name": "custom:event", "config": config})
        assert flow.status_code == 201
    with running_server(db_path=emulator_db, settings=settings) as url, client(url, token) as http:
        assert http.get(f"/workflow/{flow.json()['id']}").json() == flow.json()
        assert http.get("/workflow").json() == {"result": [flow.json()], "next_cursor": None}
        assert http.get("/sync-job").json() == {"result": [job], "next_cursor": None}
