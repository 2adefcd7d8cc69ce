"""Benchmark ``syncctl plan`` on 5,000 unchanged jobs and 500 workflows against ``validate``.

    python benchmarks/plan_bench.py [--n 5000] [--workflows 500] [--repeat 5] [--seed 0]
                                    [--seed-with cli|core]

Generates one corpus (benchmarks/gen_jobs.py, with the ``environments:`` lines dropped so every
file targets the benchmark environment, then benchmarks/gen_workflows.py: workflow files naming
those jobs by key), checks that it passes ``syncctl validate --strict``, serves a fresh emulator
over a real loopback socket (``running_server``; page size default and maximum as shipped), makes
the live jobs, the live workflows and the state file exactly what apply makes, checks that the
plan is all ``noop`` for both kinds, then measures in one run, interleaved, medians of
``--repeat``:

(a)  ``syncctl --config CFG plan`` as a subprocess against that server;
(b)  ``syncctl --config CFG validate JOBS WORKFLOWS`` as a subprocess on the same files;

and prints (a)/(b) (target <= 2) and the HTTP requests one plan made, counted from the
emulator's server log (logger ``syncctl.emulator``, one DEBUG record per request), against the
pages the two listings need at the emulator's maximum page size,
ceil(N / max) + ceil(W / max) (target: equal; a listing of nothing is still one page).

``--seed-with core`` (default) applies the initial plan with the reconciler's ``Executor`` in
this process, through the same emulator in process, writing the state file once at the end
(the same content apply writes); ``--seed-with cli`` runs ``syncctl apply --yes`` over the
socket instead, and times it. Either way the checks run before anything is timed.
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
import gen_workflows

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
    workflows: Path | None = None,
) -> Path:
    """A ``syncctl.toml`` in ``folder`` with one environment ``bench`` at ``url``; its state
    file is ``folder/state/bench.json``. Without ``workflows`` the workflows folder is the
    default one (``folder/workflows``, absent: no workflows)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"jobs_dir = {json.dumps(str(jobs))}"]
    if workflows is not None:
        lines.append(f"workflows_dir = {json.dumps(str(workflows))}")
    lines += [
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
    through ``emulator`` directly: jobs first, then the workflows naming them, as apply does;
    state kept in memory and written once at the end. Returns the number of failed changes."""
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
        result = Executor(api, store, workflows=api.workflows, concurrency=4).run(plan)
    store.flush()
    return len(result.failed)


@dataclass(frozen=True, slots=True)
class Noop:
    ok: bool
    detail: str


def check_noop(syncctl: list[str], config: Path, folder: Path, expected: dict[str, int]) -> Noop:
    """Whether one plan is exactly ``expected[kind]`` noop changes of each kind, nothing else
    (no other change, orphan or unmanaged object)."""
    done = run([*syncctl, "--config", str(config), "plan", "--format", "json"], folder)
    if done.code != 0:
        return Noop(False, f"plan exit {done.code}:\n{tail(done.stderr)}")
    plan = json.loads(done.stdout)
    summary = plan["summary"]
    noops: dict[str, int] = dict.fromkeys(expected, 0)
    for change in plan["changes"]:
        if change["action"] == "noop":
            noops[change.get("kind", "?")] = noops.get(change.get("kind", "?"), 0) + 1
    total = sum(expected.values())
    ok = noops == expected and summary.get("noop") == total and sum(summary.values()) == total
    return Noop(ok, f"{json.dumps(summary)}; noop by kind {json.dumps(noops)}")


def check_valid(syncctl: list[str], config: Path, folder: Path, paths: list[Path]) -> Noop:
    """Whether ``syncctl validate --strict`` passes on ``paths``: timing files with findings
    would measure the wrong thing."""
    done = run(
        [*syncctl, "--config", str(config), "validate", "--strict", *map(str, paths)], folder
    )
    last = done.stdout.strip().splitlines()[-1:] or ["(no output)"]
    detail = last[0] if done.code == 0 else f"exit {done.code}:\n{tail(done.stdout)}"
    return Noop(done.code == 0, detail)


def listing_in_process(url: str, limit: int | None, repeat: int) -> tuple[float, int, int]:
    """Median seconds, requests and objects of one full listing of jobs and of workflows with
    ``SyncJobClient``."""
    from syncctl.client import SyncJobClient

    times = []
    count = objects = 0
    for _ in range(repeat):
        with SyncJobClient(url, TOKEN) as api:
            start = time.perf_counter()
            objects = sum(1 for _ in api.jobs.list(limit=limit))
            objects += sum(1 for _ in api.workflows.list(limit=limit))
            times.append(time.perf_counter() - start)
            count = api.request_count
    return statistics.median(times), count, objects


def pages(count: int, size: int) -> int:
    """Requests one full listing of ``count`` objects takes at ``size`` per page (an empty
    listing is one request too)."""
    return max(1, math.ceil(count / size))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=5000, help="job files = live jobs (5000)")
    parser.add_argument(
        "--workflows",
        type=int,
        default=500,
        help="workflow files = live workflows, 1-3 steps each naming generated jobs (500)",
    )
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
    if not 0 <= args.workflows <= args.n:
        parser.error("--workflows must be between 0 and --n (each starts with its own job)")
    with tempfile.TemporaryDirectory(prefix="syncctl-plan-bench-") as tmp:
        return measure(args, Path(tmp))


def make_workflows(out: Path, count: int, seed: int) -> list[Path]:
    """``count`` generated workflow files under ``out/workflows`` naming the jobs of
    ``out/jobs`` (write those first: with their ``environments:`` lines dropped, no workflow
    needs one either)."""
    paths: list[Path] = gen_workflows.generate(out, count, seed)
    return paths


@dataclass(frozen=True, slots=True)
class Timings:
    plans: list[float]
    validates: list[float]
    requests: list[int]  # HTTP requests of each plan run
    failed: bool


def time_runs(
    plan_argv: list[str], validate_argv: list[str], folder: Path, log: RequestLog, repeat: int
) -> Timings:
    """``repeat`` plan and validate runs, interleaved so that a noisy neighbour hurts both
    alike; the requests of each plan counted from the server log."""
    plans: list[float] = []
    validates: list[float] = []
    counts: list[int] = []
    failed = False
    for _ in range(repeat):
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
    return Timings(plans, validates, counts, failed)


def seed_live(args: argparse.Namespace, syncctl: list[str], config: Path, emulator: Any) -> int:
    """Make the live objects and the state file (``--seed-with``); print how; return the
    number of failures."""
    start = time.perf_counter()
    if args.seed_with == "core":
        errors = seed_core(config, emulator)
        how = "Executor in process, state written once"
    else:
        done = run([*syncctl, "--config", str(config), "apply", "--yes"], config.parent)
        errors = 0 if done.code == 0 else 1
        how = "syncctl apply --yes over the socket, concurrency 16"
        if done.code != 0:
            print(f"     ! apply exit {done.code}:\n{tail(done.stderr)}")
    seeded = time.perf_counter() - start
    jobs = emulator.store.count(ENVIRONMENT_ID, kind="sync_job")
    workflows = emulator.store.count(ENVIRONMENT_ID, kind="workflow")
    print(
        f"seeded {jobs} live jobs and {workflows} live workflows in {seeded:.1f} s ({how}); "
        f"{errors} failed"
    )
    live_ok = jobs == args.n and workflows == args.workflows
    return errors + (0 if live_ok else 1)


def measure(args: argparse.Namespace, tmp: Path) -> int:
    from syncctl.emulator.handler import Emulator, EmulatorSettings
    from syncctl.emulator.server import running_server
    from syncctl.emulator.store import Store

    syncctl = syncctl_argv(sys.executable)
    start = time.perf_counter()
    corpus = tmp / "corpus"
    paths = make_corpus(corpus, args.n, args.seed)
    flows = make_workflows(corpus, args.workflows, args.seed)
    generated = time.perf_counter() - start
    jobs, workflows = corpus / "jobs", corpus / "workflows"
    settings = EmulatorSettings(tokens={TOKEN: ENVIRONMENT_ID})
    print(
        f"syncctl plan benchmark: N={args.n} job files and live jobs, W={args.workflows} "
        f"workflow files and live workflows (seed {args.seed}), medians of {args.repeat} runs"
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
            config = write_config(folder, jobs, url, concurrency=16, workflows=workflows)
            valid = check_valid(syncctl, config, folder, [jobs, workflows])
            print(f"validate --strict before timing: {valid.detail}")
            if not valid.ok:
                print("! the generated corpus is not clean; figures would be meaningless")
                return 1
            errors = seed_live(args, syncctl, config, emulator)
            log.take()
            expected = {"sync_job": args.n, "workflow": args.workflows}
            noop = check_noop(syncctl, config, folder, expected)
            print(f"plan before timing: {noop.detail}   all noop: {'yes' if noop.ok else 'NO'}")
            log.take()
            if errors or not noop.ok:
                print("! the set-up is not an unchanged catalog; figures would be meaningless")
                return 1
            print()
            timings = time_runs(
                [*syncctl, "--config", str(config), "plan"],
                [*syncctl, "--config", str(config), "validate", str(jobs), str(workflows)],
                folder,
                log,
                args.repeat,
            )
            failed = timings.failed
            report(args, settings, url, timings, len(paths) + len(flows))
            log.take()
            if args.profile:
                print()
                print(profile(lambda: plan_in_process(config)))
    finally:
        emulator.close()
        logging.getLogger("syncctl.emulator").removeHandler(log)
    return 1 if failed else 0


def report(args: argparse.Namespace, settings: Any, url: str, timings: Timings, files: int) -> None:
    """The two figures, the listing alone for reference, and the verdict table."""
    a_med, b_med = statistics.median(timings.plans), statistics.median(timings.validates)
    size_max, size_default = settings.page_size_max, settings.page_size_default
    needed = pages(args.n, size_max) + pages(args.workflows, size_max)
    at_default = pages(args.n, size_default) + pages(args.workflows, size_default)
    requests = statistics.median(timings.requests)
    what = f"{args.n} jobs + {args.workflows} workflows, unchanged"
    label_a = f"(a) syncctl plan, {what} (CLI)"
    label_b = f"(b) syncctl validate, the same {files} files (CLI)"
    width = max(len(label_a), len(label_b))
    print(f"{label_a:{width}}  {a_med:8.3f} s")
    print(f"{label_b:{width}}  {b_med:8.3f} s")
    print(
        f"    HTTP requests per plan: {', '.join(map(str, timings.requests))} "
        f"(pages at the maximum size {size_max}: {pages(args.n, size_max)} + "
        f"{pages(args.workflows, size_max)} = {needed}; at the default size {size_default}: "
        f"{at_default})"
    )
    limited = listing_in_process(url, size_max, args.repeat)
    default = listing_in_process(url, None, args.repeat)
    print(
        f"    listing alone (jobs then workflows), SyncJobClient in process: no limit "
        f"{default[0]:.3f} s ({default[1]} requests), limit={size_max} {limited[0]:.3f} s "
        f"({limited[1]} requests)"
    )
    print()
    ratio = a_med / b_med
    print("| figure                       | measured     | target  | verdict |")
    print("| ---------------------------- | ------------ | ------- | ------- |")
    print(f"| (a)/(b) plan vs validate     | {ratio:10.2f}x | <= 2x   | {verdict(ratio <= 2):7} |")
    print(
        f"| HTTP requests of one plan    | {requests:12g} | {needed:7d} | "
        f"{verdict(requests == needed):7} |"
    )


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
