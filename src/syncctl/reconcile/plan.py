"""The plan of one kind: a pure function of (desired files, state, live objects) — no I/O, no
clock.

Changes are typed values, one type per action (``Create``, ``Update``, ``Delete``, ``Adopt``,
``Move``, ``Noop``), in a deterministic order (create, update, delete, adopt, move, noop;
by key within each). Unmanaged live objects (owned by no file) are counted and listed and
never touched; managed ones whose file is gone are listed as orphaned unless ``prune`` is set.

The plan reads the fields it compares, hashes and sends from one kind's table (``syncctl.kinds``;
default: sync jobs), so a field added to that table is planned with no change here, and so does
adoption (``Kind.adopt_by``: jobs by integration and label, workflows by their whole content).
Every change carries its kind's name. ``syncctl.reconcile.planner`` plans every kind of an
environment together (workflows name jobs) into one ``Plan``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, TypeAlias

from syncctl.client.models import LiveObject
from syncctl.errors import PlanError
from syncctl.findings import Finding
from syncctl.graph import JobGraph, job_graph
from syncctl.kinds import SYNC_JOB, Kind
from syncctl.reconcile.normalise import (
    FieldChange,
    Payload,
    Risk,
    canonical_json,
    changed_fields,
    content_hash,
    diff,
    fingerprint,
    normalise,
    risks,
)
from syncctl.reconcile.state import Entry, State

PLAN_FORMAT = 1


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    ADOPT = "adopt"
    MOVE = "move"
    NOOP = "noop"


ORDER = {action: index for index, action in enumerate(Action)}


View: TypeAlias = Callable[[LiveObject], Mapping[str, Any]]
"""A live object as its file would write it (a workflow's job ids read back into keys)."""


def _as_sent(live: LiveObject) -> Mapping[str, Any]:
    return live.body


@dataclass(frozen=True, slots=True)
class DesiredJob:
    """A file of any kind as it should exist in one environment (its payload normalised by
    ``kind``'s table, which its hash reads too). ``integration`` and ``label`` are what a reader
    knows the object by: a job's integration and label; for a workflow ``""`` and its
    ``trigger_name`` (``label_of``)."""

    key: str
    integration: str
    label: str
    payload: Payload
    protected: bool = False
    kind: Kind = SYNC_JOB

    @property
    def hash(self) -> str:
        return content_hash(self.payload, self.kind)


@dataclass(frozen=True, slots=True, kw_only=True)
class BaseChange:
    """What every planned step has. Each action is its own type (``Change``) holding exactly
    the fields it needs; a field an action does not have reads as ``None`` (``diff``: ``()``),
    which is how plan JSON shows it, so every change has every key there.

    ``send`` is the request body (create: the whole payload; update/adopt: the changed
    top-level fields); ``fingerprint`` is that of the live job the change will touch;
    ``graph`` is the desired dependency graph of a created job, or of a job whose node/edge
    set changes (else ``None``): the markdown plan draws it.

    ``protected_from`` is the state's ``protected`` flag when the file turns it on or off
    (``None``: unchanged); it changes only the state entry, never the live object.

    ``risks`` say why a change is expensive (a ``state_key`` that changes orphans every
    account's cursor; ``normalise.risks``): the risky guard refuses to apply them unless allowed.

    A subclass declares a required field as ``name: T = field()``: a bare annotation would take
    this class's property of the same name as its default."""

    action: ClassVar[Action]
    key: str
    kind: str = SYNC_JOB.name
    integration: str = ""
    label: str = ""
    protected: bool = False
    protected_from: bool | None = None
    note: str | None = None
    risks: tuple[Risk, ...] = ()

    @property
    def id(self) -> str | None:
        return None

    @property
    def from_key(self) -> str | None:
        return None

    @property
    def diff(self) -> tuple[FieldChange, ...]:
        return ()

    @property
    def send(self) -> Payload | None:
        return None

    @property
    def hash(self) -> str | None:
        return None

    @property
    def fingerprint(self) -> str | None:
        return None

    @property
    def graph(self) -> JobGraph | None:
        return None

    @property
    def calls_api(self) -> bool:
        return False

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": str(self.action),
            "kind": self.kind,
            "key": self.key,
            "id": self.id,
            "integration": self.integration,
            "label": self.label,
            "from_key": self.from_key,
            "diff": [d.to_dict() for d in self.diff],
            "send": self.send,
            "hash": self.hash,
            "protected": self.protected,
            "protected_from": self.protected_from,
            "fingerprint": self.fingerprint,
            "note": self.note,
            "graph": self.graph.to_dict() if self.graph is not None else None,
            "risks": [r.to_dict() for r in self.risks],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Create(BaseChange):
    """A job file with no live job: POST its whole payload (no id until the API answers)."""

    action: ClassVar[Action] = Action.CREATE
    send: Payload = field()
    hash: str = field()
    graph: JobGraph | None = None

    @property
    def calls_api(self) -> bool:
        return True


@dataclass(frozen=True, slots=True, kw_only=True)
class Update(BaseChange):
    """A managed live job that differs from its file: PATCH the changed top-level fields. An
    update with an empty ``diff`` (and ``send``) only turns ``protected`` on or off in state."""

    action: ClassVar[Action] = Action.UPDATE
    id: str = field()
    diff: tuple[FieldChange, ...] = field()
    send: Payload = field()
    hash: str = field()
    fingerprint: str = field()
    graph: JobGraph | None = None

    @property
    def calls_api(self) -> bool:
        return bool(self.send)


@dataclass(frozen=True, slots=True, kw_only=True)
class Adopt(BaseChange):
    """An unowned live job taken over by a file: recorded in state, patched only if it differs
    (``send`` is ``None`` exactly when ``diff`` is empty)."""

    action: ClassVar[Action] = Action.ADOPT
    id: str = field()
    diff: tuple[FieldChange, ...] = ()
    send: Payload | None = None
    hash: str = field()
    fingerprint: str = field()
    graph: JobGraph | None = None

    @property
    def calls_api(self) -> bool:
        return bool(self.diff)


@dataclass(frozen=True, slots=True, kw_only=True)
class Move(BaseChange):
    """A renamed file whose live job has the same content: only the state key changes."""

    action: ClassVar[Action] = Action.MOVE
    id: str = field()
    from_key: str = field()
    hash: str = field()
    fingerprint: str = field()


@dataclass(frozen=True, slots=True, kw_only=True)
class Delete(BaseChange):
    """A managed job whose file is gone. Without a ``fingerprint`` the live job is already
    gone and only the state entry is dropped."""

    action: ClassVar[Action] = Action.DELETE
    id: str = field()
    fingerprint: str | None = None

    @property
    def calls_api(self) -> bool:
        return self.fingerprint is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class Noop(BaseChange):
    """A managed live job that matches its file; apply only refreshes a stale state entry."""

    action: ClassVar[Action] = Action.NOOP
    id: str = field()
    hash: str = field()
    fingerprint: str = field()


Change: TypeAlias = Create | Update | Adopt | Move | Delete | Noop
"""One planned step: match on its type to get the fields that action guarantees."""


@dataclass(frozen=True, slots=True)
class LiveRef:
    """A live object listed but not acted on (unmanaged, orphaned or protected); ``integration``
    and ``label`` as ``label_of`` reads them."""

    id: str
    integration: str
    label: str
    key: str | None = None
    note: str | None = None
    kind: str = SYNC_JOB.name

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "integration": self.integration,
            "label": self.label,
            "key": self.key,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one guard (``syncctl.reconcile.guards``) says of a plan: ``ok`` or not, and why
    (``None`` when there is nothing to say). A plan with a verdict that is not ``ok`` is shown
    but never applied."""

    name: str
    ok: bool
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Targets:
    """What a partial plan (``--target``/``--exclude``) covers: the patterns as given, and the
    ``keys`` they selected (jobs that selected workflows name included), of ``total`` keys the
    environment has (files desired there and state entries)."""

    target: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    total: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": list(self.target),
            "exclude": list(self.exclude),
            "keys": list(self.keys),
            "total": self.total,
        }


@dataclass(frozen=True, slots=True)
class Plan:
    """Every change of one environment, with what a reviewer must see beside them: the
    validation ``warnings`` of the files it was made from, and the ``guards``' verdicts (given
    by the command that shows or applies it: they depend on its flags). ``targets``: set when
    the plan is partial (only the keys it names are planned)."""

    environment: str
    changes: tuple[Change, ...]
    orphaned: tuple[LiveRef, ...] = ()
    unmanaged: tuple[LiveRef, ...] = ()
    prune: bool = False
    state_serial: int = 0
    managed: int = 0
    warnings: tuple[Finding, ...] = ()
    guards: tuple[Verdict, ...] = ()
    targets: Targets | None = None

    @property
    def refused(self) -> tuple[Verdict, ...]:
        """The verdicts that forbid applying this plan."""
        return tuple(v for v in self.guards if not v.ok)

    @property
    def actionable(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action is not Action.NOOP)

    @property
    def has_changes(self) -> bool:
        return bool(self.actionable)

    @property
    def risky(self) -> tuple[Change, ...]:
        """The changes with a risk (the risky guard's business)."""
        return tuple(c for c in self.changes if c.risks)

    def count(self, action: Action) -> int:
        return sum(1 for c in self.changes if c.action is action)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": PLAN_FORMAT,
            "environment": self.environment,
            "prune": self.prune,
            "state_serial": self.state_serial,
            "managed": self.managed,
            "summary": {str(a): self.count(a) for a in Action}
            | {
                "orphaned": len(self.orphaned),
                "unmanaged": len(self.unmanaged),
                "risky": len(self.risky),
            },
            "changes": [c.to_dict() for c in self.changes],
            "orphaned": [o.to_dict() for o in self.orphaned],
            "unmanaged": [u.to_dict() for u in self.unmanaged],
            "warnings": [w.to_dict() for w in self.warnings],
            "guards": [g.to_dict() for g in self.guards],
            "targets": self.targets.to_dict() if self.targets is not None else None,
        }


