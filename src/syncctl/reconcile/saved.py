"""Saved plans: ``plan --out plan.json`` and ``apply plan.json``.

A saved plan carries everything apply needs (the bodies to send, so it does not depend on the
commit it is applied from), the state serial it was made against, a fingerprint of every
live job it will touch, each change's risks (judged again by apply's guards) and, for a
partial plan, its targets. Before applying, those jobs are read again: if any changed, vanished,
or the state moved on, the plan is stale and refused.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic import Field as ModelField
from pydantic_core import ErrorDetails

from syncctl.errors import NotFoundError, PlanError
from syncctl.kinds import KINDS, SYNC_JOB, WORKFLOW
from syncctl.reconcile.apply import JobApi, ObjectApi
from syncctl.reconcile.normalise import FieldChange, Payload, Risk, fingerprint
from syncctl.reconcile.plan import (
    PLAN_FORMAT,
    Adopt,
    Create,
    Delete,
    LiveRef,
    Move,
    Noop,
    Plan,
    Targets,
    Update,
)
from syncctl.reconcile.state import State
from syncctl.typed_errors import describe, key_path

KIND = "syncctl-plan"


def write_plan(plan: Plan, path: Path) -> None:
    document = {"kind": KIND, **plan.to_dict()}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_plan(path: Path) -> Plan:
    """The plan saved at ``path``, parsed by the models below; an error is one line naming the
    file and the key path (``changes[2] (create zendesk/x): 'send' must be a JSON object``)."""
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
        saved = _SAVED_PLAN.validate_python(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
        raise PlanError(
            f"{path}: corrupt plan: {_detail(errors[0], raw)}{more}",
            hint="make the plan again with 'syncctl plan --out'",
        ) from None
    return saved.to_plan()


# -- the saved plan, as pydantic models ---------------------------------------------------------

_KIND_NAMES = tuple(kind.name for kind in KINDS)


def _known(name: str) -> str:
    if name not in _KIND_NAMES:
        raise ValueError(f"must be one of {', '.join(_KIND_NAMES)}")
    return name


KindName = Annotated[str, AfterValidator(_known)]
"""The name of a kind (``sync_job``, ``workflow``)."""


class _Saved(BaseModel):
    """What every saved change has. Plan JSON gives every change every key (``None`` or ``[]``
    where its action has none), so keys an action does not read are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    key: str
    kind: KindName = SYNC_JOB.name  # a plan saved before kinds holds only jobs
    integration: str = ""
    label: str = ""
    protected: bool = False
    note: str | None = None
    risks: tuple[Risk, ...] = ()  # a plan saved before the risky guard has none

    def common(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "integration": self.integration,
            "label": self.label,
            "protected": self.protected,
            "note": self.note,
            "risks": self.risks,
        }


class _Create(_Saved):
    action: Literal["create"]
    send: Payload
    hash: str

    def to_change(self) -> Create:
        return Create(**self.common(), send=self.send, hash=self.hash)


class _Update(_Saved):
    action: Literal["update"]
    id: str
    diff: tuple[FieldChange, ...]
    send: Payload
    hash: str
    fingerprint: str

    def to_change(self) -> Update:
        return Update(
            **self.common(),
            id=self.id,
            diff=self.diff,
            send=self.send,
            hash=self.hash,
            fingerprint=self.fingerprint,
        )


class _Adopt(_Saved):
    action: Literal["adopt"]
    id: str
    diff: tuple[FieldChange, ...] = ()
    send: Payload | None = None
    hash: str
    fingerprint: str

    def to_change(self) -> Adopt:
        return Adopt(
            **self.common(),
            id=self.id,
            diff=self.diff,
            send=self.send,
            hash=self.hash,
            fingerprint=self.fingerprint,
        )


class _Move(_Saved):
    action: Literal["move"]
    id: str
    from_key: str
    hash: str
    fingerprint: str

    def to_change(self) -> Move:
        return Move(
            **self.common(),
            id=self.id,
            from_key=self.from_key,
            hash=self.hash,
            fingerprint=self.fingerprint,
        )


