"""SJ501: ``method: get`` without an ``id``; a method name the runtime may not know."""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._resources import graph_of
from syncctl.rules._suggest import did_you_mean
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo("SJ501", Severity.WARNING, "method: get without id; unknown method name")
KNOWN_METHODS = ("list", "get", "create", "update", "delete")


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    graph = graph_of(ctx.doc)
    if graph is None:
        return
    for entry in graph.entries:
        method = entry.method
        if method is None or not method:
            continue
        path = ("resources", entry.index, "method")
        if method not in KNOWN_METHODS:
            hint = did_you_mean(method, KNOWN_METHODS) or (
                "integration-specific methods exist; check the integration supports it"
            )
            yield ctx.finding(
                RULE,
                path,
                f"unknown method {method!r} (known: {', '.join(KNOWN_METHODS)})",
                hint=hint,
            )
            continue
        record_id = entry.fields.get("id")
        if method == "get" and (
            record_id is None
            or record_id == ""
            or (isinstance(record_id, str) and not record_id.strip())
        ):
            yield ctx.finding(
                RULE,
                path,
                "method 'get' fetches one record but this entry has no id",
                hint='add id: "{{args.record_id}}", or use method: list',
            )
