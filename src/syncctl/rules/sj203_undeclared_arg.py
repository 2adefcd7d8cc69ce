"""SJ203: ``{{args.X}}`` where X is not declared in ``args_schema``.

Every alternative of a fallback chain counts. Not checked when ``args_schema`` has a shape no
dialect explains (SJ010/SJ401 report that) or allows any argument (``additionalProperties``).
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._args import declared_args
from syncctl.rules._sites import sites_of
from syncctl.rules._suggest import did_you_mean
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo("SJ203", Severity.ERROR, "{{args.X}} where X is not declared in args_schema")


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    declared = declared_args(ctx.doc)
    if declared is None or declared.open:
        return
    seen: set[tuple[object, str]] = set()
    for site, holder, query in sites_of(ctx.doc).reads("args"):
        if len(query) < 2 or query[1] in declared:
            continue
        name = query[1]
        if (site.path, name) in seen:
            continue
        seen.add((site.path, name))
        hint = did_you_mean(name, declared.properties) or (
            f"declare it in args_schema.properties: {name}: {{type: string}}"
        )
        yield ctx.finding(
            RULE,
            site.path,
            f"argument {name!r} used in {holder.raw} is not declared in args_schema",
            hint=hint,
        )
