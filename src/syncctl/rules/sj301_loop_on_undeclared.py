"""SJ301: ``loop_on`` names an argument that ``args_schema`` does not declare.

Runtime 1-3: the three spellings seen in Truto's material are accepted, ``user_ids``,
``args.user_ids`` and ``"{{args.user_ids}}"``. Runtime 4: ``loop_on`` is a context path; only a
path ``args.X...`` names an argument (``resources.ticketing.tickets`` and ``payload.records`` are
other context and are not checked here).
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._args import declared_args, loop_sites
from syncctl.rules._suggest import did_you_mean, listing
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo("SJ301", Severity.ERROR, "loop_on names an undeclared argument")


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    declared = declared_args(ctx.doc)
    if declared is None:
        return
    for site in loop_sites(ctx.doc):
        loop = site.loop
        if loop is None:
            yield ctx.finding(
                RULE,
                site.path,
                f"loop_on {site.value!r} does not name an argument",
                hint="name an array argument: loop_on: args.user_ids",
            )
        elif loop.name not in declared and not declared.open:
            hint = did_you_mean(loop.name, declared.properties) or (
                f"declared arguments: {listing(declared.properties)}; declare "
                f"{loop.name}: {{type: array, required: true}} in args_schema"
            )
            yield ctx.finding(
                RULE,
                site.path,
                f"loop_on names argument {loop.name!r}, which args_schema does not declare",
                hint=hint,
            )
