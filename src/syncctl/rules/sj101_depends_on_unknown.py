"""SJ101: ``depends_on`` names no resource (runtime 1-3) or no node (runtime 4) of this job.

Runtime 1-3 entries name their parent by its ``resource``; runtime 4 nodes by the parent's
``name``. A name that several nodes share is SJ801's to report, not this rule's.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._nodes import nodes_of
from syncctl.rules._resources import graph_of
from syncctl.rules._suggest import did_you_mean, listing
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo("SJ101", Severity.ERROR, "depends_on names no resource of this job")


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    yield from _flat(ctx)
    yield from _nodes(ctx)


def _flat(ctx: FileContext) -> Iterator[Finding]:
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


def _nodes(ctx: FileContext) -> Iterator[Finding]:
    graph = nodes_of(ctx.doc)
    if graph is None:
        return
    for node in graph.nodes:
        target = node.depends_on
        if target is None or target in graph.by_name:
            continue
        others = [n for n in graph.by_name if n != node.name]
        hint = did_you_mean(target, others) or f"nodes of this job: {listing(others)}"
        yield ctx.finding(
            RULE,
            ("resources", node.index, "depends_on"),
            f"depends_on {target!r} names no node of this job",
            hint=hint,
        )
