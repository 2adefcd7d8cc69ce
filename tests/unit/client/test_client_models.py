"""Live jobs are validated where they enter: the client gives ``LiveJob`` models, a page at a
time, keeps the fields it does not type, and names the endpoint and key path of a misfit."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from syncctl.client.models import LiveJob, LiveShapeError, parse_job, parse_page
from syncctl.errors import OutcomeUnknownError, ServerError


def _serving(make_client: Any, *bodies: Any, status: int = 200) -> Any:
    answers = iter(bodies)
    return make_client(
        transport=httpx.MockTransport(lambda r: httpx.Response(status, json=next(answers)))
    )


JOB = {
    "id": "1",
    "integration_name": "zendesk",
    "label": "tickets",
    "resources": [{"resource": "ticketing/tickets", "method": "list"}],
    "a_field_added_by_truto_later": {"nested": [1, 2]},
    "created_at": "2026-01-01T00:00:00Z",
}


def test_listed_jobs_are_models_that_keep_every_field(make_client) -> None:
    client = _serving(make_client, {"result": [JOB, {"id": "2"}], "next_cursor": None})

    first, second = client.list()

    assert isinstance(first, LiveJob)
    assert (first.id, first.integration_name, first.label) == ("1", "zendesk", "tickets")
    assert first.body == JOB
    assert first["a_field_added_by_truto_later"] == {"nested": [1, 2]}
    assert second.body == {"id": "2"}  # absent fields stay absent (the fingerprint sees this)
    assert (second.integration_name, second.label, second.get("resources")) == (None, None, None)


def test_nested_values_are_not_copied() -> None:
    page = {"result": [JOB], "next_cursor": None}
    (job,) = parse_page(page).result
    assert job.body["resources"] is JOB["resources"]


@pytest.mark.parametrize(
    ("result", "where"),
    [
        ([JOB, {"label": "no id"}], "page 1: result[1].id: missing"),
        ([{**JOB, "id": 7}], "page 1: result[0].id: expected a string"),
        ([{**JOB, "id": ""}], "page 1: result[0].id: expected a non-empty string"),
        ([{**JOB, "label": ["x"]}], "page 1: result[0].label: expected a string"),
    ],
)
def test_a_listed_job_that_does_not_fit_names_the_endpoint_and_key_path(
    make_client, result: list[Any], where: str
) -> None:
    client = _serving(make_client, {"result": result, "next_cursor": None})

    with pytest.raises(ServerError) as caught:
        list(client.list())

    message = str(caught.value)
    assert message.startswith(f"GET /sync-job: unexpected response body ({where}; expected")
    assert "\n" not in message


def test_the_page_that_does_not_fit_is_named(make_client) -> None:
    client = _serving(
        make_client,
        {"result": [JOB], "next_cursor": "2"},
        {"result": [{"label": "x"}], "next_cursor": None},
    )

    with pytest.raises(ServerError, match=r"\(page 2: result\[0\]\.id: missing"):
        list(client.list())


def test_a_job_answer_without_an_id_names_the_item_endpoint(make_client) -> None:
    client = _serving(make_client, {"label": "x"})

    with pytest.raises(ServerError, match=r"GET /sync-job/a: unexpected response body \(id: miss"):
        client.get("a")


def test_a_created_job_without_an_id_is_an_unknown_outcome(make_client) -> None:
    client = _serving(make_client, {"label": "x"}, status=201)

    with pytest.raises(OutcomeUnknownError, match=r"without a job object \(id: missing"):
        client.create({"integration_name": "zendesk", "label": "x"})


def test_a_live_job_equals_the_object_it_was_read_from() -> None:
    job = parse_job(JOB)
    assert job == JOB
    assert job == parse_job(dict(JOB))
    assert job != {**JOB, "label": "other"}
    assert job != "1"


def test_parse_errors_are_one_line() -> None:
    with pytest.raises(LiveShapeError, match=r"^\(top level\): expected an object$"):
        parse_job([JOB])
    with pytest.raises(LiveShapeError, match=r"^result: missing$"):
        parse_page({"results": []})
