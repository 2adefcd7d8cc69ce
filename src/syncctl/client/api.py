"""``SyncJobClient``: the typed, thread-safe client of the sync-job and workflow APIs over httpx.

One client speaks to every kind's path through a ``Collection`` per kind
(``syncctl.client.collection``): ``client.jobs`` (``/sync-job``; the client's own
``list/get/create/update/delete`` are its calls), ``client.workflows`` (``/workflow``) and
``client.runs`` (``/sync-job-run``, reference §1.5). They
share the one request machinery here: retries, the rate limit, the request counter, the POST rule
and redaction. Objects are returned as models (``LiveJob``, ``LiveWorkflow`` from
``syncctl.client.models``), validated where they enter: a listing one page at a time, with one
``TypeAdapter``. An object that does not fit (a listing entry without ``id``…) is one error line
naming the endpoint and the key path. Fields the model does not type are kept as sent, so the
client never drops a field it does not know.

One client may be shared by many threads: httpx's connection pool is thread-safe, the rate limiter
and the request counter take locks, and no other state changes after construction. Retries,
backoff and the POST rule are described in ``syncctl.client.retry`` and docs/client.md.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import unquote

import httpx

from syncctl import __version__
from syncctl.client.collection import Collection, FilterValue, Page
from syncctl.client.endpoints import JOB_ENDPOINT, RUN_ENDPOINT, WORKFLOW_ENDPOINT
from syncctl.client.failures import (
    Redactor,
    error_from_response,
    invalid_body,
    one_line,
    outcome_unknown,
    transport_error,
)
from syncctl.client.models import LiveJob, LiveRun, LiveWorkflow
from syncctl.client.ratelimit import RateLimiter
from syncctl.client.retry import (
    MAYBE_PROCESSED_STATUSES,
    RetryPolicy,
    Verdict,
    classify_exception,
    classify_status,
    parse_retry_after,
    was_sent,
)
from syncctl.config import check_url
from syncctl.errors import ApiError, OutcomeUnknownError

JobDict = dict[str, Any]
"""A request body (a payload or the fields of a PATCH); answers are models (``LiveJob``…)."""

logger = logging.getLogger("syncctl.client")
"""Retries (INFO) and every request line with its status and milliseconds (DEBUG). The library
only emits records: the CLI installs the one handler (``-v`` INFO, ``-vv`` DEBUG)."""

COLLECTION = JOB_ENDPOINT.path
DEFAULT_PAGE_SIZE = 100
"""Pages as large as Truto's admin API allows (its documented maximum for lists is 100), so a
listing takes as few requests as possible. ``page_size=None`` leaves it to the server."""


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds to wait for a connection, for each read and write, and for a pooled connection."""

    connect: float = 5.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 30.0

    def to_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)

    def to_dict(self) -> dict[str, float]:
        return {"connect": self.connect, "read": self.read, "write": self.write, "pool": self.pool}


