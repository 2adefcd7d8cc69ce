"""Sync-job runs: the typed core (``syncctl.runs``) and the emulator's ``/sync-job-run``.

The emulator runs on a fake clock here, so a lifecycle of seconds takes no time: ``follow``'s
sleep moves the same clock forward.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from syncctl.client.api import SyncJobClient
from syncctl.client.retry import RetryPolicy
from syncctl.emulator.faults import FailRule, FaultSettings
from syncctl.emulator.handler import Emulator, EmulatorSettings
from syncctl.emulator.runs import PRIVATE, RunSettings, Schedule
from syncctl.emulator.store import Store
from syncctl.emulator.transport import EmbeddedTransport
from syncctl.errors import (
    EXIT_USAGE,
    RateLimitedError,
    StateError,
    UsageError,
    ValidationFailedError,
)
from syncctl.reconcile.state import Entry, State
from syncctl.runs import (
    EXIT_TIMEOUT,
    Change,
    MissingArgsError,
    RunRequest,
    build_args,
    convert_value,
    follow,
    parse_arg_options,
    poll_interval,
    remote_id,
    request_for,
    start,
    stats_text,
)

TOKEN = "unit-token"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
JOB = {
    "integration_name": "zendesk",
    "label": "tickets",
    "resources": [
        {"resource": "ticketing/tickets", "method": "list"},
        {"resource": "ticketing/comments", "method": "list", "depends_on": "ticketing/tickets"},
    ],
}
WRAPPED = {
    "args_schema": {
        "type": "object",
        "properties": {
            "project_slug": {"type": "string", "required": True},
            "count": {"type": "integer"},
            "ratio": {"type": "number"},
            "dry": {"type": "boolean"},
            "ids": {"type": "array"},
            "filter": {"type": "object"},
            "mode": {"type": "string", "enum": ["full", "delta"]},
            "integrated_account_id": {"type": "string"},
        },
    }
}
FLAT = {
    "args_schema": {
        "since": {"type": "string", "format": "date", "required": True},
        "limit": {"type": "integer", "required": True, "default": 50},
    }
}


class Clock:
    """A wall clock for the emulator and a monotonic clock for ``follow``, moved by sleep."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return T0 + timedelta(seconds=self.seconds)

    def monotonic(self) -> float:
        return self.seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.seconds += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_emulator(clock: Clock, store: Store | None = None, **runs: Any) -> Emulator:
    settings = EmulatorSettings(tokens={TOKEN: "env-a", "other": "env-b"}, runs=RunSettings(**runs))
    return Emulator(settings, store, clock=clock.now, sleep=clock.sleep, monotonic=clock.monotonic)


def call(emulator: Emulator, method: str, path: str, body: Any = None, token: str = TOKEN) -> Any:
    headers = {**HEADERS, "Authorization": f"Bearer {token}"}
    raw = b"" if body is None else json.dumps(body).encode()
    response = emulator.handle(method, path, headers, raw)
    return response.status, response.json()


def new_job(emulator: Emulator, token: str = TOKEN) -> str:
    status, job = call(emulator, "POST", "/sync-job", JOB, token=token)
    assert status == 201
    return str(job["id"])


def new_run(emulator: Emulator, job_id: str, **extra: Any) -> dict[str, Any]:
    body = {"sync_job_id": job_id, "integrated_account_id": "acct-1", **extra}
    status, run = call(emulator, "POST", "/sync-job-run", body)
    assert status == 201, run
    assert isinstance(run, dict)
    return run


@pytest.fixture
def client_for(clock: Clock) -> Iterator[Any]:
    opened: list[SyncJobClient] = []

    def build(emulator: Emulator) -> SyncJobClient:
        client = SyncJobClient(
            "https://emulated.invalid",
            TOKEN,
            transport=EmbeddedTransport(emulator),
            retry=RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.01, max_retry_after=1),
            sleep=clock.sleep,
            clock=clock.monotonic,
        )
        opened.append(client)
        return client

    yield build
    for client in opened:
        client.close()


# -- arguments ---------------------------------------------------------------------------------


