"""``apply --verify-run``: run each job apply created or changed once, and wait for its end.

Truto's own operator playbook says not to declare success off the create alone. After apply,
each job whose live object apply created or changed (and did so without failing) is run once
for one integrated account through ``syncctl.runs``; its ``args_schema`` is read from the live
job (an update's plan carries only the changed fields). A job whose required arguments were not
given is ``skipped``; a run that ends failed or stopped, that syncctl stops waiting for, or that
cannot be started, is not ``ok`` and makes apply exit 1. Workflows are not run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from syncctl.client.api import SyncJobClient
from syncctl.errors import ApiError, SyncctlError
from syncctl.kinds import SYNC_JOB
from syncctl.loader import Document
from syncctl.reconcile.apply import ApplyResult
from syncctl.reconcile.plan import Adopt, Create, Plan, Update
from syncctl.rules._args import declared_args
from syncctl.runs import Change, MissingArgsError, request_for, run_once, stats_text

PASSED = frozenset({"completed", "skipped"})


@dataclass(frozen=True, slots=True)
class Verified:
    """One job's verify run: its final ``status`` and what else a reader needs (``detail``)."""

    key: str
    id: str
    status: str
    run_id: str | None = None
    seconds: float | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status in PASSED

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "id": self.id,
            "status": self.status,
            "ok": self.ok,
            "run_id": self.run_id,
            "seconds": round(self.seconds, 3) if self.seconds is not None else None,
            "detail": self.detail or None,
        }


def to_verify(plan: Plan, result: ApplyResult) -> list[tuple[str, str]]:
    """(key, id) of each job whose live object apply created or changed, and did so without
    failing, in apply's order; workflows and state-only changes are not run."""
    changed = {
        c.key
        for c in plan.changes
        if c.kind == SYNC_JOB.name and isinstance(c, Create | Update | Adopt) and c.calls_api
    }
    return [
        (o.key, o.id)
        for o in result.outcomes
        if o.ok and o.kind == SYNC_JOB.name and o.key in changed and o.id is not None
    ]


def _args_for(key: str, data: dict[str, object], texts: Sequence[str]) -> list[str]:
    """The ``--verify-arg`` texts job ``key`` declares (all of them for an open schema)."""
    declared = declared_args(Document(key, dict(data), None, ()))
    if declared is None or declared.open:
        return list(texts)
    names = set(declared.properties)
    return [text for text in texts if text.partition("=")[0].strip() in names]


def verify_one(
    client: SyncJobClient,
    key: str,
    job_id: str,
    account: str,
    texts: Sequence[str],
    *,
    timeout: float,
    on_status: Callable[[str], None] | None = None,
) -> Verified:
    """Run job ``key`` once for ``account`` and wait for its end (``apply --verify-run``);
    ``on_status`` hears each status change as a line."""
    try:
        data = dict(client.jobs.get(job_id).body)
        request = request_for(key, data, job_id, account, _args_for(key, data, texts))
    except MissingArgsError as exc:
        flags = " ".join(f"--verify-arg {name}=..." for name in exc.missing)
        return Verified(
            key, job_id, "skipped", detail=f"needs {', '.join(exc.missing)}: add {flags}"
        )
    except SyncctlError as exc:  # a mistyped value, a job the API no longer has
        return Verified(key, job_id, "error", detail=exc.message)

    def heard(change: Change) -> None:
        if on_status is not None and change.status_changed:
            on_status(f"verify {key}: {change.run.status} ({change.seconds:.1f}s)")

    try:
        followed = run_once(client, request, timeout=timeout, on_change=heard)
    except ApiError as exc:
        return Verified(key, job_id, "error", detail=exc.message)
    run = followed.run
    status = "timed out" if followed.timed_out else run.status
    detail = stats_text(run.resource_stats)
    if followed.timed_out:
        detail = f"still {run.status}; the run goes on"
    return Verified(key, job_id, status, run.id, followed.seconds, detail)


def verify_runs(
    client: SyncJobClient,
    jobs: Sequence[tuple[str, str]],
    account: str,
    texts: Sequence[str],
    *,
    timeout: float,
    on_status: Callable[[str], None] | None = None,
    echo: Callable[[Verified], None] | None = None,
) -> list[Verified]:
    """``verify_one`` for each job in turn (``echo``: told of each as it ends)."""
    verified = []
    for key, job_id in jobs:
        item = verify_one(client, key, job_id, account, texts, timeout=timeout, on_status=on_status)
        if echo is not None:
            echo(item)
        verified.append(item)
    return verified
