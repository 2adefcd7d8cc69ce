"""Retries: backoff and Retry-After, idempotent methods retried, POST never retried blindly."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest
from client_fakes import FakeApi, FakeClock, after_commit, fail, status

from syncctl.client import RetryPolicy
from syncctl.client.retry import parse_retry_after
from syncctl.errors import NotFoundError, OutcomeUnknownError, ServerError

LOST_AFTER_SENDING = [
    httpx.ReadTimeout,
    httpx.ReadError,
    httpx.RemoteProtocolError,
    httpx.WriteError,
    httpx.WriteTimeout,
]
NOT_SENT = [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout]


def test_backoff_without_jitter_doubles_up_to_the_cap(api: FakeApi, make_client, clock: FakeClock):
    api.script.extend([status(500)] * 7)
    client = make_client(
        retry=RetryPolicy(max_attempts=7, base_delay=0.5, max_delay=5.0, jitter=False)
    )

    with pytest.raises(ServerError):
        client.get("a")

    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]
    assert api.requests == 7


def test_full_jitter_draws_each_delay_uniformly_below_the_ceiling(
    api: FakeApi, make_client, clock: FakeClock
) -> None:
    api.script.extend([status(502)] * 6)
    policy = RetryPolicy(max_attempts=6, base_delay=1.0, max_delay=8.0, jitter=True)
    client = make_client(retry=policy, rng=random.Random(42))

    with pytest.raises(ServerError):
        client.get("a")

    reference = random.Random(42)
    expected = [reference.uniform(0, ceiling) for ceiling in (1.0, 2.0, 4.0, 8.0, 8.0)]
    assert clock.sleeps == pytest.approx(expected)
    assert all(
        0 <= delay <= ceiling for delay, ceiling in zip(clock.sleeps, (1, 2, 4, 8, 8), strict=True)
    )
    assert len(set(clock.sleeps)) == 5


def test_retry_after_seconds_replaces_the_backoff(api: FakeApi, make_client, clock: FakeClock):
    api.script.extend([status(503, headers={"Retry-After": "7"})])
    client = make_client()

    assert client.get(api.add(1)[0])["label"] == "job 0"
    assert clock.sleeps == [7.0]


def test_retry_after_http_date_is_measured_from_the_wall_clock(
    api: FakeApi, make_client, clock: FakeClock
) -> None:
    clock.now = 1_700_000_000.0
    when = datetime.fromtimestamp(clock.now + 12, UTC)
    api.script.append(status(503, headers={"Retry-After": format_datetime(when, usegmt=True)}))
    client = make_client()

    client.get(api.add(1)[0])

    assert clock.sleeps == [pytest.approx(12.0)]


def test_retry_after_is_capped(api: FakeApi, make_client, clock: FakeClock) -> None:
    api.script.append(status(503, headers={"Retry-After": "3600"}))
    client = make_client(retry=RetryPolicy(max_attempts=2, max_retry_after=20.0, jitter=False))

    client.get(api.add(1)[0])

    assert clock.sleeps == [20.0]


def test_429_pauses_the_shared_limiter_for_retry_after(api: FakeApi, make_client, clock: FakeClock):
    job = api.add(1)[0]
    api.script.append(status(429, headers={"Retry-After": "10"}))
    client = make_client()

    client.get(job)

    assert clock.sleeps == [10.0]
    assert client.rate_limiter.paused_until == clock.now
    # Another request through the same limiter right now does not wait any more.
    client.get(job)
    assert clock.sleeps == [10.0]


def test_429_without_retry_after_backs_off(api: FakeApi, make_client, clock: FakeClock) -> None:
    api.script.extend([status(429), status(429)])
    client = make_client()

    client.get(api.add(1)[0])

    assert clock.sleeps == [0.5, 1.0]


@pytest.mark.parametrize(
    "failure",
    [
        *(fail(kind) for kind in LOST_AFTER_SENDING + NOT_SENT),
        *(status(c) for c in (500, 502, 503, 504, 429)),
    ],
    ids=[*(k.__name__ for k in LOST_AFTER_SENDING + NOT_SENT), "500", "502", "503", "504", "429"],
)
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_idempotent_methods_are_retried_after_each_failure_kind(
    api: FakeApi, make_client, failure, method
) -> None:
    job = api.add(1)[0]
    api.script.extend([failure, failure])
    client = make_client()

    if method == "GET":
        result = client.get(job)
    elif method == "PATCH":
        result = client.update(job, {"label": "new"})
    else:
        result = client.delete(job)

    assert result["id"] == job
    assert api.requests == 3
    assert {seen.method for seen in api.seen} == {method}


@pytest.mark.parametrize("kind", LOST_AFTER_SENDING)
def test_idempotent_retry_after_the_change_was_applied_but_the_answer_lost(
    api: FakeApi, make_client, kind
) -> None:
    job = api.add(1)[0]
    client = make_client()

    api.script.append(after_commit(kind))
    assert client.update(job, {"label": "new", "resources": [1]})["label"] == "new"
    bodies = [json.loads(seen.body) for seen in api.seen]
    assert bodies == [{"label": "new", "resources": [1]}] * 2  # the same complete PATCH twice

    api.script.append(after_commit(kind))
    assert client.delete(job) == {"id": job}  # second try: 404, the first one did it
    assert job not in api.jobs
    assert api.requests == 4


@pytest.mark.parametrize("kind", LOST_AFTER_SENDING)
def test_post_with_unknown_outcome_is_never_retried(api: FakeApi, make_client, kind) -> None:
    api.script.append(after_commit(kind))
    client = make_client()

    with pytest.raises(OutcomeUnknownError) as caught:
        client.create({"integration_name": "zendesk", "label": "once"})

    assert api.requests == 1
    assert [job["label"] for job in api.jobs.values()] == ["once"]  # created, exactly once
    assert caught.value.method == "POST"
    assert caught.value.url == "/sync-job"
    assert kind.__name__ in str(caught.value)
    assert "look the job up" in str(caught.value)


@pytest.mark.parametrize("code", [500, 502, 504])
def test_post_answered_by_a_maybe_processed_5xx_is_outcome_unknown(api: FakeApi, make_client, code):
    api.script.append(status(code))
    client = make_client()

    with pytest.raises(OutcomeUnknownError) as caught:
        client.create({"integration_name": "zendesk"})

    assert caught.value.status == code
    assert api.requests == 1


@pytest.mark.parametrize(
    "failure",
    [*(fail(kind) for kind in NOT_SENT), status(429), status(503)],
    ids=[*(k.__name__ for k in NOT_SENT), "429", "503"],
)
def test_post_refused_or_never_sent_is_retried(api: FakeApi, make_client, failure) -> None:
    api.script.extend([failure, failure])
    client = make_client()

    created = client.create({"integration_name": "zendesk", "label": "one"})

    assert api.jobs == {created["id"]: created}
    assert api.requests == 3


def test_post_with_a_2xx_but_unreadable_body_is_outcome_unknown(make_client) -> None:
    client = make_client(transport=httpx.MockTransport(lambda r: httpx.Response(201, text="?")))

    with pytest.raises(OutcomeUnknownError, match="201 with an unreadable body"):
        client.create({"integration_name": "zendesk"})


def test_delete_404_after_a_refusal_is_a_real_not_found(api: FakeApi, make_client) -> None:
    api.script.extend([status(429), fail(httpx.ConnectError)])
    client = make_client()

    with pytest.raises(NotFoundError):
        client.delete("missing")
    assert api.requests == 3


def test_delete_404_after_a_5xx_counts_as_deleted(api: FakeApi, make_client) -> None:
    api.script.append(status(500))

    assert make_client().delete("gone") == {"id": "gone"}


def test_delete_404_on_the_first_try_is_not_found(api: FakeApi, make_client) -> None:
    with pytest.raises(NotFoundError):
        make_client().delete("missing")


def test_max_attempts_one_never_retries(api: FakeApi, make_client, clock: FakeClock) -> None:
    api.script.append(fail(httpx.ReadTimeout))
    client = make_client(retry=RetryPolicy(max_attempts=1))

    with pytest.raises(Exception, match="no response after 1 attempt"):
        client.get("a")
    assert clock.sleeps == []


def test_client_errors_are_not_retried(api: FakeApi, make_client, clock: FakeClock) -> None:
    api.script.append(status(400))
    with pytest.raises(Exception, match="400"):
        make_client().update("a", {"label": 1})
    assert api.requests == 1
    assert clock.sleeps == []


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("5", 5.0),
        (" 2.5 ", 2.5),
        ("-3", 0.0),
        ("nan", None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),
    ],
)
def test_parse_retry_after(header, expected) -> None:
    now = datetime(2015, 10, 21, 7, 27, 30, tzinfo=UTC).timestamp()
    assert parse_retry_after(header, now=now) == expected


def test_policy_rejects_impossible_values() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="negative"):
        RetryPolicy(base_delay=-1)
    assert RetryPolicy().to_dict()["max_attempts"] == 5