def test_arg_options_are_name_value_pairs() -> None:
    assert parse_arg_options(["a=1", "b=", "c=x=y"]) == [("a", "1"), ("b", ""), ("c", "x=y")]
    for bad in (["novalue"], ["=1"], ["a=1", "a=2"]):
        with pytest.raises(UsageError):
            parse_arg_options(bad)


@pytest.mark.parametrize(
    ("prop", "raw", "value"),
    [
        ({"type": "string"}, "007", "007"),
        ({"type": "integer"}, " 42 ", 42),
        ({"type": "integer"}, "-3", -3),
        ({"type": "number"}, "2.5", 2.5),
        ({"type": "number"}, "7", 7),
        ({"type": "boolean"}, "TRUE", True),
        ({"type": "boolean"}, "false", False),
        ({"type": "array"}, '["a", 1]', ["a", 1]),
        ({"type": "object"}, '{"k": [1]}', {"k": [1]}),
        ({"type": ["integer", "null"]}, "null", None),
        ({"type": ["integer", "string"]}, "abc", "abc"),
        ({}, "free text", "free text"),
        (None, "undeclared but open", "undeclared but open"),
        ({"type": "date"}, "2026-01-01", "2026-01-01"),
    ],
)
def test_values_are_typed_by_the_schema(prop: Any, raw: str, value: Any) -> None:
    converted = convert_value("x", raw, prop)
    assert converted == value
    assert type(converted) is type(value)


@pytest.mark.parametrize(
    ("prop", "raw", "words"),
    [
        ({"type": "integer"}, "1.5", "a whole number"),
        ({"type": "integer"}, "abc", "a whole number"),
        ({"type": "number"}, "nan", "a number"),
        ({"type": "boolean"}, "yes", "true or false"),
        ({"type": "array"}, '{"a": 1}', "a JSON array"),
        ({"type": "object"}, "[1]", "a JSON object"),
        ({"type": "object"}, "{not json", "a JSON object"),
        ({"type": "string", "enum": ["full", "delta"]}, "half", '"full", "delta"'),
    ],
)
def test_a_value_of_the_wrong_type_is_a_usage_error(prop: Any, raw: str, words: str) -> None:
    with pytest.raises(UsageError) as caught:
        convert_value("x", raw, prop)
    assert words in str(caught.value)
    assert f"--arg x={raw}" in str(caught.value)
    assert caught.value.exit_code == EXIT_USAGE


def test_wrapped_schema_types_every_arg_and_account_fills_the_declared_arg() -> None:
    given = [
        ("project_slug", "gh/org/repo"),
        ("count", "3"),
        ("ratio", "0.5"),
        ("dry", "true"),
        ("ids", '["a","b"]'),
        ("filter", '{"state":"open"}'),
        ("mode", "delta"),
    ]
    args = build_args(WRAPPED, given, "acct-9")
    assert args == {
        "project_slug": "gh/org/repo",
        "count": 3,
        "ratio": 0.5,
        "dry": True,
        "ids": ["a", "b"],
        "filter": {"state": "open"},
        "mode": "delta",
        "integrated_account_id": "acct-9",
    }


def test_an_explicit_account_arg_wins_and_an_undeclared_one_is_not_added() -> None:
    given = [("project_slug", "s"), ("integrated_account_id", "from-arg")]
    assert build_args(WRAPPED, given, "acct")["integrated_account_id"] == "from-arg"
    assert "integrated_account_id" not in build_args(FLAT, [("since", "2026-01-01")], "acct")


def test_required_args_missing_are_named_together() -> None:
    schema = {"args_schema": {"a": {"required": True}, "b": {"required": True}, "c": {}}}
    with pytest.raises(MissingArgsError) as caught:
        build_args(schema, [], "acct", key="z/j")
    assert caught.value.missing == ("a", "b")
    assert caught.value.exit_code == EXIT_USAGE
    assert "job z/j needs the argument(s) a, b" in str(caught.value)
    assert "--arg a=... --arg b=..." in str(caught.value)


def test_flat_schema_and_a_required_arg_with_a_default_is_not_missing() -> None:
    assert build_args(FLAT, [("since", "2026-01-01")], "acct") == {"since": "2026-01-01"}
    assert build_args(FLAT, [("since", "x"), ("limit", "10")], "acct")["limit"] == 10


