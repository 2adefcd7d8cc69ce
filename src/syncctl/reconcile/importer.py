"""``syncctl import``: write files for unmanaged live jobs and workflows and record them in state.

Each file is canonical YAML of the object's writable fields, read back through the shared loader
before it is written: what is imported is exactly what the next plan compares, so the next plan
is empty. Existing files are never overwritten.

Jobs: a job whose label is already used by a job file of this environment (or by a job imported
earlier in the same run) is skipped: two files with one label fail validation (SJ006) and would
make adoption ambiguous. A job with ``integration_name: ""`` (a runtime-4 job that spans
integrations) goes into the reserved folder ``_multi/``, and its file keeps
``integration_name: ""``. Runtime 4 nodes are written in node order (``syncctl.canonical``), so
imported files are ``fmt``-clean.

Workflows (design §9) are imported after the jobs, so a job imported in the same run counts as
managed. A workflow file holds ``trigger_name`` and ``config``; every step's ``sync_job_id`` of a
managed job (one the state file owns) becomes ``sync_job: <key>`` (``references.key_view``, the
reading the plan compares with). A step naming a job that is not managed keeps its
``sync_job_id`` as it is (validate warns, SJ905) and the result says so: the file stays faithful
to the live workflow, and importing that job later needs no change to it. Workflows have no
name, so one is derived from the first job key they name (``zendesk/support-directory`` ->
``zendesk-support-directory``), else from the id (``workflow-<first 8 characters>``), with
``-2``, ``-3``… against existing files, state keys and names chosen earlier in the run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from syncctl.canonical import dump_job
from syncctl.client.models import LiveJob, LiveWorkflow
from syncctl.config import Config
from syncctl.errors import NotFoundError
from syncctl.kinds import SYNC_JOB, WORKFLOW
from syncctl.loader import load_text
from syncctl.model import MULTI_FOLDER
from syncctl.reconcile.normalise import content_hash, normalise
from syncctl.reconcile.session import Session
from syncctl.reconcile.state import Entry, State
from syncctl.references import job_ids, job_keys, key_view
from syncctl.validate import discover, load_jobs

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
ID_PREFIX = 8
"""How many characters of a workflow's id name it when it names no managed job."""


@dataclass(frozen=True, slots=True)
class Imported:
    """One object written to ``file`` as ``key`` and recorded in state. ``note`` tells what
    the user should know about it (a workflow step that keeps a literal job id)."""

    key: str
    id: str
    file: str
    kind: str = SYNC_JOB.name
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "id": self.id,
            "file": self.file,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Skipped:
    """An id that was not imported, and why. ``kind`` is ``None`` when no object has the id."""

    id: str
    reason: str
    kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "reason": self.reason}


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


