"""When to try a request again, and how long to wait first.

``RetryPolicy`` is a frozen value: how many attempts, and the exponential backoff with full jitter
between them (``uniform(0, min(max_delay, base_delay * 2 ** (retry - 1)))``). A ``Retry-After``
header, in seconds or as an HTTP date, replaces the computed delay, capped by
``max_retry_after``.

Which failures are retried for which method is decided by ``classify_*`` here, in one place:

* a refusal (429, 503) never processed the request: retried for every method, POST included;
* 500/502/504 and a connection lost after the request was sent (read timeout, read/write error,
  protocol error) may have processed it: retried for GET, PATCH and DELETE (idempotent: the
  client PATCHes complete top-level values, so the same PATCH twice leaves the same job), but a
  POST becomes *outcome unknown* — retrying it blindly could create a duplicate job;
* a failure to connect (nothing was sent) is retried for every method.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PATCH", "DELETE", "PUT"})
REFUSAL_STATUSES = frozenset({429, 503})
MAYBE_PROCESSED_STATUSES = frozenset({500, 502, 504})

# httpx errors raised before any byte of the request left this machine.
_NOT_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ProxyError,
)
# httpx errors that say nothing could ever work (our bug or an unusable URL): never retried.
_PERMANENT: tuple[type[Exception], ...] = (
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
    httpx.TooManyRedirects,
)


class Verdict(enum.Enum):
    """What to do after one failed attempt."""

    RETRY = "retry"  # safe to send again
    UNKNOWN = "unknown"  # a write may have happened: give up with OutcomeUnknownError
    FAIL = "fail"  # give up with the mapped error


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retry budget and backoff. ``max_attempts`` counts the first try (1 = never retry)."""

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 60.0
    jitter: bool = True

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.max_retry_after < 0:
            raise ValueError("delays must not be negative")

    def backoff(self, retry: int, rng: random.Random) -> float:
        """The delay before retry number ``retry`` (1 = the first retry)."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** (retry - 1))
        return rng.uniform(0.0, ceiling) if self.jitter else ceiling

    def delay(self, retry: int, rng: random.Random, retry_after: float | None) -> float:
        """The server's ``Retry-After`` (capped) when it sent one, else the backoff."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        return self.backoff(retry, rng)

    def to_dict(self) -> dict[str, object]:
        return {
            "max_attempts": self.max_attempts,
            "base_delay": self.base_delay,
            "max_delay": self.max_delay,
            "max_retry_after": self.max_retry_after,
            "jitter": self.jitter,
        }


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date).

    ``None`` if absent or unreadable; ``now`` is the wall-clock time an HTTP date is measured from.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN is unreadable
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - datetime.fromtimestamp(now, UTC).timestamp())


def was_sent(exc: httpx.HTTPError) -> bool:
    """Whether the request may have reached the server before ``exc`` happened."""
    return not isinstance(exc, _NOT_SENT + _PERMANENT)


def classify_status(method: str, status: int) -> Verdict:
    """What a non-2xx status means for ``method``."""
    if status in REFUSAL_STATUSES:
        return Verdict.RETRY
    if status in MAYBE_PROCESSED_STATUSES:
        return Verdict.RETRY if method in IDEMPOTENT_METHODS else Verdict.UNKNOWN
    return Verdict.FAIL  # other 4xx, and 501/505/…: sending it again cannot help


def classify_exception(method: str, exc: httpx.HTTPError) -> Verdict:
    """What a transport failure means for ``method``."""
    if isinstance(exc, _PERMANENT):
        return Verdict.FAIL
    if isinstance(exc, _NOT_SENT):
        return Verdict.RETRY
    # Read/write timeouts, read/write errors, protocol errors, a body that cannot be decoded:
    # the request may have reached the server and been processed.
    return Verdict.RETRY if method in IDEMPOTENT_METHODS else Verdict.UNKNOWN