def label_of(body: Mapping[str, Any], kind: Kind) -> tuple[str, str]:
    """What a reader knows an object of ``kind`` by: (integration, label) of a job; ``""`` and
    the ``trigger_name`` of a workflow (a kind without ``integration_name`` or ``label`` fields)."""
    integration = body.get("integration_name") if kind.line("integration_name") else None
    named = "label" if kind.line("label") else "trigger_name"
    label = body.get(named) if kind.line(named) else None
    return (
        integration if isinstance(integration, str) else "",
        label if isinstance(label, str) else "",
    )


def _ref(live: LiveObject, kind: Kind, key: str | None = None, note: str | None = None) -> LiveRef:
    integration, label = label_of(live.body, kind)
    return LiveRef(live.id, integration, label, key, note, kind.name)


def make_plan(
    environment: str,
    desired: Sequence[DesiredJob],
    state: State,
    live: Sequence[LiveObject],
    *,
    prune: bool = False,
    kind: Kind = SYNC_JOB,
    view: View = _as_sent,
    elsewhere: Collection[str] = frozenset(),
) -> Plan:
    """Compare what the files want with what state says we own and what the API has (live
    objects as the client validated them, seen through ``view``), field by field as ``kind``'s
    table says: every desired file must be of that kind. ``elsewhere``: the keys of files that
    exist but target other environments (an orphan among them is "not desired in this
    environment", not "file removed")."""
    strangers = [job.key for job in desired if job.kind is not kind]
    if strangers:
        raise ValueError(f"not of kind {kind.name}, yet planned as one: {', '.join(strangers)}")
    section = state.section(kind)
    entries = section.entries
    live_by_id = {obj.id: obj for obj in live}
    wanted = {job.key: job for job in desired}
    managed_ids = {entry.id for entry in entries.values()}
    changes: list[Change] = []
    gone_keys = sorted(k for k in entries if k not in wanted)
    moved_from: set[str] = set()
    unowned = _Unowned(kind, live_by_id, managed_ids, view)
    word = kind.word

    for key in sorted(wanted):
        job = wanted[key]
        entry = entries.get(key)
        current = live_by_id.get(entry.id) if entry is not None else None
        if entry is not None and current is not None:
            changes.append(_against(job, entry.id, current, view, was_protected=entry.protected))
            continue
        if entry is None:
            source = _move_source(job, gone_keys, moved_from, entries, live_by_id, view)
            if source is not None:
                moved_from.add(source)
                changes.append(_move(job, entries[source], source, live_by_id))
                continue
        found = unowned.take(job)
        adopt_note: str | None
        create_note: str | None
        if entry is not None:
            adopt_note = f"its recorded {word} is gone; adopting the live {word} " + (
                "with its label" if kind.adopt_by else "with its exact content"
            )
            create_note = "deleted outside syncctl; will be re-created"
        elif key in section.pending:
            adopt_note = "recording a create whose answer was lost"
            create_note = "resuming an interrupted create"
        else:
            adopt_note = create_note = None
        if found is not None:
            changes.append(
                _against(job, found, live_by_id[found], view, adopt=True, note=adopt_note)
            )
        else:
            changes.append(_create(job, note=create_note))

    orphaned: list[LiveRef] = []
    for key in gone_keys:
        if key in moved_from:
            continue
        entry = entries[key]
        current = live_by_id.get(entry.id)
        why = "not desired in this environment" if key in elsewhere else "file removed"
        if current is None:
            changes.append(
                Delete(
                    key=key,
                    kind=kind.name,
                    id=entry.id,
                    protected=entry.protected,
                    note="already gone from the API; only the state entry is dropped",
                )
            )
        elif entry.protected:
            orphaned.append(_ref(current, kind, key, "protected: never deleted"))
        elif prune:
            integration, label = label_of(current.body, kind)
            changes.append(
                Delete(
                    key=key,
                    kind=kind.name,
                    id=entry.id,
                    integration=integration,
                    label=label,
                    fingerprint=fingerprint(current.body),
                    note=why if key in elsewhere else None,
                )
            )
        else:
            orphaned.append(_ref(current, kind, key, f"{why}; apply with --prune to delete"))

    owned = managed_ids | unowned.taken
    unmanaged = tuple(
        _ref(current, kind)
        for object_id, current in sorted(live_by_id.items())
        if object_id not in owned
    )
    changes.sort(key=lambda c: (ORDER[c.action], c.key))
    return Plan(
        environment=environment,
        changes=tuple(changes),
        orphaned=tuple(orphaned),
        unmanaged=unmanaged,
        prune=prune,
        state_serial=state.serial,
        managed=len(entries),
    )


