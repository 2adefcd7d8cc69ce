"""Generate valid workflow files that name the jobs of a generated corpus, for benchmarks.

    python benchmarks/gen_workflows.py OUT_DIR N [--seed S]

reads the job files under ``OUT_DIR/jobs`` (written by ``gen_jobs.py``) and writes
``OUT_DIR/workflows/<name>.yaml`` (N files). The output is deterministic for a seed and the
job files, and every file is meant to pass ``syncctl validate --strict`` beside those jobs:

- each workflow has 1-3 steps, each naming a distinct job by key (``config: {sync_job: K}``),
  and the first jobs of two workflows always differ, so no two resolved configs are equal
  (adoption by content stays unambiguous);
- about a third have one ``cron_expression`` step (valid five-field cron, UTC), and that step
  names a job with a ``mutex_key`` (SJ903 would warn otherwise);
- most have a workflow-level ``run_if`` on the integration, some a step-level ``run_if``;
- a workflow is applied only where all of its jobs are: the steps after the first name jobs
  applied in every environment of the first, and the workflow's ``environments`` are the
  first job's (SJ901).

Job files are read as text (the few lines that matter), not parsed, so 5,000 take well under a
second; workflow files are written as text too.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

TRIGGER = "integrated_account:active"
MAX_STEPS = 3
ALL = frozenset({"*"})  # a job without ``environments:`` is applied everywhere
CRONS = (
    "*/15 * * * *",
    "*/30 * * * *",
    "0 */6 * * *",
    "15 2 * * MON-FRI",
    "0 3 * * *",
    "0 0 1 * *",
    "0 9 * * 1",
    "5,35 * * * *",
    "0 0 * * SUN",
)
HOURS = (2, 3, 4, 6, 8, 12)
STEP_CONDITIONS = (
    "$exists(integrated_account.context.region)",
    'integrated_account.context.plan in ["pro", "enterprise"]',
    "$not(integrated_account.context.paused = true)",
    'integrated_account.environment_id != ""',
)
PURPOSES = ("onboarding", "backfill", "refresh", "nightly", "directory", "catch-up")


@dataclass(frozen=True, slots=True)
class JobRef:
    """What a workflow needs to know of one job file: its key, integration folder, whether it
    has a ``mutex_key`` and the environments it is applied in (``ALL`` when not listed)."""

    key: str
    integration: str
    mutex: bool
    environments: frozenset[str]

    def covers(self, environments: frozenset[str]) -> bool:
        """True when this job is applied in every environment of ``environments``."""
        return self.environments is ALL or (
            environments is not ALL and environments <= self.environments
        )


def read_jobs(jobs_dir: Path) -> list[JobRef]:
    """The job files under ``jobs_dir`` (``<integration>/<job>.yaml``), sorted by key."""
    refs = []
    for path in sorted(jobs_dir.glob("*/*.yaml")):
        mutex, environments = False, ALL
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("mutex_key:"):
                value = line.removeprefix("mutex_key:").strip().strip('"')
                mutex = bool(value) and value != "null"
            elif line.startswith("environments:"):
                names = line.removeprefix("environments:").strip().strip("[]")
                environments = frozenset(n.strip() for n in names.split(",") if n.strip())
        key = f"{path.parent.name}/{path.stem}"
        refs.append(JobRef(key, path.parent.name, mutex, environments))
    return refs


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text.lower()).strip("-_")


def _cron(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(CRONS)
    return f"{rng.randrange(60)} */{rng.choice(HOURS)} * * *"


def _step(job: JobRef, cron: str | None, run_if: str | None) -> list[str]:
    lines = ["    - type: run", "      action: run_sync_job"]
    if run_if is not None:
        lines.append(f"      run_if: {_quoted(run_if)}")
    if cron is not None:
        lines.append(f'      cron_expression: "{cron}"')
    lines.append(f"      config: {{sync_job: {job.key}}}")
    return lines


def _quoted(text: str) -> str:
    """A YAML single-quoted scalar (JSONata holds ``:``, ``"`` and ``[``)."""
    return "'" + text.replace("'", "''") + "'"


def _pick_steps(rng: random.Random, first: JobRef, pool: list[JobRef]) -> list[JobRef]:
    """``first`` and 0-2 more distinct jobs applied wherever ``first`` is."""
    wanted = rng.choice((1, 1, 2, 2, MAX_STEPS))
    steps = [first]
    for _ in range(8 * wanted):
        if len(steps) == wanted:
            break
        other = rng.choice(pool)
        if other not in steps and other.covers(first.environments):
            steps.append(other)
    return steps


def render_workflow(
    rng: random.Random, index: int, first: JobRef, pool: list[JobRef], mutexed: list[JobRef]
) -> tuple[str, str]:
    """One workflow: (file stem, YAML text)."""
    steps = _pick_steps(rng, first, pool)
    cron_at: int | None = None
    if rng.random() < 1 / 3:  # one step on a schedule, running a job with a mutex_key
        timed = [number for number, job in enumerate(steps) if job.mutex]
        candidates = [j for j in mutexed if j not in steps and j.covers(first.environments)]
        if timed:
            cron_at = rng.choice(timed)
        elif candidates:
            if len(steps) == MAX_STEPS:
                steps.pop()
            steps.append(rng.choice(candidates))
            cron_at = len(steps) - 1
    integration = first.integration
    stem = f"{_slug(integration)}-{rng.choice(PURPOSES)}-{index:05d}"
    out = [
        "# yaml-language-server: $schema=../schemas/workflow.schema.json",
        "description: >-",
        f"  Generated workflow {index}: {len(steps)} job(s) for each new {integration} account"
        f"{', one on a schedule' if cron_at is not None else ''}.",
    ]
    if first.environments is not ALL:
        out.append(f"environments: [{', '.join(sorted(first.environments))}]")
    out.append(f"trigger_name: {TRIGGER}")
    out.append("config:")
    if not integration.startswith("_") and rng.random() < 0.8:
        condition = f'integrated_account.integration.name = "{integration}"'
        out.append(f"  run_if: {_quoted(condition)}")
    out.append("  steps:")
    for number, job in enumerate(steps):
        run_if = rng.choice(STEP_CONDITIONS) if number > 0 and rng.random() < 0.3 else None
        out.extend(_step(job, _cron(rng) if number == cron_at else None, run_if))
    return stem, "\n".join(out) + "\n"


def generate(out_dir: Path, count: int, seed: int = 0) -> list[Path]:
    """Write ``count`` workflow files under ``out_dir/workflows`` naming the jobs of
    ``out_dir/jobs``; return their paths."""
    jobs = read_jobs(out_dir / "jobs")
    if count > len(jobs):
        raise ValueError(f"{count} workflows need at least as many jobs (found {len(jobs)})")
    rng = random.Random(seed)
    firsts = rng.sample(jobs, count)  # distinct first jobs: distinct resolved configs
    mutexed = [job for job in jobs if job.mutex]
    folder = out_dir / "workflows"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index, first in enumerate(firsts):
        stem, text = render_workflow(rng, index, first, jobs, mutexed)
        path = folder / f"{stem}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out_dir", type=Path, help="folder holding jobs/ (from gen_jobs.py)")
    parser.add_argument("n", type=int, help="number of workflow files")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be >= 0")
    existing = args.out_dir / "workflows"
    if existing.exists() and any(existing.iterdir()):
        parser.error(f"{existing} is not empty; pick a new OUT_DIR")
    try:
        paths = generate(args.out_dir, args.n, args.seed)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"wrote {len(paths)} workflow files under {existing}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
