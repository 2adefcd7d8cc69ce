"""A client-side rate limit shared by every thread that uses one client.

``RateLimiter`` is a token bucket kept as one number, the *theoretical arrival time* of the next
request (GCRA): a caller reserves its slot under a lock and then sleeps outside it, so threads
never hold the lock while waiting and are served in the order they asked. ``burst`` requests may go
at once after an idle period; after that they flow at ``rate_per_s``.

``pause(seconds)`` makes every caller wait until that time has passed (a 429 tells the client it is
over the server's limit: all threads back off together), and the bucket restarts empty, so the
requests after a pause flow at the steady rate rather than as one burst.

``rate_per_s=None`` means no steady limit: only pauses apply. Clock and sleep are injectable.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)
"""Waits: a thread held by another's 429 pause at INFO (``-v``: why nothing moves), the steady
rate's short waits at DEBUG. The thread whose 429 began the pause logged its retry already."""


class RateLimiter:
    def __init__(
        self,
        rate_per_s: float | None,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate_per_s is not None and not rate_per_s > 0:
            raise ValueError("rate_per_s must be positive (or None for no limit)")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self.rate_per_s = rate_per_s
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._interval = 0.0 if rate_per_s is None else 1.0 / rate_per_s
        self._tolerance = (burst - 1) * self._interval
        self._lock = threading.Lock()
        self._tat = clock()  # theoretical arrival time of the next request
        self._paused_until = float("-inf")
        self._paused_by: int | None = None  # the thread whose 429 began the latest pause

    def __repr__(self) -> str:
        return f"RateLimiter(rate_per_s={self.rate_per_s!r}, burst={self.burst!r})"

    def reserve(self) -> float:
        """Take the next slot; return how many seconds the caller must wait before using it."""
        return self._reserve()[0]

    def _reserve(self) -> tuple[float, float, bool]:
        """The wait, the pause known now, and whether the wait is that pause's (not the rate's)."""
        with self._lock:
            now = self._clock()
            start = max(now, self._tat - self._tolerance, self._paused_until)
            self._tat = max(self._tat, start) + self._interval
            return start - now, self._paused_until, start == self._paused_until

    def acquire(self) -> float:
        """Wait for the next slot and for any pause begun meanwhile; return the time waited."""
        wait, known_pause, paused = self._reserve()
        waited = 0.0
        while wait > 0:
            self._log_wait(wait, paused=paused)
            self._sleep(wait)
            waited += wait
            with self._lock:
                if self._paused_until <= known_pause:
                    break  # no new pause began while this caller slept
                known_pause = self._paused_until
                wait = known_pause - self._clock()
                paused = True
        return waited

    def _log_wait(self, seconds: float, *, paused: bool) -> None:
        if not paused:
            logger.debug("waiting %.3fs for the client rate limit", seconds)
        elif self._paused_by == threading.get_ident():
            logger.debug("waiting %.3fs: the 429 this request got paused every request", seconds)
        else:
            logger.info(
                "waiting %.1fs: another request got a 429, every request is paused", seconds
            )

    def pause(self, seconds: float) -> None:
        """Hold every caller for ``seconds`` from now (never shortens a longer pause)."""
        with self._lock:
            until = self._clock() + max(seconds, 0.0)
            if until > self._paused_until:
                self._paused_until = until
                self._paused_by = threading.get_ident()
                # Restart with an empty bucket: after the pause, requests flow at the steady rate.
                self._tat = max(self._tat, until + self._tolerance)

    @property
    def paused_until(self) -> float:
        with self._lock:
            return self._paused_until
