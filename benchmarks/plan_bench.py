"""Benchmark ``syncctl plan`` on 5,000 unchanged jobs against ``syncctl validate``.

    python benchmarks/plan_bench.py [--n 5000] [--repeat 5] [--seed 0] [--seed-with cli|core]

Generates one corpus (benchmarks/gen_jobs.py, with the ``environments:`` lines dropped so every
file targets the benchmark environment), serves a fresh emulator over a real loopback socket
(``running_server``; page size default and maximum as shipped), makes the live jobs and the state
file exactly what apply makes, checks that the plan is all ``noop``, then measures in one run,
interleaved, medians of ``--repeat``:

(a)  ``syncctl --config CFG plan`` as a subprocess against that server;
(b)  ``syncctl --config CFG validate JOBS`` as a subprocess on the same files;

and prints (a)/(b) (target <= 2) and the HTTP requests one plan made, counted from the
emulator's server log (logger ``syncctl.emulator``, one DEBUG record per request), against the
pages a listing needs at the emulator's maximum page size, ceil(N / max) (target: equal).

``--seed-with core`` (default) applies the initial plan with the reconciler's ``Executor`` in
this process, through the same emulator in process, writing the state file once at the end
(the same content apply writes); ``--seed-with cli`` runs ``syncctl apply --yes`` over the
socket instead, and times it. Either way the all-noop plan is checked before anything is timed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import logging
import math
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gen_jobs  # this folder is sys.path[0] when one of its scripts runs

HERE = Path(__file__).resolve().parent
TOKEN = "bench-token"
TOKEN_ENV = "SYNCCTL_BENCH_TOKEN"
ENV_NAME = "bench"
ENVIRONMENT_ID = "bench-env"
_REQUEST = re.compile(r"^(?P<method>[A-Z]+) (?P<target>\S+) HTTP/[\d.]+ -> (?P<status>\S+)")


# -- shared with apply_bench.py --------------------------------------------------------------


def make_corpus(out: Path, n: int, seed: int) -> list[Path]:
    """``n`` generated job files under ``out/jobs``, each targeting every environment.

    The generator gives about half its files an ``environments:`` list (local, staging,
    production); a benchmark of N desired jobs needs all N to target the benchmark environment,
    so that one optional line is dropped (the files stay valid: it defaults to every
    environment)."""
    paths: list[Path] = gen_jobs.generate(out, n, seed)
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if "\nenvironments:" in text:
            kept = [line for line in text.splitlines(True) if not line.startswith("environments:")]
            path.write_text("".join(kept), encoding="utf-8")
    return paths


def write_config(
    folder: Path,
    jobs: Path,
    url: str,
    *,
    concurrency: int = 8,
    rate: float | None = None,
) -> Path:
    """A ``syncctl.toml`` in ``folder`` with one environment ``bench`` at ``url``; its state
    file is ``folder/state/bench.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        f"jobs_dir = {json.dumps(str(jobs))}",
        'state_dir = "state"',
        f'default_environment = "{ENV_NAME}"',
        "",
        f"[environments.{ENV_NAME}]",
        f"url = {json.dumps(url)}",
        f'token_env = "{TOKEN_ENV}"',
        f"concurrency = {concurrency}",
    ]
    if rate is not None:
        lines.append(f"rate = {rate}")
    path = folder / "syncctl.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True, slots=True)
class Request:
    at: float  # time.time() when the server wrote the status line
    method: str
    target: str
    status: str


