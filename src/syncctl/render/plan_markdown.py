"""A plan as markdown, for a pull-request comment or a workflow step summary."""

from __future__ import annotations

from syncctl.reconcile.plan import Plan
from syncctl.render.plan_text import change_lines, summary

MARKER = "<!-- syncctl-plan -->"


def render(plan: Plan, *, color: bool = False) -> str:
    out = [MARKER, f"### syncctl plan — `{plan.environment}`", "", f"**{summary(plan)}**", ""]
    if plan.has_changes:
        out.append("| action | job | id |")
        out.append("|---|---|---|")
        for change in plan.actionable:
            out.append(f"| {change.action} | `{change.key}` | {change.id or '—'} |")
        out.extend(["", "<details><summary>Details</summary>", "", "```diff"])
        for change in plan.actionable:
            out.extend(line.replace("      ~", "!     ~", 1) for line in change_lines(change))
        out.extend(["```", "", "</details>", ""])
    if plan.orphaned:
        out.append(f"Orphaned (kept): {', '.join(f'`{o.key}`' for o in plan.orphaned)}")
        out.append("")
    if plan.unmanaged:
        out.append(f"Unmanaged live jobs (never touched): {len(plan.unmanaged)}")
        out.append("")
    return "\n".join(out)
