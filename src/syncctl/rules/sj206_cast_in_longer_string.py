"""SJ206: a type cast inside a longer string has no effect (the result is text anyway).

``:null`` is worse there: an embedded ``{{args.x:null}}`` always becomes the text ``null``.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._sites import sites_of
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo("SJ206", Severity.WARNING, "a type cast inside a longer string has no effect")
_TYPE_CASTS = ("int", "num", "bool", "json", "any", "null")


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    for site in sites_of(ctx.doc).sites:
        seen: set[str] = set()
        for holder in site.parsed.placeholders:
            if holder.whole:
                continue
            for cast in holder.casts:
                if cast not in _TYPE_CASTS or cast in seen:
                    continue
                seen.add(cast)
                if cast == "null":
                    message = (
                        f"cast ':null' in {holder.raw} inside a longer string turns "
                        "every value into the text 'null'"
                    )
                else:
                    message = (
                        f"cast ':{cast}' in {holder.raw} has no effect inside a longer "
                        "string (the result is text)"
                    )
                yield ctx.finding(
                    RULE,
                    site.path,
                    message,
                    hint="make the placeholder the whole value, or drop the cast",
                )
