"""What the workflow rules read: a workflow's steps, its JSONata strings, the jobs it names.

A workflow (design §9) holds ``trigger_name`` and ``config`` with an optional ``run_if`` and a list
of ``steps``; each step's ``config`` is a mapping that names its job by key (``sync_job``) or by
remote id (``sync_job_id``), or a JSONata string passed through as written. Everything here reads
what is there and skips what has the wrong shape: SJ010 reports the shape.

The jobs a workflow names are looked up among the job files under validation and, for a key
none of them has (``validate workflows/x.yaml`` loads no job), in the jobs folder on disk, so
validating one workflow file judges it as validating the whole tree would.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from syncctl.config import Config
from syncctl.kinds import SYNC_JOB
from syncctl.loader import Document, load_file
from syncctl.rules._memo import per_document
from syncctl.rules._runtime import JsonataSite
from syncctl.rules.base import JobFile

JOB_SUFFIX = ".yaml"


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a workflow: ``config.steps[index]``, a mapping."""

    index: int
    fields: dict[str, Any]

    @property
    def path(self) -> tuple[str | int, ...]:
        return ("config", "steps", self.index)

    @property
    def number(self) -> int:
        """The step's position as a reader counts it (1-based)."""
        return self.index + 1

    @property
    def job_key(self) -> str | None:
        """The job key of ``config.sync_job`` (a non-empty string), else ``None``."""
        config = self.fields.get("config")
        key = config.get("sync_job") if isinstance(config, dict) else None
        return key if isinstance(key, str) and key else None

    @property
    def cron(self) -> str | None:
        """``cron_expression`` when it is a string, else ``None``."""
        cron = self.fields.get("cron_expression")
        return cron if isinstance(cron, str) else None


def steps_of(data: dict[str, Any] | None) -> Iterator[Step]:
    """The steps of a workflow's data that are mappings, in order."""
    config = data.get("config") if data is not None else None
    steps = config.get("steps") if isinstance(config, dict) else None
    if not isinstance(steps, list):
        return
    for index, step in enumerate(steps):
        if isinstance(step, dict):
            yield Step(index, step)


@per_document
def workflow_jsonata_sites(doc: Document) -> tuple[JsonataSite, ...]:
    """Every JSONata string of a workflow file: ``config.run_if``, then each step's ``run_if``
    and a string ``config`` (an expression giving the step's config). Blank strings are left
    out (SJ010 reports them)."""
    data = doc.data if isinstance(doc.data, dict) else None
    out: list[JsonataSite] = []
    config = data.get("config") if data is not None else None
    run_if = config.get("run_if") if isinstance(config, dict) else None
    if isinstance(run_if, str) and run_if.strip():
        out.append(JsonataSite(("config", "run_if"), run_if, None))
    for step in steps_of(data):
        for key in ("run_if", "config"):
            text = step.fields.get(key)
            if isinstance(text, str) and text.strip():
                out.append(JsonataSite((*step.path, key), text, None))
    return tuple(out)


def environments_of(data: dict[str, Any] | None, config: Config) -> tuple[str, ...]:
    """The environments a file is desired in: its ``environments`` strings, else every
    configured one."""
    listed = data.get("environments") if data is not None else None
    if isinstance(listed, list):
        return tuple(dict.fromkeys(e for e in listed if isinstance(e, str)))
    return tuple(config.environments)


class JobIndex:
    """The job files a workflow may name, by key: those under validation first, then the jobs
    folder on disk (read only for a key asked for and not found among them)."""

    def __init__(self, jobs: Sequence[JobFile], config: Config) -> None:
        self.config = config
        self.loaded: dict[str, JobFile] = {job.key: job for job in jobs if job.key is not None}
        self.read: dict[str, JobFile | None] = {}

    def get(self, key: str) -> JobFile | None:
        """The job file of ``key``, or ``None`` when no file defines it."""
        found = self.loaded.get(key)
        if found is not None:
            return found
        if key not in self.read:
            self.read[key] = self._from_disk(key)
        return self.read[key]

    def _from_disk(self, key: str) -> JobFile | None:
        parts = key.split("/")
        if len(parts) != 2 or not all(parts) or any(p.startswith(".") for p in parts):
            return None
        path = self.config.jobs_dir / parts[0] / f"{parts[1]}{JOB_SUFFIX}"
        if not path.is_file():
            return None
        rel = _display(path, self.config.root)
        doc = load_file(path, rel)
        return JobFile(path, rel, doc, (parts[0], f"{parts[1]}{JOB_SUFFIX}"), SYNC_JOB)

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """Every job key known: under validation or on disk (for did-you-mean)."""
        on_disk = (
            f"{p.parent.name}/{p.name.removesuffix(JOB_SUFFIX)}"
            for p in self.config.jobs_dir.glob(f"*/*{JOB_SUFFIX}")
            if not p.parent.name.startswith(".")
        )
        return tuple(sorted({*self.loaded, *on_disk}))


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
