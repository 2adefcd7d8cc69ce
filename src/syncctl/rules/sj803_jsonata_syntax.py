"""SJ803: a JSONata expression that does not parse.

Every JSONata string of the file (``args_validation``; in runtime 4 also ``run_if``,
``config.expression``, ``config.value_expression`` and string ``query``/``body``; in a workflow
file ``config.run_if`` and each step's ``run_if`` and string ``config``) is parsed as
the reference implementation parses it (``syncctl.jsonata``). The finding carries the parser's
code and message and sits at the offending character in the file, whatever the scalar's style.
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.jsonata import JsonataError, syntax_error
from syncctl.kinds import SYNC_JOB
from syncctl.rules._runtime import jsonata_sites
from syncctl.rules._workflow import workflow_jsonata_sites
from syncctl.rules.base import EVERY_KIND, FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ803",
    Severity.ERROR,
    "JSONata syntax error (message and position from the parser, placed in the file)",
    EVERY_KIND,
)

_HINTS = {
    "S0101": "close the string with the quote it opened with",
    "S0105": "close the name with a backquote (`)",
    "S0106": "close the comment with */",
    "S0203": "close what is still open before the expression ends",
    "S0207": "complete the expression after the last operator",
    "S0302": "close the regular expression with /",
}


def _hint(error: JsonataError) -> str | None:
    if error.code is None:
        return "write a JavaScript regular expression (JSONata builds it with new RegExp)"
    return _HINTS.get(error.code)


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    sites = jsonata_sites if ctx.job.kind is SYNC_JOB else workflow_jsonata_sites
    for site in sites(ctx.doc):
        error = syntax_error(site.text)
        if error is None:
            continue
        code = f" ({error.code})" if error.code else ""
        yield ctx.finding_inside(
            RULE,
            site.path,
            error.at(len(site.text)),
            f"JSONata syntax error{code}: {error.message}",
            hint=_hint(error),
        )
