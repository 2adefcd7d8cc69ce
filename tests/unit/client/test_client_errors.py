"""Every failed exchange becomes one syncctl error: right class, API fields, one-line message."""

from __future__ import annotations

import httpx
import pytest
from client_fakes import FakeApi, fail, status

from syncctl.client import SyncJobClient
from syncctl.errors import (
    ApiError,
    AuthError,
    BadRequestError,
    ConfigError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    SyncctlError,
    TransportError,
)


@pytest.mark.parametrize(
    ("code", "expected", "attempts"),
    [
        (400, BadRequestError, 1),
        (401, AuthError, 1),
        (403, AuthError, 1),
        (404, NotFoundError, 1),
        (405, BadRequestError, 1),
        (409, BadRequestError, 1),
        (422, BadRequestError, 1),
        (429, RateLimitedError, 4),
        (500, ServerError, 4),
        (501, ServerError, 1),
        (502, ServerError, 4),
        (503, ServerError, 4),
        (504, ServerError, 4),
    ],
)
def test_status_maps_to_error_with_api_fields(api: FakeApi, make_client, code, expected, attempts):
    api.script.extend([status(code)] * 4)
    client = make_client()

    with pytest.raises(expected) as caught:
        client.get("job-1")

    error = caught.value
    assert type(error) is expected
    assert error.status == code
    assert error.error == httpx.codes.get_reason_phrase(code)
    assert error.api_message == f"scripted {code}"
    assert error.method == "GET"
    assert error.url == "/sync-job/job-1"
    assert api.requests == attempts
    text = str(error)
    assert "\n" not in text
    assert text.startswith(f"GET /sync-job/job-1: {code} {error.error}: scripted {code}")


def test_auth_error_hint_names_the_token_variable(api: FakeApi, make_client) -> None:
    api.script.append(status(401))
    client = make_client(token_source="TRUTO_STAGING_TOKEN")

    with pytest.raises(AuthError) as caught:
        list(client.list())

    assert "$TRUTO_STAGING_TOKEN" in str(caught.value)
    assert caught.value.exit_code == 1


def test_error_body_that_is_not_json_still_gives_a_readable_message(make_client) -> None:
    html = b"<html>\n<body>Bad gateway</body>\n</html>"
    transport = httpx.MockTransport(lambda r: httpx.Response(418, content=html))
    client = make_client(transport=transport)

    with pytest.raises(BadRequestError) as caught:
        client.delete("x")

    assert caught.value.error is None
    assert str(caught.value) == (
        "DELETE /sync-job/x: 418 I'm a teapot: <html> <body>Bad gateway</body> </html>"
    )


def test_a_long_api_message_is_cut_to_one_short_line(api: FakeApi, make_client) -> None:
    api.script.append(status(400, body={"error": "Bad Request", "message": "x\n" * 1000}))
    client = make_client()

    with pytest.raises(BadRequestError) as caught:
        client.create({"integration_name": "zendesk"})

    assert len(str(caught.value)) < 400
    assert "\n" not in str(caught.value)


def test_ids_are_escaped_into_one_path_segment(api: FakeApi, make_client) -> None:
    client = make_client()

    with pytest.raises(NotFoundError):
        client.get("../admin?x=1")

    assert api.seen[0].path == "/sync-job/..%2Fadmin%3Fx%3D1"


def test_connect_failure_after_retries_is_a_transport_error(api: FakeApi, make_client) -> None:
    api.script.extend([fail(httpx.ConnectError, "[Errno 111] Connection refused")] * 4)
    client = make_client()

    with pytest.raises(TransportError) as caught:
        client.get("a")

    assert str(caught.value).startswith(
        "GET /sync-job/a: no response after 4 attempts: ConnectError: [Errno 111] Connection"
    )
    assert caught.value.status == 0
    assert api.requests == 4


@pytest.mark.parametrize("kind", [httpx.UnsupportedProtocol, httpx.LocalProtocolError])
def test_a_permanent_transport_failure_is_not_retried(api: FakeApi, make_client, kind) -> None:
    api.script.extend([fail(kind)] * 4)

    with pytest.raises(TransportError, match=f"after 1 attempt: {kind.__name__}"):
        make_client().get("a")

    assert api.requests == 1


@pytest.mark.parametrize(
    "call",
    [lambda c: c.get("a"), lambda c: c.update("a", {"label": "x"}), lambda c: c.delete("a")],
    ids=["get", "update", "delete"],
)
def test_a_2xx_body_that_is_not_json_is_a_server_error(make_client, call) -> None:
    client = make_client(transport=httpx.MockTransport(lambda r: httpx.Response(200, text="ok")))

    with pytest.raises(ServerError, match="unexpected response body"):
        call(client)


def test_a_2xx_body_that_is_not_an_object_is_a_server_error(make_client) -> None:
    client = make_client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=[1])))

    with pytest.raises(ServerError, match="expected an object"):
        client.get("a")


def test_delete_with_an_empty_2xx_body_returns_the_id(make_client) -> None:
    client = make_client(transport=httpx.MockTransport(lambda r: httpx.Response(204)))

    assert client.delete("abc") == {"id": "abc"}


@pytest.mark.parametrize(
    "url",
    ["http://api.truto.one", "http://10.0.0.5:8080", "ftp://127.0.0.1", "api.truto.one"],
)
def test_plain_http_is_refused_except_for_loopback(url) -> None:
    with pytest.raises(ConfigError):
        SyncJobClient(url, "t")


@pytest.mark.parametrize(
    "url", ["http://localhost:8080", "http://127.0.0.1:1", "http://127.3.2.1", "http://[::1]:9"]
)
def test_plain_http_to_loopback_is_allowed(url) -> None:
    with SyncJobClient(url, "t") as client:
        assert client.base_url == url


def test_every_error_is_a_syncctl_api_error(api: FakeApi, make_client) -> None:
    api.script.append(status(400))
    with pytest.raises(SyncctlError) as caught:
        make_client().get("a")
    assert isinstance(caught.value, ApiError)


def test_an_empty_id_or_token_is_a_programming_error(make_client) -> None:
    with pytest.raises(ValueError, match="non-empty"):
        make_client().get("")
    with pytest.raises(ValueError, match="token"):
        SyncJobClient("https://api.example.test", "")
