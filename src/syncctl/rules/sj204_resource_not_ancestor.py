"""SJ204: ``{{resources.a.b...}}`` where ``a/b`` is not this entry's ``depends_on`` ancestor.

``resources.ticketing.tickets.id`` reads the parent record of resource ``ticketing/tickets``;
``resources.contacts.id`` that of the proxy resource ``contacts``. The longest prefix (two
segments, then one) that names an ancestor wins. Not checked when the chain has a broken link
(SJ101/SJ102 report it) or in runtime 4 jobs.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._resources import Entry, Graph, graph_of
from syncctl.rules._sites import sites_of
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
