"""``syncctl import``: write job files for unmanaged live jobs and record them in state.

Each file is canonical YAML of the job's writable fields, read back through the shared loader
before it is written: what is imported is exactly what the next plan compares, so the next plan
is empty. Existing files are never overwritten, and a job whose label is already used by a job
file of this environment (or by a job imported earlier in the same run) is skipped: two files
with one label fail validation (SJ006) and would make adoption ambiguous.

A job with ``integration_name: ""`` (a runtime-4 job that spans integrations) goes into the
reserved folder ``_multi/``, and its file keeps ``integration_name: ""``. Runtime 4 nodes are
written in node order (``syncctl.canonical``), so imported files are ``fmt``-clean.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from syncctl.canonical import dump_job
from syncctl.client.models import LiveJob
from syncctl.config import Config
from syncctl.errors import NotFoundError
from syncctl.loader import load_text
from syncctl.model import MULTI_FOLDER
from syncctl.reconcile.normalise import content_hash, normalise
from syncctl.reconcile.session import Session
from syncctl.reconcile.state import Entry, State
from syncctl.validate import discover, load_jobs

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True, slots=True)
class Imported:
    key: str
    id: str
    file: str

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "id": self.id, "file": self.file}


@dataclass(frozen=True, slots=True)
class Skipped:
    id: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class ImportResult:
    environment: str
    imported: tuple[Imported, ...]
    skipped: tuple[Skipped, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": 1,
            "environment": self.environment,
            "imported": [i.to_dict() for i in self.imported],
            "skipped": [s.to_dict() for s in self.skipped],
        }


def slug(label: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    return text if NAME.match(text) else "job"


def _candidates(
    session: Session, ids: Sequence[str], integration: str | None
) -> tuple[list[LiveJob], list[Skipped]]:
    if not ids:
        if integration:
            return list(session.api.list(integration_name=integration)), []
        return list(session.api.list()), []
    found: list[LiveJob] = []
    skipped: list[Skipped] = []
    for job_id in ids:
        try:
            found.append(session.api.get(job_id))
        except NotFoundError:
            skipped.append(Skipped(job_id, "no such job in this environment"))
    return found, skipped


def _recorder(key: str, entry: Entry) -> Callable[[State], State]:
    return lambda state: state.with_entry(key, entry)


def labels_in_use(config: Config, environment: str) -> dict[str, str]:
    """Effective label -> file, for every job file that targets ``environment`` (as SJ006 sees
    them: ``label``, or the job key when it is absent)."""
    files, _missing = discover([config.jobs_dir])
    used: dict[str, str] = {}
    for job in load_jobs(files, config):
        data = job.data
        if not isinstance(data, dict) or job.key is None:
            continue
        label = data.get("label", job.key)
        listed = data.get("environments")
        targets = listed if isinstance(listed, list) else list(config.environments)
        if isinstance(label, str) and label and environment in targets:
            used.setdefault(label, job.rel)
    return used


def job_folder(job: LiveJob) -> str:
    """The folder a live job's file goes to: its integration, or ``_multi`` for ``""``."""
    name = job.integration_name
    return MULTI_FOLDER if name == "" else (name or "")


def file_data(job: LiveJob, environment: str | None) -> dict[str, Any]:
    """The job file for a live job: its writable fields that are set."""
    data = {k: v for k, v in normalise(job.body).items() if v is not None}
    if environment is not None:
        data["environments"] = [environment]
    return data


def import_jobs(
    session: Session, *, ids: Sequence[str] = (), integration: str | None = None
) -> ImportResult:
    config, env = session.config, session.env
    restrict = env.name if len(config.environments) > 1 else None
    live, skipped = _candidates(session, ids, integration)
    used = labels_in_use(config, env.name)
    imported: list[Imported] = []
    for job in sorted(live, key=lambda j: (str(j.integration_name), j.id)):
        job_id = job.id
        state = session.store.state
        owner = state.owner_of(job_id)
        if owner is not None:
            if ids:  # asked for by id: say why nothing happened
                skipped.append(Skipped(job_id, f"already managed as {owner}"))
            continue
        folder = job_folder(job)
        if folder != MULTI_FOLDER and not NAME.match(folder):
            skipped.append(Skipped(job_id, f"integration_name {folder!r} cannot be a folder name"))
            continue
        data = file_data(job, restrict)
        text = dump_job(data)
        reread = load_text(text, "<import>")
        if reread.findings or normalise(reread.data) != normalise(job.body):
            skipped.append(Skipped(job_id, "its fields do not survive a YAML round trip"))
            continue
        base = slug(job.label or job_id)
        name, n = base, 1
        while (config.jobs_dir / folder / f"{name}.yaml").exists() or (
            f"{folder}/{name}" in state.jobs
        ):
            n += 1
            name = f"{base}-{n}"
        key = f"{folder}/{name}"
        label = str(data.get("label") or key)
        if label in used:
            skipped.append(
                Skipped(job_id, f"label {label!r} is already used by {used[label]} (SJ006)")
            )
            continue
        path = config.jobs_dir / folder / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
        session.store.update(_recorder(key, Entry(job_id, content_hash(data), False)))
        rel = path.relative_to(config.root).as_posix()
        used[label] = rel
        imported.append(Imported(key, job_id, rel))
    return ImportResult(env.name, tuple(imported), tuple(skipped))
