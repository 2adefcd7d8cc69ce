"""One client shared by many threads: no lost requests, no duplicated writes, exact counters."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from client_fakes import FakeApi

from syncctl.client import RateLimiter
from syncctl.client.retry import RetryPolicy

THREADS = 16
PER_THREAD = 25


def test_many_threads_share_one_client_through_retries(api: FakeApi, make_client) -> None:
    api.fail_every = 7  # every 7th request on the wire answers 503 and is retried
    # Enough attempts that no interleaving of 16 threads can land one request on four
    # 503s in a row (which the default 4 attempts allowed, rarely).
    client = make_client(retry=RetryPolicy(max_attempts=12, base_delay=0.5, jitter=False))
    barrier = threading.Barrier(THREADS)

    def work(worker: int) -> list[str]:
        barrier.wait()
        ids = []
        for index in range(PER_THREAD):
            job = client.create({"integration_name": "zendesk", "label": f"{worker}-{index}"})
            assert client.get(job["id"])["label"] == f"{worker}-{index}"
            client.update(job["id"], {"label": f"{worker}-{index}!"})
            ids.append(job["id"])
        return ids

    with ThreadPoolExecutor(THREADS) as pool:
        created = [job_id for ids in pool.map(work, range(THREADS)) for job_id in ids]

    assert len(created) == len(set(created)) == THREADS * PER_THREAD
    assert set(api.jobs) == set(created)
    assert all(job["label"].endswith("!") for job in api.jobs.values())
    listed = list(client.list(limit=33))
    assert sorted(job["id"] for job in listed) == sorted(created)
    retried = api.requests // 7
    assert api.requests == 3 * THREADS * PER_THREAD + 13 + retried  # 13 pages of 33
    assert client.request_count == api.requests


def test_threads_share_the_rate_limit_of_one_client(api: FakeApi, make_client) -> None:
    job = api.add(1)[0]
    rate = 2000.0
    client = make_client(rate_limiter=RateLimiter(rate, burst=1))  # the real clock and sleep
    total = 200

    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: client.get(job), range(total)))
    elapsed = time.monotonic() - started

    assert len(results) == total
    assert client.request_count == api.requests == total
    assert elapsed >= (total - 1) / rate * 0.99  # 8 threads, yet never faster than the limit
