"""``/workflow`` in process: every endpoint and error path, triggers, kinds kept apart, faults."""

from __future__ import annotations

import json
from typing import Any

import pytest
from emulator_fakes import TOKEN_A, TOKEN_B, TOKENS, Api, Clock

from syncctl.emulator.faults import DROP, FailRule, FaultSettings
from syncctl.emulator.handler import DEFAULT_TRIGGERS, Emulator, EmulatorSettings, Response
from syncctl.emulator.store import Store

ACTIVE = "integrated_account:active"
CONFIG = {"steps": [{"type": "run", "action": "run_sync_job", "config": {"sync_job_id": "j"}}]}


def assert_error(response: Response, status: int, error: str) -> str:
    assert response.status == status
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"statusCode", "error", "message"}
    assert (body["statusCode"], body["error"]) == (status, error)
    message = body["message"]
    assert isinstance(message, str)
    assert "\n" not in message
    return message


def create_flow(api: Api, token: str | None = None, **fields: Any) -> dict[str, Any]:
    body = {"trigger_name": ACTIVE, "config": CONFIG, **fields}
    response = api.call("POST", "/workflow", body, token=token)
    assert response.status == 201, response.body
    flow = response.json()
    assert isinstance(flow, dict)
    return flow


def listed(api: Api, query: str = "", token: str | None = None) -> dict[str, Any]:
    response = api.call("GET", "/workflow" + (f"?{query}" if query else ""), token=token)
    assert response.status == 200, response.body
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert isinstance(body, dict)
    return body


def with_settings(**settings: Any) -> Api:
    emulator = Emulator(EmulatorSettings(tokens=TOKENS, **settings), Store(":memory:"))
    return Api(emulator)


# -- create ----------------------------------------------------------------------------------


def test_create_answers_the_row_in_table_order(api: Api) -> None:
    response = api.call("POST", "/workflow", {"config": CONFIG, "trigger_name": ACTIVE})
    assert response.status == 201
    assert response.headers["Content-Type"] == "application/json"
    flow = response.json()
    assert flow == {
        "id": "job-0001",
        "environment_id": "env-a",
        "trigger_name": ACTIVE,
        "config": CONFIG,
        "created_at": "2026-01-02T03:04:05.678Z",
        "updated_at": "2026-01-02T03:04:05.678Z",
    }
    order = ["id", "environment_id", "trigger_name", "config", "created_at", "updated_at"]
    assert list(flow) == order
    assert api.call("GET", f"/workflow/{flow['id']}").json() == flow


@pytest.mark.parametrize(
    ("body", "fragments"),
    [
        ({}, ["'trigger_name' is required", "'config' is required"]),
        ({"trigger_name": ACTIVE}, ["'config' is required"]),
        ({"config": CONFIG}, ["'trigger_name' is required"]),
        ({"trigger_name": ACTIVE, "config": "$steps"}, ["'config' must be an object"]),
        ({"trigger_name": ACTIVE, "config": None}, ["'config' must be an object"]),
        ({"trigger_name": 1, "config": CONFIG}, ["'trigger_name' must be a string"]),
        ({"trigger_name": ACTIVE, "config": CONFIG, "id": "w"}, ["'id' is read-only"]),
        # the body is checked before the trigger is looked up: 400, not 404
        ({"trigger_name": "nope:never"}, ["'config' is required"]),
    ],
)
def test_create_refuses_invalid_bodies(api: Api, body: dict, fragments: list[str]) -> None:
    message = assert_error(api.call("POST", "/workflow", body), 400, "Bad Request")
    for fragment in fragments:
        assert fragment in message
    assert api.emulator.store.count(kind="workflow") == 0


def test_create_refuses_a_body_that_is_not_an_object(api: Api) -> None:
    assert_error(api.call("POST", "/workflow", raw=b"[]"), 400, "Bad Request")


def test_an_unknown_trigger_is_not_found(api: Api) -> None:
    body = {"trigger_name": "integrated_account:gone", "config": CONFIG}
    message = assert_error(api.call("POST", "/workflow", body), 404, "Not Found")
    assert message == (
        "Trigger integrated_account:gone not found (known triggers: integrated_account:active)"
    )
    assert api.emulator.store.count(kind="workflow") == 0


