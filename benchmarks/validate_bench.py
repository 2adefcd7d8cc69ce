"""Benchmark ``syncctl validate`` on a legacy and a runtime 4 corpus, side by side.

    python benchmarks/validate_bench.py [--files 10000] [--repeat 5] [--repeat-c N] [--seed 0]
                                        [--out DIR] [--profile]

Generates two corpora with benchmarks/gen_jobs.py (``--files`` each: the legacy one of runtime
2/3 jobs, and a runtime 4 one of node graphs with JSONata) and measures, in one run, on those
files, medians of ``--repeat`` wall times of subprocesses (interpreter start-up included, so every
figure pays it alike; the figures of one corpus are interleaved run by run):

legacy corpus
  (a)  ``syncctl --config CFG validate JOBS``: the default CLI (a pool of processes on a large
       tree when the machine has several CPUs);
  (a1) the same in one process (``SYNCCTL_WORKERS=1``);
  (b)  the floor: one Python process that only reads every file and runs
       ``yaml.load(text, Loader=yaml.CSafeLoader)``;
  (c)  ``check-jsonschema --schemafile schemas/sync-job.schema.json`` on every file (its Python
       entry point, given the file list inside the process: 10,000 paths would exceed the OS
       argument-length limit);
runtime 4 corpus
  (v)  the default CLI, and (vb) its floor (as (b));
  (d4) ``syncctl validate`` on one runtime 4 file, whole process (median of 11);
  (j)  the cold JSONata parse cost per expression: every distinct expression of the v4 corpus
       parsed once by ``syncctl.jsonata`` in a fresh process (the fast path and, for what it
       does not cover, the library), and by the library alone.

Subprocesses run with Python's bytecode cache on (``PYTHONPYCACHEPREFIX`` under the output
folder, after one untimed warm-up run), as an installed syncctl has it, whatever
PYTHONDONTWRITEBYTECODE says; check-jsonschema runs in this process's environment.

It prints a table (command, median, ratio, target, PASS/MISS) with the targets of issue 8:
(a)/(b) <= 1.2, (a1)/(b) <= 1.6, (c)/(a) >= 10, (v)/(vb) <= 2.0, (d4) <= 0.2 s; then which
heavy modules the one-file path imports and its slowest imports. Exit 1 when a corpus does
not validate clean (a benchmark of failing files measures the wrong thing), else 0.
"""

from __future__ import annotations

import argparse
import cProfile
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
watch = ("httpx", "httpcore", "anyio", "pydantic", "sqlite3", "jsonschema", "ruamel",
         "jsonata", "multiprocessing", "syncctl.client", "syncctl.emulator",
         "syncctl.reconcile", "syncctl.plan")
loaded = sorted(m for m in watch if m in sys.modules)
sys.stdout.write("\\nMODULES " + json.dumps(loaded) + "\\n")
"""

# Parse every expression once, cold: through syncctl.jsonata (fast path, then the library for
# what it leaves), then the library alone on the same texts. Prints JSON.
JSONATA_SCRIPT = """\
import json, sys, time
texts = json.load(open(sys.argv[1], encoding="utf-8"))
start = time.perf_counter()
from syncctl import jsonata
imported = time.perf_counter() - start
start = time.perf_counter()
for text in texts:
    jsonata.syntax_error(text)
ours = time.perf_counter() - start
from syncctl.jsonata_fast import quick_parse
left = [t for t in texts if quick_parse(t) is None]
start = time.perf_counter()
jsonata._parse("1")
library_import = time.perf_counter() - start
start = time.perf_counter()
for text in texts:
    jsonata._parse(text)
library = time.perf_counter() - start
print(json.dumps({"n": len(texts), "left": len(left), "import": imported, "ours": ours,
                  "library_import": library_import, "library": library}))
"""


@dataclass
class Timing:
    runs: list[float] = field(default_factory=list)
    code: int = 0
    output: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


@dataclass(frozen=True)
class Command:
    argv: Sequence[str]
    env: Mapping[str, str] | None = None  # the whole environment (None: this process's)


def bytecode_cached(out: Path, **extra: str) -> dict[str, str]:
    """This environment with Python's bytecode cache on, kept under ``out``.

    An installed syncctl has its ``.pyc`` files; a checkout run with PYTHONDONTWRITEBYTECODE=1
    (as some sandboxes set it) would compile its ~60 modules on every run instead, ~50 ms that
    no user pays. PYTHONPYCACHEPREFIX keeps the cache out of the source tree."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(out / "pycache"), **extra}


