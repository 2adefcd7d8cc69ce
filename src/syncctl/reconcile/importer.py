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

A job's name is its label as a slug, without a leading word that repeats its integration
(``Zendesk tickets`` in ``zendesk`` -> ``zendesk/tickets``). ``--key`` (one id) chooses the key
instead: it must be a valid key of the object's kind (SJ005/SJ906 names; a job's folder is its
integration) and free (no file, no state entry or pending create), else the id is skipped.

Trust (issue 10): before a file is written its text is searched with SJ601's own check; a literal
secret skips the object (the reason names each field and the remedy) unless ``allow_secrets``,
and then the finding is reported. After the run the whole tree is validated as ``syncctl
validate`` does (cross-file rules included) and the imported files' findings are returned, so
what the next plan will refuse is said now. Every skip carries its remedy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from syncctl.canonical import dump_job
from syncctl.checks import load_jobs
from syncctl.client.models import LiveJob, LiveWorkflow
from syncctl.config import Config
from syncctl.discovery import default_paths, discover
from syncctl.errors import NotFoundError, UsageError
from syncctl.findings import Finding, Report, Severity
from syncctl.kinds import SYNC_JOB, WORKFLOW, Kind
from syncctl.loader import load_text
from syncctl.model import MULTI_FOLDER
from syncctl.reconcile.normalise import content_hash, normalise
from syncctl.reconcile.session import Session
from syncctl.reconcile.state import Entry, State
from syncctl.references import job_ids, job_keys, key_view
from syncctl.rules import FileContext, JobFile, all_rules
from syncctl.validate import validate_tree

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
ID_PREFIX = 8
"""How many characters of a workflow's id name it when it names no managed job."""
SECRET_RULE = "SJ601"


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
    """An id that was not imported, and why (with the remedy). ``kind`` is ``None`` when no
    object has the id."""

    id: str
    reason: str
    kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What a run imported and skipped, and the validation findings of the files it wrote."""

    environment: str
    imported: tuple[Imported, ...]
    skipped: tuple[Skipped, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def failed(self) -> bool:
        """A skip, or an imported file the next ``validate`` (and plan) would reject."""
        return bool(self.skipped) or bool(self.errors)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": 1,
            "environment": self.environment,
            "imported": [i.to_dict() for i in self.imported],
            "skipped": [s.to_dict() for s in self.skipped],
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True, slots=True)
class WantedKey:
    """A key chosen with ``--key``: its kind, its folder (a job's integration, or ``_multi``;
    ``None`` for a workflow) and its name."""

    text: str
    kind: Kind
    folder: str | None
    name: str


_KEY_HINT = (
    "a job key is <integration>/<name> (or _multi/<name>), a workflow key workflow:<name>; "
    "names use lower-case letters, digits, '-' and '_' (not first)"
)


def parse_key(text: str) -> WantedKey:
    """Read a ``--key`` value with the names SJ005 and SJ906 accept; a usage error otherwise,
    before anything is asked of the server."""
    if text.startswith(WORKFLOW.key_prefix):
        name = text.removeprefix(WORKFLOW.key_prefix)
        if NAME.match(name):
            return WantedKey(text, WORKFLOW, None, name)
        raise UsageError(f"--key {text!r}: {name!r} is not a valid workflow name", hint=_KEY_HINT)
    folder, slash, name = text.partition("/")
    folder_ok = folder == MULTI_FOLDER or bool(NAME.match(folder))
    if slash and folder_ok and NAME.match(name):
        return WantedKey(text, SYNC_JOB, folder, name)
    raise UsageError(f"--key {text!r} is not a valid key", hint=_KEY_HINT)


@dataclass(slots=True)
class _Found:
    """The live objects to consider, by kind, and the ids found in neither kind."""

    jobs: list[LiveJob] = field(default_factory=list)
    workflows: list[LiveWorkflow] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(slots=True)
class _Run:
    """What one import run shares: labels in use, workflow names chosen, the key asked for,
    whether secrets may be written, and the secret findings of files written anyway."""

    session: Session
    used: dict[str, str]
    asked: bool
    allow_secrets: bool = False
    wanted: WantedKey | None = None
    chosen: set[str] = field(default_factory=set)
    secrets: list[Finding] = field(default_factory=list)


def slug(label: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    return text if NAME.match(text) else "job"


def job_base_name(label: str, folder: str) -> str:
    """The label as a slug, without a leading word that repeats the integration (the folder
    already says it): ``Zendesk tickets`` in ``zendesk`` -> ``tickets``. A label that is only
    the integration's name keeps it."""
    name = slug(label)
    if folder == MULTI_FOLDER:
        return name
    prefix = slug(folder) + "-"
    rest = name.removeprefix(prefix)
    return rest if rest != name and NAME.match(rest) else name


