"""The plan: a pure function of (desired jobs, state, live jobs) — no I/O, no clock.

Changes are typed values, one type per action (``Create``, ``Update``, ``Delete``, ``Adopt``,
``Move``, ``Noop``), in a deterministic order (create, update, delete, adopt, move, noop;
by job key within each). Unmanaged live jobs (owned by no file) are counted and listed and
never touched; managed jobs whose file is gone are listed as orphaned unless ``prune`` is set.

The plan reads the fields it compares, hashes and sends from one kind's table (``syncctl.kinds``;
default: sync jobs), so a field added to that table is planned with no change here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, TypeAlias

from syncctl.client.models import LiveJob
from syncctl.errors import PlanError
from syncctl.graph import JobGraph, job_graph
from syncctl.kinds import SYNC_JOB, Kind
from syncctl.reconcile.normalise import (
    FieldChange,
    Payload,
    changed_fields,
    content_hash,
    diff,
    fingerprint,
    normalise,
)
from syncctl.reconcile.state import State

PLAN_FORMAT = 1


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    ADOPT = "adopt"
    MOVE = "move"
    NOOP = "noop"


ORDER = {action: index for index, action in enumerate(Action)}


@dataclass(frozen=True, slots=True)
class DesiredJob:
    """A job file as it should exist in one environment (its payload normalised by ``kind``'s
    table, which its hash reads too)."""

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

    A subclass declares a required field as ``name: T = field()``: a bare annotation would take
    this class's property of the same name as its default."""

    action: ClassVar[Action]
    key: str
    integration: str = ""
    label: str = ""
    protected: bool = False
    note: str | None = None

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
            "key": self.key,
            "id": self.id,
            "integration": self.integration,
            "label": self.label,
            "from_key": self.from_key,
            "diff": [d.to_dict() for d in self.diff],
            "send": self.send,
            "hash": self.hash,
            "protected": self.protected,
            "fingerprint": self.fingerprint,
            "note": self.note,
            "graph": self.graph.to_dict() if self.graph is not None else None,
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
    """A managed live job that differs from its file: PATCH the changed top-level fields."""

    action: ClassVar[Action] = Action.UPDATE
    id: str = field()
    diff: tuple[FieldChange, ...] = field()
    send: Payload = field()
    hash: str = field()
    fingerprint: str = field()
    graph: JobGraph | None = None

    @property
    def calls_api(self) -> bool:
        return True


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
    """A live job listed but not acted on (unmanaged, orphaned or protected)."""

    id: str
    integration: str
    label: str
    key: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "integration": self.integration,
            "label": self.label,
            "key": self.key,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Plan:
    environment: str
    changes: tuple[Change, ...]
    orphaned: tuple[LiveRef, ...] = ()
    unmanaged: tuple[LiveRef, ...] = ()
    prune: bool = False
    state_serial: int = 0
    managed: int = 0

    @property
    def actionable(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action is not Action.NOOP)

    @property
    def has_changes(self) -> bool:
        return bool(self.actionable)

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
            | {"orphaned": len(self.orphaned), "unmanaged": len(self.unmanaged)},
            "changes": [c.to_dict() for c in self.changes],
            "orphaned": [o.to_dict() for o in self.orphaned],
            "unmanaged": [u.to_dict() for u in self.unmanaged],
        }


def _ref(job: LiveJob, key: str | None = None, note: str | None = None) -> LiveRef:
    return LiveRef(job.id, job.integration_name or "", job.label or "", key, note)


