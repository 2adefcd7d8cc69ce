"""An apply result as text: one line per job that changed or failed, then a summary."""

from __future__ import annotations

import click

from syncctl.reconcile.apply import ApplyResult, Outcome
from syncctl.reconcile.plan import Action


def line(outcome: Outcome, *, color: bool = False) -> str:
    status = "ok" if outcome.ok else "FAILED"
    if color:
        status = click.style(status, fg="green" if outcome.ok else "red", bold=not outcome.ok)
    ident = f" (id {outcome.id})" if outcome.id else ""
    error = f": {outcome.error}" if outcome.error else ""
    return f"{outcome.action} {outcome.key}{ident}: {status}{error}"


def summary(result: ApplyResult) -> str:
    done = [o for o in result.outcomes if o.ok and o.action is not Action.NOOP]
    failed = result.failed
    text = f"Apply complete in {result.environment}: {len(done)} change(s) applied"
    if failed:
        text = f"Apply in {result.environment}: {len(done)} applied, {len(failed)} FAILED"
    return text + "."


def render(result: ApplyResult, *, color: bool = False) -> str:
    lines = [line(o, color=color) for o in result.outcomes if o.action is not Action.NOOP]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
