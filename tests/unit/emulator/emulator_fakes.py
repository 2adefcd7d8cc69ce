"""Helpers for the emulator unit tests: tokens, a manual clock, a tiny in-process client."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from syncctl.emulator.handler import Emulator, Response

TOKEN_A = "token-a"
TOKEN_B = "token-b"
TOKENS = {TOKEN_A: "env-a", TOKEN_B: "env-b"}


class Clock:
    """A clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Api:
    """Thin helper: call the handler like a client would."""

    def __init__(self, emulator: Emulator, token: str = TOKEN_A) -> None:
        self.emulator = emulator
        self.token = token

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        sent = {"Authorization": f"Bearer {token or self.token}", **(headers or {})}
        data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        return self.emulator.handle(method, path, sent, data)

    def create(self, **fields: Any) -> dict[str, Any]:
        response = self.call("POST", "/sync-job", {"integration_name": "zendesk", **fields})
        assert response.status == 201, response.body
        job = response.json()
        assert isinstance(job, dict)
        return job
