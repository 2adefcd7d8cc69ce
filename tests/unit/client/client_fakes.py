"""Test doubles for the client: a fake sync-job API behind httpx.MockTransport with a script of
faults, and a fake clock whose sleep only records and advances time."""

from __future__ import annotations

import json
import threading
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import httpx

TOKEN = "test-token-5b1d"
BASE_URL = "https://api.example.test"


class FakeClock:
    """Monotonic and wall clock in one; ``sleep`` records the delay and advances time."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


Action = Callable[[httpx.Request], httpx.Response]


def status(code: int, headers: dict[str, str] | None = None, body: Any = None) -> Action:
    """A scripted answer: ``code`` with a ``{statusCode, error, message}`` body (or ``body``)."""

    def answer(request: httpx.Request) -> httpx.Response:
        payload = (
            body
            if body is not None
            else {
                "statusCode": code,
                "error": httpx.codes.get_reason_phrase(code),
                "message": f"scripted {code}",
            }
        )
        return httpx.Response(code, json=payload, headers=headers)

    return answer


def fail(exc_type: type[httpx.TransportError], message: str = "scripted failure") -> Action:
    def answer(request: httpx.Request) -> httpx.Response:
        raise exc_type(message, request=request)

    return answer


def after_commit(exc_type: type[httpx.TransportError]) -> tuple[str, type[httpx.TransportError]]:
    """Script entry: process the request normally, then lose the response with ``exc_type``."""
    return ("after-commit", exc_type)


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    body: bytes
    headers: dict[str, str]


@dataclass
class FakeApi:
    """An in-memory ``/sync-job`` with integer cursors, and a script of faults served first."""

    page_size: int = 10
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    script: deque[Action | tuple[str, type[httpx.TransportError]]] = field(default_factory=deque)
    seen: list[Seen] = field(default_factory=list)
    fail_every: int = 0  # every Nth request answers 503 (0 = never)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, count: int, integration: str = "zendesk") -> list[str]:
        ids = []
        for index in range(count):
            job = {
                "id": str(uuid.uuid4()),
                "integration_name": integration,
                "label": f"job {index}",
            }
            self.jobs[job["id"]] = job
            ids.append(job["id"])
        return ids

    @property
    def requests(self) -> int:
        return len(self.seen)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.seen.append(
                Seen(
                    request.method,
                    request.url.raw_path.decode("ascii").partition("?")[0],
                    dict(request.url.params),
                    request.read(),
                    dict(request.headers),
                )
            )
            action = self.script.popleft() if self.script else None
            if action is None and self.fail_every and len(self.seen) % self.fail_every == 0:
                action = status(503)
            if callable(action):
                return action(request)
            response = self._serve(request)
            if isinstance(action, tuple):  # the write happened; the answer is lost
                raise action[1]("connection lost after commit", request=request)
            return response

    def _serve(self, request: httpx.Request) -> httpx.Response:
        raw = request.url.raw_path.decode("ascii").partition("?")[0]
        parts = [unquote(part) for part in raw.strip("/").split("/")]
        if parts == ["sync-job"] and request.method == "GET":
            return self._list(request)
        if parts == ["sync-job"] and request.method == "POST":
            job = {"id": str(uuid.uuid4()), **json.loads(request.content)}
            self.jobs[job["id"]] = job
            return httpx.Response(201, json=job)
        if len(parts) == 2 and parts[0] == "sync-job":
            job_id = parts[1]
            if job_id not in self.jobs:
                return status(404)(request)
            if request.method == "GET":
                return httpx.Response(200, json=self.jobs[job_id])
            if request.method == "PATCH":
                self.jobs[job_id].update(json.loads(request.content))
                return httpx.Response(200, json=self.jobs[job_id])
            if request.method == "DELETE":
                del self.jobs[job_id]
                return httpx.Response(200, json={"id": job_id})
        return status(405)(request)

    def _list(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        wanted = [
            job
            for job in self.jobs.values()
            if params.get("integration_name") in (None, job["integration_name"])
        ]
        size = int(params.get("limit", self.page_size))
        start = int(params.get("next_cursor") or 0)
        chunk = wanted[start : start + size]
        more = start + size < len(wanted)
        return httpx.Response(
            200, json={"result": chunk, "next_cursor": str(start + size) if more else None}
        )