def _not_found(object_id: str, environment: str) -> Skipped:
    reason = (
        f"no such job or workflow in {environment}; check the id (syncctl plan lists the "
        "unmanaged live objects) or choose another environment with --env"
    )
    return Skipped(object_id, reason)


def _by_id(session: Session, ids: Sequence[str]) -> _Found:
    """Each id looked up as a sync job, then (on a 404) as a workflow."""
    found = _Found()
    for object_id in dict.fromkeys(ids):
        if not object_id:
            found.skipped.append(Skipped(object_id, "an id must not be empty; give the id"))
            continue
        try:
            found.jobs.append(session.api.get(object_id))
            continue
        except NotFoundError:
            pass
        try:
            found.workflows.append(session.api.workflows.get(object_id))
        except NotFoundError:
            found.skipped.append(_not_found(object_id, session.env.name))
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


def secret_findings(text: str, path: Path, kind: Kind, config: Config) -> list[Finding]:
    """SJ601's own check run over a file's text before it is written (any kind: a secret in a
    workflow is a secret too). Empty when the configuration turns SJ601 off."""
    if config.rules.get(SECRET_RULE) == "off":
        return []
    all_rules()  # the registry in its usual order before the rule module is named here
    from syncctl.rules.sj601_literal_secret import check

    rel = _rel(path, config)
    job = JobFile(path, rel, load_text(text, rel), None, kind)
    return list(check(FileContext(job, config)))


def _secret_skip(object_id: str, kind: Kind, found: Sequence[Finding]) -> Skipped:
    """Why an object holding a literal secret was not written, and what to do about it."""
    where = "; ".join(f"{f.path} ({f.message})" for f in found)
    reason = (
        f"a literal secret at {where} ({SECRET_RULE}): nothing written. Move it out of the live "
        "object (a run argument such as {{args.api_key}}, or the integration's settings) and "
        "import again, or pass --allow-secrets to write it as it is"
    )
    return Skipped(object_id, reason, kind.name)


def _rel(path: Path, config: Config) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return path.as_posix()


def _key_taken(wanted: WantedKey, path: Path, run: _Run) -> str | None:
    """Why the ``--key`` asked for cannot be used (file or state claims it), or ``None``."""
    if path.exists():
        return f"--key {wanted.text} is taken: {_rel(path, run.session.config)} exists"
    section = run.session.store.state.section(wanted.kind)
    if wanted.text in section.entries or wanted.text in section.pending:
        return f"--key {wanted.text} is taken: the state of {run.session.env.name} records it"
    return None


def _job_name(job: LiveJob, folder: str, run: _Run) -> str | Skipped:
    """The name of a job's file: the ``--key`` asked for (checked), else derived and free."""
    config, state = run.session.config, run.session.store.state
    wanted = run.wanted
    if wanted is None:
        return _free_name(
            job_base_name(job.label or job.id, folder),
            lambda n: (
                (config.jobs_dir / folder / f"{n}.yaml").exists() or f"{folder}/{n}" in state.jobs
            ),
        )
    if wanted.kind is not SYNC_JOB:
        reason = f"{job.id} is a sync job, not a workflow; give a job key: --key {folder}/<name>"
        return Skipped(job.id, reason, SYNC_JOB.name)
    if wanted.folder != folder:
        reason = (
            f"--key {wanted.text}: this job's folder is {folder}/ (its integration_name, "
            f"SJ005); use --key {folder}/{wanted.name}"
        )
        return Skipped(job.id, reason, SYNC_JOB.name)
    taken = _key_taken(wanted, config.jobs_dir / folder / f"{wanted.name}.yaml", run)
    if taken is not None:
        return Skipped(job.id, f"{taken}; choose another --key", SYNC_JOB.name)
    return wanted.name


