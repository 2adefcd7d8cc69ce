"""SJ701: ``environments`` names an environment the configuration does not define."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from syncctl.findings import Finding, Severity
from syncctl.rules.base import EVERY_KIND, FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ701",
    Severity.ERROR,
    "environments names an environment the configuration does not define",
    EVERY_KIND,
)


@file_rule(RULE)
def check_environments(ctx: FileContext) -> Iterable[Finding]:
    data = ctx.data
    names = data.get("environments") if data is not None else None
    if not isinstance(names, list):
        return ()
    configured = ctx.config.environments
    findings = []
    for index, name in enumerate(names):
        if not isinstance(name, str) or not name or name in configured:
            continue  # wrong types and empty names are SJ010's
        known = sorted(configured)
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = (
            f"did you mean {close[0]!r}?"
            if close
            else f"define [tool.syncctl.environments.{name}] or remove it"
        )
        findings.append(
            ctx.finding(
                RULE,
                ("environments", index),
                f"environment {name!r} is not configured (configured: {', '.join(known)})",
                hint=hint,
            )
        )
    return findings
