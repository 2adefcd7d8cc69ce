"""SJ103: a dependency cycle (a self-dependency included).

Each cycle is reported once, at the link of its first entry (file order) that leads into the
cycle; the message follows the links from there: ``a -> b -> a``. Runtime 1-3 links are
``depends_on``; runtime 4 links are ``depends_on`` and a destination's ``resources_to_persist``
(a destination persisting a node downstream of itself closes a cycle too).
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, JsonPath, Severity
from syncctl.rules._nodes import Node, nodes_of
from syncctl.rules._resources import graph_of
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo("SJ103", Severity.ERROR, "dependency cycle (self-dependency included)")


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    yield from _flat(ctx)
    yield from _nodes(ctx)


def _flat(ctx: FileContext) -> Iterator[Finding]:
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


def _nodes(ctx: FileContext) -> Iterator[Finding]:
    graph = nodes_of(ctx.doc)
    if graph is None:
        return
    for cycle in graph.cycles():
        first = cycle[0]
        names = [node.label for node in cycle]
        shown = " -> ".join([*names, names[0]])
        what = "depends on itself" if len(cycle) == 1 else "is part of a dependency cycle"
        link = _link(first, cycle[1] if len(cycle) > 1 else first)
        yield ctx.finding(
            RULE,
            link,
            f"node {names[0]!r} {what}: {shown}",
            hint="a node must not depend on its own descendants; remove one of the links",
        )


def _link(node: Node, parent: Node) -> JsonPath:
    """Where ``node`` names ``parent``: its ``depends_on``, else that persist entry."""
    if node.depends_on == parent.name:
        return ("resources", node.index, "depends_on")
    persisted = list(node.fields.get("resources_to_persist") or ())
    return ("resources", node.index, "resources_to_persist", persisted.index(parent.name))
