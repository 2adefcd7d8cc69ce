"""SJ204: ``{{resources.a.b...}}`` where ``a/b`` is not this entry's ``depends_on`` ancestor.

Runtime 1-3: ``resources.ticketing.tickets.id`` reads the parent record of resource
``ticketing/tickets``; ``resources.contacts.id`` that of the proxy resource ``contacts``. The
longest prefix (two segments, then one) that names an ancestor wins.

Runtime 4: ``resources.<node-name>`` or ``resources.<model>.<resource>`` of a node upstream of
this one, or a request's own path inside its ``recurse`` (see ``_scope``).

Not checked when the chain has a broken link (SJ101/SJ102/SJ802 report it).
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._nodes import NodeGraph, nodes_of
from syncctl.rules._resources import Entry, Graph, graph_of
from syncctl.rules._scope import Query, Scope, Target, target_of
from syncctl.rules._sites import Site, sites_of
from syncctl.rules._suggest import listing
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ204", Severity.ERROR, "{{resources.a.b…}} where a/b is not a depends_on ancestor"
)


def _reads_ancestor(query: tuple[str, ...], ancestors: frozenset[str]) -> bool:
    if len(query) >= 3 and f"{query[1]}/{query[2]}" in ancestors:
        return True
    if query[1] in ancestors:
        return True
    # ``{{resources.ticketing}}`` reads the whole model object holding an ancestor
    return len(query) == 2 and any(a.startswith(f"{query[1]}/") for a in ancestors)


def _named(query: tuple[str, ...], graph: Graph) -> str:
    two = f"{query[1]}/{query[2]}" if len(query) >= 3 else None
    if two is not None and two in graph.by_resource:
        return two
    if query[1] in graph.by_resource or two is None:
        return query[1]
    return two


def _hint(name: str, entry: Entry, graph: Graph, ancestors: frozenset[str]) -> str:
    if name not in graph.by_resource:
        chain = listing(sorted(ancestors))
        return f"no resource {name!r} in this job; depends_on ancestors: {chain}"
    if entry.depends_on is None:
        return f"add depends_on: {name} to this entry"
    return (
        f"only the depends_on chain is readable here: {listing(sorted(ancestors))}; "
        f"point depends_on at {name!r} or one of its children"
    )


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    graph = graph_of(ctx.doc)
    if graph is None:
        nodes = nodes_of(ctx.doc)
        if nodes is not None:
            yield from _check_nodes(ctx, nodes)
        return
    chains: dict[int, frozenset[str] | None] = {}
    seen: set[tuple[object, str]] = set()
    for site, holder, query in sites_of(ctx.doc).reads("resources"):
        index = site.entry
        if index is None or len(query) < 2:
            continue
        entry = graph.by_index[index]
        if index not in chains:
            chains[index] = graph.ancestors(entry)
        ancestors = chains[index]
        if ancestors is None or _reads_ancestor(query, ancestors):
            continue
        name = _named(query, graph)
        if (site.path, name) in seen:
            continue
        seen.add((site.path, name))
        yield ctx.finding(
            RULE,
            site.path,
            f"{holder.raw} reads resource {name!r}, which is not a depends_on "
            f"ancestor of this entry",
            hint=_hint(name, entry, graph, ancestors),
        )


def _in_recurse(site: Site) -> bool:
    return len(site.path) > 2 and site.path[2] == "recurse"


def _hint_v4(scope: Scope, target: Target, read: Query, in_recurse: bool) -> str:
    node = scope.node
    if not target.nodes:
        return scope.suggestion(read) or (
            f"no node named {read[0]!r} and no request with that resource path in this job"
        )
    producer = target.nodes[0]
    if producer.index == node.index:
        if node.type != "request":
            return f"a node does not read its own output; read a node upstream of {node.label!r}"
        own = ".".join(node.output_path() or ())
        if in_recurse and own:
            return f"inside recurse a request reads its own records as resources.{own}"
        return "a request reads its own records only inside recurse (recurse.if, recurse.config)"
    if node.type == "destination":
        return f"add {producer.label} to resources_to_persist"
    if node.depends_on is None:
        return f"add depends_on: {producer.label} to node {node.label!r}"
    return f"point depends_on at {producer.label!r} or at a node downstream of it"


def _check_nodes(ctx: FileContext, graph: NodeGraph) -> Iterator[Finding]:
    scopes: dict[int, Scope | None] = {}
    seen: set[tuple[object, str]] = set()
    for site, holder, query in sites_of(ctx.doc).reads("resources"):
        index = site.entry
        if index is None or len(query) < 2 or index not in graph.by_index:
            continue
        if index not in scopes:
            node = graph.by_index[index]
            upstream = graph.ancestors(node)
            scopes[index] = None if upstream is None else Scope(node, upstream)
        scope = scopes[index]
        read, in_recurse = query[1:], _in_recurse(site)
        if scope is None or scope.allows(read, in_recurse=in_recurse):
            continue
        target = target_of(graph, read)
        if (site.path, target.what) in seen:
            continue
        seen.add((site.path, target.what))
        yield ctx.finding(
            RULE,
            site.path,
            f"{holder.raw} reads {target.what}, which is not upstream of node "
            f"{scope.node.label!r} (upstream: {scope.listing()})",
            hint=_hint_v4(scope, target, read, in_recurse),
        )