def test_an_undeclared_arg_is_refused_with_the_closest_name() -> None:
    with pytest.raises(UsageError) as caught:
        build_args(WRAPPED, [("project_slog", "x")], "acct", key="circleci/p")
    text = str(caught.value)
    assert "job circleci/p declares no argument 'project_slog'" in text
    assert "did you mean project_slug?" in text
    with pytest.raises(UsageError, match="declares no arguments"):
        build_args({}, [("a", "1")], "acct")


def test_an_open_schema_takes_any_arg() -> None:
    schema = {"args_schema": {"type": "object", "additionalProperties": True, "properties": {}}}
    assert build_args(schema, [("anything", "1")], "acct") == {"anything": "1"}


def test_a_schema_outside_the_dialect_is_a_validation_error() -> None:
    with pytest.raises(ValidationFailedError, match="not in Truto's dialect"):
        build_args({"args_schema": {"type": "object", "properties": []}}, [], "acct")


def test_request_for_builds_the_payload() -> None:
    request = request_for("z/j", WRAPPED, "job-1", "acct", ["project_slug=s"])
    assert request == RunRequest(
        "z/j", "job-1", "acct", {"project_slug": "s", "integrated_account_id": "acct"}
    )
    assert request.payload() == {
        "sync_job_id": "job-1",
        "integrated_account_id": "acct",
        "args": {"project_slug": "s", "integrated_account_id": "acct"},
    }
    assert "args" not in request_for("z/j", {}, "job-1", "acct").payload()
    with pytest.raises(UsageError, match="--account"):
        request_for("z/j", {}, "job-1", "  ")


def test_remote_id_comes_from_state_and_a_job_not_in_state_says_apply() -> None:
    state = State("prod").with_entry("z/j", Entry("id-1", "sha256:x"))
    assert remote_id(state, "z/j") == "id-1"
    with pytest.raises(StateError) as caught:
        remote_id(state, "z/other")
    assert caught.value.exit_code == 1
    assert "not managed in environment 'prod'" in str(caught.value)
    assert "syncctl apply" in str(caught.value)


def test_poll_interval_option_then_variable_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYNCCTL_RUN_POLL_INTERVAL", raising=False)
    assert poll_interval() == 2.0
    monkeypatch.setenv("SYNCCTL_RUN_POLL_INTERVAL", "0.25")
    assert poll_interval() == 0.25
    assert poll_interval(1.5) == 1.5
    for bad in ("zero", "0", "-1", "inf"):
        monkeypatch.setenv("SYNCCTL_RUN_POLL_INTERVAL", bad)
        with pytest.raises(UsageError):
            poll_interval()


def test_stats_text_reads_any_shape() -> None:
    assert stats_text(None) == ""
    assert stats_text({}) == ""
    stats = {"tickets": {"list": {"records": 3, "errors": 0}}, "users": 5}
    assert stats_text(stats) == "tickets list: 3 records, 0 errors; users: 5"


# -- the emulator's runs -----------------------------------------------------------------------


def test_a_run_goes_created_running_completed_with_growing_counters(clock: Clock) -> None:
    emulator = make_emulator(clock, start_seconds=0.2, run_seconds=1.0)
    run = new_run(emulator, new_job(emulator))
    assert run["status"] == "created"
    assert run["started_at"] is None
    assert run["finished_at"] is None
    assert PRIVATE not in run
    seen = []
    for at in (0.1, 0.3, 0.9, 1.3):
        clock.seconds = at
        _, now = call(emulator, "GET", f"/sync-job-run/{run['id']}")
        seen.append((now["status"], now["resource_stats"]["ticketing/tickets"]["list"]["records"]))
        assert PRIVATE not in now
    assert [s for s, _ in seen] == ["created", "running", "running", "completed"]
    counts = [n for _, n in seen]
    assert counts == sorted(counts)
    assert counts[0] == 0
    assert counts[-1] > counts[1]
    assert set(now["resource_stats"]) == {"ticketing/tickets", "ticketing/comments"}
    assert now["started_at"] == "2026-03-01T12:00:00.200Z"
    assert now["finished_at"] == "2026-03-01T12:00:01.200Z"