class _Unowned:
    """The live objects no entry owns, indexed by what identifies one for adoption
    (``Kind.adopt_by``, else every sent field but the server-defaulted ones, confirmed by a
    field-by-field diff). Each is taken at most once."""

    def __init__(
        self, kind: Kind, live_by_id: Mapping[str, LiveObject], owned: set[str], view: View
    ) -> None:
        self.kind = kind
        self.fields = kind.adopt_by or tuple(
            name for name in kind.sent if name not in kind.server_defaulted
        )
        self.seen: dict[str, Mapping[str, Any]] = {}
        self.index: dict[str, list[str]] = {}
        self.taken: set[str] = set()
        for object_id in sorted(live_by_id):
            if object_id in owned:
                continue
            body = self.seen[object_id] = view(live_by_id[object_id])
            self.index.setdefault(self._identity(body), []).append(object_id)

    def _identity(self, body: Mapping[str, Any]) -> str:
        values = normalise(body, self.kind)
        return canonical_json([values[name] for name in self.fields])

    def take(self, job: DesiredJob) -> str | None:
        """The one unowned live object ``job`` identifies (several: a ``PlanError`` naming
        them), marked taken; ``None`` when there is none."""
        candidates = self.index.get(self._identity(job.payload), [])
        if not self.kind.adopt_by:
            candidates = [c for c in candidates if not diff(job.payload, self.seen[c], self.kind)]
        if len(candidates) > 1:
            message, hint = _ambiguous(job, candidates)
            raise PlanError(message, hint=hint)
        if not candidates:
            return None
        found = candidates[0]
        self.index[self._identity(job.payload)].remove(found)
        self.taken.add(found)
        return found


