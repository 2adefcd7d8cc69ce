"""A plan as Terraform-like text: one symbol per action, field-level diffs, a summary line.

Each line carries a mark (``+`` added, ``-`` removed, ``~`` changed, ``=``/``>`` adopted or
moved, ``!`` a refusal, `` `` context): with colour on, every marked line is coloured by it,
and the markdown plan puts it in the first column for ``diff`` highlighting. An added key reads
``+ key: value``, a removed one ``- key``, a changed one ``~ key: before -> after``; values are
YAML, on one line when short (flow style), else as a block under the key.

Changes inside ``resources`` are grouped under the entry they belong to
(``~ resources[2] list-comments``); a whole entry added or removed is one ``+``/``-`` line.
A workflow that is created or changed is followed by what its steps will do, each cron
schedule in words (``syncctl.schedule.describe``; no clock is read). A risky change carries
``!! risky: why`` under its head. Validation warnings come first, then the line that says a
plan is partial (``--target``/``--exclude``), the guards' reasons last, just above the summary.
"""

from __future__ import annotations

import sys
from typing import Any, TypeAlias

import click
import yaml

from syncctl.kinds import SYNC_JOB, WORKFLOW
from syncctl.reconcile.normalise import FieldChange
from syncctl.reconcile.plan import (
    Action,
    Adopt,
    Change,
    Create,
    LiveRef,
    Move,
    Plan,
    Update,
    Verdict,
)
from syncctl.references import ID_FIELD, KEY_FIELD
from syncctl.render.findings_text import line as finding_line
from syncctl.schedule import describe

SYMBOLS = {
    Action.CREATE: ("+", "green"),
    Action.UPDATE: ("~", "yellow"),
    Action.DELETE: ("-", "red"),
    Action.ADOPT: ("=", "cyan"),
    Action.MOVE: (">", "cyan"),
    Action.NOOP: (" ", None),
}
COLORS = {"+": "green", "-": "red", "~": "yellow", "=": "cyan", ">": "cyan", "!": "red"}

WIDTH = 100

Line: TypeAlias = tuple[str, str]
"""A line of the plan and its mark (``+ - ~ = > !`` or a space): what colours it."""


class _Dumper(yaml.SafeDumper):
    """Safe YAML that writes a multi-line string as a literal block, as a file would."""


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)


def yaml_lines(data: Any) -> list[str]:
    """``data`` as YAML: one flow-style line when it fits in ``WIDTH``, else block lines."""
    flow = yaml.dump(
        data,
        Dumper=_Dumper,
        default_flow_style=True,
        sort_keys=False,
        allow_unicode=True,
        width=sys.maxsize,
    )
    flow = flow.removesuffix("...\n").rstrip("\n")
    if "\n" not in flow and len(flow) <= WIDTH:
        return [flow]
    block = yaml.dump(
        data,
        Dumper=_Dumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH,
    )
    return block.removesuffix("...\n").rstrip("\n").splitlines()


def value(data: Any, indent: str = "") -> str:
    """``data`` as YAML text, its lines after the first indented by ``indent``."""
    return ("\n" + indent).join(yaml_lines(data))


def _field(mark: str, indent: str, label: str, data: Any) -> list[Line]:
    """``+ label: value``; a long value as a block under the label, each of its lines
    repeating the mark in the same column (a YAML list item's ``-`` must not read as a
    removal)."""
    lines = yaml_lines(data)
    if len(lines) == 1:
        return [(mark, f"{indent}{mark} {label}: {lines[0]}")]
    if lines[0] in ("|", "|-", "|+", ">", ">-", ">+"):  # a literal block: its indicator stays
        first, lines = f" {lines[0]}", lines[1:]
    else:
        first = ""
    return [(mark, f"{indent}{mark} {label}:{first}"), *_block(mark, indent, lines)]


def _block(mark: str, indent: str, lines: list[str]) -> list[Line]:
    return [(mark, f"{indent}{mark}   {text}") for text in lines]


def _changed(indent: str, label: str, before: Any, after: Any) -> list[Line]:
    """``~ label: before -> after``; when either side is long, the old value's lines marked
    ``-`` and the new value's ``+`` under the label."""
    old, new = yaml_lines(before), yaml_lines(after)
    if len(old) == 1 and len(new) == 1 and len(old[0]) + len(new[0]) <= WIDTH:
        return [("~", f"{indent}~ {label}: {old[0]} -> {new[0]}")]
    return [("~", f"{indent}~ {label}:"), *_block("-", indent, old), *_block("+", indent, new)]


def styled(line: Line, color: bool) -> str:
    """The line's text, coloured by its mark when ``color`` is on."""
    mark, text = line
    fg = COLORS.get(mark)
    return click.style(text, fg=fg) if color and fg else text


def _head(change: Change) -> Line:
    symbol, _ = SYMBOLS[change.action]
    ident = f" (id {change.id})" if change.id else ""
    head = f"{symbol} {change.action} {change.key}{ident}"
    if isinstance(change, Move):
        head = f"{symbol} move {change.from_key} -> {change.key}{ident} (state only, no API call)"
    if change.note:
        head += f" — {change.note}"
    return symbol, f"  {head}"


def _protected(change: Change) -> list[Line]:
    """The ``protected`` flag a plan turns on or off (or a new entry starts with): state only."""
    if change.protected_from is not None:
        before, after = _yaml_word(change.protected_from), _yaml_word(change.protected)
        return [("~", f"      ~ protected: {before} -> {after} (state only)")]
    if isinstance(change, Create | Adopt) and change.protected:  # a new state entry
        return [("+", "      + protected: true (state only)")]
    return []