def test_failure_rate_one_fails_every_run_and_zero_none(clock: Clock) -> None:
    failing = make_emulator(clock, failure_rate=1.0)
    passing = make_emulator(clock)
    runs = [new_run(failing, new_job(failing)) for _ in range(3)]
    fine = new_run(passing, new_job(passing))
    clock.seconds = 5
    assert {call(failing, "GET", f"/sync-job-run/{r['id']}")[1]["status"] for r in runs} == {
        "failed"
    }
    assert call(passing, "GET", f"/sync-job-run/{fine['id']}")[1]["status"] == "completed"


def _fates(clock: Clock, seed: int) -> list[str]:
    emulator = make_emulator(clock, failure_rate=0.5, seed=seed)
    job_id = new_job(emulator)
    ids = [new_run(emulator, job_id)["id"] for _ in range(12)]
    clock.seconds += 10
    return [call(emulator, "GET", f"/sync-job-run/{i}")[1]["status"] for i in ids]


def test_a_seeded_failure_rate_gives_the_same_fates(clock: Clock) -> None:
    first, again, other = _fates(clock, 7), _fates(clock, 7), _fates(clock, 8)
    assert first == again
    assert {"completed", "failed"} <= set(first)
    assert first != other


def test_a_rate_limited_spell_pauses_the_counters(clock: Clock) -> None:
    emulator = make_emulator(
        clock,
        start_seconds=0.0,
        run_seconds=1.0,
        rate_limited_rate=1.0,
        rate_limited_seconds=2.0,
    )
    run = new_run(emulator, new_job(emulator))
    path = f"/sync-job-run/{run['id']}"

    def at(seconds: float) -> tuple[str, int]:
        clock.seconds = seconds
        now = call(emulator, "GET", path)[1]
        return now["status"], now["resource_stats"]["ticketing/tickets"]["list"]["records"]

    assert at(0.25)[0] == "running"
    limited_start, limited_end = at(0.6), at(2.4)
    assert limited_start[0] == limited_end[0] == "rate_limited"
    assert limited_start[1] == limited_end[1]  # nothing moves while rate limited
    assert at(2.7)[0] == "running"
    assert at(3.1)[0] == "completed"


def test_schedule_status_at_each_moment() -> None:
    schedule = Schedule(0.0, 1.0, 5.0, "failed", (2.0, 3.0))
    assert [schedule.status_at(t) for t in (0, 1, 2, 2.9, 3, 5)] == [
        "created",
        "running",
        "rate_limited",
        "rate_limited",
        "running",
        "failed",
    ]
    assert schedule.busy_seconds(10) == 3.0
    assert Schedule.from_dict(schedule.to_dict()) == schedule


def test_delete_stops_a_run_and_a_later_get_shows_stopped(clock: Clock) -> None:
    emulator = make_emulator(clock, run_seconds=1.0)
    run = new_run(emulator, new_job(emulator))
    clock.seconds = 0.5
    status, stopped = call(emulator, "DELETE", f"/sync-job-run/{run['id']}")
    assert status == 200
    assert stopped["status"] == "stopped"
    assert stopped["finished_at"] == "2026-03-01T12:00:00.500Z"
    clock.seconds = 30
    assert call(emulator, "GET", f"/sync-job-run/{run['id']}")[1]["status"] == "stopped"
    listed = call(emulator, "GET", "/sync-job-run?status=stopped")[1]["result"]
    assert [r["id"] for r in listed] == [run["id"]]


def test_delete_leaves_a_finished_run_as_it_ended(clock: Clock) -> None:
    emulator = make_emulator(clock)
    run = new_run(emulator, new_job(emulator))
    clock.seconds = 10
    assert call(emulator, "DELETE", f"/sync-job-run/{run['id']}")[1]["status"] == "completed"


