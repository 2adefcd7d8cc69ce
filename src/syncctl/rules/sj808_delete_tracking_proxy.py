"""SJ808: ``delete_tracking`` on a request for a proxy or custom resource.

Delete tracking works on Unified API resources (``<model>/<resource>``) only; a single-segment
``resource`` goes through the Proxy API, where Truto cannot tell a deleted record from a missing
page. Placed at the ``delete_tracking`` key.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._nodes import nodes_of
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ808",
    Severity.ERROR,
    "delete_tracking on a proxy/custom resource (a single-segment resource)",
)


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    graph = nodes_of(ctx.doc)
    if graph is None:
        return
    for node in graph.nodes:
        resource = node.resource
        if (
            node.type != "request"
            or node.fields.get("delete_tracking") is None
            or resource is None
            or "/" in resource
        ):
            continue
        yield ctx.finding(
            RULE,
            ("resources", node.index, "delete_tracking"),
            f"delete_tracking needs a unified resource (<model>/<resource>); "
            f"{resource!r} is a proxy or custom resource",
            key=True,
            hint="use the unified resource (e.g. crm/contacts) or remove delete_tracking",
        )
