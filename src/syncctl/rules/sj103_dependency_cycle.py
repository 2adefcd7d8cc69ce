"""SJ103: a dependency cycle (a self-dependency included).

Each cycle is reported once, at the ``depends_on`` of its first entry in file order; the message
follows ``depends_on`` from there: ``a -> b -> a``.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._resources import graph_of
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo("SJ103", Severity.ERROR, "dependency cycle (self-dependency included)")


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    graph = graph_of(ctx.doc)
    if graph is None:
        return
    for cycle in graph.cycles():
        names = [str(entry.resource) for entry in cycle]
        shown = " -> ".join([*names, names[0]])
        what = "depends on itself" if len(cycle) == 1 else "is part of a dependency cycle"
        yield ctx.finding(
            RULE,
            ("resources", cycle[0].index, "depends_on"),
            f"resource {names[0]!r} {what}: {shown}",
            hint="a parent must not depend on its own children; remove one depends_on",
        )
