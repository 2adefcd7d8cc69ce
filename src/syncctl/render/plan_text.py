"""A plan as Terraform-like text: one symbol per action, field-level diffs, a summary line.

Changes inside ``resources`` are grouped under the entry they belong to
(``~ resources[2] list-comments``); a whole entry added or removed is one ``+``/``-`` line.
A workflow that is created or changed is followed by what its steps will do, each cron
schedule in words (``syncctl.schedule.describe``; no clock is read).
"""

from __future__ import annotations

import json
from typing import Any

import click

from syncctl.kinds import SYNC_JOB, WORKFLOW
from syncctl.reconcile.normalise import FieldChange
from syncctl.reconcile.plan import Action, Change, Create, LiveRef, Move, Plan, Update
from syncctl.references import KEY_FIELD
from syncctl.schedule import describe

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
    if change.kind == WORKFLOW.name and isinstance(change, Create | Update):
        lines.extend(schedule_lines(change.send.get("config")))
    return lines


def schedule_lines(config: Any) -> list[str]:
    """What a workflow's steps will do, one line each: the job and when it runs."""
    steps = config.get("steps") if isinstance(config, dict) else None
    if not isinstance(steps, list) or not steps:
        return []
    lines = ["      steps, once applied:"]
    for number, step in enumerate(steps, start=1):
        lines.append(f"        {number}. {_step_words(step)}")
    return lines


def _step_words(step: Any) -> str:
    if not isinstance(step, dict):
        return "(not a step)"
    inner = step.get("config")
    if isinstance(inner, dict):
        named = inner.get(KEY_FIELD) or inner.get("sync_job_id")
        what = f"run {named}" if isinstance(named, str) else f"{step.get('action', 'run')}"
    else:
        what = "run the job its config expression gives"
    cron = step.get("cron_expression")
    if isinstance(cron, str):
        try:
            when = describe(cron).replace(" (UTC)", ", UTC")
        except ValueError:
            when = f"on cron {cron!r}"
        when = f"{when[:1].lower()}{when[1:]} ({cron})"
    else:
        when = "at once when the trigger fires"
    condition = ", if its run_if holds" if isinstance(step.get("run_if"), str) else ""
    return f"{what} {when}{condition}"


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


def _counted(plan: Plan) -> str:
    """``15 job(s)``, or ``15 job(s) and 2 workflow(s)`` when the plan has workflows."""
    noops = [c for c in plan.changes if c.action is Action.NOOP]
    workflows = sum(1 for c in noops if c.kind == WORKFLOW.name)
    jobs = f"{len(noops) - workflows} {SYNC_JOB.word}(s)"
    return f"{jobs} and {workflows} {WORKFLOW.word}(s)" if workflows else jobs


def summary(plan: Plan) -> str:
    if not plan.has_changes:
        return f"No changes. {_counted(plan)} in {plan.environment} match the files."
    parts = [
        f"{plan.count(Action.CREATE)} to create",
        f"{plan.count(Action.UPDATE)} to update",
        f"{plan.count(Action.DELETE)} to delete",
        f"{plan.count(Action.ADOPT)} to adopt",
        f"{plan.count(Action.MOVE)} to move",
    ]
    return f"Plan: {', '.join(parts)}; {plan.count(Action.NOOP)} unchanged."


def unmanaged_nouns(plan: Plan) -> str:
    """``jobs``, ``workflows`` or ``jobs and workflows``: the kinds among the unmanaged."""
    kinds = {ref.kind for ref in plan.unmanaged}
    words = [f"{k.word}s" for k in (SYNC_JOB, WORKFLOW) if k.name in kinds]
    return " and ".join(words)


def unmanaged_line(ref: LiveRef) -> str:
    """``zendesk: 'Tickets' (id 7)``; a workflow: ``workflow on integrated_account:active``."""
    if ref.kind == WORKFLOW.name:
        return f"{WORKFLOW.word} on {ref.label} (id {ref.id})"
    return f"{ref.integration}: {ref.label!r} (id {ref.id})"


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
        out.append(f"Unmanaged live {unmanaged_nouns(plan)} (never touched): {len(plan.unmanaged)}")
        out.extend(f"  · {unmanaged_line(u)}" for u in plan.unmanaged[:20])
        if len(plan.unmanaged) > 20:
            out.append(f"  … and {len(plan.unmanaged) - 20} more (see --format json)")
        out.append("")
    out.append(summary(plan))
    return "\n".join(out) + "\n"
