"""SJ201: a malformed placeholder, which the runtime never substitutes.

Bad characters inside ``{{...}}``, unbalanced braces (``"{{args.x}"``, ``"{{args.x"``,
``"args.x}}"``), an empty placeholder or path. Placed at the string's value.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._sites import sites_of
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ201",
    Severity.ERROR,
    "malformed placeholder (never substituted: bad characters, unbalanced braces)",
)
_SHOWN = 60
_HINT = 'write placeholders as "{{args.name}}" or "{{resources.model.resource.field}}"'


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    for site in sites_of(ctx.doc).sites:
        for problem in site.parsed.problems:
            raw = problem.raw if len(problem.raw) <= _SHOWN else problem.raw[:_SHOWN] + "…"
            yield ctx.finding(
                RULE, site.path, f"malformed placeholder {raw!r}: {problem.reason}", hint=_HINT
            )
