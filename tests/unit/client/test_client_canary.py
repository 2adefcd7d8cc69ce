"""The token never leaks: not in errors, not in logs, not in reprs, not on stdout/stderr."""

from __future__ import annotations

import logging
import traceback

import httpx
import pytest
from client_fakes import FakeApi, fail, status

from syncctl.client import RateLimiter, RetryPolicy
from syncctl.errors import ApiError

CANARY = "canary-6f1c0e9a-do-not-leak"


def _echo(code: int, where: str) -> object:
    """A server that (badly) echoes the token in the part of its answer named ``where``."""
    body = {"statusCode": code, "error": "Bad Request", "message": "nope"}
    body[where] = f"token {CANARY} rejected"
    return status(code, body=body)


FAILURES = {
    "401 echoing the token": [_echo(401, "message")],
    "400 with the token in error": [_echo(400, "error")],
    "500 body with the token": [_echo(500, "message")] * 2,
    "429 body with the token": [_echo(429, "message")] * 2,
    "plain-text 502 with the token": [
        lambda r: httpx.Response(502, text=f"upstream said Bearer {CANARY}")
    ]
    * 2,
    "connect error mentioning the token": [fail(httpx.ConnectError, f"bad header {CANARY}")] * 2,
    "read timeout mentioning the token": [fail(httpx.ReadTimeout, f"timeout {CANARY}")] * 2,
}


OPERATIONS = {
    "list": lambda client: list(client.list()),
    "get": lambda client: client.get("a"),
    "create": lambda client: client.create({"integration_name": "zendesk"}),
    "update": lambda client: client.update("a", {"label": "x"}),
    "delete": lambda client: client.delete("a"),
}


def _all_text(error: BaseException) -> str:
    parts = [str(error), repr(error), *map(str, error.args)]
    if isinstance(error, ApiError):
        parts += [str(error.hint), str(error.api_message), str(error.error), str(error.url)]
    parts.append("".join(traceback.format_exception(error)))
    return "\n".join(parts)


@pytest.mark.parametrize("script", FAILURES.values(), ids=FAILURES.keys())
@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_canary_token_never_appears(
    api: FakeApi, make_client, caplog, capsys, script, operation
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    api.script.extend(script)
    client = make_client(
        token=CANARY,
        retry=RetryPolicy(max_attempts=2, jitter=False),
        rate_limiter=RateLimiter(None, sleep=lambda s: None),
    )

    with pytest.raises(ApiError) as caught:
        OPERATIONS[operation](client)

    assert api.seen[0].headers["authorization"] == f"Bearer {CANARY}"  # it was really sent
    assert CANARY not in _all_text(caught.value)
    assert caught.value.__cause__ is None
    assert CANARY not in caplog.text
    assert all(CANARY not in record.getMessage() for record in caplog.records)
    assert caplog.records, "retries and responses are logged"
    out, err = capsys.readouterr()
    assert CANARY not in out + err
    assert CANARY not in repr(client) + str(client) + repr(client.rate_limiter)


def test_redaction_is_visible_where_the_token_would_have_been(api: FakeApi, make_client) -> None:
    api.script.append(_echo(401, "message"))

    with pytest.raises(ApiError) as caught:
        make_client(token=CANARY).get("a")

    assert caught.value.api_message == "token [REDACTED] rejected"


def test_a_lost_post_response_is_reported_without_the_token(api: FakeApi, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    api.script.append(fail(httpx.RemoteProtocolError, f"peer closed; sent Bearer {CANARY}"))
    client = make_client(token=CANARY)

    with pytest.raises(ApiError) as caught:
        client.create({"integration_name": "zendesk", "label": CANARY[:6]})

    assert CANARY not in _all_text(caught.value) + caplog.text
    assert "[REDACTED]" in str(caught.value)  # the transport's own message named the token


def test_successful_traffic_logs_nothing_secret(api: FakeApi, make_client, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    api.add(5)
    client = make_client(token=CANARY)

    jobs = list(client.list(limit=2))
    client.update(jobs[0]["id"], {"label": "x"})

    assert any(record.name == "syncctl.client" for record in caplog.records)
    assert CANARY not in caplog.text
