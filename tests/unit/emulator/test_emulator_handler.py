"""The emulator's request handler, in process: every endpoint and every error path."""

from __future__ import annotations

import json

import pytest
from emulator_fakes import TOKEN_B, TOKENS, Api, Clock

from syncctl.emulator.handler import Emulator, EmulatorSettings
from syncctl.emulator.store import Store

ERROR_KEYS = {"statusCode", "error", "message"}


def assert_error(response, status: int, error: str) -> dict:
    assert response.status == status
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["statusCode"] == status
    assert body["error"] == error
    assert body["message"]
    return body


# -- create ----------------------------------------------------------------------------------


def test_create_assigns_server_fields_and_defaults(api: Api, clock: Clock) -> None:
    response = api.call("POST", "/sync-job", {"integration_name": "zendesk"})
    assert response.status == 201
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {
        "id": "job-0001",
        "environment_id": "env-a",
        "integration_name": "zendesk",
        "label": "Untitled",
        "default_runtime_version": 3,
        "args_schema": None,
        "args_validation": None,
        "mutex_key": None,
        "state_key": None,
        "resources": [],
        "created_at": "2026-01-02T03:04:05.678Z",
        "updated_at": "2026-01-02T03:04:05.678Z",
    }


def test_create_keeps_given_fields(api: Api) -> None:
    fields = {
        "integration_name": "hubspot",
        "label": "Contacts",
        "default_runtime_version": 1,
        "args_schema": {"type": "object", "properties": {}},
        "args_validation": "$exists(args.x)",
        "mutex_key": "{{args.a}}",
        "state_key": None,
        "resources": [{"resource": "crm/contacts", "method": "list"}],
    }
    job = api.create(**fields)
    assert {k: job[k] for k in fields} == fields
    assert api.call("GET", f"/sync-job/{job['id']}").json() == job


def test_default_runtime_version_is_a_setting(clock: Clock) -> None:
    emulator = Emulator(
        EmulatorSettings(tokens=TOKENS, default_runtime_version=2), Store(":memory:")
    )
    job = Api(emulator).create()
    assert job["default_runtime_version"] == 2


def test_create_status_is_a_setting() -> None:
    emulator = Emulator(EmulatorSettings(tokens=TOKENS, create_status=200), Store(":memory:"))
    response = Api(emulator).call("POST", "/sync-job", {"integration_name": "x"})
    assert response.status == 200


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({}, "'integration_name' is required"),
        ({"integration_name": 3}, "'integration_name' must be a string"),
        ({"integration_name": "z", "label": None}, "'label' must be a string"),
        ({"integration_name": "z", "default_runtime_version": 5}, "from 1 to 4"),
        ({"integration_name": "z", "default_runtime_version": 0}, "from 1 to 4"),
        ({"integration_name": "z", "default_runtime_version": "3"}, "from 1 to 4"),
        ({"integration_name": "z", "default_runtime_version": True}, "from 1 to 4"),
        ({"integration_name": "z", "resources": {}}, "'resources' must be an array"),
        ({"integration_name": "z", "args_schema": []}, "'args_schema' must be an object or null"),
        ({"integration_name": "z", "args_validation": 1}, "'args_validation' must be a string"),
        ({"integration_name": "z", "mutex_key": ["a"]}, "'mutex_key' must be a string or null"),
        ({"integration_name": "z", "state_key": {}}, "'state_key' must be a string or null"),
        ({"integration_name": "z", "id": "mine"}, "'id' is read-only"),
        ({"integration_name": "z", "created_at": "x"}, "'created_at' is read-only"),
        ({"integration_name": "z", "environment_id": "env-b"}, "'environment_id' is read-only"),
    ],
)
def test_create_rejects_invalid_fields(api: Api, body: dict, fragment: str) -> None:
    error = assert_error(api.call("POST", "/sync-job", body), 400, "Bad Request")
    assert fragment in error["message"]
    assert api.emulator.store.count() == 0


def test_create_accepts_own_environment_id(api: Api) -> None:
    job = api.create(environment_id="env-a")
    assert job["environment_id"] == "env-a"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"", "valid JSON"),
        (b"{not json", "valid JSON"),
        (b"\xff\xfe", "valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'"text"', "JSON object"),
        (b"null", "JSON object"),
    ],
)
def test_create_rejects_bodies_that_are_not_objects(api: Api, raw: bytes, fragment: str) -> None:
    error = assert_error(api.call("POST", "/sync-job", raw=raw), 400, "Bad Request")
    assert fragment in error["message"]


