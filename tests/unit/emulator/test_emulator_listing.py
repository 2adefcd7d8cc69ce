"""Listing: pages, cursors, limits and filters of ``GET /sync-job``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from emulator_fakes import TOKEN_B, TOKENS, Api

from syncctl.emulator.handler import Emulator, EmulatorSettings
from syncctl.emulator.store import Store
from syncctl.emulator.wire import decode_cursor, encode_cursor


def walk(api: Api, query: str = "", *, first_cursor: str | None = None) -> list[list[dict]]:
    """Follow next_cursor like an SDK does; return the pages."""
    pages: list[list[dict]] = []
    cursor = first_cursor
    while True:
        params = [query] if query else []
        if cursor is not None:
            params.append(f"next_cursor={quote(cursor)}")
        response = api.call("GET", "/sync-job?" + "&".join(params))
        assert response.status == 200, response.body
        body = response.json()
        assert set(body) == {"result", "next_cursor"}
        if body["next_cursor"] is not None:
            assert body["result"], "a non-null cursor came with an empty page"
        pages.append(body["result"])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 100


def make_jobs(api: Api, count: int, **fields: Any) -> list[dict]:
    return [api.create(label=f"job {i}", **fields) for i in range(count)]


@pytest.mark.parametrize(
    ("limit", "sizes"),
    [(1, [1] * 10), (2, [2] * 5), (3, [3, 3, 3, 1]), (7, [7, 3]), (10, [10]), (11, [10])],
)
def test_pages_cover_every_job_once_in_creation_order(
    api: Api, limit: int, sizes: list[int]
) -> None:
    jobs = make_jobs(api, 10)
    pages = walk(api, f"limit={limit}")
    assert [len(page) for page in pages] == sizes
    assert [job for page in pages for job in page] == jobs


def test_empty_cursor_means_first_page(api: Api) -> None:
    jobs = make_jobs(api, 3)
    pages = walk(api, "limit=2", first_cursor="")
    assert [job for page in pages for job in page] == jobs


def test_empty_collection_is_one_empty_page(api: Api) -> None:
    assert api.call("GET", "/sync-job").json() == {"result": [], "next_cursor": None}


def test_no_empty_page_when_last_jobs_are_deleted_mid_walk(api: Api) -> None:
    jobs = make_jobs(api, 4)
    first = api.call("GET", "/sync-job?limit=2").json()
    assert first["next_cursor"] is not None
    for job in jobs[2:]:
        api.call("DELETE", f"/sync-job/{job['id']}")
    second = api.call("GET", f"/sync-job?limit=2&next_cursor={first['next_cursor']}").json()
    assert second == {"result": [], "next_cursor": None}


def test_jobs_created_during_a_walk_appear_at_the_end(api: Api) -> None:
    jobs = make_jobs(api, 3)
    first = api.call("GET", "/sync-job?limit=2").json()
    late = api.create(label="late")
    rest = walk(api, "limit=2", first_cursor=first["next_cursor"])
    assert first["result"] + [job for page in rest for job in page] == [*jobs, late]


def test_default_page_size_and_clamp_to_maximum() -> None:
    settings = EmulatorSettings(tokens=TOKENS, page_size_default=4, page_size_max=6)
    api = Api(Emulator(settings, Store(":memory:")))
    make_jobs(api, 13)
    assert [len(p) for p in walk(api)] == [4, 4, 4, 1]
    assert [len(p) for p in walk(api, "limit=1000")] == [6, 6, 1]
    assert [len(p) for p in walk(api, "limit=")] == [4, 4, 4, 1]


def test_limit_above_maximum_rejected_when_configured() -> None:
    settings = EmulatorSettings(
        tokens=TOKENS, page_size_default=5, page_size_max=5, limit_over_max="reject"
    )
    api = Api(Emulator(settings, Store(":memory:")))
    response = api.call("GET", "/sync-job?limit=6")
    assert response.status == 400
    assert "at most 5" in response.json()["message"]
    assert api.call("GET", "/sync-job?limit=5").status == 200


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "1.5", "2e3"])
def test_bad_limit_is_400(api: Api, limit: str) -> None:
    response = api.call("GET", f"/sync-job?limit={limit}")
    assert response.status == 400
    assert response.json()["message"] == "'limit' must be a positive integer"


@pytest.mark.parametrize("cursor", ["garbage", "e30", encode_cursor(1)[:-3], "eyJ2IjoyfQ"])
def test_bad_cursor_is_400(api: Api, cursor: str) -> None:
    make_jobs(api, 2)
    response = api.call("GET", f"/sync-job?next_cursor={cursor}")
    assert response.status == 400
    assert response.json() == {
        "statusCode": 400,
        "error": "Bad Request",
        "message": "Invalid next_cursor",
    }


def test_cursor_round_trip() -> None:
    for value in (0, 1, 7, 10**12):
        assert decode_cursor(encode_cursor(value)) == value
    for bad in ("", "!!", encode_cursor(3)[:-2], "eyJ2IjoxLCJhZnRlciI6LTF9"):  # last: after=-1
        with pytest.raises(ValueError, match="Invalid next_cursor"):
            decode_cursor(bad)


def test_filter_by_integration_name_with_pagination(api: Api) -> None:
    zendesk = [api.create(integration_name="zendesk", label=f"z{i}") for i in range(5)]
    for i in range(4):
        api.create(integration_name="hubspot", label=f"h{i}")
    pages = walk(api, "integration_name=zendesk&limit=2")
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [job for page in pages for job in page] == zendesk
    assert walk(api, "integration_name=nothing") == [[]]


def test_filter_by_environment_id(api: Api) -> None:
    jobs = make_jobs(api, 2)
    Api(api.emulator, TOKEN_B).create(label="other")
    assert walk(api, "environment_id=env-a") == [jobs]
    assert walk(api, "environment_id=env-b") == [[]]  # another environment: invisible


def test_filter_by_ids(api: Api) -> None:
    jobs = make_jobs(api, 5)
    wanted = f"{jobs[3]['id']},{jobs[1]['id']},missing"
    assert walk(api, f"id[in]={wanted}") == [[jobs[1], jobs[3]]]
    assert walk(api, f"id%5Bin%5D={wanted}&limit=1") == [[jobs[1]], [jobs[3]]]
    assert walk(api, f"id={jobs[2]['id']}") == [[jobs[2]]]
    assert walk(api, "id[in]=") == [[]]


def test_unknown_query_parameters_are_ignored(api: Api) -> None:
    jobs = make_jobs(api, 2)
    assert walk(api, "sort=-created_at&foo[bar]=1") == [jobs]


def test_environments_have_separate_listings(api: Api) -> None:
    a = make_jobs(api, 3)
    b = make_jobs(Api(api.emulator, TOKEN_B), 2)
    assert [j for p in walk(api, "limit=2") for j in p] == a
    assert [j for p in walk(Api(api.emulator, TOKEN_B), "limit=1") for j in p] == b
