"""SJ801: two runtime 4 nodes share a ``name``.

Names are how nodes refer to each other (``depends_on``, ``resources_to_persist``) and how their
output is read (``resources.<name>``), so each must be unique. Every later node that reuses a
name gets a finding at its ``name``, pointing at the line of the first.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._nodes import nodes_of
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo("SJ801", Severity.ERROR, "two nodes share a name")


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    graph = nodes_of(ctx.doc)
    if graph is None:
        return
    for name, indices in graph.by_name.items():
        if len(indices) < 2:
            continue
        first, *later = indices
        line, _ = ctx.doc.locate(("resources", first, "name"))
        for index in later:
            yield ctx.finding(
                RULE,
                ("resources", index, "name"),
                f"node name {name!r} is already used by resources[{first}] (line {line})",
                hint="give each node a unique name; depends_on and resources_to_persist "
                "refer to nodes by name",
            )