def test_body_size_is_capped() -> None:
    emulator = Emulator(EmulatorSettings(tokens=TOKENS, max_body_bytes=100), Store(":memory:"))
    body = {"integration_name": "z", "label": "x" * 200}
    assert_error(Api(emulator).call("POST", "/sync-job", body), 413, "Request Entity Too Large")


def test_unknown_fields_are_stored_by_default(api: Api) -> None:
    job = api.create(colour="blue", label="L")
    assert job["colour"] == "blue"
    assert list(job)[-3:] == ["colour", "created_at", "updated_at"]
    assert api.call("GET", f"/sync-job/{job['id']}").json()["colour"] == "blue"


def test_unknown_fields_rejected_in_strict_mode() -> None:
    settings = EmulatorSettings(tokens=TOKENS, unknown_fields="reject")
    api = Api(Emulator(settings, Store(":memory:")))
    error = assert_error(
        api.call("POST", "/sync-job", {"integration_name": "z", "colour": "blue"}),
        400,
        "Bad Request",
    )
    assert "'colour' is not an allowed field" in error["message"]


def test_unknown_fields_dropped_in_drop_mode() -> None:
    settings = EmulatorSettings(tokens=TOKENS, unknown_fields="drop")
    job = Api(Emulator(settings, Store(":memory:"))).create(colour="blue")
    assert "colour" not in job


def test_all_problems_are_reported_together(api: Api) -> None:
    body = {"integration_name": 1, "label": 2, "id": "x"}
    message = assert_error(api.call("POST", "/sync-job", body), 400, "Bad Request")["message"]
    assert "'integration_name'" in message
    assert "'label'" in message
    assert "'id' is read-only" in message


# -- get / patch / delete --------------------------------------------------------------------


def test_get_unknown_job_is_404(api: Api) -> None:
    error = assert_error(api.call("GET", "/sync-job/nope"), 404, "Not Found")
    assert "nope" in error["message"]


def test_other_environment_jobs_are_invisible(api: Api) -> None:
    job = api.create()
    for method in ("GET", "DELETE"):
        assert_error(api.call(method, f"/sync-job/{job['id']}", token=TOKEN_B), 404, "Not Found")
    patch = api.call("PATCH", f"/sync-job/{job['id']}", {"label": "x"}, token=TOKEN_B)
    assert_error(patch, 404, "Not Found")
    assert api.call("GET", "/sync-job", token=TOKEN_B).json() == {"result": [], "next_cursor": None}
    assert api.call("GET", f"/sync-job/{job['id']}").json() == job


def test_patch_merges_top_level_and_replaces_nested(api: Api, clock: Clock) -> None:
    job = api.create(
        label="Before",
        args_schema={"type": "object", "properties": {"a": {"type": "string"}}},
        resources=[{"resource": "a", "method": "list"}, {"resource": "b", "method": "list"}],
        mutex_key="m",
    )
    clock.advance(2)
    patch = {
        "args_schema": {"type": "object", "properties": {"b": {"type": "number"}}},
        "resources": [{"resource": "c", "method": "get"}],
        "mutex_key": None,
    }
    response = api.call("PATCH", f"/sync-job/{job['id']}", patch)
    assert response.status == 200
    updated = response.json()
    assert updated == {**job, **patch, "updated_at": "2026-01-02T03:04:07.678Z"}
    assert updated["label"] == "Before"
    assert updated["created_at"] == job["created_at"]
    assert api.call("GET", f"/sync-job/{job['id']}").json() == updated


def test_patch_always_moves_updated_at_forward(api: Api) -> None:
    job = api.create()
    first = api.call("PATCH", f"/sync-job/{job['id']}", {"label": "a"}).json()
    second = api.call("PATCH", f"/sync-job/{job['id']}", {"label": "b"}).json()
    assert job["updated_at"] < first["updated_at"] < second["updated_at"]
    assert first["updated_at"] == "2026-01-02T03:04:05.679Z"


def test_patch_accepts_unchanged_read_only_fields(api: Api) -> None:
    job = api.create()
    echoed = {**job, "label": "New"}  # a read-modify-write client sends the whole object back
    response = api.call("PATCH", f"/sync-job/{job['id']}", echoed)
    assert response.status == 200
    assert response.json()["label"] == "New"


@pytest.mark.parametrize("field", ["id", "environment_id", "created_at", "updated_at"])
def test_patch_refuses_changed_read_only_fields(api: Api, field: str) -> None:
    job = api.create()
    error = assert_error(
        api.call("PATCH", f"/sync-job/{job['id']}", {field: "changed", "label": "x"}),
        400,
        "Bad Request",
    )
    assert f"'{field}' is read-only" in error["message"]
    assert api.call("GET", f"/sync-job/{job['id']}").json() == job