class SyncJobClient:
    """CRUD on ``/sync-job`` and ``/workflow`` with retries, a shared rate limit, and errors from
    ``syncctl.errors``.

    ``transport`` replaces the network (``httpx.MockTransport`` in tests, the emulator's
    ``EmbeddedTransport`` for ``embedded:`` URLs). ``sleep``/``clock``/``wall_clock``/``rng`` are
    injectable so tests never wait. ``page_size`` is the ``limit`` of every listing page unless
    a call passes its own. ``token_source`` (e.g. the name of the variable that held the
    token) only improves the hint of an ``AuthError``.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        token_source: str | None = None,
        page_size: int | None = DEFAULT_PAGE_SIZE,
    ) -> None:
        check_url(base_url, where="sync-job API")
        if not token:
            raise ValueError("an API token is required")
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.timeout = timeout or Timeouts()
        self.rate_limiter = rate_limiter or RateLimiter(None, clock=clock, sleep=sleep)
        self._redact = Redactor(token)
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._rng = rng or random.Random()
        self._token_source = token_source
        self.page_size = page_size
        self._count_lock = threading.Lock()
        self._request_count = 0
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=self.timeout.to_httpx(),
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                "User-Agent": f"syncctl/{__version__}",
            },
            follow_redirects=False,
        )
        self.jobs: Collection[LiveJob] = Collection(self, JOB_ENDPOINT)
        """``/sync-job``; the client's own ``list``/``get``/… are these calls."""
        self.workflows: Collection[LiveWorkflow] = Collection(self, WORKFLOW_ENDPOINT)
        """``/workflow``: ``list(trigger_name=…)``, ``get``, ``create``, ``update``, ``delete``."""
        self.runs: Collection[LiveRun] = Collection(self, RUN_ENDPOINT)
        """``/sync-job-run``: ``create`` starts a run, ``get`` reads its status, ``delete``
        stops it, ``list(sync_job_id=…)``."""

    def __repr__(self) -> str:
        return f"SyncJobClient(base_url={self.base_url!r}, token=[REDACTED])"

    # -- lifecycle -----------------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncJobClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def request_count(self) -> int:
        """HTTP requests sent so far (every attempt counts, retries included)."""
        with self._count_lock:
            return self._request_count

    # -- the sync-job API (``self.jobs``) -----------------------------------------------------

    def list_pages(
        self, *, limit: int | None = None, **filters: FilterValue
    ) -> Iterator[Page[LiveJob]]:
        """Every page of ``GET /sync-job``, lazily (see ``Collection.list_pages``)."""
        return self.jobs.list_pages(limit=limit, **filters)

    def list(self, *, limit: int | None = None, **filters: FilterValue) -> Iterator[LiveJob]:
        """Every job matching ``filters`` (e.g. ``integration_name``), across all pages, lazily."""
        return self.jobs.list(limit=limit, **filters)

    def get(self, job_id: str) -> LiveJob:
        return self.jobs.get(job_id)

    def create(self, payload: Mapping[str, Any]) -> LiveJob:
        """POST a new job. Never retried once it may have reached the server: an unknown outcome
        raises ``OutcomeUnknownError`` and the caller looks the job up before trying again."""
        return self.jobs.create(payload)

    def update(self, job_id: str, fields: Mapping[str, Any]) -> LiveJob:
        """PATCH the given top-level fields (send complete values: that is what makes it safe
        to retry)."""
        return self.jobs.update(job_id, fields)

    def delete(self, job_id: str) -> dict[str, str]:
        """DELETE a job; ``{"id": …}``. A 404 on a retry after a lost response counts as done."""
        return self.jobs.delete(job_id)

    # -- one request, with retries -------------------------------------------------------------

    def _count(self) -> None:
        with self._count_lock:
            self._request_count += 1

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        lookup: str = JOB_ENDPOINT.lookup,
    ) -> httpx.Response:
        """One request, retried as ``syncctl.client.retry`` decides; ``lookup`` is the hint of an
        ``OutcomeUnknownError`` (how to find what a lost write may have created)."""
        policy = self.retry
        shown = self._redact(path)  # for log lines: an id may be anything, even the token
        where = self._where(path, params)  # the full URL, for the log records only
        attempt = 0
        maybe_processed = False  # an earlier attempt may have reached the server and acted
        content = None if body is None else json.dumps(dict(body)).encode()
        headers = {"Content-Type": "application/json"} if content is not None else None
        while True:
            attempt += 1
            self.rate_limiter.acquire()
            self._count()
            started = time.perf_counter()
            try:
                response = self._http.request(
                    method, path, params=params, content=content, headers=headers
                )
            except httpx.HTTPError as exc:
                verdict = classify_exception(method, exc)
                reason = f"{type(exc).__name__}: {one_line(str(exc))}"
                logger.debug(
                    "%s %s -> %s (%d ms)", method, where, self._redact(reason), _ms(started)
                )
                if verdict is Verdict.UNKNOWN:
                    logger.warning(
                        "%s %s: %s; outcome unknown", method, shown, self._redact(reason)
                    )
                    raise self._unknown(method, path, reason, lookup) from None
                if verdict is Verdict.FAIL or attempt >= policy.max_attempts:
                    raise transport_error(
                        method, shown, exc, redact=self._redact, attempts=attempt
                    ) from None
                maybe_processed = maybe_processed or was_sent(exc)
                self._wait(method, where, attempt, reason, policy.delay(attempt, self._rng, None))
                continue
            status = response.status_code
            logger.debug("%s %s -> %d (%d ms)", method, where, status, _ms(started))
            if 200 <= status < 300:
                return response
            if status == 404 and method == "DELETE" and maybe_processed:
                logger.info("%s %s -> 404 after a lost response: already deleted", method, shown)
                return response
            retry_after_header = response.headers.get("Retry-After")
            retry_after = parse_retry_after(retry_after_header, now=self._wall_clock())
            delay = policy.delay(attempt, self._rng, retry_after)
            if status == 429:
                # Over the server's limit: every thread sharing the limiter backs off together
                # (even when this request gives up); the next acquire() does the waiting.
                self.rate_limiter.pause(delay)
            verdict = classify_status(method, status)
            if verdict is Verdict.UNKNOWN:
                logger.warning("%s %s: %d; outcome unknown", method, shown, status)
                raise self._unknown(method, path, f"server answered {status}", lookup, status)
            if verdict is Verdict.FAIL or attempt >= policy.max_attempts:
                raise error_from_response(
                    method,
                    shown,
                    response,
                    redact=self._redact,
                    attempts=attempt,
                    token_source=self._token_source,
                )
            maybe_processed = maybe_processed or status in MAYBE_PROCESSED_STATUSES
            reason = f"{status} {response.reason_phrase}"
            if status == 429:  # the phrase as the RFC has it, whatever the server sent
                reason = "429 Too Many Requests"
            why = _retry_after_text(retry_after_header, retry_after, policy.max_retry_after)
            if status == 429:
                self._log_retry(method, where, attempt, reason, delay, why)
            else:
                self._wait(method, where, attempt, reason, delay, why)

    def _wait(
        self,
        method: str,
        where: str,
        attempt: int,
        reason: str,
        delay: float,
        why: str = "",
    ) -> None:
        self._log_retry(method, where, attempt, reason, delay, why)
        if delay > 0:
            self._sleep(delay)

    def _log_retry(
        self,
        method: str,
        where: str,
        attempt: int,
        reason: str,
        delay: float,
        why: str = "",
    ) -> None:
        """``retrying GET https://…/sync-job: 429 Too Many Requests; retry 1 of 4 in 2.000s
        (Retry-After 2)``: which request waits, why, how long and on whose word — the line
        ``-v`` shows while apply waits out a refusal. (A 429's wait happens in the shared rate
        limiter, so every thread backs off; the others log their wait there.)"""
        after = f" ({self._redact(why)})" if why else ""
        logger.info(
            "retrying %s %s: %s; retry %d of %d in %.3fs%s",
            method,
            where,
            self._redact(reason),
            attempt,
            self.retry.max_attempts - 1,
            delay,
            after,
        )

    def _where(self, path: str, params: Mapping[str, str] | None) -> str:
        """The request's URL as log records show it: query included, percent-escapes decoded
        and the token removed (an id or a filter may be anything, even the token). An embedded
        client's base (a ``.invalid`` host, never resolved) is left out: only the path shows."""
        url = self._http.base_url.join(path)
        if params:
            url = url.copy_merge_params(dict(params))
        text = str(url)
        if url.host.endswith(".invalid"):
            text = url.raw_path.decode("ascii", "replace")
        return self._redact(unquote(self._redact(text)))

    # -- bodies --------------------------------------------------------------------------------

    def _unknown(
        self, method: str, path: str, cause: str, lookup: str, status: int = 0
    ) -> OutcomeUnknownError:
        """An ``OutcomeUnknownError`` whose hint says how to find what may have been written."""
        shown = self._redact(path)
        error = outcome_unknown(method, shown, cause, redact=self._redact, status=status)
        error.hint = lookup
        return error

    def _decode(
        self, method: str, path: str, response: httpx.Response, lookup: str = JOB_ENDPOINT.lookup
    ) -> Any:
        try:
            return json.loads(response.content)
        except (ValueError, UnicodeDecodeError) as exc:
            if method == "POST":
                cause = f"{response.status_code} with an unreadable body"
                raise self._unknown(method, path, cause, lookup, response.status_code) from None
            raise self._invalid(method, path, f"not JSON: {exc}", response.status_code) from None

    def _invalid(self, method: str, path: str, why: str, status: int) -> ApiError:
        """A 2xx answer whose body is not what the API promises."""
        return invalid_body(method, self._redact(path), why, redact=self._redact, status=status)

    def redact(self, text: str) -> str:
        """``text`` without the token: for log records of the collections built on this client."""
        return self._redact(text)


def _ms(started: float) -> int:
    """Milliseconds since ``started`` (``time.perf_counter``): the request line's duration."""
    return round((time.perf_counter() - started) * 1000)


def _retry_after_text(header: str | None, seconds: float | None, cap: float) -> str:
    """``Retry-After 2`` as the server sent it (an HTTP date stays a date), marked when it was
    unreadable (the backoff was used) or capped; empty without the header."""
    if header is None:
        return ""
    text = f"Retry-After {one_line(header, 40)}"
    if seconds is None:
        return f"{text}: unreadable, backoff used"
    return f"{text}, capped at {cap:g}s" if seconds > cap else text