def test_the_known_triggers_are_a_setting() -> None:
    assert EmulatorSettings().known_triggers == DEFAULT_TRIGGERS == (ACTIVE,)
    names = ["sync_job_run:completed", "integrated_account:created"]
    api = with_settings(known_triggers=names)
    names.append("added:later")  # the settings keep their own copy
    assert create_flow(api, trigger_name="sync_job_run:completed")["trigger_name"] == (
        "sync_job_run:completed"
    )
    refused = api.call("POST", "/workflow", {"trigger_name": ACTIVE, "config": CONFIG})
    assert "(known triggers: sync_job_run:completed, integrated_account:created)" in (
        assert_error(refused, 404, "Not Found")
    )
    late = api.call("POST", "/workflow", {"trigger_name": "added:later", "config": CONFIG})
    assert_error(late, 404, "Not Found")
    none = with_settings(known_triggers=()).call("POST", "/workflow", {"trigger_name": ACTIVE})
    assert_error(none, 400, "Bad Request")  # config missing comes first
    bare = with_settings(known_triggers=())
    refused = bare.call("POST", "/workflow", {"trigger_name": ACTIVE, "config": {}})
    assert assert_error(refused, 404, "Not Found").endswith("(known triggers: none)")


# -- get / patch / delete --------------------------------------------------------------------


def test_get_unknown_workflow_is_404(api: Api) -> None:
    message = assert_error(api.call("GET", "/workflow/nope"), 404, "Not Found")
    assert message == "Workflow nope not found"
    assert_error(api.call("PATCH", "/workflow/nope", {"config": {}}), 404, "Not Found")
    assert_error(api.call("DELETE", "/workflow/nope"), 404, "Not Found")


def test_patch_replaces_top_level_fields(api: Api, clock: Clock) -> None:
    flow = create_flow(api)
    clock.advance(3)
    config = {"run_if": "true", "steps": []}
    response = api.call("PATCH", f"/workflow/{flow['id']}", {"config": config})
    assert response.status == 200
    updated = response.json()
    assert updated == {**flow, "config": config, "updated_at": "2026-01-02T03:04:08.678Z"}
    assert api.call("GET", f"/workflow/{flow['id']}").json() == updated


def test_patch_needs_no_required_field(api: Api) -> None:
    flow = create_flow(api)
    response = api.call("PATCH", f"/workflow/{flow['id']}", {})
    assert response.status == 200
    assert response.json()["config"] == CONFIG


def test_patch_to_an_unknown_trigger_is_404_and_changes_nothing(api: Api) -> None:
    flow = create_flow(api)
    body = {"trigger_name": "nope", "config": {}}
    assert_error(api.call("PATCH", f"/workflow/{flow['id']}", body), 404, "Not Found")
    assert api.call("GET", f"/workflow/{flow['id']}").json() == flow


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"config": []}, "'config' must be an object"),
        ({"trigger_name": None}, "'trigger_name' must be a string"),
        ({"created_at": "x"}, "'created_at' is read-only"),
        ({"environment_id": "env-b"}, "'environment_id' is read-only"),
    ],
)
def test_patch_refuses_invalid_bodies(api: Api, body: dict, fragment: str) -> None:
    flow = create_flow(api)
    message = assert_error(api.call("PATCH", f"/workflow/{flow['id']}", body), 400, "Bad Request")
    assert fragment in message
    assert api.call("GET", f"/workflow/{flow['id']}").json() == flow


def test_patch_accepts_the_whole_row_sent_back(api: Api) -> None:
    flow = create_flow(api)
    echoed = {**flow, "config": {"steps": []}}
    assert api.call("PATCH", f"/workflow/{flow['id']}", echoed).json()["config"] == {"steps": []}


def test_delete_answers_id_then_404(api: Api) -> None:
    flow = create_flow(api)
    response = api.call("DELETE", f"/workflow/{flow['id']}")
    assert (response.status, response.json()) == (200, {"id": flow["id"]})
    assert_error(api.call("GET", f"/workflow/{flow['id']}"), 404, "Not Found")
    assert_error(api.call("DELETE", f"/workflow/{flow['id']}"), 404, "Not Found")


def test_deleting_a_job_a_workflow_names_is_allowed(api: Api) -> None:
    job = api.create(label="Directory")
    step = {"type": "run", "action": "run_sync_job", "config": {"sync_job_id": job["id"]}}
    flow = create_flow(api, config={"steps": [step]})
    assert api.call("DELETE", f"/sync-job/{job['id']}").json() == {"id": job["id"]}
    assert_error(api.call("GET", f"/sync-job/{job['id']}"), 404, "Not Found")
    assert api.call("GET", f"/workflow/{flow['id']}").json() == flow  # still names the old id


# -- environments and kinds ------------------------------------------------------------------


