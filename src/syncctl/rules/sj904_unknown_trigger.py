"""SJ904: ``trigger_name`` is not one of the configured ``known_triggers``.

Truto answers 404 for a trigger that does not exist (reference §1.6), and which triggers exist
beyond ``integrated_account:active`` is not documented, so the list is configuration
(``known_triggers``) and an unknown name is a warning, with a did-you-mean.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._suggest import did_you_mean, listing
from syncctl.rules.base import WORKFLOWS, FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ904",
    Severity.WARNING,
    "trigger_name is not a known trigger (list configurable: known_triggers)",
    WORKFLOWS,
)


@file_rule(RULE)
def check_trigger(ctx: FileContext) -> Iterator[Finding]:
    data = ctx.data
    trigger = data.get("trigger_name") if data is not None else None
    if not isinstance(trigger, str) or not trigger or trigger in ctx.config.known_triggers:
        return
    known = ctx.config.known_triggers
    yield ctx.finding(
        RULE,
        ("trigger_name",),
        f"trigger {trigger!r} is not a known trigger (known: {listing(known)})",
        hint=did_you_mean(trigger, known)
        or "if the trigger exists on Truto, add it to known_triggers in [tool.syncctl]",
    )
