"""The emulator over a real loopback socket: CRUD, pagination, persistence, concurrency."""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from conftest import OTHER_TOKEN, TOKENS, ServerInfo

from syncctl.emulator.handler import Emulator, EmulatorSettings
from syncctl.emulator.server import running_server
from syncctl.emulator.store import Store


def client(info: ServerInfo, token: str | None = None) -> httpx.Client:
    return httpx.Client(
        base_url=info.base_url,
        headers={"Authorization": f"Bearer {token or info.token}"},
        timeout=10.0,
    )


def raw_exchange(base_url: str, payload: bytes) -> bytes:
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(payload)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_base_url_is_loopback_with_a_real_port(emulator_server: ServerInfo) -> None:
    parts = urlsplit(emulator_server.base_url)
    assert parts.scheme == "http"
    assert parts.hostname == "127.0.0.1"
    assert parts.port is not None
    assert parts.port > 0


def test_crud_and_pagination_over_the_wire(emulator_server: ServerInfo) -> None:
    with client(emulator_server) as http:
        jobs = [
            http.post("/sync-job", json={"integration_name": "zendesk", "label": f"j{i}"}).json()
            for i in range(7)
        ]
        seen: list[dict] = []
        cursor = ""
        pages = 0
        while True:
            response = http.get("/sync-job", params={"limit": 3, "next_cursor": cursor})
            assert response.headers["content-type"] == "application/json"
            body = response.json()
            seen.extend(body["result"])
            pages += 1
            if body["next_cursor"] is None:
                break
            cursor = body["next_cursor"]
        assert pages == 3
        assert seen == jobs
        job_id = jobs[0]["id"]
        assert http.patch(f"/sync-job/{job_id}?", json={"label": "new"}).json()["label"] == "new"
        assert http.delete(f"/sync-job/{job_id}").json() == {"id": job_id}
        assert http.get(f"/sync-job/{job_id}").status_code == 404
    with client(emulator_server, OTHER_TOKEN) as http:
        assert http.get(f"/sync-job/{jobs[1]['id']}").status_code == 404


def test_errors_on_the_wire_are_json_with_allow(emulator_server: ServerInfo) -> None:
    with client(emulator_server) as http:
        put = http.put("/sync-job", json={})
        assert put.status_code == 405
        assert put.headers["allow"] == "GET, POST"
        assert put.json() == {
            "statusCode": 405,
            "error": "Method Not Allowed",
            "message": "Method PUT not allowed",
        }
        unauthorised = http.get("/sync-job", headers={"Authorization": "Bearer wrong"})
        assert unauthorised.status_code == 401
        assert unauthorised.headers["content-type"] == "application/json"
        odd = http.request("BREW", "/sync-job")
        assert odd.status_code == 501
        assert odd.headers["content-type"] == "application/json"
        assert odd.json()["statusCode"] == 501


