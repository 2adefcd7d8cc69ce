"""Fault injection for the emulator: what the network and a busy API do to a client.

``FaultSettings`` is a frozen value (set it on a running emulator: ``emulator.faults = ...``);
``FaultState`` is the mutable side (counters, seeded RNG, token buckets) that the emulator
rebuilds each time the settings change, so counts such as "the 3rd GET page" start afresh.

Faults apply to every kind's paths alike (``/sync-job``, ``/workflow``); a ``FailRule`` may
name one kind. Per authenticated request, in this order:

1. ``latency_ms`` is added (before anything else);
2. the per-token bucket (``rate_limit=(N, SECONDS)``) answers 429 when empty, with a computed
   ``Retry-After``;
3. 429 bursts: ``burst_429_next`` (the next K requests) and ``burst_429_every`` (every Nth);
4. ``fail`` rules (the Nth matching request: an error status, or a drop after commit);
5. ``error_rate``: a 5xx with that probability (seeded RNG);
6. after the request was handled and committed, ``drop_after_commit_rate`` (writes only) or a
   drop rule cuts the connection instead of answering.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from syncctl.errors import UsageError

WRITE_METHODS = frozenset({"POST", "PATCH", "DELETE"})
DROP = 0
"""``FailRule.status`` value meaning: handle the request, then cut the connection."""


@dataclass(frozen=True, slots=True)
class FailRule:
    """Fail the ``nth`` (1-based) request matching ``method``, ``route`` and ``kind``,
    ``count`` times.

    ``route`` is ``"collection"`` (``/sync-job``, ``/workflow``), ``"item"``
    (``/sync-job/{id}``, ``/workflow/{id}``) or ``"*"``; ``kind`` is the name of the kind the
    path serves (``"sync_job"``, ``"workflow"``) or ``"*"`` (any kind, counted together).
    ``status`` is the HTTP status to answer (e.g. 500, 503, 429) or ``DROP`` (0): the request
    is carried out and the connection is cut before the response.
    Example: ``FailRule("GET", "collection", nth=2)`` fails the second list page request;
    ``FailRule("POST", "collection", status=DROP, kind="workflow")`` loses the answer of the
    first workflow create.
    """

    method: str = "*"
    route: str = "*"
    nth: int = 1
    count: int = 1
    status: int = 500
    retry_after: int | None = None
    kind: str = "*"

    def matches(self, method: str, route: str, kind: str) -> bool:
        return (
            self.method in ("*", method) and self.route in ("*", route) and self.kind in ("*", kind)
        )


@dataclass(frozen=True, slots=True)
class FaultSettings:
    """Every fault is off by default."""

    latency_ms: float = 0.0
    error_rate: float = 0.0
    error_status: int = 500
    burst_429_every: int = 0
    burst_429_next: int = 0
    retry_after: int = 1
    rate_limit: tuple[int, float] | None = None
    drop_after_commit_rate: float = 0.0
    fail: tuple[FailRule, ...] = ()
    seed: int | None = None

    def __post_init__(self) -> None:
        for name in ("error_rate", "drop_after_commit_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise UsageError(f"{name} must be a probability between 0 and 1, not {value}")
        if self.latency_ms < 0:
            raise UsageError("latency_ms must not be negative")
        if not 500 <= self.error_status <= 599:
            raise UsageError(f"error_status must be a 5xx status, not {self.error_status}")
        if self.burst_429_every < 0 or self.burst_429_next < 0 or self.retry_after < 0:
            raise UsageError("429 burst settings must not be negative")
        if self.rate_limit is not None:
            requests, seconds = self.rate_limit
            if requests < 1 or seconds <= 0:
                raise UsageError("rate_limit needs at least 1 request per a positive period")


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the faults decide for one request before it is handled."""

    status: int | None = None  # an injected error status, or None: handle normally
    retry_after: int | None = None
    message: str = ""
    drop_after: bool = False  # handle, commit, then cut the connection


@dataclass(slots=True)
class _Bucket:
    level: float
    stamp: float


@dataclass
class FaultState:
    """Counters, RNG and token buckets for one ``FaultSettings``; thread-safe."""

    settings: FaultSettings
    clock: Callable[[], float] = time.monotonic
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _requests: int = 0
    _rule_hits: list[int] = field(default_factory=list)
    _buckets: dict[str, _Bucket] = field(default_factory=dict, repr=False)
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        self._rule_hits = [0] * len(self.settings.fail)
        self._rng = random.Random(self.settings.seed)

    def decide(self, method: str, route: str, token: str, kind: str = "sync_job") -> Verdict:
        """The verdict for one authenticated request to ``route`` of ``kind``'s path."""
        s = self.settings
        with self._lock:
            self._requests += 1
            n = self._requests
            if s.rate_limit is not None:
                wait = self._take(token, *s.rate_limit)
                if wait is not None:
                    return Verdict(429, wait, "Rate limit exceeded")
            if n <= s.burst_429_next or (s.burst_429_every and n % s.burst_429_every == 0):
                return Verdict(429, s.retry_after, "Too many requests (injected)")
            drop = False
            for index, rule in enumerate(s.fail):
                if not rule.matches(method, route, kind):
                    continue
                self._rule_hits[index] += 1
                hit = self._rule_hits[index]
                if rule.nth <= hit < rule.nth + rule.count:
                    if rule.status == DROP:
                        drop = True
                    else:
                        return Verdict(rule.status, rule.retry_after, "Injected failure")
            if s.error_rate and self._rng.random() < s.error_rate:
                return Verdict(s.error_status, None, "Injected server error")
            if method in WRITE_METHODS and s.drop_after_commit_rate:
                drop = drop or self._rng.random() < s.drop_after_commit_rate
            return Verdict(drop_after=drop)

    def _take(self, token: str, requests: int, seconds: float) -> int | None:
        """Take one token from ``token``'s bucket; the whole seconds to wait if it is empty."""
        now = self.clock()
        rate = requests / seconds
        bucket = self._buckets.get(token)
        if bucket is None:
            bucket = self._buckets[token] = _Bucket(float(requests), now)
        bucket.level = min(float(requests), bucket.level + (now - bucket.stamp) * rate)
        bucket.stamp = now
        if bucket.level >= 1.0:
            bucket.level -= 1.0
            return None
        return max(1, math.ceil((1.0 - bucket.level) / rate))


def parse_rate_limit(text: str) -> tuple[int, float]:
    """``"500/10"`` -> ``(500, 10.0)``: N requests per SECONDS."""
    requests, sep, seconds = text.partition("/")
    try:
        value = (int(requests), float(seconds) if sep else 1.0)
    except ValueError:
        raise UsageError(f"rate limit {text!r} is not N/SECONDS (e.g. 500/10)") from None
    if value[0] < 1 or value[1] <= 0:
        raise UsageError(f"rate limit {text!r} needs N >= 1 and SECONDS > 0")
    return value


def parse_burst(text: str) -> tuple[int, int]:
    """``"every:N"`` or ``"next:K"`` -> ``(every, next)``."""
    kind, _, number = text.partition(":")
    try:
        count = int(number)
    except ValueError:
        count = -1
    if kind not in ("every", "next") or count < 1:
        raise UsageError(f"429 burst {text!r} is not every:N or next:K (N, K >= 1)")
    return (count, 0) if kind == "every" else (0, count)