@dataclass(slots=True)
class _Found:
    """The live objects to consider, by kind, and the ids found in neither kind."""

    jobs: list[LiveJob] = field(default_factory=list)
    workflows: list[LiveWorkflow] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def slug(label: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    return text if NAME.match(text) else "job"


def _by_id(session: Session, ids: Sequence[str]) -> _Found:
    """Each id looked up as a sync job, then (on a 404) as a workflow."""
    found = _Found()
    for object_id in dict.fromkeys(ids):
        if not object_id:
            found.skipped.append(Skipped(object_id, "an id must not be empty"))
            continue
        try:
            found.jobs.append(session.api.get(object_id))
            continue
        except NotFoundError:
            pass
        try:
            found.workflows.append(session.api.workflows.get(object_id))
        except NotFoundError:
            found.skipped.append(Skipped(object_id, "no such job or workflow in this environment"))
    return found


def _candidates(session: Session, ids: Sequence[str], integration: str | None) -> _Found:
    """What to import: the ids given (either kind), one integration's jobs (jobs only), or
    every live job and workflow."""
    if ids:
        return _by_id(session, ids)
    if integration:
        return _Found(jobs=list(session.api.list(integration_name=integration)))
    return _Found(jobs=list(session.api.list()), workflows=list(session.api.workflows.list()))


def _recorder(key: str, entry: Entry, kind: str = SYNC_JOB.name) -> Callable[[State], State]:
    return lambda state: state.with_entry(key, entry, kind=kind)


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


def _write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; an existing file is never overwritten (``x`` mode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)


def _free_name(base: str, taken: Callable[[str], bool]) -> str:
    """``base``, else ``base-2``, ``base-3``… : the first name ``taken`` does not claim."""
    name, n = base, 1
    while taken(name):
        n += 1
        name = f"{base}-{n}"
    return name


def _import_job(
    session: Session, job: LiveJob, used: dict[str, str], *, asked: bool
) -> Imported | Skipped | None:
    """Write and record one live job; ``None`` when it is managed and was not asked for."""
    config = session.config
    restrict = session.env.name if len(config.environments) > 1 else None
    job_id = job.id
    state = session.store.state
    owner = state.owner_of(job_id)
    if owner is not None:  # asked for by id: say why nothing happened
        return Skipped(job_id, f"already managed as {owner}", SYNC_JOB.name) if asked else None
    folder = job_folder(job)
    if folder != MULTI_FOLDER and not NAME.match(folder):
        reason = f"integration_name {folder!r} cannot be a folder name"
        return Skipped(job_id, reason, SYNC_JOB.name)
    data = file_data(job, restrict)
    text = dump_job(data)
    reread = load_text(text, "<import>")
    if reread.findings or normalise(reread.data) != normalise(job.body):
        return Skipped(job_id, "its fields do not survive a YAML round trip", SYNC_JOB.name)
    name = _free_name(
        slug(job.label or job_id),
        lambda n: (
            (config.jobs_dir / folder / f"{n}.yaml").exists() or f"{folder}/{n}" in state.jobs
        ),
    )
    key = f"{folder}/{name}"
    label = str(data.get("label") or key)
    if label in used:
        reason = f"label {label!r} is already used by {used[label]} (SJ006)"
        return Skipped(job_id, reason, SYNC_JOB.name)
    path = config.jobs_dir / folder / f"{name}.yaml"
    _write_new(path, text)
    session.store.update(_recorder(key, Entry(job_id, content_hash(data), False)))
    rel = path.relative_to(config.root).as_posix()
    used[label] = rel
    return Imported(key, job_id, rel, SYNC_JOB.name)


def workflow_data(workflow: LiveWorkflow, keys_by_id: dict[str, str]) -> dict[str, Any]:
    """A live workflow as its file writes it: ``trigger_name`` and ``config`` (no read-only
    field), each ``sync_job_id`` of a managed job turned into its ``sync_job`` key."""
    body = {k: v for k, v in normalise(workflow.body, WORKFLOW).items() if v is not None}
    return key_view(body, keys_by_id)


def workflow_base_name(data: dict[str, Any], workflow_id: str) -> str:
    """A readable, stable name: the first job key the workflow names, as a file name
    (``zendesk/support-directory`` -> ``zendesk-support-directory``), else
    ``workflow-<first 8 characters of the id>``."""
    for key in job_keys(data):
        text = re.sub(r"[^a-z0-9_-]+", "-", key.lower()).strip("-_")
        if NAME.match(text):
            return text
    short = re.sub(r"[^a-z0-9_-]+", "-", workflow_id[:ID_PREFIX].lower()).strip("-_")
    return f"workflow-{short}" if short else "workflow"


def _kept_ids_note(ids: Iterable[str]) -> str | None:
    """What to say about steps that keep a literal ``sync_job_id`` (``None``: there are none)."""
    kept = [repr(i) for i in ids]
    if not kept:
        return None
    return (
        f"keeps sync_job_id {', '.join(kept)}: no job of this repository has that id "
        "(SJ905; import the job, then write sync_job: <key> in the step)"
    )


def _import_workflow(
    session: Session, workflow: LiveWorkflow, chosen: set[str], *, asked: bool
) -> Imported | Skipped | None:
    """Write and record one live workflow; ``None`` when it is managed and was not asked for.
    ``chosen`` holds the names taken earlier in this run."""
    config = session.config
    state = session.store.state
    owner = state.owner_of(workflow.id, kind=WORKFLOW)
    if owner is not None:
        return Skipped(workflow.id, f"already managed as {owner}", WORKFLOW.name) if asked else None
    keys_by_id = {entry.id: key for key, entry in state.jobs.items()}
    data = workflow_data(workflow, keys_by_id)
    if len(config.environments) > 1:
        data["environments"] = [session.env.name]
    text = dump_job(data, WORKFLOW)
    reread = load_text(text, "<import>")
    if reread.findings or normalise(reread.data, WORKFLOW) != normalise(data, WORKFLOW):
        return Skipped(workflow.id, "its fields do not survive a YAML round trip", WORKFLOW.name)
    section = state.section(WORKFLOW).entries
    name = _free_name(
        workflow_base_name(data, workflow.id),
        lambda n: (
            n in chosen
            or (config.workflows_dir / f"{n}.yaml").exists()
            or f"{WORKFLOW.key_prefix}{n}" in section
        ),
    )
    key = f"{WORKFLOW.key_prefix}{name}"
    path = config.workflows_dir / f"{name}.yaml"
    _write_new(path, text)
    chosen.add(name)
    entry = Entry(workflow.id, content_hash(data, WORKFLOW), False)
    session.store.update(_recorder(key, entry, WORKFLOW.name))
    rel = path.relative_to(config.root).as_posix()
    return Imported(key, workflow.id, rel, WORKFLOW.name, _kept_ids_note(job_ids(data)))


def import_live(
    session: Session, *, ids: Sequence[str] = (), integration: str | None = None
) -> ImportResult:
    """Import the ids given (jobs or workflows), one integration's jobs, or (neither given)
    every unmanaged job and then every unmanaged workflow."""
    found = _candidates(session, ids, integration)
    asked = bool(ids)
    outcomes: list[Imported | Skipped | None] = []
    used = labels_in_use(session.config, session.env.name)
    for job in sorted(found.jobs, key=lambda j: (str(j.integration_name), j.id)):
        outcomes.append(_import_job(session, job, used, asked=asked))
    chosen: set[str] = set()
    for workflow in sorted(found.workflows, key=lambda w: w.id):
        outcomes.append(_import_workflow(session, workflow, chosen, asked=asked))
    imported = tuple(o for o in outcomes if isinstance(o, Imported))
    skipped = (*found.skipped, *(o for o in outcomes if isinstance(o, Skipped)))
    return ImportResult(session.env.name, imported, tuple(skipped))
