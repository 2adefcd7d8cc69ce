"""A plan as Terraform-like text: one symbol per action, field-level diffs, a summary line.

Changes inside ``resources`` are grouped under the entry they belong to
(``~ resources[2] list-comments``); a whole entry added or removed is one ``+``/``-`` line.
"""

from __future__ import annotations

import json
from typing import Any

import click

from syncctl.reconcile.normalise import FieldChange
from syncctl.reconcile.plan import Action, Change, Create, Move, Plan

SYMBOLS = {
    Action.CREATE: ("+", "green"),
    Action.UPDATE: ("~", "yellow"),
    Action.DELETE: ("-", "red"),
    Action.ADOPT: ("=", "cyan"),
    Action.MOVE: (">", "cyan"),
    Action.NOOP: (" ", None),
}


WIDTH = 100


def value(data: Any, indent: str = "") -> str:
    """JSON on one line when short, else indented over several lines (never cut short)."""
    text = json.dumps(data, ensure_ascii=False)
    if len(text) <= WIDTH:
        return text
    return json.dumps(data, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)


def _head(change: Change, color: bool) -> str:
    symbol, fg = SYMBOLS[change.action]
    ident = f" (id {change.id})" if change.id else ""
    head = f"{symbol} {change.action} {change.key}{ident}"
    if isinstance(change, Move):
        head = f"{symbol} move {change.from_key} -> {change.key}{ident} (state only, no API call)"
    if change.note:
        head += f" — {change.note}"
    return click.style(head, fg=fg) if color and fg else head


def change_lines(change: Change, *, color: bool = False) -> list[str]:
    lines = [f"  {_head(change, color)}"]
    if isinstance(change, Create):
        for name, data in change.send.items():
            if data is not None:
                lines.append(f"      + {name}: {value(data, '        ')}")
    lines.extend(diff_lines(change.diff))
    return lines


def diff_lines(diff: tuple[FieldChange, ...]) -> list[str]:
    """One line per field change; changes inside one ``resources`` entry under its name."""
    lines: list[str] = []
    group: str | None = None
    for item in diff:
        if item.op == "add":
            group = None
            lines.append(f"      + {item.element or item.path}: {value(item.after, '        ')}")
        elif item.op == "remove":
            group = None
            lines.append(f"      - {item.element or item.path}: {value(item.before, '        ')}")
        elif item.element is not None:
            if item.element != group:
                group = item.element
                lines.append(f"      ~ {item.element}")
            before, after = value(item.before, "            "), value(item.after, "            ")
            lines.append(f"          ~ {item.path}: {before} -> {after}")
        else:
            group = None
            before, after = value(item.before, "        "), value(item.after, "        ")
            lines.append(f"      ~ {item.path}: {before} -> {after}")
    return lines


def summary(plan: Plan) -> str:
    if not plan.has_changes:
        return (
            f"No changes. {plan.count(Action.NOOP)} job(s) in {plan.environment} match the files."
        )
    parts = [
        f"{plan.count(Action.CREATE)} to create",
        f"{plan.count(Action.UPDATE)} to update",
        f"{plan.count(Action.DELETE)} to delete",
        f"{plan.count(Action.ADOPT)} to adopt",
        f"{plan.count(Action.MOVE)} to move",
    ]
    return f"Plan: {', '.join(parts)}; {plan.count(Action.NOOP)} unchanged."


def render(plan: Plan, *, color: bool = False) -> str:
    out: list[str] = []
    if plan.has_changes:
        out.append(f'syncctl will perform these actions in environment "{plan.environment}":')
        out.append("")
        for change in plan.actionable:
            out.extend(change_lines(change, color=color))
        out.append("")
    if plan.orphaned:
        out.append("Orphaned (managed, file removed or not targeted here; kept):")
        out.extend(f"  ! {o.key} (id {o.id}) — {o.note}" for o in plan.orphaned)
        out.append("")
    if plan.unmanaged:
        out.append(f"Unmanaged live jobs (never touched): {len(plan.unmanaged)}")
        out.extend(f"  · {u.integration}: {u.label!r} (id {u.id})" for u in plan.unmanaged[:20])
        if len(plan.unmanaged) > 20:
            out.append(f"  … and {len(plan.unmanaged) - 20} more (see --format json)")
        out.append("")
    out.append(summary(plan))
    return "\n".join(out) + "\n"
