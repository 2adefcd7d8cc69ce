"""SJ302: ``loop_on`` names an argument that is not declared ``type: array``.

Both runtimes: the argument a ``loop_on`` names is found as SJ301 finds it (runtime 4: only a
path ``args.X``). A deeper path (``args.filters.ids``) is not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._args import declared_args, is_array_schema, loop_sites
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ302", Severity.ERROR, "loop_on names an argument that is not declared as an array"
)


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    declared = declared_args(ctx.doc)
    if declared is None:
        return
    for site in loop_sites(ctx.doc):
        loop = site.loop
        if loop is None or loop.rest or loop.name not in declared:
            continue
        prop = declared.properties[loop.name]
        if is_array_schema(prop):
            continue
        kind = prop.get("type") if isinstance(prop, dict) else None
        said = f"declared as type {kind!r}" if kind is not None else "declared without a type"
        yield ctx.finding(
            RULE,
            site.path,
            f"loop_on names argument {loop.name!r}, {said}: loop_on needs an array",
            hint=f"declare {loop.name} with type: array in args_schema",
        )
