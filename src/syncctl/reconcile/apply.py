"""Apply: carry out a plan against the API, writing state after every success.

Creates, updates and adoptions run first (bounded concurrency), deletes last. Each success is
written to state at once, so a crash or ``kill -9`` loses nothing and the next run converges.
A create whose outcome is unknown is looked up by integration and label before any retry, so
it can never leave a duplicate. Failures are reported per job; they never stop the others.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias, assert_never

from syncctl.client.models import LiveJob
from syncctl.errors import NotFoundError, OutcomeUnknownError, PlanError, SyncctlError
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
from syncctl.reconcile.state import Entry, Pending, State, StateStore

MAX_CREATE_ATTEMPTS = 3

Owning: TypeAlias = Create | Update | Adopt | Move | Noop
"""The changes after which a job file owns a live job (its state entry records the hash)."""


class JobApi(Protocol):
    """What apply needs of the API client (``syncctl.client.api.SyncJobClient``): live jobs
    come back as ``LiveJob`` models, validated by the client."""

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": str(self.action),
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
    """Runs the changes of one plan; the only writer of state during apply."""

    def __init__(self, api: JobApi, store: StateStore, *, concurrency: int = 8) -> None:
        self.api = api
        self.store = store
        self.concurrency = max(1, concurrency)

    def run(self, plan: Plan, progress: Progress | None = None) -> ApplyResult:
        first = [c for c in plan.changes if c.action is not Action.DELETE]
        deletes = [c for c in plan.changes if c.action is Action.DELETE]
        total = len(plan.actionable)
        done: list[Outcome] = []

        def report(outcome: Outcome) -> Outcome:
            done.append(outcome)
            if progress is not None and outcome.action is not Action.NOOP:
                progress(outcome, sum(1 for o in done if o.action is not Action.NOOP), total)
            return outcome

        # Every create is recorded as pending before any is sent (one write, not one each):
        # after a crash the next plan knows which live jobs may be answers it never got.
        creates = {
            c.key: Pending(c.label, c.integration, c.hash) for c in first if isinstance(c, Create)
        }
        if creates:
            self.store.update(lambda s: s.with_pending(creates))
        # Moves only rename state keys: do them first, in order, so later writes see them.
        for change in [c for c in first if isinstance(c, Move)]:
            report(self._guarded(change))
        self._parallel([c for c in first if not isinstance(c, Move)], report)
        self._parallel(deletes, report)
        order = {(c.action, c.key): i for i, c in enumerate(plan.changes)}
        outcomes = sorted(done, key=lambda o: order.get((o.action, o.key), len(order)))
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
            job_id = self._do(change)
        except SyncctlError as exc:
            return Outcome(change.action, change.key, change.id, False, str(exc))
        return Outcome(change.action, change.key, job_id, True)

    def _do(self, change: Change) -> str:
        match change:
            case Create():
                return self._create(change)
            case Update() | Adopt():
                if change.send:
                    self.api.update(change.id, change.send)
                self._record(change, change.id)
                return change.id
            case Move():
                self.store.update(lambda s: s.moved(change.from_key, change.key))
                self._record(change, change.id)
                return change.id
            case Delete():
                if change.fingerprint is not None:  # else: already gone, only forget it
                    # NotFound: deleted meanwhile (or an earlier answer was lost): same end.
                    with contextlib.suppress(NotFoundError):
                        self.api.delete(change.id)
                self.store.update(lambda s: s.without(change.key))
                return change.id
            case Noop():
                entry = self.store.state.jobs.get(change.key)
                if (
                    entry is None
                    or entry.hash != change.hash
                    or entry.protected != change.protected
                ):
                    self._record(change, change.id)
                return change.id
        assert_never(change)

    def _record(self, change: Owning, job_id: str) -> None:
        entry = Entry(job_id, change.hash, change.protected)
        self.store.update(lambda s: s.with_entry(change.key, entry))

    def _create(self, change: Create) -> str:
        body = change.send  # the plan leaves server-defaulted nulls out
        for attempt in range(1, MAX_CREATE_ATTEMPTS + 1):
            try:
                created = self.api.create(body)
            except OutcomeUnknownError:
                found = self._find_created(change)
                if found is not None:
                    self._record(change, found)
                    return found
                if attempt == MAX_CREATE_ATTEMPTS:
                    raise
                continue
            self._record(change, created.id)
            return created.id
        raise AssertionError("unreachable")  # pragma: no cover

    def _find_created(self, change: Create) -> str | None:
        """After a lost answer: the one unmanaged live job with this integration and label."""
        state: State = self.store.state
        owned = {entry.id for entry in state.jobs.values()}
        matches = [
            job.id
            for job in self.api.list(integration_name=change.integration)
            if job.label == change.label and job.id not in owned
        ]
        if len(matches) > 1:
            raise PlanError(
                f"{change.key}: a create's answer was lost and {len(matches)} live jobs now "
                f"match its label {change.label!r}: {', '.join(sorted(matches))}",
                hint="keep one (syncctl import ID), delete the others, then apply again",
            )
        return matches[0] if matches else None
