"""Plan-time guards: checks that stop a plan from being applied, shown in the plan itself.

A guard reads a finished plan and gives a ``Verdict``: ``ok``, or not and why. Every guard
is checked by the command that shows or applies a plan (``judge``), before any prompt: the
reasons are part of the plan output (text, markdown and JSON), and apply refuses a plan with
a failing verdict (``refuse``: exit 1) before it changes anything. ``plan`` shows the verdicts
and exits as it would without them.

A guard is one value with a ``name`` and a ``check``; ``GUARDS`` builds the guards of one
environment from the flags that override them (``--allow-mass-delete``, ``--allow-risky``).
A new guard is one more factory in ``GUARDS`` and one more flag: no other guard changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass, replace
from typing import Protocol

from syncctl.config import Environment
from syncctl.errors import PlanError
from syncctl.reconcile.plan import Delete, Plan, Verdict

MASS_DELETE = "mass delete"
RISKY = "risky changes"


class Guard(Protocol):
    """One check of a whole plan; ``name`` is how the plan output names it."""

    @property
    def name(self) -> str: ...

    def check(self, plan: Plan) -> Verdict: ...


@dataclass(frozen=True, slots=True)
class MassDelete:
    """Refuse a plan that deletes more than ``ratio`` of the objects this environment manages
    (an emptied or mistyped folder must not empty an environment), unless ``allowed``."""

    ratio: float
    allowed: bool = False
    name: str = MASS_DELETE
    flag: str = "--allow-mass-delete"

    def check(self, plan: Plan) -> Verdict:
        deletes = sum(1 for c in plan.changes if isinstance(c, Delete) and c.fingerprint)
        if plan.managed == 0 or deletes / plan.managed <= self.ratio:
            return Verdict(self.name, True)
        what = (
            f"the plan deletes {deletes} of {plan.managed} managed jobs and workflows in "
            f"{plan.environment} (more than {self.ratio:.0%})"
        )
        if self.allowed:
            return Verdict(self.name, True, f"{what}; allowed by {self.flag}")
        return Verdict(self.name, False, f"{what}; pass {self.flag} if intended")


@dataclass(frozen=True, slots=True)
class Risky:
    """Refuse a plan with an expensive change (a ``state_key`` that changes orphans every
    account's cursor: a full re-sync for each; ``normalise.risks`` says which), unless
    ``allowed``: such a change is applied on purpose, by a person who read the risks."""

    allowed: bool = False
    name: str = RISKY
    flag: str = "--allow-risky"

    def check(self, plan: Plan) -> Verdict:
        risky = plan.risky
        if not risky:
            return Verdict(self.name, True)
        names = ", ".join(
            f"{c.key} ({', '.join(dict.fromkeys(r.field for r in c.risks))})" for c in risky
        )
        what = f"{len(risky)} change(s) in {plan.environment} are risky: {names}"
        if self.allowed:
            return Verdict(self.name, True, f"{what}; allowed by {self.flag}")
        return Verdict(
            self.name, False, f"{what}; read the risks, then pass {self.flag} if intended"
        )


GuardFactory = Callable[[Environment, Set[str]], Guard]
"""Builds one guard for an environment, given the names of the guards the user overrode."""


def _mass_delete(env: Environment, allowed: Set[str]) -> Guard:
    return MassDelete(env.mass_delete_ratio, allowed=MASS_DELETE in allowed)


def _risky(env: Environment, allowed: Set[str]) -> Guard:
    return Risky(allowed=RISKY in allowed)


GUARDS: tuple[GuardFactory, ...] = (_mass_delete, _risky)
"""Every guard, in the order the plan lists them."""


def guards_for(env: Environment, *, allowed: Set[str] = frozenset()) -> tuple[Guard, ...]:
    """The guards of ``env``; ``allowed``: the names of the guards the user overrode."""
    return tuple(factory(env, allowed) for factory in GUARDS)


def judge(plan: Plan, guards: Sequence[Guard]) -> Plan:
    """``plan`` with every guard's verdict on it (replacing any it carried: a saved plan is
    judged again by the command that applies it)."""
    return replace(plan, guards=tuple(guard.check(plan) for guard in guards))


def refuse(plan: Plan) -> None:
    """Raise when any verdict of ``plan`` forbids applying it; nothing has changed yet."""
    failed = plan.refused
    if not failed:
        return
    first = failed[0]
    more = f" (and {len(failed) - 1} more guard(s))" if len(failed) > 1 else ""
    raise PlanError(
        f"refused by the {first.name} guard: {first.reason}{more}",
        hint="check the files and the environment; nothing was changed",
    )