def test_another_environment_sees_no_workflow(api: Api) -> None:
    flow = create_flow(api)
    for method in ("GET", "DELETE"):
        response = api.call(method, f"/workflow/{flow['id']}", token=TOKEN_B)
        assert_error(response, 404, "Not Found")
    patch = api.call("PATCH", f"/workflow/{flow['id']}", {"config": {}}, token=TOKEN_B)
    assert_error(patch, 404, "Not Found")
    assert listed(api, token=TOKEN_B) == {"result": [], "next_cursor": None}
    own = create_flow(api, token=TOKEN_B)
    assert own["environment_id"] == "env-b"
    assert listed(api, token=TOKEN_B)["result"] == [own]
    assert listed(api)["result"] == [flow]


def test_jobs_and_workflows_are_kept_apart(api: Api) -> None:
    job = api.create()
    flow = create_flow(api)
    assert_error(api.call("GET", f"/sync-job/{flow['id']}"), 404, "Not Found")
    assert_error(api.call("GET", f"/workflow/{job['id']}"), 404, "Not Found")
    assert_error(api.call("DELETE", f"/sync-job/{flow['id']}"), 404, "Not Found")
    assert api.call("GET", "/sync-job").json()["result"] == [job]
    assert listed(api)["result"] == [flow]
    assert api.emulator.store.count("env-a") == 1
    assert api.emulator.store.count("env-a", kind="workflow") == 1


# -- listing ---------------------------------------------------------------------------------


def walk(api: Api, query: str) -> list[list[dict[str, Any]]]:
    pages: list[list[dict[str, Any]]] = []
    cursor = ""
    while True:
        body = listed(api, f"{query}&next_cursor={cursor}")
        assert set(body) == {"result", "next_cursor"}
        if body["next_cursor"] is not None:
            assert body["result"], "a non-null cursor came with an empty page"
        pages.append(body["result"])
        if body["next_cursor"] is None:
            return pages
        cursor = body["next_cursor"]


def test_pages_follow_creation_order_and_end_without_an_empty_page(api: Api) -> None:
    flows = []
    for i in range(7):
        api.create(label=f"interleaved job {i}")  # other kinds' rows do not shift the pages
        flows.append(create_flow(api, config={"steps": [], "n": i}))
    pages = walk(api, "limit=3")
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [flow for page in pages for flow in page] == flows
    assert [len(page) for page in walk(api, "limit=7")] == [7]


def test_limit_default_maximum_and_bad_values() -> None:
    api = with_settings(page_size_default=2, page_size_max=3)
    for _ in range(4):
        create_flow(api)
    assert len(listed(api)["result"]) == 2
    assert len(listed(api, "limit=50")["result"]) == 3  # clamped
    for bad in ("0", "-1", "x"):
        response = api.call("GET", f"/workflow?limit={bad}")
        assert "'limit' must be a positive integer" in assert_error(response, 400, "Bad Request")
    strict = with_settings(page_size_max=3, page_size_default=1, limit_over_max="reject")
    message = assert_error(strict.call("GET", "/workflow?limit=4"), 400, "Bad Request")
    assert message == "'limit' must be at most 3"
    assert_error(api.call("GET", "/workflow?next_cursor=garbage"), 400, "Bad Request")


def test_filters_trigger_name_and_environment_id() -> None:
    api = with_settings(known_triggers=[ACTIVE, "integrated_account:created"])
    first = create_flow(api)
    other = create_flow(api, trigger_name="integrated_account:created")
    last = create_flow(api)
    assert listed(api, f"trigger_name={ACTIVE}")["result"] == [first, last]
    filtered = listed(api, "trigger_name=integrated_account:created&limit=1")
    assert filtered == {"result": [other], "next_cursor": None}
    assert listed(api, "trigger_name=nope")["result"] == []
    assert listed(api, "environment_id=env-a&limit=9")["result"] == [first, other, last]
    assert listed(api, "environment_id=env-b") == {"result": [], "next_cursor": None}


def test_job_only_filters_do_not_apply_to_workflows(api: Api) -> None:
    flows = [create_flow(api), create_flow(api)]
    assert listed(api, f"id={flows[0]['id']}")["result"] == flows
    assert listed(api, "integration_name=zendesk")["result"] == flows


# -- routing, auth, methods ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/workflow", "GET, POST"),
        ("DELETE", "/workflow", "GET, POST"),
        ("POST", "/workflow/abc", "GET, PATCH, DELETE"),
        ("PUT", "/workflow/abc", "GET, PATCH, DELETE"),
    ],
)
def test_wrong_method_is_405_with_allow(api: Api, method: str, path: str, allow: str) -> None:
    response = api.call(method, path, {})
    assert_error(response, 405, "Method Not Allowed")
    assert response.headers["Allow"] == allow


