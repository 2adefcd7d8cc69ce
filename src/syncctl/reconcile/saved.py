"""Saved plans: ``plan --out plan.json`` and ``apply plan.json``.

A saved plan carries everything apply needs (the bodies to send, so it does not depend on the
commit it is applied from), the state serial it was made against, and a fingerprint of every
live job it will touch. Before applying, those jobs are read again: if any changed, vanished,
or the state moved on, the plan is stale and refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from syncctl.errors import NotFoundError, PlanError
from syncctl.reconcile.apply import JobApi
from syncctl.reconcile.normalise import FieldChange, fingerprint
from syncctl.reconcile.plan import PLAN_FORMAT, Action, Change, LiveRef, Plan
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
            changes=tuple(_change(c) for c in raw["changes"]),
            orphaned=tuple(_ref(r) for r in raw.get("orphaned", [])),
            unmanaged=tuple(_ref(r) for r in raw.get("unmanaged", [])),
            prune=bool(raw.get("prune", False)),
            state_serial=int(raw["state_serial"]),
            managed=int(raw.get("managed", 0)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanError(f"{path}: corrupt plan ({exc.__class__.__name__}: {exc})") from None


def _change(raw: dict[str, Any]) -> Change:
    return Change(
        action=Action(raw["action"]),
        key=str(raw["key"]),
        id=raw.get("id"),
        integration=str(raw.get("integration", "")),
        label=str(raw.get("label", "")),
        diff=tuple(FieldChange.from_dict(d) for d in raw["diff"]),
        send=raw.get("send"),
        hash=raw.get("hash"),
        protected=bool(raw.get("protected", False)),
        from_key=raw.get("from_key"),
        fingerprint=raw.get("fingerprint"),
        note=raw.get("note"),
    )


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
        # would cost one GET per managed job, thousands against a rate-limited API).
        if change.fingerprint is None or change.id is None or change.action is Action.NOOP:
            continue
        try:
            current = api.get(change.id)
        except NotFoundError:
            raise PlanError(
                f"stale plan: job {change.id} ({change.key}) no longer exists",
                hint="make a new plan",
            ) from None
        if fingerprint(current) != change.fingerprint:
            raise PlanError(
                f"stale plan: job {change.id} ({change.key}) changed since the plan was made",
                hint="make a new plan",
            )
