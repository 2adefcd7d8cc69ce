"""An apply result as markdown, for a workflow step summary."""

from __future__ import annotations

from syncctl.reconcile.apply import ApplyResult
from syncctl.reconcile.plan import Action
from syncctl.render.apply_text import summary


def render(result: ApplyResult, *, color: bool = False) -> str:
    out = [f"### syncctl apply — `{result.environment}`", "", f"**{summary(result)}**", ""]
    rows = [o for o in result.outcomes if o.action is not Action.NOOP]
    if rows:
        out.extend(["| action | job | id | result |", "|---|---|---|---|"])
        for o in rows:
            status = "ok" if o.ok else f"**failed**: {o.error}"
            out.append(f"| {o.action} | `{o.key}` | {o.id or '—'} | {status} |")
        out.append("")
    return "\n".join(out)