def _import_job(run: _Run, job: LiveJob) -> Imported | Skipped | None:
    """Write and record one live job; ``None`` when it is managed and was not asked for."""
    session = run.session
    config = session.config
    restrict = session.env.name if len(config.environments) > 1 else None
    job_id = job.id
    owner = session.store.state.owner_of(job_id)
    if owner is not None:  # asked for by id: say why nothing happened
        if not run.asked:
            return None
        reason = f"already managed as {owner}; nothing to import (syncctl state mv renames it)"
        return Skipped(job_id, reason, SYNC_JOB.name)
    folder = job_folder(job)
    if folder != MULTI_FOLDER and not NAME.match(folder):
        reason = (
            f"integration_name {folder!r} cannot be a folder name (SJ005: lower-case letters, "
            "digits, '-' and '_'); it cannot be kept in a file until the integration is renamed"
        )
        return Skipped(job_id, reason, SYNC_JOB.name)
    data = file_data(job, restrict)
    text = dump_job(data)
    reread = load_text(text, "<import>")
    if reread.findings or normalise(reread.data) != normalise(job.body):
        reason = "its fields do not survive a YAML round trip; please report this as a bug"
        return Skipped(job_id, reason, SYNC_JOB.name)
    name = _job_name(job, folder, run)
    if isinstance(name, Skipped):
        return name
    key = f"{folder}/{name}"
    label = str(data.get("label") or key)
    if label in run.used:
        reason = (
            f"label {label!r} is already used by {run.used[label]} (SJ006); if that file is "
            "this job, syncctl plan adopts it; else give one of them another label and import again"
        )
        return Skipped(job_id, reason, SYNC_JOB.name)
    path = config.jobs_dir / folder / f"{name}.yaml"
    blocking = _blocking_secrets(run, path, text, SYNC_JOB)
    if blocking:
        return _secret_skip(job_id, SYNC_JOB, blocking)
    _write_new(path, text)
    session.store.update(_recorder(key, Entry(job_id, content_hash(data), False)))
    rel = _rel(path, config)
    run.used[label] = rel
    return Imported(key, job_id, rel, SYNC_JOB.name)


def _blocking_secrets(run: _Run, path: Path, text: str, kind: Kind) -> list[Finding]:
    """The secrets that keep a file from being written: none when it holds none, or when
    ``--allow-secrets`` was given (then they are kept for the report instead)."""
    found = secret_findings(text, path, kind, run.session.config)
    if run.allow_secrets:
        run.secrets.extend(found)
        return []
    return found


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


def _workflow_name(workflow: LiveWorkflow, data: dict[str, Any], run: _Run) -> str | Skipped:
    """The name of a workflow's file: the ``--key`` asked for (checked), else derived, free
    of files, state keys and names chosen earlier in this run."""
    config = run.session.config
    wanted = run.wanted
    if wanted is None:
        section = run.session.store.state.section(WORKFLOW).entries
        return _free_name(
            workflow_base_name(data, workflow.id),
            lambda n: (
                n in run.chosen
                or (config.workflows_dir / f"{n}.yaml").exists()
                or f"{WORKFLOW.key_prefix}{n}" in section
            ),
        )
    if wanted.kind is not WORKFLOW:
        reason = f"{workflow.id} is a workflow, not a sync job; give a key: --key workflow:<name>"
        return Skipped(workflow.id, reason, WORKFLOW.name)
    taken = _key_taken(wanted, config.workflows_dir / f"{wanted.name}.yaml", run)
    if taken is not None:
        return Skipped(workflow.id, f"{taken}; choose another --key", WORKFLOW.name)
    return wanted.name


