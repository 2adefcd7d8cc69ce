"""Benchmark ``syncctl validate`` against its floor and against check-jsonschema.

    python benchmarks/validate_bench.py [--n 10000] [--repeat 5] [--seed 0] [--profile]

Generates one corpus (benchmarks/gen_jobs.py) and measures on those same files, in one run:

(a)  ``syncctl --config OUT/syncctl.toml validate OUT/jobs`` as a subprocess (and, for
     reference, the core ``validate_paths`` timed in this process);
(b)  the floor: one Python process that only reads every file and loads it with
     ``yaml.load(text, Loader=yaml.CSafeLoader)`` (a subprocess too, so start-up counts alike);
(c)  ``check-jsonschema --schemafile schemas/sync-job.schema.json`` on every file (its Python
     entry point in a subprocess, given the file list in argv built inside that process, so
     10,000 paths never meet the OS argument-length limit);
(d)  wall time of ``syncctl validate`` on one file, interpreter start-up included (median of 11).

It prints medians, the ratios (a)/(b) (target <= 1.5), (c)/(a) (target >= 10) and (d)
(target <= 0.25 s) with PASS/MISS, and whether the validate path imports httpx.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib.util
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import gen_jobs  # this folder is sys.path[0] when one of its scripts runs

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCHEMA = ROOT / "schemas" / "sync-job.schema.json"
ONE_FILE_RUNS = 11

FLOOR_SCRIPT = """\
import os, sys, yaml
count = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            yaml.load(handle.read(), Loader=yaml.CSafeLoader)
        count += 1
print(count)
"""

CHECK_JSONSCHEMA_SCRIPT = """\
import sys
from check_jsonschema import main
schema, listing = sys.argv[1], sys.argv[2]
with open(listing, encoding="utf-8") as handle:
    files = handle.read().splitlines()
sys.argv = ["check-jsonschema", "--schemafile", schema, *files]
main()
"""

MODULES_SCRIPT = """\
import json, sys
from syncctl.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
watch = ("httpx", "httpcore", "anyio", "pydantic", "sqlite3", "jsonschema",
         "syncctl.client", "syncctl.emulator", "syncctl.reconcile", "syncctl.plan")
