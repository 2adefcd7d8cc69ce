"""The emulator's one request handler, free of any transport.

``Emulator.handle(method, path_with_query, headers, body) -> Response`` implements the sync-job
and workflow API as the reference's emulator contract describes it (§1, §1.6, §2, §7.3). The
path picks the resource (``resources.RESOURCES``: one per kind); everything else is shared:

- ``GET /sync-job``, ``GET /workflow``: ``{"result": [...], "next_cursor": str | null}`` in
  creation order; filters ``environment_id`` and the resource's own (``integration_name``,
  ``id`` and ``id[in]=a,b`` for jobs; ``trigger_name`` for workflows); ``limit`` (default and
  maximum are settings; above the maximum: clamped or 400); an empty ``next_cursor`` means the
  first page; a non-null cursor is never sent with an empty page.
- ``POST /sync-job``, ``GET/PATCH/DELETE /sync-job/{id}``, and the same under ``/workflow``
  and ``/sync-job-run`` (reference §1.5). A run must name a job of the token's environment
  (else 404); its status follows a simulated lifecycle (``syncctl.emulator.runs``,
  ``EmulatorSettings.runs``), brought up to date on every read; DELETE stops it (the run
  stays, ``stopped``). Runs are listed with filters ``sync_job_id``, ``integrated_account_id``
  and ``status``.
  Fields are checked, defaulted and ordered by the kind's table; a workflow's ``trigger_name``
  must be one of ``EmulatorSettings.known_triggers`` (else 404, Truto's ``NotFoundError``).
  Deleting a job that a workflow names is allowed, as on Truto.
- Bearer tokens each belong to one environment; another environment's objects answer 404.
- Every response, errors included, is JSON with ``Content-Type: application/json``; errors are
  ``{"statusCode", "error", "message"}``.

A response with ``drop=True`` was committed but must not reach the client: the front cuts the
connection (fault "drop after commit").
"""

from __future__ import annotations

import json
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from syncctl.emulator import LOCAL_ENVIRONMENT_ID, LOCAL_TOKEN
from syncctl.emulator.faults import FaultSettings, FaultState
from syncctl.emulator.jobs import (
    Invalid,
    ReadOnlyFields,
    UnknownFields,
    check_fields,
    merged,
    new_job,
)
from syncctl.emulator.resources import Resource, resource_at
from syncctl.emulator.runs import RunSettings, advance, begin, check_create, plan_schedule, public
from syncctl.emulator.runs import stop as stop_run
from syncctl.emulator.store import Store
from syncctl.emulator.wire import (
    JSON_TYPE,
    Response,
    decode_cursor,
    encode_cursor,
    error_response,
    json_response,
)
from syncctl.errors import UsageError

__all__ = ["Emulator", "EmulatorSettings", "Response", "error_response", "json_response"]
DEFAULT_TRIGGERS: tuple[str, ...] = ("integrated_account:active",)
"""The triggers a workflow may name when nothing else is configured (design §9)."""
ALLOW = {"collection": "GET, POST", "item": "GET, PATCH, DELETE"}


@dataclass(frozen=True, slots=True)
class EmulatorSettings:
    """Behaviour of the emulator, including the choices the reference leaves open."""

    tokens: Mapping[str, str] = field(default_factory=lambda: {LOCAL_TOKEN: LOCAL_ENVIRONMENT_ID})
    page_size_default: int = 25
    page_size_max: int = 100
    limit_over_max: Literal["clamp", "reject"] = "clamp"
    default_runtime_version: int = 3
    unknown_fields: UnknownFields = "store"
    read_only_fields: ReadOnlyFields = "reject"
    create_status: int = 201
    max_body_bytes: int = 1 << 20
    known_triggers: Sequence[str] = DEFAULT_TRIGGERS
    runs: RunSettings = field(default_factory=RunSettings)

    def __post_init__(self) -> None:
        object.__setattr__(self, "known_triggers", tuple(self.known_triggers))
        if not 1 <= self.page_size_default <= self.page_size_max:
            raise UsageError("need 1 <= page_size_default <= page_size_max")
        if not 1 <= self.default_runtime_version <= 4:
            raise UsageError("default_runtime_version must be 1..4")

    def __repr__(self) -> str:  # never show tokens
        return f"EmulatorSettings(tokens=<{len(self.tokens)} redacted>, ...)"


