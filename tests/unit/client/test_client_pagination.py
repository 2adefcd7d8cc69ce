"""Listing: every page, lazily, never a silent partial listing."""

from __future__ import annotations

import math

import httpx
import pytest
from client_fakes import FakeApi, status

from syncctl.errors import ServerError


@pytest.mark.parametrize(
    ("count", "limit"),
    [(0, 3), (1, 1), (10, 1), (10, 2), (10, 3), (10, 7), (10, 10), (10, 11), (250, 7)],
)
def test_list_returns_every_job_once_in_order(api: FakeApi, make_client, count, limit) -> None:
    ids = api.add(count)
    client = make_client()

    listed = [job["id"] for job in client.list(limit=limit)]

    assert listed == ids
    assert api.requests == max(1, math.ceil(count / limit))
    assert client.request_count == api.requests


def test_list_pages_numbers_pages_and_passes_cursor_back(api: FakeApi, make_client) -> None:
    api.add(7)
    client = make_client()

    pages = list(client.list_pages(limit=3))

    assert [page.number for page in pages] == [1, 2, 3]
    assert [len(page.items) for page in pages] == [3, 3, 1]
    assert [page.next_cursor for page in pages] == ["3", "6", None]
    assert [seen.query for seen in api.seen] == [
        {"limit": "3"},
        {"limit": "3", "next_cursor": "3"},
        {"limit": "3", "next_cursor": "6"},
    ]
    assert pages[0].to_dict()["number"] == 1


def test_list_is_lazy_a_page_is_fetched_only_when_consumed(api: FakeApi, make_client) -> None:
    api.add(9)
    client = make_client()

    jobs = client.list(limit=3)
    assert api.requests == 0
    for _ in range(3):
        next(jobs)
    assert api.requests == 1
    next(jobs)
    assert api.requests == 2
    assert len(list(jobs)) == 5
    assert api.requests == 3


def test_filters_are_sent_as_query_parameters(api: FakeApi, make_client) -> None:
    api.add(4, integration="zendesk")
    api.add(3, integration="hubspot")
    client = make_client()

    listed = list(client.list(integration_name="hubspot", environment_id="env-1", archived=False))

    assert [job["integration_name"] for job in listed] == ["hubspot"] * 3
    assert api.seen[0].query == {
        "integration_name": "hubspot",
        "environment_id": "env-1",
        "archived": "false",
        "limit": "100",  # the client asks for the largest page by default
    }


def test_page_size_none_leaves_the_page_size_to_the_server(api: FakeApi, make_client) -> None:
    api.add(3)
    client = make_client(page_size=None)
    assert len(list(client.list())) == 3
    assert "limit" not in api.seen[0].query


def test_a_page_failing_after_retries_raises_instead_of_ending_the_listing(
    api: FakeApi, make_client
) -> None:
    api.add(6)
    client = make_client()
    jobs = client.list(limit=2)
    first_page = [next(jobs), next(jobs)]
    api.script.extend([status(500)] * 4)  # every attempt at page 2 fails

    with pytest.raises(ServerError) as caught:
        list(jobs)

    assert len(first_page) == 2
    assert caught.value.status == 500
    assert api.requests == 1 + 4


def test_a_page_recovering_within_retries_completes_the_listing(api: FakeApi, make_client) -> None:
    ids = api.add(6)
    client = make_client()
    jobs = client.list(limit=2)
    next(jobs)
    api.script.extend([status(502), status(503)])

    assert [next(jobs)["id"], *(job["id"] for job in jobs)] == ids[1:]
    assert api.requests == 3 + 2


def test_an_empty_page_with_a_cursor_is_followed_not_taken_as_the_end(make_client) -> None:
    answers = iter(
        [
            {"result": [], "next_cursor": "a"},
            {"result": [{"id": "1"}], "next_cursor": None},
        ]
    )
    client = make_client(
        transport=httpx.MockTransport(lambda r: httpx.Response(200, json=next(answers)))
    )

    assert [job["id"] for job in client.list()] == ["1"]


@pytest.mark.parametrize(
    "body",
    [
        {"results": []},
        {"result": None, "next_cursor": None},
        {"result": [1, 2], "next_cursor": None},
        {"result": [], "next_cursor": 5},
        [],
    ],
)
def test_a_malformed_page_raises(make_client, body) -> None:
    client = make_client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body)))

    with pytest.raises(ServerError, match=r"GET /sync-job: unexpected response body"):
        list(client.list())


def test_a_repeating_cursor_raises_instead_of_looping(make_client) -> None:
    page = {"result": [{"id": "1"}], "next_cursor": "same"}
    client = make_client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=page)))

    with pytest.raises(ServerError, match="next_cursor repeats"):
        list(client.list())
