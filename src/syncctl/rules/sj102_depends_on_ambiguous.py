"""SJ102: ``depends_on`` is ambiguous: several entries share that ``resource`` value."""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._resources import graph_of
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ102", Severity.ERROR, "depends_on is ambiguous (several entries share that resource)"
)


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    graph = graph_of(ctx.doc)
    if graph is None:
        return
    for entry in graph.entries:
        target = entry.depends_on
        matches = graph.by_resource.get(target, ()) if target is not None else ()
        if len(matches) < 2:
            continue
        where = ", ".join(f"resources[{i}]" for i in matches)
        yield ctx.finding(
            RULE,
            ("resources", entry.index, "depends_on"),
            f"depends_on {target!r} is ambiguous: {where} all have resource {target!r}",
            hint="keep one entry per resource value, or merge the duplicates",
        )
