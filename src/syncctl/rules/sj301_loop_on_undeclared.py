"""SJ301: ``loop_on`` names an argument that ``args_schema`` does not declare.

The three spellings seen in Truto's material are accepted: ``user_ids``, ``args.user_ids`` and
``"{{args.user_ids}}"``. Runtime 4 ``loop_on`` is a context path and is not checked here.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._args import declared_args, loop_on_arg
from syncctl.rules._resources import graph_of
from syncctl.rules._suggest import did_you_mean, listing
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo("SJ301", Severity.ERROR, "loop_on names an undeclared argument")


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    graph = graph_of(ctx.doc)
    declared = declared_args(ctx.doc)
    if graph is None or declared is None:
        return
    for entry in graph.entries:
        value = entry.fields.get("loop_on")
        if not isinstance(value, str):
            continue
        path = ("resources", entry.index, "loop_on")
        loop = loop_on_arg(value)
        if loop is None:
            yield ctx.finding(
                RULE,
                path,
                f"loop_on {value!r} does not name an argument",
                hint="name an array argument: loop_on: args.user_ids",
            )
        elif loop.name not in declared and not declared.open:
            hint = did_you_mean(loop.name, declared.properties) or (
                f"declared arguments: {listing(declared.properties)}; declare "
                f"{loop.name}: {{type: array, required: true}} in args_schema"
            )
            yield ctx.finding(
                RULE,
                path,
                f"loop_on names argument {loop.name!r}, which args_schema does not declare",
                hint=hint,
            )