@pytest.mark.parametrize("path", ["/workflows", "/workflow/a/b", "/workflow-run"])
def test_unknown_routes_are_404(api: Api, path: str) -> None:
    assert assert_error(api.call("GET", path), 404, "Not Found").startswith("Route ")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}])
def test_workflows_need_a_token(emulator: Emulator, headers: dict[str, str]) -> None:
    for method, path in [("GET", "/workflow"), ("POST", "/workflow"), ("GET", "/workflow/x")]:
        assert_error(emulator.handle(method, path, headers, b"{}"), 401, "Unauthorized")


def test_trailing_slash_and_encoded_ids(api: Api) -> None:
    flow = create_flow(api)
    assert listed(api)["result"] == api.call("GET", "/workflow/?").json()["result"] == [flow]
    encoded = flow["id"].replace("-", "%2D")
    assert api.call("GET", f"/workflow/{encoded}").json() == flow


def test_every_workflow_response_is_json(api: Api, emulator: Emulator) -> None:
    flow = create_flow(api)
    responses = [
        api.call("GET", "/workflow"),
        api.call("GET", f"/workflow/{flow['id']}"),
        api.call("PATCH", f"/workflow/{flow['id']}", {"config": {}}),
        api.call("POST", "/workflow", {"trigger_name": "x", "config": {}}),
        api.call("DELETE", f"/workflow/{flow['id']}"),
        api.call("PUT", "/workflow"),
        emulator.handle("GET", "/workflow", {}, b""),
    ]
    for response in responses:
        assert response.headers["Content-Type"] == "application/json"
        json.loads(response.body)


# -- faults ----------------------------------------------------------------------------------


def faulty(faults: FaultSettings) -> Api:
    return Api(Emulator(EmulatorSettings(tokens=TOKENS), Store(":memory:"), faults=faults))


def test_a_fail_rule_for_workflows_leaves_jobs_alone() -> None:
    rule = FailRule("GET", "collection", nth=2, count=2, status=503, kind="workflow")
    api = faulty(FaultSettings(fail=(rule,)))
    statuses = []
    for _ in range(4):
        assert api.call("GET", "/sync-job").status == 200  # not counted, not failed
        statuses.append(api.call("GET", "/workflow").status)
    assert statuses == [200, 503, 503, 200]


def test_a_fail_rule_for_any_kind_counts_both() -> None:
    api = faulty(FaultSettings(fail=(FailRule("GET", "collection", nth=2, status=502),)))
    assert api.call("GET", "/sync-job").status == 200
    failed = api.call("GET", "/workflow")
    assert_error(failed, 502, "Bad Gateway")
    assert api.call("GET", "/sync-job").status == 200


def test_a_workflow_create_whose_answer_is_dropped_is_committed() -> None:
    rule = FailRule("POST", "collection", status=DROP, kind="workflow")
    api = faulty(FaultSettings(fail=(rule,)))
    api.create()  # a job create is not dropped
    body = {"trigger_name": ACTIVE, "config": CONFIG}
    dropped = api.call("POST", "/workflow", body)
    assert (dropped.drop, dropped.status) == (True, 201)
    assert listed(api)["result"] == [dropped.json()]


def test_the_rate_limit_bucket_is_shared_by_both_kinds_of_one_token() -> None:
    now = [0.0]
    emulator = Emulator(
        EmulatorSettings(tokens=TOKENS),
        Store(":memory:"),
        faults=FaultSettings(rate_limit=(2, 10.0)),
        monotonic=lambda: now[0],
    )
    api = Api(emulator)
    assert api.call("GET", "/sync-job").status == 200
    assert api.call("GET", "/workflow").status == 200
    limited = api.call("GET", "/workflow")
    assert_error(limited, 429, "Too Many Requests")
    assert limited.headers["Retry-After"] == "5"
    assert api.call("GET", "/workflow", token=TOKEN_B).status == 200  # its own bucket
    assert api.call("GET", "/workflow", token=TOKEN_A).status == 429


def test_error_rate_and_latency_apply_to_workflows() -> None:
    slept: list[float] = []
    emulator = Emulator(
        EmulatorSettings(tokens=TOKENS),
        Store(":memory:"),
        faults=FaultSettings(latency_ms=40, error_rate=1.0),
        sleep=slept.append,
    )
    api = Api(emulator)
    response = api.call("POST", "/workflow", {"trigger_name": ACTIVE, "config": {}})
    assert_error(response, 500, "Internal Server Error")
    assert slept == [0.04]
    assert emulator.store.count(kind="workflow") == 0
