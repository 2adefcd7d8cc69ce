"""SJ804: a runtime 4 ``request`` node without ``integrated_account_id``.

Runtime 4 requests name the account they call; without one the run has no account to call
with. The finding sits at the node (its first key), where the missing field belongs; SJ010 stays
quiet about the missing key. A misspelt key (``integrated_acount_id``) is SJ010's to report
("did you mean …?"), so this rule stays quiet then. The hint templates it from args, as Truto's
examples do.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._args import declared_args
from syncctl.rules._nodes import node_keys, nodes_of
from syncctl.rules._suggest import misspelling_of
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo("SJ804", Severity.ERROR, "a request node without integrated_account_id")

ARG = "integrated_account_id"
FIELD = f'integrated_account_id: "{{{{args.{ARG}}}}}"'
DECLARATION = f"{ARG}: {{type: string, format: integrated_account_id, required: true}}"


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    graph = nodes_of(ctx.doc)
    if graph is None:
        return
    declared = declared_args(ctx.doc)
    hint = f"add {FIELD}"
    if declared is None or ARG not in declared:
        hint += f" and declare it in args_schema: {DECLARATION}"
    for node in graph.nodes:
        if node.type != "request" or ARG in node.fields:
            continue
        if misspelling_of(ARG, node.fields, node_keys("request")) is None:  # else SJ010's
            yield ctx.finding(
                RULE,
                ("resources", node.index),
                f"request node {node.label!r} has no integrated_account_id",
                hint=hint,
            )
