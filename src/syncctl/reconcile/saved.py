"""Saved plans: ``plan --out plan.json`` and ``apply plan.json``.

A saved plan carries everything apply needs (the bodies to send, so it does not depend on the
commit it is applied from), the state serial it was made against, and a fingerprint of every
live job it will touch. Before applying, those jobs are read again: if any changed, vanished,
or the state moved on, the plan is stale and refused.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, assert_never

from syncctl.errors import NotFoundError, PlanError
from syncctl.reconcile.apply import JobApi
from syncctl.reconcile.normalise import FieldChange, Payload, fingerprint
from syncctl.reconcile.plan import (
    PLAN_FORMAT,
    Action,
    Adopt,
    Change,
    Create,
    Delete,
    LiveRef,
    Move,
    Noop,
    Plan,
    Update,
)
from syncctl.reconcile.state import State

KIND = "syncctl-plan"


def write_plan(plan: Plan, path: Path) -> None:
    document = {"kind": KIND, **plan.to_dict()}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_plan(path: Path) -> Plan:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PlanError(f"{path}: cannot read plan: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise PlanError(f"{path}:{exc.lineno}:{exc.colno}: not a JSON plan ({exc.msg})") from None
    if not isinstance(raw, dict) or raw.get("kind") != KIND:
        raise PlanError(f"{path}: not a syncctl plan", hint="make one with 'syncctl plan --out'")
    if raw.get("format_version") != PLAN_FORMAT:
        raise PlanError(
            f"{path}: plan format {raw.get('format_version')!r} is not {PLAN_FORMAT}",
            hint="make the plan again with this version of syncctl",
        )
    try:
        return Plan(
            environment=str(raw["environment"]),
            changes=tuple(_change(i, c) for i, c in enumerate(raw["changes"])),
            orphaned=tuple(_ref(r) for r in raw.get("orphaned", [])),
            unmanaged=tuple(_ref(r) for r in raw.get("unmanaged", [])),
            prune=bool(raw.get("prune", False)),
            state_serial=int(raw["state_serial"]),
            managed=int(raw.get("managed", 0)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanError(f"{path}: corrupt plan ({exc.__class__.__name__}: {exc})") from None


def _change(index: int, raw: Mapping[str, Any]) -> Change:
    """One saved change as its action's type; a field the action needs must be there."""
    action = Action(raw["action"])
    fields = _Fields(raw, f"changes[{index}] ({action} {raw['key']})")
    key = str(raw["key"])
    integration = str(raw.get("integration", ""))
    label = str(raw.get("label", ""))
    protected = bool(raw.get("protected", False))
    note = fields.optional_text("note")
    match action:
        case Action.CREATE:
            return Create(
                key=key,
                integration=integration,
                label=label,
                protected=protected,
                note=note,
                send=fields.payload("send"),
                hash=fields.text("hash"),
            )
        case Action.UPDATE:
            return Update(
                key=key,
                integration=integration,
                label=label,
                protected=protected,
                note=note,
                id=fields.text("id"),
                diff=fields.diff(),
                send=fields.payload("send"),
                hash=fields.text("hash"),
                fingerprint=fields.text("fingerprint"),
            )
        case Action.ADOPT:
            return Adopt(
                key=key,
                integration=integration,
                label=label,
                protected=protected,
                note=note,
                id=fields.text("id"),
                diff=fields.diff(),
                send=fields.optional_payload("send"),
                hash=fields.text("hash"),
                fingerprint=fields.text("fingerprint"),
            )
        case Action.MOVE:
            return Move(
                key=key,
                integration=integration,
                label=label,
                protected=protected,
                note=note,
                id=fields.text("id"),
                from_key=fields.text("from_key"),
                hash=fields.text("hash"),
                fingerprint=fields.text("fingerprint"),
            )
        case Action.DELETE:
            return Delete(
                key=key,
                integration=integration,
                label=label,
                protected=protected,
                note=note,
                id=fields.text("id"),
                fingerprint=fields.optional_text("fingerprint"),
            )
        case Action.NOOP:
            return Noop(
                key=key,
                integration=integration,
                label=label,
                protected=protected,
                note=note,
                id=fields.text("id"),
                hash=fields.text("hash"),
                fingerprint=fields.text("fingerprint"),
            )
    assert_never(action)


class _Fields:
    """Typed reads of one saved change; a wrong or missing field is a ``ValueError`` naming it."""

    def __init__(self, raw: Mapping[str, Any], where: str) -> None:
        self.raw = raw
        self.where = where

    def _wrong(self, name: str, what: str) -> ValueError:
        return ValueError(f"{self.where}: {name!r} must be {what}")

    def text(self, name: str) -> str:
        value = self.raw.get(name)
        if not isinstance(value, str):
            raise self._wrong(name, "a string")
        return value

    def optional_text(self, name: str) -> str | None:
        return None if self.raw.get(name) is None else self.text(name)

    def payload(self, name: str) -> Payload:
        value = self.raw.get(name)
        if not isinstance(value, dict):
            raise self._wrong(name, "a JSON object")
        return value

    def optional_payload(self, name: str) -> Payload | None:
        return None if self.raw.get(name) is None else self.payload(name)

    def diff(self) -> tuple[FieldChange, ...]:
        return tuple(FieldChange.from_dict(d) for d in self.raw["diff"])


def _ref(raw: dict[str, Any]) -> LiveRef:
    return LiveRef(
        str(raw["id"]), str(raw["integration"]), str(raw["label"]), raw.get("key"), raw.get("note")
    )


def check_fresh(plan: Plan, api: JobApi, state: State, environment: str) -> None:
    """Refuse a plan made for another environment, against older state, or older live jobs."""
    if plan.environment != environment:
        raise PlanError(
            f"the plan is for environment {plan.environment!r}, not {environment!r}",
            hint=f"run with --env {plan.environment}",
        )
    if plan.state_serial != state.serial:
        raise PlanError(
            f"stale plan: the {environment} state changed since the plan was made "
            f"(serial {plan.state_serial} -> {state.serial})",
            hint="make a new plan",
        )
    for change in plan.changes:
        # Only the jobs apply will touch: a noop sends nothing (re-reading every unchanged job
        # would cost one GET per managed job, thousands against a rate-limited API); a create
        # has no live job yet, and a delete without a fingerprint found its job already gone.
        if isinstance(change, Create | Noop) or change.fingerprint is None:
            continue
        try:
            current = api.get(change.id)
        except NotFoundError:
            raise PlanError(
                f"stale plan: job {change.id} ({change.key}) no longer exists",
                hint="make a new plan",
            ) from None
        if fingerprint(current.body) != change.fingerprint:
            raise PlanError(
                f"stale plan: job {change.id} ({change.key}) changed since the plan was made",
                hint="make a new plan",
            )