class RequestLog(logging.Handler):
    """Collects the emulator server's per-request DEBUG records (``METHOD TARGET -> STATUS``)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self._mutex = threading.Lock()
        self.requests: list[Request] = []

    def emit(self, record: logging.LogRecord) -> None:
        match = _REQUEST.match(record.getMessage())
        if match is not None:
            with self._mutex:
                self.requests.append(
                    Request(record.created, match["method"], match["target"], match["status"])
                )

    def take(self) -> list[Request]:
        """The requests logged since the last call."""
        with self._mutex:
            taken, self.requests = self.requests, []
        return taken

    @classmethod
    def attach(cls) -> RequestLog:
        log = cls()
        logger = logging.getLogger("syncctl.emulator")
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
        logger.addHandler(log)
        return log


def syncctl_argv(python: str) -> list[str]:
    script = Path(python).parent / "syncctl"
    return [str(script)] if script.is_file() else [python, "-m", "syncctl"]


def bench_env() -> dict[str, str]:
    return {**os.environ, TOKEN_ENV: TOKEN, "NO_COLOR": "1"}


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    code: int
    stdout: str
    stderr: str


def run(argv: Sequence[str], cwd: Path) -> Run:
    start = time.perf_counter()
    done = subprocess.run(
        argv, cwd=cwd, capture_output=True, text=True, check=False, env=bench_env()
    )
    return Run(time.perf_counter() - start, done.returncode, done.stdout, done.stderr)


def tail(text: str, lines: int = 8) -> str:
    return "\n".join("      | " + line for line in text.strip().splitlines()[-lines:])


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def profile(call: Callable[[], object], top: int = 25) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


# -- this benchmark --------------------------------------------------------------------------


def seed_core(config_path: Path, emulator: Any) -> int:
    """Apply the initial (all-create) plan with the reconciler's own ``Executor``, in process,
    through ``emulator`` directly; state kept in memory and written once at the end. Returns
    the number of failed changes."""
    from syncctl.client import SyncJobClient
    from syncctl.config import load_config
    from syncctl.emulator.transport import EmbeddedTransport
    from syncctl.reconcile.apply import Executor
    from syncctl.reconcile.session import Session, build_plan
    from syncctl.reconcile.state import State, StateStore

    class BatchedStore(StateStore):
        """Same state transitions as apply; one file write instead of one per success."""

        def _write(self, state: State) -> None:
            pass

        def flush(self) -> None:
            StateStore._write(self, self.state)

    config = load_config(config_path)
    env = config.environment(ENV_NAME)
    store = BatchedStore(env.state_path, env.name)
    with SyncJobClient(
        "https://embedded.invalid", TOKEN, transport=EmbeddedTransport(emulator)
    ) as api:
        session = Session(config, env, api, store)
        plan = build_plan(session, store.load(), prune=False)
        result = Executor(api, store, concurrency=4).run(plan)
    store.flush()
    return len(result.failed)


@dataclass(frozen=True, slots=True)
class Noop:
    ok: bool
    detail: str


def check_noop(syncctl: list[str], config: Path, folder: Path, n: int) -> Noop:
    done = run([*syncctl, "--config", str(config), "plan", "--format", "json"], folder)
    if done.code != 0:
        return Noop(False, f"plan exit {done.code}:\n{tail(done.stderr)}")
    summary = json.loads(done.stdout)["summary"]
    ok = summary.get("noop") == n and sum(summary.values()) == n
    return Noop(ok, json.dumps(summary))


def listing_in_process(url: str, limit: int | None, repeat: int) -> tuple[float, int, int]:
    """Median seconds, requests and jobs of one full listing with ``SyncJobClient``."""
    from syncctl.client import SyncJobClient

    times = []
    count = jobs = 0
    for _ in range(repeat):
        with SyncJobClient(url, TOKEN) as api:
            start = time.perf_counter()
            jobs = sum(1 for _ in api.list(limit=limit))
            times.append(time.perf_counter() - start)
            count = api.request_count
    return statistics.median(times), count, jobs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=5000, help="job files = live jobs (5000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure, median (5)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    parser.add_argument(
        "--seed-with",
        choices=("core", "cli"),
        default="core",
        help="make the live jobs with the Executor in process (core) or syncctl apply (cli)",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile one in-process plan")
    args = parser.parse_args(argv)
    if args.n < 1 or args.repeat < 1:
        parser.error("--n and --repeat must be >= 1")
    with tempfile.TemporaryDirectory(prefix="syncctl-plan-bench-") as tmp:
        return measure(args, Path(tmp))


def measure(args: argparse.Namespace, tmp: Path) -> int:
    from syncctl.emulator.handler import Emulator, EmulatorSettings
    from syncctl.emulator.server import running_server
    from syncctl.emulator.store import Store

    python = sys.executable
    syncctl = syncctl_argv(python)
    start = time.perf_counter()
    paths = make_corpus(tmp / "corpus", args.n, args.seed)
    generated = time.perf_counter() - start
    jobs = tmp / "corpus" / "jobs"
    settings = EmulatorSettings(tokens={TOKEN: ENVIRONMENT_ID})
    print(
        f"syncctl plan benchmark: N={args.n} job files and live jobs (seed {args.seed}), "
        f"medians of {args.repeat} runs"
    )
    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"corpus generated in {generated:.1f} s; emulator page size default "
        f"{settings.page_size_default}, maximum {settings.page_size_max}"
    )
    log = RequestLog.attach()
    emulator = Emulator(settings, Store(tmp / "emulator.sqlite3"))
    failed = False
    try:
        with running_server(emulator) as url:
            folder = tmp / "project"
            config = write_config(folder, jobs, url, concurrency=16)
            start = time.perf_counter()
            if args.seed_with == "core":
                errors = seed_core(config, emulator)
                how = "Executor in process, state written once"
            else:
                done = run([*syncctl, "--config", str(config), "apply", "--yes"], folder)
                errors = 0 if done.code == 0 else 1
                how = "syncctl apply --yes over the socket, concurrency 16"
                if done.code != 0:
                    print(f"     ! apply exit {done.code}:\n{tail(done.stderr)}")
            seeded = time.perf_counter() - start
            live = emulator.store.count(ENVIRONMENT_ID)
            print(f"seeded {live} live jobs in {seeded:.1f} s ({how}); {errors} failed")
            log.take()
            noop = check_noop(syncctl, config, folder, args.n)
            print(f"plan before timing: {noop.detail}   all noop: {'yes' if noop.ok else 'NO'}")
            log.take()
            if errors or not noop.ok or live != args.n:
                print("! the set-up is not an unchanged catalog; figures would be meaningless")
                return 1
            print()

            plan_argv = [*syncctl, "--config", str(config), "plan"]
            validate_argv = [*syncctl, "--config", str(config), "validate", str(jobs)]
            plans: list[float] = []
            validates: list[float] = []
            counts: list[int] = []
            for _ in range(args.repeat):  # interleaved: a noisy neighbour hurts both alike
                a = run(plan_argv, folder)
                counts.append(len(log.take()))
                b = run(validate_argv, folder)
                log.take()
                for name, done in (("plan", a), ("validate", b)):
                    if done.code != 0:
                        failed = True
                        print(f"     ! {name} exit {done.code}:\n{tail(done.stderr)}")
                plans.append(a.seconds)
                validates.append(b.seconds)
            a_med, b_med = statistics.median(plans), statistics.median(validates)
            pages = math.ceil(args.n / settings.page_size_max)
            pages_default = math.ceil(args.n / settings.page_size_default)
            requests = statistics.median(counts)

            print(f"(a) syncctl plan, {args.n} unchanged jobs (CLI)   {a_med:8.3f} s")
            print(f"(b) syncctl validate, same {len(paths)} files (CLI)  {b_med:8.3f} s")
            print(
                f"    HTTP requests per plan: {', '.join(map(str, counts))} "
                f"(pages at the maximum size {settings.page_size_max}: {pages}; "
                f"at the default size {settings.page_size_default}: {pages_default})"
            )
            limited = listing_in_process(url, settings.page_size_max, args.repeat)
            default = listing_in_process(url, None, args.repeat)
            log.take()
            print(
                f"    listing alone, SyncJobClient in process: no limit {default[0]:.3f} s "
                f"({default[1]} requests), limit={settings.page_size_max} {limited[0]:.3f} s "
                f"({limited[1]} requests)"
            )
            print()
            ratio = a_med / b_med
            print("| figure                       | measured     | target  | verdict |")
            print("| ---------------------------- | ------------ | ------- | ------- |")
            print(
                f"| (a)/(b) plan vs validate     | {ratio:10.2f}x | <= 2x   | "
                f"{verdict(ratio <= 2):7} |"
            )
            print(
                f"| HTTP requests of one plan    | {requests:12g} | {pages:7d} | "
                f"{verdict(requests == pages):7} |"
            )
            if args.profile:
                print()
                print(profile(lambda: plan_in_process(config)))
    finally:
        emulator.close()
        logging.getLogger("syncctl.emulator").removeHandler(log)
    return 1 if failed else 0


def plan_in_process(config_path: Path) -> None:
    from syncctl.config import load_config
    from syncctl.reconcile.session import build_plan, open_session

    os.environ[TOKEN_ENV] = TOKEN
    config = load_config(config_path)
    env = config.environment(ENV_NAME)
    with open_session(config, env, lock=False) as session:
        build_plan(session, session.store.load(), prune=False)


if __name__ == "__main__":
    sys.exit(main())
