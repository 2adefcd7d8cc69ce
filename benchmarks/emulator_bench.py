"""Emulator throughput over a real loopback socket: GET page (limit 100) and POST.

Usage: .venv/bin/python benchmarks/emulator_bench.py [--requests N] [--runs R] [--db memory|file]

One httpx.Client with keep-alive, sequential requests (the latency a single client sees), then
the same with THREADS clients in parallel. Prints requests/second as the median of R runs.
Not part of the test suite; everything stays on 127.0.0.1 and the loops are bounded.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from syncctl.emulator.handler import Emulator, EmulatorSettings
from syncctl.emulator.server import running_server
from syncctl.emulator.store import Store

TOKEN = "bench-token"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
JOB = {
    "integration_name": "zendesk",
    "label": "Bench job",
    "default_runtime_version": 3,
    "args_schema": {"type": "object", "properties": {"id": {"type": "string"}}},
    "resources": [
        {"resource": "ticketing/tickets", "method": "list"},
        {
            "resource": "ticketing/comments",
            "method": "list",
            "depends_on": "ticketing/tickets",
            "query": {"ticket_id": "{{resources.ticketing.tickets.id}}"},
        },
    ],
}


def timed(
    count: int, threads: int, make_call: Callable[[httpx.Client], Callable[[], None]], url: str
) -> float:
    """Requests per second for ``count`` calls split over ``threads`` keep-alive clients."""
    clients = [httpx.Client(base_url=url, headers=HEADERS, timeout=30.0) for _ in range(threads)]
    calls = [make_call(client) for client in clients]
    for call in calls:
        call()  # open the connection before timing
    barrier = threading.Barrier(threads + 1)
    per_thread = count // threads

    def worker(call: Callable[[], None]) -> None:
        barrier.wait()
        for _ in range(per_thread):
            call()

    workers = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in workers:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - started
    for client in clients:
        client.close()
    return per_thread * threads / elapsed


def get_page(client: httpx.Client) -> Callable[[], None]:
    def call() -> None:
        response = client.get("/sync-job", params={"limit": 100})
        assert response.status_code == 200
        assert len(response.json()["result"]) == 100

    return call


def post_job(client: httpx.Client) -> Callable[[], None]:
    def call() -> None:
        response = client.post("/sync-job", json=JOB)
        assert response.status_code == 201

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--db", choices=["file", "memory"], default="file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3" if args.db == "file" else ":memory:"
        settings = EmulatorSettings(tokens={TOKEN: "bench"}, page_size_max=100)
        emulator = Emulator(settings, Store(db))
        with running_server(emulator=emulator) as url:
            with httpx.Client(base_url=url, headers=HEADERS) as seed:
                for _ in range(150):
                    seed.post("/sync-job", json=JOB)
            print(f"emulator {url}, db={args.db}, {args.requests} requests x {args.runs} runs")
            for name, make_call in (
                ("GET /sync-job?limit=100", get_page),
                ("POST /sync-job", post_job),
            ):
                for threads in (1, args.threads):
                    rates = [
                        timed(args.requests, threads, make_call, url) for _ in range(args.runs)
                    ]
                    print(
                        f"{name:26} clients={threads}: median {statistics.median(rates):7.0f} "
                        f"req/s  (min {min(rates):.0f}, max {max(rates):.0f})"
                    )
        emulator.close()


if __name__ == "__main__":
    main()
