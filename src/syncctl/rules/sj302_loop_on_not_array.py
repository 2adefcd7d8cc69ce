"""SJ302: ``loop_on`` names an argument that is not declared ``type: array``."""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._args import declared_args, is_array_schema, loop_on_arg
from syncctl.rules._resources import graph_of
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ302", Severity.ERROR, "loop_on names an argument that is not declared as an array"
)


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    graph = graph_of(ctx.doc)
    declared = declared_args(ctx.doc)
    if graph is None or declared is None:
        return
    for entry in graph.entries:
        value = entry.fields.get("loop_on")
        loop = loop_on_arg(value) if isinstance(value, str) else None
        if loop is None or loop.rest or loop.name not in declared:
            continue
        prop = declared.properties[loop.name]
        if is_array_schema(prop):
            continue
        kind = prop.get("type") if isinstance(prop, dict) else None
        said = f"declared as type {kind!r}" if kind is not None else "declared without a type"
        yield ctx.finding(
            RULE,
            ("resources", entry.index, "loop_on"),
            f"loop_on names argument {loop.name!r}, {said}: loop_on needs an array",
            hint=f"declare {loop.name} with type: array in args_schema",
        )
