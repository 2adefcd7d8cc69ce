"""SJ702: ``default_runtime_version`` is missing.

The API does not refuse such a job: it quietly stamps a legacy runtime (3 today) on it, so a file
written for runtime 4 silently becomes a runtime 3 job. The finding is about the whole file and
sits at 1:1; it is reported for every runtime, beside SJ809 when the entries are runtime 4 nodes.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._runtime import looks_like_node
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ702",
    Severity.WARNING,
    "default_runtime_version missing (the API creates a legacy runtime-3 job)",
)

MESSAGE = "default_runtime_version is missing; the API then creates a legacy runtime 3 job"


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    data = ctx.data
    if ctx.job.path.suffix != ".yaml" or data is None or "default_runtime_version" in data:
        return
    resources = data.get("resources")
    entries = resources if isinstance(resources, list) else []
    nodes = any(isinstance(e, dict) and looks_like_node(e) for e in entries)
    hint = (
        "add default_runtime_version: 4 (the entries are runtime 4 nodes)"
        if nodes
        else "add default_runtime_version: 3 to keep the flat resource list, "
        "or 4 for a job of named nodes"
    )
    yield Finding(ctx.job.rel, 1, 1, RULE.id, RULE.severity, MESSAGE, "$", hint)
