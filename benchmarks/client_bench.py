"""Benchmark the API client's overhead per request against the in-process emulator.

    python benchmarks/client_bench.py [--n 2000] [--repeat 5] [--jobs 100]

Three ways of fetching the same job ``--n`` times from one emulator (SQLite in a temp folder,
no faults), each timed ``--repeat`` times; the median of the runs is printed per request:

(a) handler    ``Emulator.handle("GET", "/sync-job/ID", headers, b"")`` + ``json.loads`` of
               the body: the floor — the emulator's own work and decoding the answer;
(b) httpx      a bare ``httpx.Client`` over ``EmbeddedTransport``: (a) + httpx request/response;
(c) client     ``SyncJobClient.get`` over the same transport: (b) + retries bookkeeping, rate
               limiter, request counter, error mapping.

Client overhead = (c) − (a) per request; the client's own share = (c) − (b). Also one listing
of ``--jobs`` jobs in pages of 10 (client vs handler), to show the per-page cost.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from syncctl.client import SyncJobClient
from syncctl.emulator.handler import Emulator, EmulatorSettings
from syncctl.emulator.store import Store
from syncctl.emulator.transport import EmbeddedTransport

TOKEN = "bench-token"
BASE_URL = "https://embedded.invalid"


def _medians(runs: list[tuple[Callable[[], None], int]], repeat: int) -> list[float]:
    """Median seconds per call of each ``(run, calls)``; the runs are interleaved ``repeat``
    times so that a noisy neighbour on a shared machine hurts every figure alike."""
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeat):
        for index, (run, calls) in enumerate(runs):
            started = time.perf_counter()
            run()
            times[index].append((time.perf_counter() - started) / calls)
    return [statistics.median(series) for series in times]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="requests per run (default 2000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument("--jobs", type=int, default=100, help="jobs in the listing (default 100)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="syncctl-client-bench-") as folder:
        emulator = Emulator(
            EmulatorSettings(tokens={TOKEN: "bench"}), Store(Path(folder) / "bench.sqlite3")
        )
        headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
        try:
            with SyncJobClient(BASE_URL, TOKEN, transport=EmbeddedTransport(emulator)) as client:
                ids = [
                    client.create({"integration_name": "zendesk", "label": f"job {i}"})["id"]
                    for i in range(args.jobs)
                ]
                path = f"/sync-job/{ids[0]}"
                raw = httpx.Client(
                    base_url=BASE_URL, transport=EmbeddedTransport(emulator), headers=headers
                )

                def handler_gets() -> None:
                    for _ in range(args.n):
                        json.loads(emulator.handle("GET", path, headers, b"").body)

                def httpx_gets() -> None:
                    for _ in range(args.n):
                        raw.get(path).json()

                def client_gets() -> None:
                    for _ in range(args.n):
                        client.get(ids[0])

                def handler_listing() -> None:
                    cursor = ""
                    while True:
                        query = f"?limit=10&next_cursor={cursor}"
                        page = emulator.handle("GET", "/sync-job" + query, headers, b"")
                        cursor = json.loads(page.body)["next_cursor"]
                        if not cursor:
                            return

                def client_listing() -> None:
                    assert sum(1 for _ in client.list(limit=10)) == args.jobs

                for warm in (handler_gets, httpx_gets, client_gets):  # warm caches and pools
                    warm()
                pages = -(-args.jobs // 10)
                a, b, c, la, lc = _medians(
                    [
                        (handler_gets, args.n),
                        (httpx_gets, args.n),
                        (client_gets, args.n),
                        (handler_listing, pages),
                        (client_listing, pages),
                    ],
                    args.repeat,
                )
                raw.close()
        finally:
            emulator.close()

    us = 1e6
    print(f"python {sys.version.split()[0]}, httpx {httpx.__version__}")
    print(f"GET /sync-job/ID, {args.n} requests x {args.repeat} runs, median per request:")
    print(f"  (a) handler + json.loads     {a * us:8.1f} us")
    print(f"  (b) bare httpx.Client        {b * us:8.1f} us")
    print(f"  (c) SyncJobClient.get        {c * us:8.1f} us")
    print(f"  client overhead (c)-(a)      {(c - a) * us:8.1f} us per request")
    print(f"  of which SyncJobClient (c)-(b) {(c - b) * us:6.1f} us per request")
    print(f"listing {args.jobs} jobs in pages of 10, median per page:")
    print(f"  handler {la * us:8.1f} us   client {lc * us:8.1f} us", end="")
    print(f"   overhead {(lc - la) * us:.1f} us")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
