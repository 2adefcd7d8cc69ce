"""SJ809: the entries have the other runtime's shape.

Named, typed nodes in a runtime 1-3 job (or one without ``default_runtime_version``, which the API
makes runtime 3), or flat ``resource`` entries in a runtime 4 job. One finding per file, at the
first entry of the wrong shape, naming the runtime to set; SJ010 and the graph rules stay quiet
about the entries of such a file (``shape_mismatch`` is their shared predicate).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from syncctl.findings import Finding, Severity
from syncctl.rules._runtime import shape_mismatch
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ809", Severity.ERROR, "nodes of the other runtime's shape (names the runtime to set)"
)


def _node_marks(entry: dict[str, Any]) -> str:
    """What makes ``entry`` a runtime 4 node: ``name and type``, ``name`` or ``type: request``."""
    if "name" in entry and "type" in entry:
        return "name and type"
    if "name" in entry:
        return "name"
    return f"type: {entry.get('type')}"  # a node without a name has a node type


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    data = ctx.data
    mismatch = shape_mismatch(ctx.doc)
    if data is None or mismatch is None:
        return
    where = f"resources[{mismatch.index}]"
    if mismatch.found == 4:
        entry = data["resources"][mismatch.index]
        declared = (
            "declares no default_runtime_version (so the API makes it runtime 3)"
            if "default_runtime_version" not in data
            else f"is runtime {mismatch.expected}"
        )
        yield ctx.finding(
            RULE,
            ("resources", mismatch.index),
            f"{where} is a runtime 4 node (it has {_node_marks(entry)}) but this job "
            f"{declared}; set default_runtime_version: 4",
            hint="in runtime 4 every entry is a node with a name and a type",
        )
        return
    yield ctx.finding(
        RULE,
        ("resources", mismatch.index),
        f"{where} is a runtime 1-3 entry (resource without name and type) but this job is "
        "runtime 4; give each entry a name and type: request, or set default_runtime_version: 3",
        hint="a runtime 4 request: {name: list-tickets, type: request, resource: "
        'ticketing/tickets, method: list, integrated_account_id: "{{args.integrated_account_id}}"}',
    )