class _Delete(_Saved):
    action: Literal["delete"]
    id: str
    fingerprint: str | None = None

    def to_change(self) -> Delete:
        return Delete(**self.common(), id=self.id, fingerprint=self.fingerprint)


class _Noop(_Saved):
    action: Literal["noop"]
    id: str
    hash: str
    fingerprint: str

    def to_change(self) -> Noop:
        return Noop(**self.common(), id=self.id, hash=self.hash, fingerprint=self.fingerprint)


_SavedChange = Annotated[
    _Create | _Update | _Adopt | _Move | _Delete | _Noop, ModelField(discriminator="action")
]
"""One saved change as its action's model: a field the action needs must be there."""


class _Ref(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    integration: str
    label: str
    key: str | None = None
    note: str | None = None
    kind: KindName = SYNC_JOB.name

    def to_ref(self) -> LiveRef:
        return LiveRef(self.id, self.integration, self.label, self.key, self.note, self.kind)


class _SavedPlan(BaseModel):
    """A saved plan (``Plan.to_dict`` plus ``kind``); ``summary`` is derived, so not read."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    environment: str
    changes: tuple[_SavedChange, ...]
    orphaned: tuple[_Ref, ...] = ()
    unmanaged: tuple[_Ref, ...] = ()
    prune: bool = False
    state_serial: int
    managed: int = 0
    targets: Targets | None = None

    def to_plan(self) -> Plan:
        return Plan(
            environment=self.environment,
            changes=tuple(change.to_change() for change in self.changes),
            orphaned=tuple(ref.to_ref() for ref in self.orphaned),
            unmanaged=tuple(ref.to_ref() for ref in self.unmanaged),
            prune=self.prune,
            state_serial=self.state_serial,
            managed=self.managed,
            targets=self.targets,
        )


_SAVED_PLAN: TypeAdapter[_SavedPlan] = TypeAdapter(_SavedPlan)

_MUST = {
    "string_type": "must be a string",
    "dict_type": "must be a JSON object",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "int_type": "must be an integer",
    "int_parsing": "must be an integer",
    "missing": "is missing",
    "missing_argument": "is missing",
}


def _detail(error: ErrorDetails, raw: Mapping[str, Any]) -> str:
    """One error, naming the change it is in by index, action and key where it is in one."""
    loc = error["loc"]
    if len(loc) >= 4 and loc[0] == "changes" and isinstance(loc[1], int):
        index, action = loc[1], loc[2]
        change = raw["changes"][index]
        key = change.get("key") if isinstance(change, dict) else None
        field = key_path(loc[3:])
        must = _MUST.get(error["type"])
        what = f"{field!r} {must}" if must else describe({**error, "loc": loc[3:]})
        return f"changes[{index}] ({action} {key}): {what}"
    return describe(error)


def check_fresh(
    plan: Plan,
    api: JobApi,
    state: State,
    environment: str,
    *,
    workflows: ObjectApi | None = None,
) -> None:
    """Refuse a plan made for another environment, against older state, or older live
    objects (jobs through ``api``, workflows through ``workflows``)."""
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
        reader: ObjectApi | JobApi | None = workflows if change.kind == WORKFLOW.name else api
        word = WORKFLOW.word if change.kind == WORKFLOW.name else SYNC_JOB.word
        if reader is None:
            raise ValueError(f"no API given for the plan's {change.kind} changes")
        try:
            current = reader.get(change.id)
        except NotFoundError:
            raise PlanError(
                f"stale plan: {word} {change.id} ({change.key}) no longer exists",
                hint="make a new plan",
            ) from None
        if fingerprint(current.body) != change.fingerprint:
            raise PlanError(
                f"stale plan: {word} {change.id} ({change.key}) changed since the plan was made",
                hint="make a new plan",
            )