loaded = sorted(m for m in watch if m in sys.modules)
sys.stdout.write("\\nMODULES " + json.dumps(loaded) + "\\n")
"""


@dataclass(frozen=True)
class Timing:
    runs: tuple[float, ...]
    code: int
    output: str

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def run_timed(argv: Sequence[str], repeat: int, cwd: Path) -> Timing:
    """Run ``argv`` ``repeat`` times; wall times, the last exit code and output (first run)."""
    runs = []
    code = 0
    output = ""
    for index in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
        runs.append(time.perf_counter() - start)
        code = done.returncode
        if index == 0:
            output = (done.stdout + done.stderr).strip()
    return Timing(tuple(runs), code, output)


def time_in_process(call: Callable[[], object], repeat: int) -> tuple[float, ...]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        runs.append(time.perf_counter() - start)
    return tuple(runs)


def syncctl_argv(python: str) -> list[str]:
    script = Path(python).parent / "syncctl"
    return [str(script)] if script.is_file() else [python, "-m", "syncctl"]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def short(text: str, lines: int = 6) -> str:
    kept = text.splitlines()[:lines]
    return "\n".join("      | " + line for line in kept)


def import_times(python: str, argv: Sequence[str], cwd: Path, top: int = 8) -> list[str]:
    """Top-level imports of one validate run by cumulative time (``-X importtime``)."""
    done = subprocess.run(
        [python, "-X", "importtime", "-m", "syncctl", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, raw_name = line.split("|", 2)
        if not cumulative.strip().isdigit() or raw_name.startswith("  "):
            continue  # the header, or a nested import (two or more spaces of indent)
        rows.append((int(cumulative), raw_name.strip()))
    rows.sort(reverse=True)
    return [f"{name} {us / 1000:.1f} ms" for us, name in rows[:top]]


def profile_core(jobs: Path, config_path: Path, top: int = 20) -> str:
    from syncctl.config import load_config
    from syncctl.validate import validate_paths

    config = load_config(config_path)
    profiler = cProfile.Profile()
    profiler.enable()
    validate_paths([jobs], config)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark syncctl validate.")
    parser.add_argument("--n", type=int, default=10_000, help="files to generate (10000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure, median (5)")
    parser.add_argument("--repeat-c", type=int, default=None, help="runs of (c) (= --repeat)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    parser.add_argument("--out", type=Path, help="corpus folder (default: a temporary one)")
    parser.add_argument("--profile", action="store_true", help="cProfile the core validate")
    args = parser.parse_args(argv)
    if args.n < 1 or args.repeat < 1:
        parser.error("--n and --repeat must be >= 1")

    python = sys.executable
    out = args.out or Path(tempfile.mkdtemp(prefix="syncctl-bench-"))
    if (out / "jobs").exists():
        shutil.rmtree(out / "jobs")
    try:
        return measure(args, python, out)
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)


def measure(args: argparse.Namespace, python: str, out: Path) -> int:
    start = time.perf_counter()
    paths: list[Path] = gen_jobs.generate(out, args.n, args.seed)
    generated = time.perf_counter() - start
    jobs = out / "jobs"
    config = out / "syncctl.toml"
    size = sum(p.stat().st_size for p in paths)
    lines = sum(p.read_bytes().count(b"\n") for p in paths)
    print(
        f"syncctl validate benchmark: N={args.n} files (seed {args.seed}), "
        f"medians of {args.repeat} runs"
    )
    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"corpus {size / 1e6:.1f} MB, {lines:,} lines, generated in {generated:.1f} s"
    )
    print()
    syncctl = syncctl_argv(python)
    failed = False

    a = run_timed([*syncctl, "--config", str(config), "validate", str(jobs)], args.repeat, out)
    print(f"(a)  syncctl validate, {args.n} files (CLI)        {a.median:8.3f} s")
    if a.code != 0:
        failed = True
        print(f"     ! exit {a.code}: the corpus does not validate clean:\n{short(a.output)}")

    from syncctl.config import load_config
    from syncctl.validate import validate_paths

    loaded = load_config(config)
    core = time_in_process(lambda: validate_paths([jobs], loaded), args.repeat)
    print(f"(a') core validate_paths, in process          {statistics.median(core):8.3f} s")

    b = run_timed([python, "-c", FLOOR_SCRIPT, str(jobs)], args.repeat, out)
    print(f"(b)  floor: read + yaml.load(CSafeLoader)      {b.median:8.3f} s")
    if b.code != 0 or b.output != str(args.n):
        failed = True
        print(f"     ! floor failed (exit {b.code}):\n{short(b.output)}")

    c: Timing | None = None
    if importlib.util.find_spec("check_jsonschema") is None:
        print(
            "(c)  check-jsonschema: not installed (pip install check-jsonschema; make bench does)"
        )
    else:
        listing = out / "files.txt"
        listing.write_text("\n".join(str(p) for p in sorted(paths)) + "\n", encoding="utf-8")
        repeat_c = args.repeat_c or args.repeat
        c = run_timed(
            [python, "-c", CHECK_JSONSCHEMA_SCRIPT, str(SCHEMA), str(listing)], repeat_c, out
        )
        print(
            f"(c)  check-jsonschema --schemafile, {args.n} files {c.median:8.3f} s"
            f"  (median of {repeat_c})"
        )
        if c.code != 0:
            print(f"     ! exit {c.code}:\n{short(c.output)}")

    one = sorted(paths)[0]
    d = run_timed([*syncctl, "--config", str(config), "validate", str(one)], ONE_FILE_RUNS, out)
    print(f"(d)  syncctl validate, one file, wall         {d.median:8.3f} s  (median of 11)")
    if d.code != 0:
        failed = True
        print(f"     ! exit {d.code}:\n{short(d.output)}")

    print()
    ab = a.median / b.median
    print(f"(a)/(b) = {ab:6.2f}   target <= 1.5    {verdict(ab <= 1.5)}")
    if c is not None:
        ca = c.median / a.median
        print(f"(c)/(a) = {ca:6.2f}   target >= 10     {verdict(ca >= 10)}")
    else:
        print("(c)/(a) =    n/a   target >= 10     (check-jsonschema not installed)")
    print(f"(d)     = {d.median:6.3f} s target <= 0.25 s {verdict(d.median <= 0.25)}")

    probe = subprocess.run(
        [python, "-c", MODULES_SCRIPT, "--config", str(config), "validate", str(one)],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    marker = [line for line in probe.stdout.splitlines() if line.startswith("MODULES ")]
    if marker:
        heavy = json.loads(marker[-1].removeprefix("MODULES "))
        print(
            f"validate path imports httpx: {'yes' if 'httpx' in heavy else 'no'}"
            f"   {verdict('httpx' not in heavy)}"
        )
        print(f"  watched modules imported: {', '.join(heavy) or 'none'}")
    else:
        failed = True
        print(f"validate path imports: probe failed:\n{short(probe.stderr)}")
    slowest = import_times(python, ["--config", str(config), "validate", str(one)], out)
    print(f"  slowest top-level imports (one file): {'; '.join(slowest)}")

    if args.profile:
        print()
        gc.disable()
        try:
            no_gc = time_in_process(lambda: validate_paths([jobs], loaded), args.repeat)
        finally:
            gc.enable()
        print(f"(a') with the cyclic GC off                  {statistics.median(no_gc):8.3f} s")
        print(profile_core(jobs, config))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
