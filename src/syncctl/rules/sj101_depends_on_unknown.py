"""SJ101: ``depends_on`` names no resource of this job."""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._resources import graph_of
from syncctl.rules._suggest import did_you_mean, listing
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo("SJ101", Severity.ERROR, "depends_on names no resource of this job")


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    graph = graph_of(ctx.doc)
    if graph is None:
        return
    for entry in graph.entries:
        target = entry.depends_on
        if target is None or target in graph.by_resource:
            continue
        others = [r for r in graph.by_resource if r != entry.resource]
        hint = did_you_mean(target, others) or f"resources of this job: {listing(others)}"
        yield ctx.finding(
            RULE,
            ("resources", entry.index, "depends_on"),
            f"depends_on {target!r} names no resource of this job",
            hint=hint,
        )
