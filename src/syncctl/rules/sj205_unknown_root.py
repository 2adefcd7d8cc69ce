"""SJ205: an unknown placeholder root (runtime 1-3 know args, resources, previous_run_date)."""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._runtime import is_runtime_v4
from syncctl.rules._sites import sites_of
from syncctl.rules._suggest import did_you_mean
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ205",
    Severity.WARNING,
    "unknown placeholder root (known: args, resources, previous_run_date)",
)
KNOWN_ROOTS = ("args", "resources", "previous_run_date")


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    data = ctx.data
    if data is None or is_runtime_v4(data):  # runtime 4 has many more roots
        return
    seen: set[tuple[object, str]] = set()
    for site, holder, query in sites_of(ctx.doc).reads("other"):
        root = query[0]
        if root in KNOWN_ROOTS or (site.path, root) in seen:
            continue
        seen.add((site.path, root))
        yield ctx.finding(
            RULE,
            site.path,
            f"unknown placeholder root {root!r} in {holder.raw} "
            f"(known: {', '.join(KNOWN_ROOTS)}); it is left unsubstituted",
            hint=did_you_mean(root, KNOWN_ROOTS),
        )
