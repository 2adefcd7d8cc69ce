"""SJ101: ``depends_on`` names no resource (runtime 1-3) or no node (runtime 4) of this job.

Runtime 1-3 entries name their parent by its ``resource``; runtime 4 nodes by the parent's
``name``. A name that several nodes share is SJ801's to report, not this rule's.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._nodes import nodes_of
from syncctl.rules._resources import graph_of
from syncctl.rules._suggest import did_you_mean, listing
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo("SJ101", Severity.ERROR, "depends_on names no resource of this job")


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    flat = graph_of(ctx.doc)
    if flat is not None:
        links = ((e.index, e.resource, e.depends_on) for e in flat.entries)
        yield from _unknown(ctx, links, flat.by_resource, "resource")
    nodes = nodes_of(ctx.doc)
    if nodes is not None:
        links = ((n.index, n.name, n.depends_on) for n in nodes.nodes)
        yield from _unknown(ctx, links, nodes.by_name, "node")


def _unknown(
    ctx: FileContext,
    links: Iterable[tuple[int, str | None, str | None]],
    names: Collection[str],
    noun: str,
) -> Iterator[Finding]:
    """``links`` are (index, own name, depends_on target); ``names`` those a target may name."""
    for index, own, target in links:
        if target is None or target in names:
            continue
        others = [n for n in names if n != own]
        hint = did_you_mean(target, others) or f"{noun}s of this job: {listing(others)}"
        yield ctx.finding(
            RULE,
            ("resources", index, "depends_on"),
            f"depends_on {target!r} names no {noun} of this job",
            hint=hint,
        )