def _ambiguous(job: DesiredJob, candidates: Sequence[str]) -> tuple[str, str]:
    """The message and hint of an adoption that matches several live objects."""
    ids = ", ".join(candidates)
    plural = f"{len(candidates)} unmanaged live {job.kind.word}s"
    if job.kind.adopt_by:
        fields = " and ".join(f"{name} {job.payload.get(name)!r}" for name in job.kind.adopt_by)
        return (
            f"{job.key}: {plural} have {fields}: {ids}",
            f"delete the extra live {job.kind.word}s, or give the file a label of its own",
        )
    return (
        f"{job.key}: {plural} have exactly its content: {ids}",
        "keep one (syncctl import ID) and delete the others, then plan again",
    )


def _create(job: DesiredJob, *, note: str | None = None) -> Create:
    # A field the server defaults is left out when the file leaves it out (null is refused).
    defaulted = job.kind.server_defaulted
    send = {k: v for k, v in job.payload.items() if not (k in defaulted and v is None)}
    return Create(
        key=job.key,
        kind=job.kind.name,
        integration=job.integration,
        label=job.label,
        send=send,
        hash=job.hash,
        protected=job.protected,
        note=note,
        graph=job_graph(job.key, job.payload) if job.kind is SYNC_JOB else None,
    )


