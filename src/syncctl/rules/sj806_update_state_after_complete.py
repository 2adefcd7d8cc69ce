"""SJ806: an ``update_state`` node that does not run after the ``complete`` event.

A cursor written before the run has finished (or when it failed) skips records on the next run;
Truto's pattern hangs ``update_state`` below an ``event`` node with ``config.name: complete``.
Ancestors follow ``depends_on`` and persist links; when a link on the way names no node (SJ101,
SJ802) the rule stays quiet. Placed at the node's ``depends_on``, else at its ``type``.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._nodes import Node, nodes_of
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ806",
    Severity.WARNING,
    "an update_state node that is not downstream of an event node named complete",
)


def is_complete_event(node: Node) -> bool:
    config = node.fields.get("config")
    return node.type == "event" and isinstance(config, dict) and config.get("name") == "complete"


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    graph = nodes_of(ctx.doc)
    if graph is None:
        return
    events = [n for n in graph.nodes if is_complete_event(n) and n.name is not None]
    for node in graph.nodes:
        if node.type != "update_state":
            continue
        ancestors = graph.ancestors(node)
        if ancestors is None or any(is_complete_event(a) for a in ancestors):
            continue
        hint = (
            f"set depends_on: {events[0].name} (the complete event)"
            if events
            else "add an event node (type: event, config: {name: complete}) and depend on it"
        )
        field = "depends_on" if node.has_parent_link else "type"
        yield ctx.finding(
            RULE,
            ("resources", node.index, field),
            f"update_state node {node.label!r} does not run after the complete event, "
            "so a failed run can still move the state",
            hint=hint,
        )
