"""SJ202: an unknown placeholder type cast (the runtime throws ``Unsupported type``)."""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.placeholders import CASTS, Placeholder
from syncctl.rules._sites import sites_of
from syncctl.rules._suggest import did_you_mean
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ202",
    Severity.ERROR,
    "unknown placeholder type cast (allowed: str int num bool json any null undefined "
    "ignore-empty-str)",
)
_ALLOWED = ", ".join(sorted(CASTS))


def _unknown(holder: Placeholder) -> Iterator[tuple[str, str]]:
    for alt in holder.alternatives:
        for cast in alt.casts:
            if cast not in CASTS:
                yield cast, did_you_mean(cast, CASTS) or f"allowed casts: {_ALLOWED}"
    for cast in holder.default_casts[:1]:  # the runtime reads only the first
        if cast in CASTS:
            continue
        if cast.strip() in CASTS:
            hint = "remove the space: the runtime does not trim the cast of a default"
        else:
            hint = (
                "in a default, ':' followed by a letter, digit or space starts a cast "
                f"(a time or a port in a default breaks it); allowed casts: {_ALLOWED}"
            )
        yield cast, hint


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    for site in sites_of(ctx.doc).sites:
        seen: set[str] = set()
        for holder in site.parsed.placeholders:
            for cast, hint in _unknown(holder):
                if cast in seen:
                    continue
                seen.add(cast)
                yield ctx.finding(
                    RULE, site.path, f"unknown cast {cast!r} in {holder.raw}", hint=hint
                )