def _yaml_word(flag: bool) -> str:
    return "true" if flag else "false"


def risk_lines(change: Change) -> list[Line]:
    """``!! risky: why``, one line per risk of the change (the risky guard refuses them)."""
    return [("!", f"      !! risky: {risk.reason}") for risk in change.risks]


def marked_lines(change: Change) -> list[Line]:
    """Every line of one change, with its mark."""
    lines = [_head(change), *risk_lines(change)]
    if isinstance(change, Create):
        for name, data in change.send.items():
            if data is not None:
                lines.extend(_field("+", "      ", name, data))
    lines.extend(marked_diff(change.diff))
    lines.extend(_protected(change))
    if change.kind == WORKFLOW.name and isinstance(change, Create | Update):
        lines.extend((" ", text) for text in schedule_lines(change.send.get("config")))
    return lines


def change_lines(change: Change, *, color: bool = False) -> list[str]:
    return [styled(line, color) for line in marked_lines(change)]


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
        named = inner.get(KEY_FIELD) or inner.get(ID_FIELD)
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


def _relative(item: FieldChange) -> str:
    """The path of ``item`` below its ``resources`` entry (``""``: the entry itself), or
    below the document (``query.limit``, not ``$.query.limit``)."""
    prefix = "$." + item.element.split(" ", 1)[0] if item.element is not None else "$"
    rest = item.path.removeprefix(prefix) if item.path.startswith(prefix) else item.path
    return rest.removeprefix(".")


def marked_diff(diff: tuple[FieldChange, ...]) -> list[Line]:
    """One line per field change (more for a long value); changes inside one ``resources``
    entry under its name, a whole entry added or removed with its content."""
    lines: list[Line] = []
    group: str | None = None
    for item in diff:
        rel = _relative(item)
        if item.element is not None and not rel:  # a whole entry
            group = None
            mark, data = ("+", item.after) if item.op == "add" else ("-", item.before)
            lines.extend(_field(mark, "      ", item.element, data))
            continue
        indent = "      "
        if item.element is not None:
            if item.element != group:
                group = item.element
                lines.append(("~", f"      ~ {item.element}"))
            indent = "          "
        else:
            group = None
        if item.op == "add":
            lines.extend(_field("+", indent, rel, item.after))
        elif item.op == "remove":
            lines.append(("-", f"{indent}- {rel}"))
        else:
            lines.extend(_changed(indent, rel, item.before, item.after))
    return lines


def diff_lines(diff: tuple[FieldChange, ...], *, color: bool = False) -> list[str]:
    return [styled(line, color) for line in marked_diff(diff)]


def warning_lines(plan: Plan, *, color: bool = False) -> list[str]:
    """The files' validation warnings, above the plan (as ``syncctl validate`` prints them)."""
    if not plan.warnings:
        return []
    count = len(plan.warnings)
    lines = [f"Warnings from validation ({count}):"]
    lines.extend(f"  {finding_line(w, color=color)}" for w in plan.warnings)
    return [*lines, ""]


def guard_line(verdict: Verdict) -> Line:
    """``! mass delete: why`` for a refusal; a guard that passed but has something to say
    (it was overridden) without the mark."""
    mark = " " if verdict.ok else "!"
    return mark, f"  {mark} {verdict.name}: {verdict.reason}"


def guard_lines(plan: Plan, *, color: bool = False) -> list[str]:
    """The guards that have something to say, and whether apply will go on."""
    said = [v for v in plan.guards if v.reason is not None]
    if not said:
        return []
    lines = ["Guards:"]
    lines.extend(styled(guard_line(v), color) for v in said)
    if plan.refused:
        lines.append(styled(("!", "  apply will refuse this plan; nothing will be changed"), color))
    return [*lines, ""]


SHOWN_KEYS = 20


def partial_line(plan: Plan) -> str | None:
    """``Partial plan: 2 of 17 objects targeted: a, b`` (the first ``SHOWN_KEYS`` names; the
    JSON plan has them all), or ``None`` for a whole plan."""
    targets = plan.targets
    if targets is None:
        return None
    keys = targets.keys
    names = ", ".join(keys[:SHOWN_KEYS]) or "none"
    if len(keys) > SHOWN_KEYS:
        names += f" … and {len(keys) - SHOWN_KEYS} more (see --format json)"
    return f"Partial plan: {len(keys)} of {targets.total} objects targeted: {names}"


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
    out: list[str] = warning_lines(plan, color=color)
    partial = partial_line(plan)
    if partial is not None:
        out.extend([partial, ""])
    if plan.has_changes:
        out.append(f'syncctl will perform these actions in environment "{plan.environment}":')
        out.append("")
        for change in plan.actionable:
            out.extend(change_lines(change, color=color))
        out.append("")
    if plan.orphaned:
        out.append("Orphaned (managed, kept):")
        out.extend(f"  ! {o.key} (id {o.id}) — {o.note}" for o in plan.orphaned)
        out.append("")
    if plan.unmanaged:
        out.append(f"Unmanaged live {unmanaged_nouns(plan)} (never touched): {len(plan.unmanaged)}")
        out.extend(f"  · {unmanaged_line(u)}" for u in plan.unmanaged[:20])
        if len(plan.unmanaged) > 20:
            out.append(f"  … and {len(plan.unmanaged) - 20} more (see --format json)")
        out.append("")
    out.extend(guard_lines(plan, color=color))
    out.append(summary(plan))
    return "\n".join(out) + "\n"
