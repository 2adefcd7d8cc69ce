"""A plan as markdown, for a pull-request comment or a workflow step summary.

The diff block marks each line for GitHub's ``diff`` highlighting (``+`` added, ``-`` removed,
``!`` changed) in its first column, from the mark the text plan gives the line (every line of
a long value too). Validation warnings and the guards' reasons come right after the summary.
Each created job, and each job whose node/edge set changes, gets its dependency graph as a
folded mermaid chart. A risky change gets a warning row under its own in the table; a partial
plan says so under the summary.
"""

from __future__ import annotations

from syncctl.graph import render_mermaid
from syncctl.reconcile.plan import Change, Create, Plan
from syncctl.render.plan_text import Line, marked_lines, partial_line, summary, unmanaged_nouns

MARKER = "<!-- syncctl-plan -->"
_MARKS = {"~": "!", "+": "+", "-": "-"}


def _diff_line(line: Line) -> str:
    """The line with its mark in the first column, where ``diff`` highlighting reads it."""
    mark, text = line
    first = _MARKS.get(mark)
    return first + text[1:] if first is not None and text.startswith(" ") else text


def _warnings(plan: Plan) -> list[str]:
    if not plan.warnings:
        return []
    out = [f"**Warnings from validation ({len(plan.warnings)}):**", ""]
    for w in plan.warnings:
        hint = f" (hint: {w.hint})" if w.hint else ""
        out.append(f"- `{w.file}:{w.line}:{w.column}` {w.rule}: {w.message}{hint}")
    return [*out, ""]


def _guards(plan: Plan) -> list[str]:
    said = [v for v in plan.guards if v.reason is not None]
    if not said:
        return []
    out = ["**Guards:**", ""]
    out.extend(f"- {'✅' if v.ok else '⛔'} **{v.name}**: {v.reason}" for v in said)
    if plan.refused:
        out.append("")
        out.append("**apply will refuse this plan; nothing will be changed.**")
    return [*out, ""]


def _graph(change: Change) -> list[str]:
    if change.graph is None:
        return []
    what = "graph" if isinstance(change, Create) else "changed graph"
    return [
        f"<details><summary>{what} of <code>{change.key}</code></summary>",
        "",
        "```mermaid",
        *render_mermaid(change.graph).splitlines(),
        "```",
        "",
        "</details>",
        "",
    ]


def render(plan: Plan, *, color: bool = False) -> str:
    out = [MARKER, f"### syncctl plan — `{plan.environment}`", "", f"**{summary(plan)}**", ""]
    partial = partial_line(plan)
    if partial is not None:
        out.extend([f"**{partial}**", ""])
    out.extend(_guards(plan))
    out.extend(_warnings(plan))
    if plan.has_changes:
        out.append("| action | key | id |")
        out.append("|---|---|---|")
        for change in plan.actionable:
            out.append(f"| {change.action} | `{change.key}` | {change.id or '—'} |")
            out.extend(f"| ⚠️ **risky** | `{r.field}` | {r.reason} |" for r in change.risks)
        out.extend(["", "<details><summary>Details</summary>", "", "```diff"])
        for change in plan.actionable:
            out.extend(_diff_line(line) for line in marked_lines(change))
        out.extend(["```", "", "</details>", ""])
        for change in plan.actionable:
            out.extend(_graph(change))
    if plan.orphaned:
        out.append(f"Orphaned (kept): {', '.join(f'`{o.key}`' for o in plan.orphaned)}")
        out.append("")
    if plan.unmanaged:
        out.append(f"Unmanaged live {unmanaged_nouns(plan)} (never touched): {len(plan.unmanaged)}")
        out.append("")
    return "\n".join(out)