def test_patch_ignores_read_only_fields_when_set_to_ignore(clock: Clock) -> None:
    settings = EmulatorSettings(tokens=TOKENS, read_only_fields="ignore")
    api = Api(Emulator(settings, Store(":memory:"), clock=clock))
    job = api.create()
    updated = api.call("PATCH", f"/sync-job/{job['id']}", {"id": "other", "label": "x"}).json()
    assert updated["id"] == job["id"]
    assert updated["label"] == "x"


@pytest.mark.parametrize(
    "raw", [b"", b"[]", b"nope", json.dumps({"label": None}).encode(), b'{"resources": 1}']
)
def test_patch_rejects_invalid_bodies(api: Api, raw: bytes) -> None:
    job = api.create()
    assert_error(api.call("PATCH", f"/sync-job/{job['id']}", raw=raw), 400, "Bad Request")
    assert api.call("GET", f"/sync-job/{job['id']}").json() == job


def test_patch_unknown_job_is_404(api: Api) -> None:
    assert_error(api.call("PATCH", "/sync-job/nope", {"label": "x"}), 404, "Not Found")


def test_delete_answers_id_then_404(api: Api) -> None:
    job = api.create()
    response = api.call("DELETE", f"/sync-job/{job['id']}")
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"id": job["id"]}
    assert_error(api.call("GET", f"/sync-job/{job['id']}"), 404, "Not Found")
    assert_error(api.call("DELETE", f"/sync-job/{job['id']}"), 404, "Not Found")


def test_ids_are_url_decoded(api: Api) -> None:
    job = api.create()
    encoded = job["id"].replace("-", "%2D")
    assert api.call("GET", f"/sync-job/{encoded}").json() == job


# -- auth, routing, methods ------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic dG9rZW4tYQ=="},
        {"Authorization": "token-a"},
        {"Authorization": "Bearer wrong"},
    ],
)
def test_bad_or_missing_token_is_401(emulator: Emulator, headers: dict[str, str]) -> None:
    for method, path in [("GET", "/sync-job"), ("POST", "/sync-job"), ("GET", "/sync-job/x")]:
        response = emulator.handle(method, path, headers, b"{}")
        body = assert_error(response, 401, "Unauthorized")
        assert "token-a" not in body["message"]
        assert "wrong" not in body["message"]


def test_auth_header_and_scheme_are_case_insensitive(emulator: Emulator) -> None:
    response = emulator.handle("GET", "/sync-job", {"authorization": "bearer token-a"}, b"")
    assert response.status == 200


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/sync-job", "GET, POST"),
        ("DELETE", "/sync-job", "GET, POST"),
        ("PATCH", "/sync-job", "GET, POST"),
        ("POST", "/sync-job/abc", "GET, PATCH, DELETE"),
        ("PUT", "/sync-job/abc", "GET, PATCH, DELETE"),
        ("HEAD", "/sync-job/abc", "GET, PATCH, DELETE"),
    ],
)
def test_wrong_method_is_405_with_allow(api: Api, method: str, path: str, allow: str) -> None:
    response = api.call(method, path, {})
    assert_error(response, 405, "Method Not Allowed")
    assert response.headers["Allow"] == allow


@pytest.mark.parametrize("path", ["/", "/sync-jobs", "/sync-job/a/b", "/other/sync-job"])
def test_unknown_routes_are_404(api: Api, path: str) -> None:
    assert_error(api.call("GET", path), 404, "Not Found")


@pytest.mark.parametrize("suffix", ["?", "/", "/?"])
def test_trailing_question_mark_and_slash_accepted(api: Api, suffix: str) -> None:
    job = api.create()
    assert api.call("GET", f"/sync-job{suffix}").json()["result"] == [job]
    assert api.call("GET", f"/sync-job/{job['id']}?").json() == job


def test_every_response_is_json(api: Api, emulator: Emulator) -> None:
    job = api.create()
    responses = [
        api.call("GET", "/sync-job"),
        api.call("GET", f"/sync-job/{job['id']}"),
        api.call("PATCH", f"/sync-job/{job['id']}", {"label": "x"}),
        api.call("DELETE", f"/sync-job/{job['id']}"),
        api.call("GET", "/sync-job/gone"),
        api.call("PUT", "/sync-job"),
        api.call("POST", "/sync-job", raw=b"x"),
        api.call("GET", "/nowhere"),
        api.call("GET", "/sync-job?limit=x"),
        emulator.handle("GET", "/sync-job", {}, b""),
    ]
    for response in responses:
        assert response.headers["Content-Type"] == "application/json"
        json.loads(response.body)