def make_plan(
    environment: str,
    desired: Sequence[DesiredJob],
    state: State,
    live: Sequence[LiveJob],
    *,
    prune: bool = False,
    kind: Kind = SYNC_JOB,
) -> Plan:
    """Compare what the files want with what state says we own and what the API has (live
    jobs as the client validated them), field by field as ``kind``'s table says: every desired
    job must be of that kind."""
    strangers = [job.key for job in desired if job.kind is not kind]
    if strangers:
        raise ValueError(f"not of kind {kind.name}, yet planned as one: {', '.join(strangers)}")
    live_by_id = {job.id: job for job in live}
    wanted = {job.key: job for job in desired}
    managed_ids = {entry.id for entry in state.jobs.values()}
    changes: list[Change] = []
    gone_keys = sorted(k for k in state.jobs if k not in wanted)
    moved_from: set[str] = set()
    adopted: set[str] = set()

    for key in sorted(wanted):
        job = wanted[key]
        entry = state.jobs.get(key)
        current = live_by_id.get(entry.id) if entry is not None else None
        if entry is not None and current is not None:
            changes.append(_against(job, entry.id, current))
            continue
        if entry is None:
            source = _move_source(job, gone_keys, moved_from, state, live_by_id)
            if source is not None:
                moved_from.add(source)
                changes.append(_move(job, source, state.jobs[source].id, live_by_id))
                continue
        found = _adoptable(job, live_by_id, managed_ids | adopted)
        adopt_note: str | None
        create_note: str | None
        if entry is not None:
            adopt_note = "its recorded job is gone; adopting the live job with its label"
            create_note = "deleted outside syncctl; will be re-created"
        elif key in state.pending:
            adopt_note = "recording a create whose answer was lost"
            create_note = "resuming an interrupted create"
        else:
            adopt_note = create_note = None
        if found is not None:
            adopted.add(found)
            changes.append(_against(job, found, live_by_id[found], adopt=True, note=adopt_note))
        else:
            changes.append(_create(job, note=create_note))

    orphaned: list[LiveRef] = []
    for key in gone_keys:
        if key in moved_from:
            continue
        entry = state.jobs[key]
        current = live_by_id.get(entry.id)
        if current is None:
            changes.append(
                Delete(
                    key=key,
                    id=entry.id,
                    protected=entry.protected,
                    note="already gone from the API; only the state entry is dropped",
                )
            )
        elif entry.protected:
            orphaned.append(_ref(current, key, "protected: never deleted"))
        elif prune:
            changes.append(
                Delete(
                    key=key,
                    id=entry.id,
                    integration=current.integration_name or "",
                    label=current.label or "",
                    fingerprint=fingerprint(current.body),
                )
            )
        else:
            orphaned.append(_ref(current, key, "file removed; apply with --prune to delete"))

    owned = managed_ids | adopted
    unmanaged = tuple(
        _ref(current) for job_id, current in sorted(live_by_id.items()) if job_id not in owned
    )
    changes.sort(key=lambda c: (ORDER[c.action], c.key))
    return Plan(
        environment=environment,
        changes=tuple(changes),
        orphaned=tuple(orphaned),
        unmanaged=unmanaged,
        prune=prune,
        state_serial=state.serial,
        managed=len(state.jobs),
    )


def _create(job: DesiredJob, *, note: str | None = None) -> Create:
    # A field the server defaults is left out when the file leaves it out (null is refused).
    defaulted = job.kind.server_defaulted
    send = {k: v for k, v in job.payload.items() if not (k in defaulted and v is None)}
    return Create(
        key=job.key,
        integration=job.integration,
        label=job.label,
        send=send,
        hash=job.hash,
        protected=job.protected,
        note=note,
        graph=job_graph(job.key, job.payload),
    )


def _move(job: DesiredJob, source: str, job_id: str, live_by_id: Mapping[str, LiveJob]) -> Move:
    return Move(
        key=job.key,
        id=job_id,
        integration=job.integration,
        label=job.label,
        hash=job.hash,
        protected=job.protected,
        from_key=source,
        fingerprint=fingerprint(live_by_id[job_id].body),
    )


def _adoptable(job: DesiredJob, live_by_id: Mapping[str, LiveJob], owned: set[str]) -> str | None:
    """The one unowned live job with the file's integration and label (several: an error)."""
    candidates = sorted(
        job_id
        for job_id, current in live_by_id.items()
        if job_id not in owned
        and current.integration_name == job.integration
        and current.label == job.label
    )
    if len(candidates) > 1:
        raise PlanError(
            f"{job.key}: {len(candidates)} unmanaged live jobs have integration "
            f"{job.integration!r} and label {job.label!r}: {', '.join(candidates)}",
            hint="delete the extra live jobs, or give the file a label of its own",
        )
    return candidates[0] if candidates else None


def _against(
    job: DesiredJob,
    job_id: str,
    current: LiveJob,
    *,
    adopt: bool = False,
    note: str | None = None,
) -> Change:
    """Update, noop or adopt: the file compared with the live job it owns (or will own)."""
    body = current.body
    changes = diff(job.payload, body, job.kind)
    graph = _changed_graph(job, body) if any(c.field == "resources" for c in changes) else None
    seen = fingerprint(body)
    if adopt:
        return Adopt(
            key=job.key,
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
        )
    if changes:
        return Update(
            key=job.key,
            id=job_id,
            integration=job.integration,
            label=job.label,
            diff=changes,
            send=changed_fields(changes, job.payload, job.kind),
            hash=job.hash,
            protected=job.protected,
            fingerprint=seen,
            note=note,
            graph=graph,
        )
    return Noop(
        key=job.key,
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
    state: State,
    live_by_id: Mapping[str, LiveJob],
) -> str | None:
    """A removed file whose live job has exactly this content: the file was renamed."""
    for key in gone_keys:
        if key in taken:
            continue
        current = live_by_id.get(state.jobs[key].id)
        if current is not None and not diff(job.payload, current.body, job.kind):
            return key
    return None


def check_mass_delete(plan: Plan, ratio: float, *, allowed: bool) -> None:
    """Refuse a plan that deletes more than ``ratio`` of the managed jobs."""
    deletes = sum(1 for c in plan.changes if isinstance(c, Delete) and c.fingerprint)
    if allowed or plan.managed == 0 or deletes == 0:
        return
    if deletes / plan.managed > ratio:
        raise PlanError(
            f"the plan deletes {deletes} of {plan.managed} managed jobs in {plan.environment} "
            f"(more than {ratio:.0%})",
            hint="check the jobs folder and the environment; pass --allow-mass-delete if intended",
        )
