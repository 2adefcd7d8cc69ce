"""The shared token bucket: N requests in T, bursts, pauses on 429, many threads."""

from __future__ import annotations

import threading

import pytest
from client_fakes import FakeApi, FakeClock, status

from syncctl.client import RateLimiter, RetryPolicy
from syncctl.errors import RateLimitedError


def test_steady_rate_lets_n_requests_through_in_n_minus_one_intervals(clock: FakeClock) -> None:
    limiter = RateLimiter(10.0, burst=1, clock=clock, sleep=clock.sleep)
    start = clock.now

    times = []
    for _ in range(50):
        limiter.acquire()
        times.append(clock.now - start)

    assert times == pytest.approx([i * 0.1 for i in range(50)])


def test_burst_goes_at_once_then_the_steady_rate(clock: FakeClock) -> None:
    limiter = RateLimiter(2.0, burst=5, clock=clock, sleep=clock.sleep)
    start = clock.now

    times = []
    for _ in range(9):
        limiter.acquire()
        times.append(clock.now - start)

    assert times == pytest.approx([0, 0, 0, 0, 0, 0.5, 1.0, 1.5, 2.0])


def test_an_idle_period_refills_the_bucket_up_to_the_burst_only(clock: FakeClock) -> None:
    limiter = RateLimiter(1.0, burst=3, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        limiter.acquire()
    clock.now += 100.0  # idle

    waits = [limiter.acquire() for _ in range(5)]

    assert waits == pytest.approx([0, 0, 0, 1.0, 1.0])


def test_requests_in_a_window_never_exceed_rate_times_window_plus_burst(clock: FakeClock) -> None:
    limiter = RateLimiter(50.0, burst=10, clock=clock, sleep=clock.sleep)
    start = clock.now
    stamps = []
    for _ in range(600):
        limiter.acquire()
        stamps.append(clock.now - start)

    for window_start in (0.0, 1.0, 3.3, 7.9):
        inside = [t for t in stamps if window_start <= t < window_start + 2.0]
        assert len(inside) <= 50 * 2.0 + 10
    assert stamps[-1] == pytest.approx((600 - 10) / 50.0)


def test_pause_holds_everyone_then_restarts_at_the_steady_rate(clock: FakeClock) -> None:
    limiter = RateLimiter(4.0, burst=4, clock=clock, sleep=clock.sleep)
    limiter.acquire()

    limiter.pause(10.0)
    limiter.pause(2.0)  # a shorter pause never shortens a longer one

    waits = [limiter.acquire() for _ in range(3)]
    assert waits == pytest.approx([10.0, 0.25, 0.25])


def test_unlimited_limiter_only_waits_for_pauses(clock: FakeClock) -> None:
    limiter = RateLimiter(None, clock=clock, sleep=clock.sleep)
    assert [limiter.acquire() for _ in range(100)] == [0.0] * 100

    limiter.pause(3.0)
    assert limiter.acquire() == pytest.approx(3.0)
    assert limiter.acquire() == 0.0


def test_a_pause_begun_while_a_caller_waits_is_honoured(clock: FakeClock) -> None:
    paused = []

    def sleep(seconds: float) -> None:
        clock.sleep(seconds)
        if not paused:  # another thread hits a 429 while this one sleeps for its slot
            paused.append(True)
            limiter.pause(5.0)

    limiter = RateLimiter(1.0, burst=1, clock=clock, sleep=sleep)
    limiter.acquire()

    assert limiter.acquire() == pytest.approx(1.0 + 5.0)


def test_concurrent_reservations_get_distinct_consecutive_slots(clock: FakeClock) -> None:
    limiter = RateLimiter(100.0, burst=1, clock=clock, sleep=clock.sleep)
    waits: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(16)

    def worker() -> None:
        barrier.wait()
        for _ in range(50):
            wait = limiter.reserve()  # the clock is frozen: every slot is a distinct delay
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(round(w * 100) for w in waits) == list(range(800))


def test_a_429_seen_by_one_caller_holds_the_others(api: FakeApi, make_client, clock) -> None:
    job = api.add(1)[0]
    limiter = RateLimiter(None, clock=clock, sleep=clock.sleep)
    giving_up = make_client(rate_limiter=limiter, retry=RetryPolicy(max_attempts=1))
    other = make_client(rate_limiter=limiter)  # another worker sharing the limiter
    api.script.append(status(429, headers={"Retry-After": "4"}))
    start = clock.now

    with pytest.raises(RateLimitedError):
        giving_up.get(job)
    assert clock.sleeps == []  # the caller that gave up did not wait …
    assert other.get(job)["id"] == job

    assert clock.sleeps == [4.0]  # … but the next request through the limiter did
    assert api.requests == 2
    assert limiter.paused_until == start + 4.0


def test_the_limiter_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(0)
    with pytest.raises(ValueError, match="burst"):
        RateLimiter(1.0, burst=0)
    assert repr(RateLimiter(2.0, burst=3)) == "RateLimiter(rate_per_s=2.0, burst=3)"
