"""SJ805: a runtime 4 job with state nodes but no ``state_key``.

``get_state``/``update_state``/``delete_state`` read and write under the job's ``state_key``
(usually the account), so without one every run of the job shares one state. One finding per
file, at the ``type`` of the first state node.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._nodes import nodes_of
from syncctl.rules._runtime import STATE_TYPES
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ805",
    Severity.WARNING,
    "state nodes (get_state/update_state/delete_state) but no state_key",
)


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    graph, data = nodes_of(ctx.doc), ctx.data
    if graph is None or data is None or data.get("state_key") not in (None, ""):
        return
    first = next((n for n in graph.nodes if n.type in STATE_TYPES), None)
    if first is None:
        return
    yield ctx.finding(
        RULE,
        ("resources", first.index, "type"),
        f"{first.type} node {first.label!r} keeps state, but the job sets no state_key",
        hint='set state_key: "{{args.integrated_account_id}}" so each account keeps its own state',
    )