def test_runs_persist_in_sqlite_across_a_restart(clock: Clock, tmp_path: Path) -> None:
    db = tmp_path / "e.sqlite3"
    first = make_emulator(clock, Store(db))
    run = new_run(first, new_job(first))
    clock.seconds = 0.3
    call(first, "DELETE", f"/sync-job-run/{run['id']}")
    first.close()
    second = make_emulator(clock, Store(db), run_seconds=0.0)
    clock.seconds = 60
    assert call(second, "GET", f"/sync-job-run/{run['id']}")[1]["status"] == "stopped"
    second.close()


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"integrated_account_id": "a"}, 400, "'sync_job_id' is required"),
        ({"sync_job_id": "JOB"}, 400, "'integrated_account_id' is required"),
        ({"sync_job_id": "JOB", "integrated_account_id": ""}, 400, "must not be empty"),
        (
            {"sync_job_id": "JOB", "integrated_account_id": "a", "webhook_id": "w"}
            | {"daemon_group_key": "d"},
            400,
            "not both",
        ),
        (
            {"sync_job_id": "JOB", "integrated_account_id": "a", "error_handling": "loud"},
            400,
            "fail_fast, ignore, batch",
        ),
        ({"sync_job_id": "JOB", "integrated_account_id": "a", "status": "running"}, 400, "status"),
        ({"sync_job_id": "JOB", "integrated_account_id": "a", "args": []}, 400, "args"),
        ({"sync_job_id": "nope", "integrated_account_id": "a"}, 404, "Sync job nope not found"),
    ],
)
def test_a_bad_create_is_refused(
    clock: Clock, body: dict[str, Any], status: int, words: str
) -> None:
    emulator = make_emulator(clock)
    job_id = new_job(emulator)
    sent = {k: (job_id if v == "JOB" else v) for k, v in body.items()}
    got, answer = call(emulator, "POST", "/sync-job-run", sent)
    assert got == status
    assert words in answer["message"]
    assert set(answer) == {"statusCode", "error", "message"}


def test_create_accepts_status_created_and_defaults_error_handling(clock: Clock) -> None:
    emulator = make_emulator(clock, error_handling="fail_fast")
    run = new_run(emulator, new_job(emulator), status="created", super_query="wnam")
    assert run["error_handling"] == "fail_fast"
    assert run["super_query"] == "wnam"  # runtime 4 extras are kept as sent
    assert run["ignore_previous_run"] is False


def test_another_environment_sees_neither_its_runs_nor_its_jobs(clock: Clock) -> None:
    emulator = make_emulator(clock)
    run = new_run(emulator, new_job(emulator))
    assert call(emulator, "GET", f"/sync-job-run/{run['id']}", token="other")[0] == 404
    assert call(emulator, "GET", "/sync-job-run", token="other")[1]["result"] == []
    body = {"sync_job_id": run["sync_job_id"], "integrated_account_id": "a"}
    assert call(emulator, "POST", "/sync-job-run", body, token="other")[0] == 404
    assert call(emulator, "GET", "/sync-job-run", token="bad")[0] == 401


def test_list_filters_and_pages_never_show_the_schedule(clock: Clock) -> None:
    emulator = make_emulator(clock)
    job_a, job_b = new_job(emulator), new_job(emulator)
    ids_a = [new_run(emulator, job_a)["id"] for _ in range(3)]
    new_run(emulator, job_b)
    status, page = call(emulator, "GET", f"/sync-job-run?sync_job_id={job_a}&limit=2")
    assert status == 200
    assert len(page["result"]) == 2
    assert page["next_cursor"]
    rest = call(
        emulator, "GET", f"/sync-job-run?sync_job_id={job_a}&next_cursor={page['next_cursor']}"
    )
    listed = [r["id"] for r in page["result"] + rest[1]["result"]]
    assert listed == ids_a
    assert all(PRIVATE not in r for r in page["result"])
    clock.seconds = 10
    done = call(emulator, "GET", "/sync-job-run?status=completed")[1]["result"]
    assert len(done) == 4


def test_patch_keeps_the_lifecycle_and_refuses_a_status(clock: Clock) -> None:
    emulator = make_emulator(clock)
    run = new_run(emulator, new_job(emulator))
    path = f"/sync-job-run/{run['id']}"
    status, patched = call(emulator, "PATCH", path, {"args": {"a": 1}})
    assert status == 200
    assert patched["args"] == {"a": 1}
    assert PRIVATE not in patched
    assert call(emulator, "PATCH", path, {"status": "completed"})[0] == 400
    clock.seconds = 10
    assert call(emulator, "GET", path)[1]["status"] == "completed"