def test_malformed_request_gets_a_json_400(emulator_server: ServerInfo) -> None:
    answer = raw_exchange(emulator_server.base_url, b"GET /sync-job HTTP/1.1 extra\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b"Content-Type: application/json" in head
    assert b'"statusCode":400' in body


def test_chunked_request_body_is_read(emulator_server: ServerInfo) -> None:
    def chunks():
        yield b'{"integration_name": '
        yield b'"chunked"}'

    with client(emulator_server) as http:
        response = http.post("/sync-job", content=chunks())
        assert response.status_code == 201
        assert response.json()["integration_name"] == "chunked"


def test_keep_alive_reuses_one_connection(emulator_server: ServerInfo) -> None:
    ports: set[int] = set()
    with client(emulator_server) as http:
        for _ in range(5):
            response = http.get("/sync-job", extensions={})
            stream = response.extensions["network_stream"]
            ports.add(stream.get_extra_info("client_addr")[1])
    assert len(ports) == 1


def test_state_survives_a_restart(emulator_db: Path) -> None:
    settings = EmulatorSettings(tokens=TOKENS)
    token = next(iter(TOKENS))
    headers = {"Authorization": f"Bearer {token}"}
    with running_server(db_path=emulator_db, settings=settings) as url:
        created = httpx.post(f"{url}/sync-job", json={"integration_name": "z"}, headers=headers)
        job = created.json()
        first_url = url
    with running_server(db_path=emulator_db, settings=settings) as url:
        assert httpx.get(f"{url}/sync-job/{job['id']}", headers=headers).json() == job
        listed = httpx.get(f"{url}/sync-job", headers=headers).json()
        assert listed == {"result": [job], "next_cursor": None}
    assert first_url.startswith("http://127.0.0.1:")


def test_concurrent_clients_create_unique_jobs(emulator_server: ServerInfo) -> None:
    threads_n, per_thread = 8, 25
    ids: list[str] = []
    lock = threading.Lock()
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads_n)

    def worker(n: int) -> None:
        try:
            with client(emulator_server) as http:
                barrier.wait()
                for i in range(per_thread):
                    response = http.post(
                        "/sync-job", json={"integration_name": "z", "label": f"{n}-{i}"}
                    )
                    assert response.status_code == 201
                    with lock:
                        ids.append(response.json()["id"])
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(ids) == threads_n * per_thread
    assert len(set(ids)) == len(ids)
    assert emulator_server.emulator.store.count("env-a") == threads_n * per_thread
    with client(emulator_server) as http:
        listed: list[dict] = []
        cursor = ""
        while True:
            body = http.get("/sync-job", params={"limit": 100, "next_cursor": cursor}).json()
            listed.extend(body["result"])
            if not body["next_cursor"]:
                break
            cursor = body["next_cursor"]
    assert sorted(job["id"] for job in listed) == sorted(ids)


def test_concurrent_patches_never_lose_the_job(emulator_server: ServerInfo) -> None:
    with client(emulator_server) as http:
        job = http.post("/sync-job", json={"integration_name": "z"}).json()

    def worker(n: int) -> None:
        with client(emulator_server) as http:
            for i in range(20):
                assert http.patch(f"/sync-job/{job['id']}", json={"label": f"{n}-{i}"}).is_success

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with client(emulator_server) as http:
        final = http.get(f"/sync-job/{job['id']}").json()
    assert final["label"].endswith("-19")
    assert final["updated_at"] > job["updated_at"]


def test_server_stops_with_idle_keep_alive_clients(tmp_path: Path) -> None:
    emulator = Emulator(store=Store(tmp_path / "db"))
    idle = httpx.Client(timeout=10.0)
    with running_server(emulator=emulator) as url:
        assert idle.get(f"{url}/sync-job").status_code == 401
    # the server stopped although the idle connection was still open; the client sees it closed
    try:
        idle.get(f"{url}/sync-job")
        raise AssertionError("the server still answers after stopping")
    except httpx.TransportError:
        pass
    finally:
        idle.close()
        emulator.close()


def test_oversized_and_invalid_bodies_are_refused_on_the_wire(emulator_server: ServerInfo) -> None:
    big = raw_exchange(  # announced size over 1 MiB: refused before reading the body
        emulator_server.base_url,
        b"POST /sync-job HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n",
    )
    assert big.startswith(b"HTTP/1.1 413")
    assert b'"error":"Request Entity Too Large"' in big
    answer = raw_exchange(
        emulator_server.base_url,
        b"POST /sync-job HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b'"message":"Invalid Content-Length"' in body
    assert emulator_server.emulator.store.count() == 0


def test_serves_on_ipv6_loopback_when_available() -> None:
    if not socket.has_ipv6:
        return  # the machine has no IPv6 stack: nothing to check
    try:
        probe = socket.socket(socket.AF_INET6)
        probe.bind(("::1", 0))
        probe.close()
    except OSError:
        return  # ::1 is not configured here
    emulator = Emulator(store=Store(":memory:"))
    with running_server(emulator=emulator, host="::1") as url:
        assert url.startswith("http://[::1]:")
        response = httpx.get(f"{url}/sync-job", headers={"Authorization": "Bearer local-dev-token"})
        assert response.json() == {"result": [], "next_cursor": None}
    emulator.close()
