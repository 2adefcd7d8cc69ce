"""A plan as markdown, for a pull-request comment or a workflow step summary.

The diff block marks each line for GitHub's ``diff`` highlighting (``+`` added, ``-`` removed,
``!`` changed). Each created job, and each job whose node/edge set changes, gets its dependency
graph as a folded mermaid chart.
"""

from __future__ import annotations

import re

from syncctl.graph import render_mermaid
from syncctl.reconcile.plan import Change, Create, Plan
from syncctl.render.plan_text import change_lines, summary, unmanaged_nouns

MARKER = "<!-- syncctl-plan -->"
_MARKS = {"~": "!", "+": "+", "-": "-"}
# A change line of ``plan_text`` (a field, or a field inside a resources entry); the lines of a
# multi-line JSON value are indented further and never start with a symbol and a space.
_CHANGE_LINE = re.compile(r"^(?: {6}| {10})([~+-]) ")


def _diff_line(line: str) -> str:
    """Repeat the line's symbol in the first column, where ``diff`` highlighting reads it."""
    match = _CHANGE_LINE.match(line)
    return _MARKS[match.group(1)] + line[1:] if match else line


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
    if plan.has_changes:
        out.append("| action | key | id |")
        out.append("|---|---|---|")
        for change in plan.actionable:
            out.append(f"| {change.action} | `{change.key}` | {change.id or '—'} |")
        out.extend(["", "<details><summary>Details</summary>", "", "```diff"])
        for change in plan.actionable:
            out.extend(_diff_line(line) for line in change_lines(change))
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
