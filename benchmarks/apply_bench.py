"""Benchmark ``syncctl apply``: concurrency under latency, and the rate limit.

    python benchmarks/apply_bench.py [--n 1000] [--latency-ms 20] [--rate 50] [--rate-n 500]
                                     [--repeat 1] [--profile]

Every run gets a fresh emulator database, a fresh state file and its own emulator server on a
real loopback socket (``running_server``); ``syncctl apply --yes`` runs as a subprocess with a
configuration whose one environment points at that server. The corpus comes from
benchmarks/gen_jobs.py (through plan_bench.make_corpus: every file targets the environment).

(i)  ``--n`` creates with ``--latency-ms`` added to every request by the emulator
     (``FaultSettings.latency_ms``): environment ``concurrency = 1`` vs ``concurrency = 16``;
     wall times (median of ``--repeat``) and the speed-up (target >= 10x).
(ii) ``--rate-n`` creates under an emulator token bucket of ``--rate`` requests/s
     (``FaultSettings.rate_limit = (R, 1)``) with the environment's client-side ``rate = R``:
     achieved rate = requests answered 2xx / elapsed between the first and the last request the
     server saw (target >= 90 % of R), failures (target 0) and the 429s seen. The steady rate
     leaves out the first R requests (both buckets start full, so the first second is a burst).

Each run is checked: exit 0, exactly N live jobs (no duplicates), N entries in the state file.
``--profile`` adds where the time of an apply goes, from an in-process ``Executor`` run against
the same kind of server: time spent writing the state file (total and per write), and a cProfile
of a ``concurrency = 1`` run (one thread, so cProfile sees all of it).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent


def load_plan_bench() -> ModuleType:
    """benchmarks/plan_bench.py (corpus, config, request log, subprocess helpers)."""
    spec = importlib.util.spec_from_file_location("plan_bench", HERE / "plan_bench.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["plan_bench"] = module
    spec.loader.exec_module(module)
    return module


pb = load_plan_bench()


@dataclass(frozen=True, slots=True)
class ApplyRun:
    seconds: float  # wall time of the subprocess
    code: int
    live: int
    state_entries: int
    requests: tuple[Any, ...]  # plan_bench.Request, in the order the server answered
    failed: int  # result lines "... : FAILED"
    stderr: str

    @property
    def posts(self) -> list[Any]:
        return [r for r in self.requests if r.method == "POST"]

    def status_count(self, status: str) -> int:
        return sum(1 for r in self.requests if r.status == status)

    @property
    def ok_requests(self) -> list[Any]:
        return [r for r in self.requests if r.status.startswith("2")]

    def window(self, requests: list[Any]) -> float:
        return requests[-1].at - requests[0].at if len(requests) > 1 else 0.0


def apply_once(
    tmp: Path,
    name: str,
    jobs: Path,
    log: Any,
    *,
    concurrency: int,
    rate: float | None,
    faults: Any,
) -> ApplyRun:
    """One ``syncctl apply --yes`` against a fresh emulator (own db, server and state)."""
    from syncctl.emulator.handler import Emulator, EmulatorSettings
    from syncctl.emulator.server import running_server
    from syncctl.emulator.store import Store

    folder = tmp / name
    settings = EmulatorSettings(tokens={pb.TOKEN: pb.ENVIRONMENT_ID})
    emulator = Emulator(settings, Store(folder / "emulator.sqlite3"), faults=faults)
    try:
        with running_server(emulator) as url:
            config = pb.write_config(folder, jobs, url, concurrency=concurrency, rate=rate)
            log.take()
            syncctl = pb.syncctl_argv(sys.executable)
            done = pb.run([*syncctl, "--config", str(config), "apply", "--yes"], folder)
            requests = tuple(log.take())
            live = emulator.store.count(pb.ENVIRONMENT_ID)
    finally:
        emulator.close()
    state_path = folder / "state" / f"{pb.ENV_NAME}.json"
    raw = json.loads(state_path.read_text()) if state_path.is_file() else {}
    entries = len(raw.get("sync_job", {}).get("entries", {}))  # the state file's format 2
    failed = sum(1 for line in done.stdout.splitlines() if ": FAILED" in line)
    return ApplyRun(done.seconds, done.code, live, entries, requests, failed, done.stderr)


def check(run: ApplyRun, n: int, label: str) -> bool:
    ok = run.code == 0 and run.failed == 0 and run.live == n and run.state_entries == n
    if not ok:
        print(
            f"     ! {label}: exit {run.code}, {run.failed} failed, {run.live} live jobs, "
            f"{run.state_entries} state entries (want 0, {n}, {n})\n{pb.tail(run.stderr)}"
        )
    return ok


def concurrency_figures(args: argparse.Namespace, tmp: Path, jobs: Path, log: Any) -> bool:
    from syncctl.emulator.faults import FaultSettings

    faults = FaultSettings(latency_ms=args.latency_ms)
    runs: dict[int, list[ApplyRun]] = {1: [], 16: []}
    good = True
    for index in range(args.repeat):
        for concurrency in (1, 16):
            name = f"c{concurrency}-{index}"
            one = apply_once(
                tmp, name, jobs, log, concurrency=concurrency, rate=None, faults=faults
            )
            good = check(one, args.n, name) and good
            runs[concurrency].append(one)
    wall = {c: statistics.median(r.seconds for r in rs) for c, rs in runs.items()}
    posts = {c: statistics.median(r.window(r.posts) for r in rs) for c, rs in runs.items()}
    speedup = wall[1] / wall[16]
    print(
        f"(i) {args.n} creates, {args.latency_ms:g} ms added latency per request "
        f"(median of {args.repeat})"
    )
    for c in (1, 16):
        last = runs[c][-1]
        print(
            f"    concurrency {c:2d}: apply wall {wall[c]:7.2f} s; first to last POST "
            f"{posts[c]:7.2f} s ({args.n / posts[c] if posts[c] else 0:6.1f} creates/s); "
            f"{len(last.requests)} requests"
        )
    floor = args.n * args.latency_ms / 1000 / 16
    syncctl = pb.syncctl_argv(sys.executable)
    config = tmp / "c1-0" / "syncctl.toml"
    fixed = pb.run([*syncctl, "--config", str(config), "validate", str(jobs)], tmp).seconds
    serial = args.n * args.latency_ms / 1000
    ceiling = (fixed + serial) / (fixed + floor)
    print(
        f"    latency alone: {serial:.2f} s at concurrency 1, {floor:.2f} s at 16; "
        f"syncctl validate of the same files (apply validates them too): {fixed:.2f} s"
    )
    print(
        f"    ideal wall speed-up with that fixed cost and no other overhead: "
        f"({fixed:.2f} + {serial:.2f}) / ({fixed:.2f} + {floor:.2f}) = {ceiling:.1f}x"
    )
    print(
        f"    speed-up (wall)           {speedup:6.2f}x   target >= 10x   "
        f"{pb.verdict(speedup >= 10)}"
    )
    inner = posts[1] / posts[16] if posts[16] else 0.0
    print(f"    speed-up (POST window)    {inner:6.2f}x   (for reference)")
    return good


def rate_figures(args: argparse.Namespace, tmp: Path, jobs: Path, log: Any) -> bool:
    from syncctl.emulator.faults import FaultSettings

    faults = FaultSettings(rate_limit=(args.rate, 1.0))
    run = apply_once(
        tmp, "rate", jobs, log, concurrency=args.rate_concurrency, rate=args.rate, faults=faults
    )
    good = check(run, args.rate_n, "rate")
    accepted = run.ok_requests
    window = run.window(list(run.requests))
    achieved = len(accepted) / window if window else 0.0
    rest = accepted[args.rate :]
    steady = (len(rest) - 1) / run.window(rest) if len(rest) > 1 else 0.0
    failures = run.failed + (run.code != 0 and run.failed == 0)
    too_many = run.status_count("429")
    print(
        f"(ii) {args.rate_n} creates, emulator token bucket {args.rate} requests/s, client "
        f"rate = {args.rate}, concurrency {args.rate_concurrency}"
    )
    print(
        f"    requests {len(run.requests)} ({len(accepted)} answered 2xx, {too_many} answered 429) "
        f"in {window:.2f} s between the first and the last; apply wall {run.seconds:.2f} s"
    )
    print(
        f"    achieved rate  {achieved:6.1f}/s = {achieved / args.rate:6.1%} of R   "
        f"target >= 90 %   {pb.verdict(achieved >= 0.9 * args.rate)}"
    )
    print(
        f"    steady rate    {steady:6.1f}/s = {steady / args.rate:6.1%} of R   "
        f"(after the first {args.rate} requests)   {pb.verdict(steady >= 0.9 * args.rate)}"
    )
    print(
        f"    failures       {failures:6d}                target 0         "
        f"{pb.verdict(failures == 0 and good)}"
    )
    print(f"    429s seen      {too_many:6d}")
    return good


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=1000, help="creates in (i) (1000)")
    parser.add_argument("--latency-ms", type=float, default=20.0, help="added latency (20)")
    parser.add_argument("--rate", type=int, default=50, help="R, requests/s in (ii) (50)")
    parser.add_argument("--rate-n", type=int, default=500, help="creates in (ii) (500)")
    parser.add_argument("--rate-concurrency", type=int, default=8, help="concurrency in (ii) (8)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure in (i) (1)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    parser.add_argument("--profile", action="store_true", help="show where apply time goes")
    args = parser.parse_args(argv)
    if min(args.n, args.rate, args.rate_n, args.repeat) < 1:
        parser.error("--n, --rate, --rate-n and --repeat must be >= 1")
    with tempfile.TemporaryDirectory(prefix="syncctl-apply-bench-") as tmp:
        return measure(args, Path(tmp))


def measure(args: argparse.Namespace, tmp: Path) -> int:
    print(
        f"syncctl apply benchmark: python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs"
    )
    pb.make_corpus(tmp / "corpus", args.n, args.seed)
    pb.make_corpus(tmp / "corpus-rate", args.rate_n, args.seed)
    log = pb.RequestLog.attach()
    try:
        good = concurrency_figures(args, tmp, tmp / "corpus" / "jobs", log)
        print()
        good = rate_figures(args, tmp, tmp / "corpus-rate" / "jobs", log) and good
        if args.profile:
            print()
            profile_apply(args, tmp, tmp / "corpus" / "jobs")
    finally:
        import logging

        logging.getLogger("syncctl.emulator").removeHandler(log)
    return 0 if good else 1


def profile_apply(args: argparse.Namespace, tmp: Path, jobs: Path) -> None:
    """In-process apply at concurrency 16 and 1 over a real socket: state-write time, cProfile."""
    for concurrency in (16, 1):
        executor_run(args, tmp / f"profile-c{concurrency}", jobs, concurrency)


def executor_run(args: argparse.Namespace, folder: Path, jobs: Path, concurrency: int) -> None:
    from syncctl.client import SyncJobClient
    from syncctl.config import load_config
    from syncctl.emulator.faults import FaultSettings
    from syncctl.emulator.handler import EmulatorSettings
    from syncctl.emulator.server import running_server
    from syncctl.reconcile.apply import ApplyResult, Executor
    from syncctl.reconcile.session import Session, build_plan
    from syncctl.reconcile.state import State, StateStore

    class TimedStore(StateStore):
        """Counts the state file writes and the time they take."""

        def __init__(self, path: Path, environment: str) -> None:
            super().__init__(path, environment)
            self.writes = 0
            self.seconds = 0.0

        def _write(self, state: State) -> None:  # called under the store's mutex
            start = time.perf_counter()
            super()._write(state)
            self.writes += 1
            self.seconds += time.perf_counter() - start

    settings = EmulatorSettings(tokens={pb.TOKEN: pb.ENVIRONMENT_ID})
    faults = FaultSettings(latency_ms=args.latency_ms)
    db = folder / "emulator.sqlite3"
    results: list[ApplyResult] = []
    with running_server(db_path=db, settings=settings, faults=faults) as url:
        config = load_config(pb.write_config(folder, jobs, url, concurrency=concurrency))
        env = config.environment(pb.ENV_NAME)
        store = TimedStore(env.state_path, env.name)
        with SyncJobClient(url, pb.TOKEN) as api:
            plan = build_plan(Session(config, env, api, store), store.load(), prune=False)
            executor = Executor(api, store, concurrency=concurrency)
            start = time.perf_counter()
            if concurrency == 1:  # one thread: cProfile sees everything
                report = pb.profile(lambda: results.append(executor.run(plan)))
            else:
                report = ""
                results.append(executor.run(plan))
            took = time.perf_counter() - start
    print(
        f"in process, concurrency {concurrency:2d}: executor {took:6.2f} s; "
        f"{store.writes} state writes took {store.seconds:6.2f} s "
        f"({store.seconds / max(store.writes, 1) * 1000:.2f} ms each); "
        f"{len(results[0].failed)} failed"
    )
    if report:
        print(report)


if __name__ == "__main__":
    sys.exit(main())