def _move(
    job: DesiredJob, source: Entry, source_key: str, live_by_id: Mapping[str, LiveObject]
) -> Move:
    return Move(
        key=job.key,
        kind=job.kind.name,
        id=source.id,
        integration=job.integration,
        label=job.label,
        hash=job.hash,
        protected=job.protected,
        protected_from=source.protected if source.protected != job.protected else None,
        from_key=source_key,
        fingerprint=fingerprint(live_by_id[source.id].body),
    )


def _against(
    job: DesiredJob,
    job_id: str,
    current: LiveObject,
    view: View,
    *,
    adopt: bool = False,
    note: str | None = None,
    was_protected: bool | None = None,
) -> Change:
    """Update, noop or adopt: the file compared with the live object it owns (or will own),
    as ``view`` reads it; the fingerprint is that of the object as the API sent it. A file
    that turns ``protected`` on or off (``was_protected``: the state's flag) is an update even
    when the live object matches: the state changes, and a reviewer must see it."""
    body = view(current)
    changes = diff(job.payload, body, job.kind)
    toggled = (
        was_protected if was_protected is not None and was_protected != job.protected else None
    )
    graph = (
        _changed_graph(job, body)
        if job.kind is SYNC_JOB and any(c.field == "resources" for c in changes)
        else None
    )
    seen = fingerprint(current.body)
    risky = risks(changes, job.payload, body, job.kind)
    if adopt:
        return Adopt(
            key=job.key,
            kind=job.kind.name,
            id=job_id,
            integration=job.integration,
            label=job.label,
            diff=changes,
            send=changed_fields(changes, job.payload, job.kind) if changes else None,
            hash=job.hash,
            protected=job.protected,
            fingerprint=seen,
            note=note,
            graph=graph,
            risks=risky,
        )
    if changes or toggled is not None:
        return Update(
            key=job.key,
            kind=job.kind.name,
            id=job_id,
            integration=job.integration,
            label=job.label,
            diff=changes,
            send=changed_fields(changes, job.payload, job.kind),
            hash=job.hash,
            protected=job.protected,
            protected_from=toggled,
            fingerprint=seen,
            note=note,
            graph=graph,
            risks=risky,
        )
    return Noop(
        key=job.key,
        kind=job.kind.name,
        id=job_id,
        integration=job.integration,
        label=job.label,
        hash=job.hash,
        protected=job.protected,
        fingerprint=seen,
        note=note,
    )


def _changed_graph(job: DesiredJob, current: Mapping[str, Any]) -> JobGraph | None:
    """The desired graph when its node/edge set differs from the live job's, else ``None``."""
    want = job_graph(job.key, job.payload)
    have = job_graph(job.key, normalise(current, job.kind))
    return want if want.shape() != have.shape() else None


def _move_source(
    job: DesiredJob,
    gone_keys: Sequence[str],
    taken: set[str],
    entries: Mapping[str, Entry],
    live_by_id: Mapping[str, LiveObject],
    view: View,
) -> str | None:
    """A removed file whose live object has exactly this content: the file was renamed."""
    for key in gone_keys:
        if key in taken:
            continue
        current = live_by_id.get(entries[key].id)
        if current is not None and not diff(job.payload, view(current), job.kind):
            return key
    return None
