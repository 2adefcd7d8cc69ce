"""What ``apply --verify-run`` found: one line (or row) per verified job, in every apply format.

A verified job is a job apply created or changed, run once for one integrated account after
apply (``syncctl.runs``); ``status`` is the run's final status (``completed``, ``failed``,
``stopped``), ``timed out`` when syncctl stopped waiting (the run goes on), ``skipped`` when the
job needs arguments that were not given, ``error`` when the run could not be started or read.
Only ``completed`` and ``skipped`` leave apply's exit code alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from syncctl.reconcile.verify import Verified


def _facts(item: Verified) -> str:
    parts = []
    if item.run_id is not None:
        parts.append(f"run {item.run_id}")
    if item.seconds is not None:
        parts.append(f"{item.seconds:.1f}s")
    if item.detail:
        parts.append(item.detail)
    return f" ({'; '.join(parts)})" if parts else ""


def line(item: Verified, *, color: bool = False) -> str:
    """``verify zendesk/tickets: completed (run r1; 0.4s; tickets list: 12 records)``."""
    status = item.status if item.ok else f"FAILED: {item.status}"
    if color:
        status = click.style(status, fg="green" if item.ok else "red", bold=not item.ok)
    return f"verify {item.key}: {status}{_facts(item)}"


def summary(verified: Sequence[Verified], account: str) -> str:
    if not verified:
        return f"Verify runs for account {account}: no job was created or changed."
    counts: dict[str, int] = {}
    for item in verified:
        counts[item.status] = counts.get(item.status, 0) + 1
    said = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    return f"Verify runs for account {account}: {said}."


def text(verified: Sequence[Verified], account: str, *, color: bool = False) -> str:
    return "\n".join([*(line(v, color=color) for v in verified), summary(verified, account)]) + "\n"


def markdown(verified: Sequence[Verified], account: str) -> str:
    out = [f"**{summary(verified, account)}**", ""]
    if verified:
        out.extend(["| job | status | run | detail |", "|---|---|---|---|"])
        for v in verified:
            status = v.status if v.ok else f"**{v.status}**"
            out.append(f"| `{v.key}` | {status} | {v.run_id or '—'} | {v.detail or ''} |")
        out.append("")
    return "\n".join(out)


def to_dict(verified: Sequence[Verified], account: str) -> dict[str, Any]:
    return {
        "account": account,
        "failed": sum(1 for v in verified if not v.ok),
        "jobs": [v.to_dict() for v in verified],
    }