def run_once(command: Command, cwd: Path, timing: Timing) -> None:
    start = time.perf_counter()
    done = subprocess.run(
        command.argv, cwd=cwd, env=command.env, capture_output=True, text=True, check=False
    )
    timing.runs.append(time.perf_counter() - start)
    if not timing.output:
        timing.output = (done.stdout + done.stderr).strip()
    timing.code = done.returncode


def run_interleaved(commands: Mapping[str, Command], repeat: int, cwd: Path) -> dict[str, Timing]:
    """Each command ``repeat`` times, round-robin (a drift of the machine hits all alike)."""
    timings = {name: Timing() for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            run_once(command, cwd, timings[name])
    return timings


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
        env=bytecode_cached(cwd),
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
    """cProfile of one in-process, single-process ``validate_paths`` call."""
    from syncctl.config import load_config
    from syncctl.validate import validate_paths

    config = load_config(config_path)
    profiler = cProfile.Profile()
    profiler.enable()
    validate_paths([jobs], config, workers=1)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


@dataclass
class Table:
    rows: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)

    def add(
        self, figure: str, command: str, median: float | None, ratio: str, target: str, ok: str
    ) -> None:
        shown = f"{median:.3f} s" if median is not None else ""
        self.rows.append((figure, command, shown, ratio, target, ok))

    def render(self) -> str:
        head = ("figure", "command", "median", "ratio", "target", "")
        widths = [max(len(r[i]) for r in [head, *self.rows]) for i in range(6)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(head, widths, strict=True)).rstrip()]
        lines.append("  ".join("-" * w for w in widths))
        lines.extend(
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in self.rows
        )
        return "\n".join(lines)


def corpus(out: Path, files: int, seed: int, runtime: int) -> tuple[Path, list[Path], str]:
    start = time.perf_counter()
    paths: list[Path] = gen_jobs.generate(out, files, seed, runtime)
    took = time.perf_counter() - start
    size = sum(p.stat().st_size for p in paths)
    lines = sum(p.read_bytes().count(b"\n") for p in paths)
    about = f"{size / 1e6:.1f} MB, {lines:,} lines, generated in {took:.1f} s"
    return out, paths, about


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark syncctl validate.")
    parser.add_argument("--files", "--n", type=int, default=10_000, help="files per corpus (10000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure, median (5)")
    parser.add_argument("--repeat-c", type=int, default=None, help="runs of (c) (= --repeat)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (0)")
    parser.add_argument("--out", type=Path, help="corpus folder (default: a temporary one)")
    parser.add_argument("--profile", action="store_true", help="cProfile the core validate")
    args = parser.parse_args(argv)
    if args.files < 1 or args.repeat < 1:
        parser.error("--files and --repeat must be >= 1")

    out = args.out or Path(tempfile.mkdtemp(prefix="syncctl-bench-"))
    for sub in ("legacy", "v4"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    try:
        return measure(args, sys.executable, out)
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)