class _Error(Exception):
    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _parse_stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


class Emulator:
    """The sync-job and workflow API over a ``Store``; thread-safe. Set ``faults`` at any
    time."""

    def __init__(
        self,
        settings: EmulatorSettings | None = None,
        store: Store | None = None,
        *,
        faults: FaultSettings | None = None,
        clock: Callable[[], datetime] = _now,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self.settings = settings or EmulatorSettings()
        self.store = store if store is not None else Store(":memory:")
        self._clock = clock
        self._sleep = sleep
        self._new_id = new_id
        self._write_lock = threading.Lock()
        self._monotonic = monotonic
        self._fault_state = FaultState(faults or FaultSettings(), monotonic)
        self._run_rng = random.Random(self.settings.runs.seed)

    @property
    def faults(self) -> FaultSettings:
        return self._fault_state.settings

    @faults.setter
    def faults(self, value: FaultSettings) -> None:
        self._fault_state = FaultState(value, self._monotonic)

    def close(self) -> None:
        self.store.close()

    def handle(
        self, method: str, raw_path_with_query: str, headers: Mapping[str, str], body: bytes
    ) -> Response:
        method = method.upper()
        try:
            resource, route, job_id, query = self._route(raw_path_with_query)
            token = self._token(headers)
            environment = self.settings.tokens[token]
            state = self._fault_state
            if state.settings.latency_ms:
                self._sleep(state.settings.latency_ms / 1000.0)
            if method not in ALLOW[route].split(", "):
                raise _Error(405, f"Method {method} not allowed", {"Allow": ALLOW[route]})
            verdict = state.decide(method, route, token, resource.kind.name)
            if verdict.status is not None:
                wait = verdict.retry_after
                extra = {} if wait is None else {"Retry-After": str(wait)}
                return error_response(verdict.status, verdict.message, extra)
            response = self._dispatch(resource, method, job_id, query, body, environment)
            if verdict.drop_after:
                return Response(response.status, response.headers, response.body, drop=True)
            return response
        except _Error as exc:
            return error_response(exc.status, exc.message, exc.headers)

    # -- request parsing -------------------------------------------------------------------

    def _route(
        self, raw: str
    ) -> tuple[Resource, Literal["collection", "item"], str | None, dict[str, str]]:
        parts = urlsplit(raw)
        path = parts.path.rstrip("/") or "/"
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        found = resource_at(path)
        if found is None:
            raise _Error(404, f"Route {parts.path} not found")
        resource, raw_id = found
        if raw_id is None:
            return resource, "collection", None, query
        return resource, "item", unquote(raw_id), query

    def _token(self, headers: Mapping[str, str]) -> str:
        value = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
        if value is None:
            raise _Error(401, "Missing Authorization header")
        scheme, _, token = value.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise _Error(401, "Authorization must be a Bearer token")
        if token not in self.settings.tokens:
            raise _Error(401, "Invalid API token")
        return token

    def _body(self, body: bytes) -> dict[str, Any]:
        if len(body) > self.settings.max_body_bytes:
            raise _Error(413, "Request body too large")
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise _Error(400, "Request body must be valid JSON") from None
        if not isinstance(data, dict):
            raise _Error(400, "Request body must be a JSON object")
        return data

    def _check(
        self, resource: Resource, body: dict[str, Any], current: Mapping[str, Any]
    ) -> dict[str, Any]:
        try:
            return check_fields(
                body,
                current,
                unknown=self.settings.unknown_fields,
                read_only=self.settings.read_only_fields,
                kind=resource.kind,
            )
        except Invalid as exc:
            raise _Error(400, str(exc)) from None

    def _check_trigger(self, resource: Resource, fields: Mapping[str, Any]) -> None:
        """404 when ``fields`` set the resource's trigger field to a trigger that does not exist
        (after the 400 checks, as the API looks the trigger up only in a valid body)."""
        name = resource.trigger_field
        if name is None or name not in fields:
            return
        known = self.settings.known_triggers
        if fields[name] not in known:
            listed = ", ".join(known) or "none"
            raise _Error(404, f"Trigger {fields[name]} not found (known triggers: {listed})")

    def _timestamp(self, after: str | None = None) -> str:
        moment = self._clock()
        if after is not None:  # updated_at always moves forward, even within a millisecond
            moment = max(moment, _parse_stamp(after) + timedelta(milliseconds=1))
        return _stamp(moment)

    # -- endpoints -------------------------------------------------------------------------

    def _dispatch(
        self,
        resource: Resource,
        method: str,
        job_id: str | None,
        query: dict[str, str],
        body: bytes,
        env: str,
    ) -> Response:
        if resource.runs:
            return self._dispatch_run(resource, method, job_id, query, body, env)
        if job_id is None:
            if method == "GET":
                return self._list(resource, query, env)
            return self._create(resource, body, env)
        if method == "GET":
            return json_response(200, self._get(resource, job_id, env))
        if method == "PATCH":
            return self._update(resource, job_id, body, env)
        return self._delete(resource, job_id, env)

    def _list(self, resource: Resource, query: dict[str, str], env: str) -> Response:
        s = self.settings
        limit = s.page_size_default
        if query.get("limit", ""):
            try:
                limit = int(query["limit"])
            except ValueError:
                raise _Error(400, "'limit' must be a positive integer") from None
            if limit < 1:
                raise _Error(400, "'limit' must be a positive integer")
            if limit > s.page_size_max:
                if s.limit_over_max == "reject":
                    raise _Error(400, f"'limit' must be at most {s.page_size_max}")
                limit = s.page_size_max
        cursor = query.get("next_cursor", "")
        try:
            after = decode_cursor(cursor) if cursor else 0
        except ValueError:
            raise _Error(400, "Invalid next_cursor") from None
        requested_env = query.get("environment_id")
        if requested_env is not None and requested_env != env:
            return json_response(200, {"result": [], "next_cursor": None})
        ids: list[str] | None = None
        if resource.id_filters and "id[in]" in query:
            ids = [part for part in query["id[in]"].split(",") if part]
        if resource.id_filters and "id" in query:
            ids = [query["id"]] if ids is None or query["id"] in ids else []
        equal = {name: query[name] for name in resource.filters if name in query}
        page = self.store.page(
            env, after=after, limit=limit, kind=resource.kind.name, equal=equal, ids=ids
        )
        raw = page.raw
        if resource.runs:  # never show a run's private schedule
            raw = tuple(json.dumps(public(run), separators=(",", ":")) for run in page.jobs)
        cursor_json = "null" if page.next_after is None else f'"{encode_cursor(page.next_after)}"'
        body = '{"result":[' + ",".join(raw) + '],"next_cursor":' + cursor_json + "}"
        return Response(200, {"Content-Type": JSON_TYPE}, body.encode())

    def _get(self, resource: Resource, job_id: str, env: str) -> dict[str, Any]:
        job = self.store.get(env, job_id, kind=resource.kind.name)
        if job is None:
            raise _Error(404, f"{resource.noun} {job_id} not found")
        return job

    def _create(self, resource: Resource, body: bytes, env: str) -> Response:
        fields = self._check(resource, self._body(body), {"environment_id": env})
        job = self._new(resource, fields, env)
        self._check_trigger(resource, fields)
        self.store.insert(job, kind=resource.kind.name)
        return json_response(self.settings.create_status, job)

    def _new(self, resource: Resource, fields: dict[str, Any], env: str) -> dict[str, Any]:
        """A new object of ``resource`` from checked ``fields``: its id, timestamps and defaults
        stamped (one place for jobs, workflows and runs, so they are stamped alike); 400 when
        ``fields`` cannot make one."""
        try:
            return new_job(
                fields,
                job_id=self._new_id(),
                environment_id=env,
                now=self._timestamp(),
                default_runtime_version=self.settings.default_runtime_version,
                kind=resource.kind,
            )
        except Invalid as exc:
            raise _Error(400, str(exc)) from None

    def _update(self, resource: Resource, job_id: str, body: bytes, env: str) -> Response:
        data = self._body(body)
        kind = resource.kind
        with self._write_lock:  # read-modify-write of one object must not interleave
            job = self._get(resource, job_id, env)
            fields = self._check(resource, data, job)
            self._check_trigger(resource, fields)
            now = self._timestamp(after=job["updated_at"])
            updated = merged(job, fields, now=now, kind=kind)
            if not self.store.replace(env, updated, kind=kind.name):
                raise _Error(404, f"{resource.noun} {job_id} not found")
        return json_response(200, updated)

    def _delete(self, resource: Resource, job_id: str, env: str) -> Response:
        if not self.store.delete(env, job_id, kind=resource.kind.name):
            raise _Error(404, f"{resource.noun} {job_id} not found")
        return json_response(200, {"id": job_id})

    # -- sync-job runs (reference §1.5) -------------------------------------------------------

    def _dispatch_run(
        self,
        resource: Resource,
        method: str,
        run_id: str | None,
        query: dict[str, str],
        body: bytes,
        env: str,
    ) -> Response:
        """``/sync-job-run``: the shared CRUD, with every run brought up to date first."""
        if run_id is None:
            if method == "GET":
                self._refresh_runs(resource, env)
                return self._list(resource, query, env)
            return self._create_run(resource, body, env)
        if method == "GET":
            return json_response(200, public(self._current_run(resource, run_id, env)))
        if method == "PATCH":
            self._current_run(resource, run_id, env)
            response = self._update(resource, run_id, body, env)
            return json_response(200, public(response.json()))
        with self._write_lock:
            run = self._get(resource, run_id, env)
            stopped = stop_run(run, self._clock().timestamp())
            self._store_run(resource, env, run, stopped)
        return json_response(200, public(stopped))

    def _create_run(self, resource: Resource, body: bytes, env: str) -> Response:
        try:
            data = check_create(self._body(body))
        except Invalid as exc:
            raise _Error(400, str(exc)) from None
        if "error_handling" not in data:
            data["error_handling"] = self.settings.runs.error_handling
        fields = self._check(resource, data, {"environment_id": env})
        run = self._new(resource, fields, env)
        job = self.store.get(env, run["sync_job_id"])
        if job is None:
            raise _Error(404, f"Sync job {run['sync_job_id']} not found")
        with self._write_lock:  # the draws happen in creation order (a seeded RNG)
            schedule = plan_schedule(
                self.settings.runs, self._run_rng, self._clock().timestamp(), job
            )
        run = begin(run, schedule)
        self.store.insert(run, kind=resource.kind.name)
        return json_response(self.settings.create_status, public(run))

    def _current_run(self, resource: Resource, run_id: str, env: str) -> dict[str, Any]:
        """The run as it is now (its new status stored, so a restart keeps it)."""
        with self._write_lock:
            run = self._get(resource, run_id, env)
            now = advance(run, self._clock().timestamp())
            self._store_run(resource, env, run, now)
        return now

    def _refresh_runs(self, resource: Resource, env: str) -> None:
        """Bring every unfinished run of ``env`` up to date, so list filters see today's
        status."""
        now = self._clock().timestamp()
        after = 0
        with self._write_lock:
            while True:
                page = self.store.page(env, after=after, limit=500, kind=resource.kind.name)
                for run in page.jobs:
                    self._store_run(resource, env, run, advance(run, now))
                if page.next_after is None:
                    return
                after = page.next_after

    def _store_run(
        self, resource: Resource, env: str, before: dict[str, Any], after: dict[str, Any]
    ) -> None:
        if after != before:
            self.store.replace(env, after, kind=resource.kind.name)
