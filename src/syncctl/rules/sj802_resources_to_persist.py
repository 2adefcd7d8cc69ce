"""SJ802: a destination's ``resources_to_persist`` is missing, empty, or names no node.

``resources_to_persist`` is a destination's edge list: the nodes whose records it writes. A
destination without one writes nothing (reported once, at the key when present, else at the
node's ``type``); each name that no node carries is reported at that list element, with a
did-you-mean over the node names. A name several nodes share is SJ801's to report.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._nodes import Node, NodeGraph, node_keys, nodes_of
from syncctl.rules._suggest import did_you_mean, listing, misspelling_of
from syncctl.rules.base import FileContext, RuleInfo, file_rule

PERSIST = "resources_to_persist"
RULE = RuleInfo(
    "SJ802",
    Severity.ERROR,
    "a destination's resources_to_persist is empty or names no node of this job",
)


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    graph = nodes_of(ctx.doc)
    if graph is None:
        return
    for node in graph.nodes:
        if node.type != "destination":
            continue
        persisted = node.fields.get("resources_to_persist")
        if persisted == [] or (
            persisted is None
            and misspelling_of(PERSIST, node.fields, node_keys("destination")) is None
        ):  # a misspelt key is SJ010's ("did you mean …?")
            yield _missing(ctx, graph, node, empty=persisted == [])
        elif isinstance(persisted, list):
            yield from _unknown(ctx, graph, node, persisted)


def _missing(ctx: FileContext, graph: NodeGraph, node: Node, *, empty: bool) -> Finding:
    sources = [n.name for n in graph.nodes if n.type == "request" and n.name is not None]
    example = f"[{', '.join(sources[:2])}]" if sources else "[<node name>]"
    what = "an empty" if empty else "no"
    present = "resources_to_persist" in node.fields
    return ctx.finding(
        RULE,
        ("resources", node.index, "resources_to_persist" if present else "type"),
        f"destination {node.label!r} has {what} resources_to_persist, so it writes nothing",
        key=present,
        hint=f"list the nodes whose records it writes: resources_to_persist: {example}",
    )


def _unknown(
    ctx: FileContext, graph: NodeGraph, node: Node, persisted: list[object]
) -> Iterator[Finding]:
    others = [n for n in graph.by_name if n != node.name]
    for position, name in enumerate(persisted):
        if not isinstance(name, str) or name in graph.by_name:
            continue
        yield ctx.finding(
            RULE,
            ("resources", node.index, "resources_to_persist", position),
            f"resources_to_persist names {name!r}, no node of this job",
            hint=did_you_mean(name, others) or f"nodes of this job: {listing(others)}",
        )
