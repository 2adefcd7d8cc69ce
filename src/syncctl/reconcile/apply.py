"""Apply: carry out a plan against the API, writing state after every success.

Kinds are applied in ``KINDS`` order and deleted in reverse (design §9): jobs are created and
updated before the workflows that name them, and workflows are deleted before their jobs. Within
a kind, moves come first (state only), then creates, updates and adoptions with bounded
concurrency. Each success is written to state at once, so a crash or ``kill -9`` loses nothing and
the next run converges.

A workflow names jobs by key in its file: its body is resolved to remote ids (``references``)
from the state as it is when the request is sent, so it names jobs created moments before. A
workflow naming a job whose create failed is not sent, and fails with the job's name.

A create whose outcome is unknown is looked up before any retry, so it can never leave a
duplicate: an unmanaged live object with the same identity (``Kind.adopt_by``: a job's
integration and label; a workflow's whole content, narrowed by ``Kind.list_filter``).
Failures are reported per object; they never stop the others.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias, assert_never

from syncctl.client.models import LiveJob, LiveObject
from syncctl.errors import NotFoundError, OutcomeUnknownError, PlanError, SyncctlError
from syncctl.kinds import KINDS, SYNC_JOB, WORKFLOW, Kind
from syncctl.reconcile.normalise import Payload, diff, normalise
from syncctl.reconcile.plan import (
    Action,
    Adopt,
    Change,
    Create,
    Delete,
    Move,
    Noop,
    Plan,
    Update,
)
from syncctl.reconcile.state import Entry, Pending, PendingCreate, PendingWorkflow, StateStore
from syncctl.references import UnresolvedReference, resolved

MAX_CREATE_ATTEMPTS = 3
KIND_BY_NAME: Mapping[str, Kind] = {kind.name: kind for kind in KINDS}

Owning: TypeAlias = Create | Update | Adopt | Move | Noop
"""The changes after which a file owns a live object (its state entry records the hash)."""


class ObjectApi(Protocol):
    """What apply needs of one kind's API (``syncctl.client.collection.Collection``): live
    objects come back as models, validated by the client."""

    def list(self, *, limit: int | None = None, **filters: Any) -> Iterable[LiveObject]: ...
    def get(self, object_id: str) -> LiveObject: ...
    def create(self, payload: Mapping[str, Any]) -> LiveObject: ...
    def update(self, object_id: str, fields: Mapping[str, Any]) -> LiveObject: ...
    def delete(self, object_id: str) -> Mapping[str, str]: ...


class JobApi(Protocol):
    """What apply needs of the sync-job API (``syncctl.client.api.SyncJobClient``)."""

    def list(self, *, limit: int | None = None, **filters: Any) -> Iterable[LiveJob]: ...
    def get(self, job_id: str) -> LiveJob: ...
    def create(self, payload: Mapping[str, Any]) -> LiveJob: ...
    def update(self, job_id: str, fields: Mapping[str, Any]) -> LiveJob: ...
    def delete(self, job_id: str) -> Mapping[str, str]: ...


@dataclass(frozen=True, slots=True)
class Outcome:
    action: Action
    key: str
    id: str | None
    ok: bool
    error: str | None = None
    kind: str = SYNC_JOB.name

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": str(self.action),
            "kind": self.kind,
            "key": self.key,
            "id": self.id,
            "ok": self.ok,
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class ApplyResult:
    environment: str
    outcomes: tuple[Outcome, ...]

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if not o.ok)

    def to_dict(self) -> dict[str, Any]:
        done = [o for o in self.outcomes if o.ok and o.action is not Action.NOOP]
        return {
            "format_version": 1,
            "environment": self.environment,
            "applied": len(done),
            "failed": len(self.failed),
            "outcomes": [o.to_dict() for o in self.outcomes if o.action is not Action.NOOP],
        }


Progress = Callable[[Outcome, int, int], None]


class Executor:
    """Runs the changes of one plan; the only writer of state during apply. ``api`` is the
    sync-job API, ``workflows`` the workflow API (needed only by a plan with workflows)."""

    def __init__(
        self,
        api: JobApi,
        store: StateStore,
        *,
        workflows: ObjectApi | None = None,
        concurrency: int = 8,
    ) -> None:
        self.apis: dict[str, ObjectApi] = {SYNC_JOB.name: api}
        if workflows is not None:
            self.apis[WORKFLOW.name] = workflows
        self.store = store
        self.concurrency = max(1, concurrency)

    def run(self, plan: Plan, progress: Progress | None = None) -> ApplyResult:
        missing = sorted({c.kind for c in plan.actionable} - set(self.apis))
        if missing:
            raise ValueError(f"no API given for the plan's {', '.join(missing)} changes")
        total = len(plan.actionable)
        done: list[Outcome] = []

        def report(outcome: Outcome) -> Outcome:
            done.append(outcome)
            if progress is not None and outcome.action is not Action.NOOP:
                progress(outcome, sum(1 for o in done if o.action is not Action.NOOP), total)
            return outcome

        for kind in KINDS:  # jobs before the workflows that name them
            first = [
                c for c in plan.changes if c.kind == kind.name and c.action is not Action.DELETE
            ]
            # Every create is recorded as pending before any is sent (one write, not one
            # each): after a crash the next plan knows which live objects may be answers it
            # never got.
            creates = {c.key: _pending(c) for c in first if isinstance(c, Create)}
            if creates:
                self._record_pending(creates, kind)
            # Moves only rename state keys: do them first, in order, so later writes see them.
            for change in [c for c in first if isinstance(c, Move)]:
                report(self._guarded(change))
            self._parallel([c for c in first if not isinstance(c, Move)], report)
        for kind in reversed(KINDS):  # workflows deleted before the jobs they name
            self._parallel(
                [c for c in plan.changes if c.kind == kind.name and c.action is Action.DELETE],
                report,
            )
        order = {(c.action, c.kind, c.key): i for i, c in enumerate(plan.changes)}
        outcomes = sorted(done, key=lambda o: order.get((o.action, o.kind, o.key), len(order)))
        return ApplyResult(plan.environment, tuple(outcomes))

    def _parallel(self, changes: list[Change], report: Callable[[Outcome], Outcome]) -> None:
        if not changes:
            return
        if self.concurrency == 1 or len(changes) == 1:
            for change in changes:
                report(self._guarded(change))
            return
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            for outcome in pool.map(self._guarded, changes):
                report(outcome)

    def _guarded(self, change: Change) -> Outcome:
        try:
            object_id = self._do(change)
        except SyncctlError as exc:
            return Outcome(change.action, change.key, change.id, False, str(exc), change.kind)
        return Outcome(change.action, change.key, object_id, True, kind=change.kind)

    def _do(self, change: Change) -> str:
        api, kind = self.apis[change.kind], change.kind
        match change:
            case Create():
                return self._create(change)
            case Update() | Adopt():
                if change.send:
                    api.update(change.id, self._sendable(change, change.send))
                self._record(change, change.id)
                return change.id
            case Move():
                self.store.update(lambda s: s.moved(change.from_key, change.key, kind=kind))
                self._record(change, change.id)
                return change.id
            case Delete():
                if change.fingerprint is not None:  # else: already gone, only forget it
                    # NotFound: deleted meanwhile (or an earlier answer was lost): same end.
                    with contextlib.suppress(NotFoundError):
                        api.delete(change.id)
                self.store.update(lambda s: s.without(change.key, kind=kind))
                return change.id
            case Noop():
                entry = self.store.state.section(kind).entries.get(change.key)
                if (
                    entry is None
                    or entry.hash != change.hash
                    or entry.protected != change.protected
                ):
                    self._record(change, change.id)
                return change.id
        assert_never(change)

    def _record_pending(self, creates: Mapping[str, PendingCreate], kind: Kind) -> None:
        self.store.update(lambda s: s.with_pending(creates, kind=kind))

    def _record(self, change: Owning, object_id: str) -> None:
        entry = Entry(object_id, change.hash, change.protected)
        self.store.update(lambda s: s.with_entry(change.key, entry, kind=change.kind))

    def _sendable(self, change: Change, body: Payload) -> Payload:
        """``body`` as the API takes it: a workflow's job keys resolved to the remote ids the
        state holds now (jobs are applied first); a job's body as it is."""
        if change.kind != WORKFLOW.name:
            return body
        ids = {key: entry.id for key, entry in self.store.state.jobs.items()}
        try:
            return resolved(body, ids)
        except UnresolvedReference as missing:
            raise PlanError(
                f"{change.key}: not sent: job {missing.key} has no live job in "
                f"{self.store.state.environment} (did its create fail?)",
                hint="fix the job's failure, then apply again",
            ) from None

    def _create(self, change: Create) -> str:
        api = self.apis[change.kind]
        body = self._sendable(change, change.send)  # server-defaulted nulls already left out
        for attempt in range(1, MAX_CREATE_ATTEMPTS + 1):
            try:
                created = api.create(body)
            except OutcomeUnknownError:
                found = self._find_created(change, body)
                if found is not None:
                    self._record(change, found)
                    return found
                if attempt == MAX_CREATE_ATTEMPTS:
                    raise
                continue
            self._record(change, created.id)
            return created.id
        raise AssertionError("unreachable")  # pragma: no cover

    def _find_created(self, change: Create, body: Payload) -> str | None:
        """After a lost answer: the one unmanaged live object with the identity of ``body``
        (``Kind.adopt_by``, else its whole content), listed through ``Kind.list_filter``."""
        kind = KIND_BY_NAME[change.kind]
        owned = {entry.id for entry in self.store.state.section(kind).entries.values()}
        filters = {}
        if kind.list_filter is not None and isinstance(body.get(kind.list_filter), str):
            filters[kind.list_filter] = body[kind.list_filter]
        matches = [
            found.id
            for found in self.apis[change.kind].list(**filters)
            if found.id not in owned and _same(kind, body, found.body)
        ]
        if len(matches) > 1:
            what = (
                f"match its label {change.label!r}" if kind.adopt_by else "have exactly its content"
            )
            raise PlanError(
                f"{change.key}: a create's answer was lost and {len(matches)} live "
                f"{kind.word}s now {what}: {', '.join(sorted(matches))}",
                hint="keep one (syncctl import ID), delete the others, then apply again",
            )
        return matches[0] if matches else None


def _same(kind: Kind, sent: Payload, live: Mapping[str, Any]) -> bool:
    """Whether ``live`` is what ``sent`` created, by the kind's identity."""
    if kind.adopt_by:
        want, have = normalise(sent, kind), normalise(live, kind)
        return all(want[name] == have[name] for name in kind.adopt_by)
    return not diff(sent, live, kind)


def _pending(change: Create) -> PendingCreate:
    """The pending record of a create of ``change.kind`` (``state.PENDING_TYPES``)."""
    if change.kind == WORKFLOW.name:
        return PendingWorkflow(change.label, change.hash)  # a workflow's label: its trigger
    return Pending(change.label, change.integration, change.hash)
