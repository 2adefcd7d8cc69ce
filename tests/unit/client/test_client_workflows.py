"""``client.workflows``: CRUD on ``/workflow`` over the emulator's in-process front, with the
same paging, retries, POST rule and one-line errors as ``/sync-job``."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from typing import Any

import httpx
import pytest
from client_fakes import TOKEN

from syncctl.client import LiveJob, LiveWorkflow, SyncJobClient
from syncctl.client.models import LiveShapeError, parse_workflow
from syncctl.emulator.faults import DROP, FailRule, FaultSettings
from syncctl.emulator.transport import EmbeddedTransport, open_embedded
from syncctl.errors import ApiError, NotFoundError, OutcomeUnknownError, ServerError

ACTIVE = "integrated_account:active"
DELETED = "integrated_account:deleted"
CANARY = "canary-workflow-3e9d1f77-never-print"


def _config(job_id: str = "job-1", run_if: str | None = None) -> dict[str, Any]:
    config: dict[str, Any] = {
        "steps": [{"type": "run", "action": "run_sync_job", "config": {"sync_job_id": job_id}}]
    }
    if run_if is not None:
        config["run_if"] = run_if
    return config


@pytest.fixture
def front(tmp_path: Path) -> EmbeddedTransport:
    return open_embedded(tmp_path / "db.sqlite3", token=TOKEN, known_triggers=(ACTIVE, DELETED))


@pytest.fixture
def client(make_client, front: EmbeddedTransport) -> SyncJobClient:
    built: SyncJobClient = make_client(transport=front)
    return built


def _serving(make_client: Any, *bodies: Any, status: int = 200) -> SyncJobClient:
    answers = iter(bodies)
    built: SyncJobClient = make_client(
        transport=httpx.MockTransport(lambda r: httpx.Response(status, json=next(answers)))
    )
    return built


def test_create_get_update_list_delete(client: SyncJobClient) -> None:
    created = client.workflows.create({"trigger_name": ACTIVE, "config": _config(run_if="$x")})

    assert isinstance(created, LiveWorkflow)
    assert created.trigger_name == ACTIVE
    assert created.config == _config(run_if="$x")
    assert created.id
    assert created["environment_id"] == "local"  # untyped fields are kept as sent
    assert set(created.body) == {
        "id",
        "environment_id",
        "trigger_name",
        "config",
        "created_at",
        "updated_at",
    }

    fetched = client.workflows.get(created.id)
    assert fetched == created

    updated = client.workflows.update(created.id, {"config": _config("job-2")})
    assert updated.config == _config("job-2")
    assert updated.trigger_name == ACTIVE
    assert updated["updated_at"] > created["updated_at"]

    assert [flow.id for flow in client.workflows.list()] == [created.id]
    assert client.workflows.delete(created.id) == {"id": created.id}
    with pytest.raises(NotFoundError, match=rf"^GET /workflow/{created.id}: 404 Not Found"):
        client.workflows.get(created.id)
    assert list(client.workflows.list()) == []


def test_jobs_and_workflows_are_separate_collections(client: SyncJobClient) -> None:
    job = client.create({"integration_name": "zendesk", "label": "one"})
    flow = client.workflows.create({"trigger_name": ACTIVE, "config": _config(job.id)})

    assert isinstance(job, LiveJob)
    assert [j.id for j in client.list()] == [job.id]
    assert [f.id for f in client.workflows.list()] == [flow.id]
    assert client.jobs.get(job.id) == job
    with pytest.raises(NotFoundError, match=r"^GET /sync-job/"):
        client.get(flow.id)
    with pytest.raises(NotFoundError, match=r"^GET /workflow/"):
        client.workflows.get(job.id)


def test_listing_follows_every_page_lazily_with_the_page_size(make_client, front) -> None:
    client = make_client(transport=front, page_size=3)
    ids = [
        client.workflows.create({"trigger_name": ACTIVE, "config": _config(f"j{i}")}).id
        for i in range(7)
    ]
    before = client.request_count

    pages = client.workflows.list_pages()
    first = next(pages)
    assert client.request_count == before + 1  # one page requested, no more
    assert (len(first.items), first.number) == (3, 1)
    rest = list(pages)

    assert [page.number for page in rest] == [2, 3]
    assert [flow.id for page in (first, *rest) for flow in page.items] == ids
    assert rest[-1].next_cursor is None
    assert client.request_count == before + 3
    assert [flow.id for flow in client.workflows.list(limit=2)] == ids
    assert client.request_count == before + 3 + 4


def test_trigger_name_filter(client: SyncJobClient) -> None:
    active = client.workflows.create({"trigger_name": ACTIVE, "config": _config("a")})
    deleted = client.workflows.create({"trigger_name": DELETED, "config": _config("b")})

    assert [f.id for f in client.workflows.list(trigger_name=DELETED)] == [deleted.id]
    assert [f.id for f in client.workflows.list(trigger_name=ACTIVE)] == [active.id]
    assert list(client.workflows.list(trigger_name="integrated_account:other")) == []


def test_an_unknown_trigger_is_not_found_with_the_servers_message(client: SyncJobClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.workflows.create({"trigger_name": "cron:hourly", "config": _config()})

    error = caught.value
    assert str(error).startswith(
        "POST /workflow: 404 Not Found: Trigger cron:hourly not found (known triggers: "
    )
    assert error.api_message is not None
    assert ACTIVE in error.api_message
    assert DELETED in error.api_message
    assert (error.status, error.method, error.url) == (404, "POST", "/workflow")
    assert "\n" not in str(error)
    assert list(client.workflows.list()) == []  # nothing stored


@pytest.mark.parametrize(
    ("entry", "where"),
    [
        ({"trigger_name": ACTIVE, "config": {}}, "result[0].id: missing"),
        ({"id": "w", "config": {}}, "result[0].trigger_name: missing"),
        ({"id": "w", "trigger_name": ACTIVE}, "result[0].config: missing"),
        ({"id": "w", "trigger_name": ACTIVE, "config": "steps"}, "result[0].config: expected an"),
        ({"id": "", "trigger_name": ACTIVE, "config": {}}, "result[0].id: expected a non-empty"),
    ],
)
def test_a_listed_workflow_that_does_not_fit_names_the_endpoint_and_key_path(
    make_client, entry, where
) -> None:
    client = _serving(make_client, {"result": [entry], "next_cursor": None})

    with pytest.raises(ServerError) as caught:
        list(client.workflows.list())

    text = str(caught.value)
    assert text.startswith(f"GET /workflow: unexpected response body (page 1: {where}")
    assert "expected {result: [workflows with an id, trigger_name and config]" in text
    assert "\n" not in text


def test_a_bad_second_page_fails_the_whole_listing(make_client) -> None:
    good = {"id": "w1", "trigger_name": ACTIVE, "config": {}}
    client = _serving(
        make_client,
        {"result": [good], "next_cursor": "c1"},
        {"result": [{"id": "w2", "trigger_name": 7, "config": {}}], "next_cursor": None},
    )

    with pytest.raises(ServerError, match=r"\(page 2: result\[0\]\.trigger_name: expected a str"):
        list(client.workflows.list())


def test_a_single_workflow_that_does_not_fit_is_an_error_naming_the_path(make_client) -> None:
    client = _serving(make_client, {"id": "w1", "trigger_name": ACTIVE, "config": []})

    with pytest.raises(ServerError) as caught:
        client.workflows.get("w1")

    assert str(caught.value) == (
        "GET /workflow/w1: unexpected response body "
        "(config: expected an object; expected a workflow object)"
    )


def test_a_create_answered_without_a_workflow_is_an_unknown_outcome(make_client) -> None:
    client = _serving(make_client, {"ok": True}, status=201)

    with pytest.raises(OutcomeUnknownError) as caught:
        client.workflows.create({"trigger_name": ACTIVE, "config": _config()})

    assert "POST /workflow: outcome unknown (201 without a workflow object (id: missing" in str(
        caught.value
    )
    assert caught.value.hint == (
        "look the workflow up (by trigger_name and config) before sending it again"
    )


def test_a_cut_create_answer_is_an_unknown_outcome_and_is_not_retried(
    client: SyncJobClient, front: EmbeddedTransport
) -> None:
    front.emulator.faults = FaultSettings(
        fail=(FailRule("POST", "collection", status=DROP, kind="workflow"),)
    )
    before = client.request_count

    with pytest.raises(OutcomeUnknownError) as caught:
        client.workflows.create({"trigger_name": ACTIVE, "config": _config()})

    assert client.request_count == before + 1
    assert str(caught.value).startswith("POST /workflow: outcome unknown (RemoteProtocolError")
    assert "trigger_name and config" in str(caught.value.hint)
    assert [f.trigger_name for f in client.workflows.list()] == [ACTIVE]  # it was created once
    # job creates keep their own hint
    front.emulator.faults = FaultSettings(fail=(FailRule("POST", "collection", status=DROP),))
    with pytest.raises(OutcomeUnknownError) as job_caught:
        client.create({"integration_name": "zendesk"})
    assert job_caught.value.hint == "look the job up (by label) before sending it again"


def test_a_500_on_create_is_unknown_but_a_503_is_retried(
    client: SyncJobClient, front: EmbeddedTransport, clock
) -> None:
    front.emulator.faults = FaultSettings(fail=(FailRule("POST", status=500, kind="workflow"),))
    with pytest.raises(OutcomeUnknownError, match="server answered 500"):
        client.workflows.create({"trigger_name": ACTIVE, "config": _config()})

    front.emulator.faults = FaultSettings(
        fail=(FailRule("POST", status=503, count=2, kind="workflow"),)
    )
    before = client.request_count
    created = client.workflows.create({"trigger_name": ACTIVE, "config": _config()})
    assert client.request_count == before + 3
    assert [f.id for f in client.workflows.list()] == [created.id]


def test_429_on_workflows_waits_for_retry_after_then_succeeds(
    client: SyncJobClient, front: EmbeddedTransport, clock
) -> None:
    front.emulator.faults = FaultSettings(
        fail=(FailRule("GET", "collection", status=429, count=2, retry_after=4, kind="workflow"),)
    )

    assert list(client.workflows.list()) == []
    assert clock.sleeps == [4.0, 4.0]


def test_a_lost_delete_answer_then_404_counts_as_deleted(
    client: SyncJobClient, front: EmbeddedTransport
) -> None:
    flow = client.workflows.create({"trigger_name": ACTIVE, "config": _config()})
    front.emulator.faults = FaultSettings(fail=(FailRule("DELETE", status=DROP, kind="workflow"),))

    assert client.workflows.delete(flow.id) == {"id": flow.id}
    assert list(client.workflows.list()) == []
    with pytest.raises(NotFoundError):  # a first-attempt 404 is a real error
        client.workflows.delete(flow.id)


def test_an_empty_workflow_id_is_refused_before_any_request(client: SyncJobClient) -> None:
    with pytest.raises(ValueError, match="a workflow id must be a non-empty string"):
        client.workflows.get("")
    assert client.request_count == 0


def test_parse_workflow_keeps_untyped_fields_and_names_misfits() -> None:
    body = {"id": "w", "trigger_name": ACTIVE, "config": {"steps": []}, "added_later": [1]}
    flow = parse_workflow(body)

    assert flow.body == body
    assert flow.get("added_later") == [1]
    assert flow == body
    with pytest.raises(LiveShapeError, match=r"^trigger_name: expected a string$"):
        parse_workflow({"id": "w", "trigger_name": None, "config": {}})


def _all_text(error: BaseException) -> str:
    parts = [str(error), repr(error), *map(str, error.args)]
    if isinstance(error, ApiError):
        parts += [str(error.hint), str(error.api_message), str(error.error), str(error.url)]
    parts.append("".join(traceback.format_exception(error)))
    return "\n".join(parts)


def test_the_token_never_appears_in_a_workflow_error(make_client, tmp_path, caplog, capsys):
    caplog.set_level(logging.DEBUG, logger="syncctl.client")
    front = open_embedded(tmp_path / "canary.sqlite3", token=CANARY)
    client = make_client(transport=front, token=CANARY)
    flow = client.workflows.create({"trigger_name": ACTIVE, "config": _config()})
    errors: list[BaseException] = []
    faults = [
        FaultSettings(),
        FaultSettings(fail=(FailRule("POST", status=DROP, kind="workflow"),)),
        FaultSettings(burst_429_next=10, retry_after=0),
        FaultSettings(error_rate=1.0),
    ]
    calls = [
        lambda: client.workflows.create({"trigger_name": f"{CANARY}:x", "config": {}}),
        lambda: client.workflows.create({"trigger_name": ACTIVE, "config": _config()}),
        lambda: client.workflows.get(CANARY),
        lambda: client.workflows.update(flow.id, {"config": 1}),
        lambda: list(client.workflows.list()),
    ]
    for setting in faults:
        front.emulator.faults = setting
        for call in calls:
            try:
                call()
            except ApiError as exc:
                errors.append(exc)
    with (
        make_client(transport=open_embedded(tmp_path / "other.sqlite3"), token=CANARY) as wrong,
        pytest.raises(ApiError, match="401") as unauthorised,
    ):
        wrong.workflows.get("x")
    errors.append(unauthorised.value)

    kinds = {type(error).__name__ for error in errors}
    assert {"NotFoundError", "OutcomeUnknownError", "RateLimitedError", "ServerError"} <= kinds
    assert {"BadRequestError", "AuthError"} <= kinds
    assert any("[REDACTED]" in str(error) for error in errors)  # echoes were exercised
    for error in errors:
        assert CANARY not in _all_text(error)
    assert CANARY not in caplog.text
    out, err = capsys.readouterr()
    assert CANARY not in out + err