def measure(args: argparse.Namespace, python: str, out: Path) -> int:
    legacy, legacy_paths, legacy_about = corpus(out / "legacy", args.files, args.seed, 3)
    v4, v4_paths, v4_about = corpus(out / "v4", args.files, args.seed, 4)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"syncctl validate benchmark: {args.files} files per corpus (seed {args.seed}), "
        f"medians of {args.repeat} runs"
    )
    print(f"python {platform.python_version()} on {platform.machine()}, {cpus} CPUs usable")
    print(f"legacy corpus: {legacy_about}")
    print(f"v4 corpus:     {v4_about}")
    print()
    syncctl = syncctl_argv(python)
    failed = False
    table = Table()

    def cli(root: Path, *extra: str) -> list[str]:
        return [*syncctl, "--config", str(root / "syncctl.toml"), "validate", *extra]

    cached = bytecode_cached(out)
    one_process = bytecode_cached(out, SYNCCTL_WORKERS="1")
    warm = Timing()  # compile every module once into the cache: not timed
    run_once(Command(cli(legacy, str(sorted(legacy_paths)[0])), cached), out, warm)
    run_once(Command(cli(v4, str(sorted(v4_paths)[0])), cached), out, warm)
    run_once(Command([python, "-c", FLOOR_SCRIPT, str(legacy / "jobs")], cached), out, warm)
    legacy_runs = run_interleaved(
        {
            "a": Command(cli(legacy, str(legacy / "jobs")), cached),
            "a1": Command(cli(legacy, str(legacy / "jobs")), one_process),
            "b": Command([python, "-c", FLOOR_SCRIPT, str(legacy / "jobs")], cached),
        },
        args.repeat,
        out,
    )
    a, a1, b = legacy_runs["a"], legacy_runs["a1"], legacy_runs["b"]
    for name, timing in (("(a)", a), ("(a1)", a1)):
        if timing.code != 0:
            failed = True
            print(f"{name} ! exit {timing.code}: the legacy corpus is not clean:")
            print(short(timing.output))
    if b.code != 0 or b.output != str(args.files):
        failed = True
        print(f"(b) ! floor failed (exit {b.code}):\n{short(b.output)}")

    table.add("(a)", "syncctl validate (default)", a.median, "", "", "")
    table.add("(a1)", "SYNCCTL_WORKERS=1 syncctl validate", a1.median, "", "", "")
    table.add("(b)", "floor: read + CSafeLoader", b.median, "", "", "")
    ab, a1b = a.median / b.median, a1.median / b.median
    table.add(
        "(a)/(b)", "legacy, default CLI vs floor", None, f"{ab:.2f}", "<= 1.2", verdict(ab <= 1.2)
    )
    table.add(
        "(a1)/(b)",
        "legacy, one process vs floor",
        None,
        f"{a1b:.2f}",
        "<= 1.6",
        verdict(a1b <= 1.6),
    )

    c: Timing | None = None
    if importlib.util.find_spec("check_jsonschema") is None:
        table.add(
            "(c)", "check-jsonschema: not installed (make bench installs it)", None, "", "", ""
        )
        table.add("(c)/(a)", "check-jsonschema vs legacy default", None, "n/a", ">= 10", "")
    else:
        listing = out / "files.txt"
        ordered = sorted(legacy_paths)
        listing.write_text("\n".join(str(p) for p in ordered) + "\n", encoding="utf-8")
        repeat_c = args.repeat_c or args.repeat
        c = run_interleaved(
            {"c": Command([python, "-c", CHECK_JSONSCHEMA_SCRIPT, str(SCHEMA), str(listing)])},
            repeat_c,
            out,
        )["c"]
        if c.code != 0:
            print(f"(c) ! exit {c.code}:\n{short(c.output)}")
        ca = c.median / a.median
        table.add(
            "(c)", f"check-jsonschema --schemafile (median of {repeat_c})", c.median, "", "", ""
        )
        table.add(
            "(c)/(a)",
            "check-jsonschema vs legacy default",
            None,
            f"{ca:.1f}",
            ">= 10",
            verdict(ca >= 10),
        )

    v4_runs = run_interleaved(
        {
            "v": Command(cli(v4, str(v4 / "jobs")), cached),
            "v1": Command(cli(v4, str(v4 / "jobs")), one_process),
            "vb": Command([python, "-c", FLOOR_SCRIPT, str(v4 / "jobs")], cached),
        },
        args.repeat,
        out,
    )
    v, v1, vb = v4_runs["v"], v4_runs["v1"], v4_runs["vb"]
    if v.code != 0 or v1.code != 0:
        failed = True
        print(f"(v) ! exit {v.code}: the v4 corpus is not clean:\n{short(v.output)}")
    table.add("(v)", "syncctl validate (default), v4", v.median, "", "", "")
    table.add("(v1)", "SYNCCTL_WORKERS=1 syncctl validate, v4", v1.median, "", "", "")
    table.add("(vb)", "floor: read + CSafeLoader, v4", vb.median, "", "", "")
    vvb = v.median / vb.median
    table.add(
        "(v)/(vb)", "v4, default CLI vs floor", None, f"{vvb:.2f}", "<= 2.0", verdict(vvb <= 2.0)
    )
    table.add(
        "(v1)/(vb)",
        "v4, one process vs floor (reported)",
        None,
        f"{v1.median / vb.median:.2f}",
        "",
        "",
    )

    one = next(p for p in sorted(v4_paths) if p.parent.name != "_multi")
    d4 = run_interleaved({"d4": Command(cli(v4, str(one)), cached)}, ONE_FILE_RUNS, out)["d4"]
    if d4.code != 0:
        failed = True
        print(f"(d4) ! exit {d4.code}:\n{short(d4.output)}")
    table.add(
        "(d4)",
        f"syncctl validate one v4 file (median of {ONE_FILE_RUNS})",
        d4.median,
        "",
        "<= 0.2 s",
        verdict(d4.median <= 0.2),
    )
    legacy_one = sorted(legacy_paths)[0]
    d3 = run_interleaved({"d3": Command(cli(legacy, str(legacy_one)), cached)}, ONE_FILE_RUNS, out)[
        "d3"
    ]
    table.add(
        "(d3)",
        f"syncctl validate one legacy file (median of {ONE_FILE_RUNS})",
        d3.median,
        "",
        "",
        "",
    )

    texts, sites = jsonata_texts(v4_paths)
    listing = out / "jsonata.json"
    listing.write_text(json.dumps(texts), encoding="utf-8")
    done = subprocess.run(
        [python, "-c", JSONATA_SCRIPT, str(listing)],
        env=cached,
        capture_output=True,
        text=True,
        check=False,
    )
    print(table.render())
    print()
    if done.returncode == 0:
        cold = json.loads(done.stdout)
        n = cold["n"]
        print(
            f"(j)  cold JSONata parse: {sites:,} expressions in the v4 corpus, {n:,} distinct "
            f"({100 * n / max(1, sites):.0f} %), each parsed once in a fresh process"
        )
        print(
            f"     syncctl.jsonata: {1e6 * cold['ours'] / n:.0f} us per expression "
            f"({cold['left']} left to the library; module import {1000 * cold['import']:.0f} ms)"
        )
        print(
            f"     the library alone: {1e6 * cold['library'] / n:.0f} us per expression "
            f"(its import and first parse {1000 * cold['library_import']:.0f} ms)"
        )
    else:
        print(f"(j)  cold JSONata parse: n/a ({short(done.stderr, 2).strip()})")

    probe = subprocess.run(
        [python, "-c", MODULES_SCRIPT, "--config", str(v4 / "syncctl.toml"), "validate", str(one)],
        cwd=out,
        env=cached,
        capture_output=True,
        text=True,
        check=False,
    )
    marker = [line for line in probe.stdout.splitlines() if line.startswith("MODULES ")]
    if marker:
        heavy = json.loads(marker[-1].removeprefix("MODULES "))
        print(f"one v4 file imports: {', '.join(heavy) or 'none of the watched modules'}")
    else:
        failed = True
        print(f"one v4 file imports: probe failed:\n{short(probe.stderr)}")
    slowest = import_times(
        python, ["--config", str(v4 / "syncctl.toml"), "validate", str(one)], out
    )
    print(f"  slowest top-level imports (one v4 file): {'; '.join(slowest)}")

    if args.profile:
        print()
        print(profile_core(legacy / "jobs", legacy / "syncctl.toml"))
        print(profile_core(v4 / "jobs", v4 / "syncctl.toml"))
    return 1 if failed else 0


def jsonata_texts(paths: Sequence[Path]) -> tuple[list[str], int]:
    """Every distinct JSONata expression of the files (in file order), and how many there are
    in all."""
    from syncctl.loader import load_file
    from syncctl.rules._runtime import jsonata_sites

    seen: dict[str, None] = {}
    count = 0
    for path in paths:
        for site in jsonata_sites(load_file(path)):
            seen.setdefault(site.text)
            count += 1
    return list(seen), count


if __name__ == "__main__":
    sys.exit(main())