def test_faults_apply_to_runs_as_to_jobs(clock: Clock) -> None:
    emulator = make_emulator(clock)
    job_id = new_job(emulator)
    emulator.faults = FaultSettings(
        fail=(FailRule("POST", "collection", status=503, kind="sync_job_run"),)
    )
    body = {"sync_job_id": job_id, "integrated_account_id": "a"}
    assert call(emulator, "POST", "/sync-job-run", body)[0] == 503
    assert call(emulator, "POST", "/sync-job-run", body)[0] == 201
    assert call(emulator, "POST", "/sync-job", JOB)[0] == 201  # the rule names runs only


# -- following a run through the client --------------------------------------------------------


def test_follow_reports_each_change_and_ends_at_the_terminal_status(
    clock: Clock, client_for: Any
) -> None:
    emulator = make_emulator(clock, start_seconds=0.2, run_seconds=1.0, failure_rate=1.0)
    client = client_for(emulator)
    run = start(client, RunRequest("z/j", new_job(emulator), "acct"))
    changes: list[Change] = []
    followed = follow(
        client,
        run,
        timeout=60,
        interval=0.25,
        on_change=changes.append,
        clock=clock.monotonic,
        sleep=clock.sleep,
    )
    assert followed.run.status == "failed"
    assert followed.exit_code == 1
    assert not followed.timed_out
    assert [s for s, _ in followed.history] == ["created", "running", "failed"]
    assert [c.run.status for c in changes if c.status_changed] == ["created", "running", "failed"]
    assert any(not c.status_changed for c in changes)  # counters moved while running
    assert set(clock.sleeps) == {0.25}


def test_follow_stops_waiting_at_the_timeout_and_the_run_goes_on(
    clock: Clock, client_for: Any
) -> None:
    emulator = make_emulator(clock, run_seconds=100.0)
    client = client_for(emulator)
    run = start(client, RunRequest("z/j", new_job(emulator), "acct"))
    followed = follow(
        client, run, timeout=1.0, interval=0.4, clock=clock.monotonic, sleep=clock.sleep
    )
    assert followed.timed_out
    assert followed.exit_code == EXIT_TIMEOUT
    assert followed.run.status == "running"
    assert clock.sleeps == pytest.approx([0.4, 0.4, 0.2])  # never sleeps past the timeout
    assert client.runs.get(run.id).status == "running"


def test_follow_rides_out_429s_through_the_client_retries(clock: Clock, client_for: Any) -> None:
    emulator = make_emulator(clock)
    client = client_for(emulator)
    run = start(client, RunRequest("z/j", new_job(emulator), "acct"))
    emulator.faults = FaultSettings(
        fail=(
            FailRule("GET", "item", nth=1, count=2, status=429, retry_after=1, kind="sync_job_run"),
        )
    )
    followed = follow(
        client, run, timeout=60, interval=0.5, clock=clock.monotonic, sleep=clock.sleep
    )
    assert followed.run.status == "completed"
    assert followed.exit_code == 0
    assert clock.sleeps.count(1.0) >= 1  # the Retry-After was honoured


def test_a_poll_that_keeps_failing_says_the_run_goes_on(clock: Clock, client_for: Any) -> None:
    emulator = make_emulator(clock)
    client = client_for(emulator)
    run = start(client, RunRequest("z/j", new_job(emulator), "acct"))
    emulator.faults = FaultSettings(
        fail=(FailRule("GET", "item", count=99, status=429, retry_after=0, kind="sync_job_run"),)
    )
    with pytest.raises(RateLimitedError) as caught:
        follow(client, run, timeout=60, interval=0.5, clock=clock.monotonic, sleep=clock.sleep)
    assert f"run {run.id} goes on" in str(caught.value)


def test_client_runs_read_a_live_run(clock: Clock, client_for: Any) -> None:
    emulator = make_emulator(clock)
    client = client_for(emulator)
    job_id = new_job(emulator)
    run = start(client, RunRequest("z/j", job_id, "acct", {"a": 1}))
    assert run.sync_job_id == job_id
    assert run.integrated_account_id == "acct"
    assert run["args"] == {"a": 1}
    assert [r.id for r in client.runs.list(sync_job_id=job_id)] == [run.id]
