"""SJ104: the same resource + method listed twice (reported at each repeat)."""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._resources import graph_of
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo("SJ104", Severity.WARNING, "the same resource + method listed twice")


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    graph = graph_of(ctx.doc)
    if graph is None:
        return
    first: dict[tuple[str, str], int] = {}
    for entry in graph.entries:
        resource, method = entry.resource, entry.method
        if resource is None or method is None:
            continue
        earlier = first.setdefault((resource, method), entry.index)
        if earlier == entry.index:
            continue
        yield ctx.finding(
            RULE,
            ("resources", entry.index, "resource"),
            f"resource {resource!r} with method {method!r} is listed again "
            f"(first at resources[{earlier}])",
            hint="both entries write to the same resources context; merge them into one",
        )
