"""SJ807: a destination ``config.id`` that is a literal id, not templated from args.

A literal webhook or datastore id sends every environment's (and every account's) records to
the same place; Truto's examples take it from an argument (``"{{args.webhook_id}}"``). Any
placeholder counts as templated.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.placeholders import has_placeholder
from syncctl.rules._nodes import nodes_of
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ807",
    Severity.WARNING,
    "a destination config.id that is a literal id, not templated from args",
)

_ARG_OF = {"webhook": "webhook_id", "datastore": "datastore_id"}


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    graph = nodes_of(ctx.doc)
    if graph is None:
        return
    for node in graph.nodes:
        config = node.fields.get("config")
        if node.type != "destination" or not isinstance(config, dict):
            continue
        value = config.get("id")
        literal = (isinstance(value, str) and value and not has_placeholder(value)) or (
            isinstance(value, int) and not isinstance(value, bool)
        )
        if not literal:
            continue
        arg = _ARG_OF.get(str(node.fields.get("destination_type")), "destination_id")
        yield ctx.finding(
            RULE,
            ("resources", node.index, "config", "id"),
            f"destination {node.label!r} has a literal config.id {value!r}; "
            "every environment and account then writes to it",
            hint=f'template it from args, e.g. id: "{{{{args.{arg}}}}}", and declare {arg}',
        )