def _import_workflow(run: _Run, workflow: LiveWorkflow) -> Imported | Skipped | None:
    """Write and record one live workflow; ``None`` when it is managed and was not asked for."""
    session = run.session
    config = session.config
    state = session.store.state
    owner = state.owner_of(workflow.id, kind=WORKFLOW)
    if owner is not None:
        if not run.asked:
            return None
        reason = f"already managed as {owner}; nothing to import (syncctl state mv renames it)"
        return Skipped(workflow.id, reason, WORKFLOW.name)
    keys_by_id = {entry.id: key for key, entry in state.jobs.items()}
    data = workflow_data(workflow, keys_by_id)
    if len(config.environments) > 1:
        data["environments"] = [session.env.name]
    text = dump_job(data, WORKFLOW)
    reread = load_text(text, "<import>")
    if reread.findings or normalise(reread.data, WORKFLOW) != normalise(data, WORKFLOW):
        reason = "its fields do not survive a YAML round trip; please report this as a bug"
        return Skipped(workflow.id, reason, WORKFLOW.name)
    name = _workflow_name(workflow, data, run)
    if isinstance(name, Skipped):
        return name
    key = f"{WORKFLOW.key_prefix}{name}"
    path = config.workflows_dir / f"{name}.yaml"
    blocking = _blocking_secrets(run, path, text, WORKFLOW)
    if blocking:
        return _secret_skip(workflow.id, WORKFLOW, blocking)
    _write_new(path, text)
    run.chosen.add(name)
    entry = Entry(workflow.id, content_hash(data, WORKFLOW), False)
    session.store.update(_recorder(key, entry, WORKFLOW.name))
    rel = _rel(path, config)
    return Imported(key, workflow.id, rel, WORKFLOW.name, _kept_ids_note(job_ids(data)))


def imported_findings(
    config: Config, imported: Sequence[Imported], extra: Iterable[Finding] = ()
) -> tuple[Finding, ...]:
    """Validate the whole tree as ``syncctl validate`` does (cross-file rules see every file)
    and keep the findings of the files just written, with ``extra`` (secrets written with
    ``--allow-secrets``, which no rule reads in a workflow), sorted and without repeats."""
    if not imported:
        return ()
    files = {item.file for item in imported}
    paths = [p for p in default_paths(config) if p.exists()]  # only workflows were written
    _jobs, report = validate_tree(paths, config)
    mine = [f for f in (*report.findings, *extra) if f.file in files]
    return Report.build(mine, len(files)).findings


def import_live(
    session: Session,
    *,
    ids: Sequence[str] = (),
    integration: str | None = None,
    key: WantedKey | None = None,
    allow_secrets: bool = False,
) -> ImportResult:
    """Import the ids given (jobs or workflows; with ``key``, exactly one id, written as that
    key), one integration's jobs, or (neither given) every unmanaged job and then every
    unmanaged workflow. Objects holding a literal secret are skipped unless ``allow_secrets``."""
    if key is not None and len(ids) != 1:
        raise UsageError("--key goes with exactly one id", hint="syncctl import ID --key KEY")
    found = _candidates(session, ids, integration)
    used = labels_in_use(session.config, session.env.name)
    run = _Run(session, used, asked=bool(ids), allow_secrets=allow_secrets, wanted=key)
    outcomes: list[Imported | Skipped | None] = []
    for job in sorted(found.jobs, key=lambda j: (str(j.integration_name), j.id)):
        outcomes.append(_import_job(run, job))
    for workflow in sorted(found.workflows, key=lambda w: w.id):
        outcomes.append(_import_workflow(run, workflow))
    imported = tuple(o for o in outcomes if isinstance(o, Imported))
    skipped = (*found.skipped, *(o for o in outcomes if isinstance(o, Skipped)))
    findings = imported_findings(session.config, imported, run.secrets)
    return ImportResult(session.env.name, imported, tuple(skipped), findings)
