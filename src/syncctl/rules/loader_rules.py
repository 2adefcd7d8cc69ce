"""SJ001-SJ004: the rules the loader checks while it reads a file.

The loader (``syncctl.loader``) must detect these while composing YAML: they are about text
that never reaches the data (a syntax error, a key given twice, an unquoted placeholder, a
YAML 1.1 boolean), in a file of any kind. Each is registered here so it can be listed,
documented and selected like every other rule; its check hands on the loader's findings of that
id. A YAML 1.1 boolean that also breaks the schema (``persist: yes``) is left to SJ010, which
reports it once, as an error, with SJ004's advice.
"""

from __future__ import annotations

from collections.abc import Iterable

from syncctl.findings import Finding, Severity
from syncctl.rules.base import EVERY_KIND, FileCheck, FileContext, RuleInfo, file_rule

SJ001 = RuleInfo(
    "SJ001",
    Severity.ERROR,
    "YAML syntax error (also unreadable, oversized or non-UTF-8 input, custom tags, "
    "non-string keys, alias bombs)",
    EVERY_KIND,
)
SJ002 = RuleInfo("SJ002", Severity.ERROR, "duplicate mapping key", EVERY_KIND)
SJ003 = RuleInfo("SJ003", Severity.ERROR, "unquoted placeholder parsed as a mapping", EVERY_KIND)
SJ004 = RuleInfo(
    "SJ004",
    Severity.WARNING,
    "YAML 1.1 boolean-looking scalar (yes, no, on, off, y, n)",
    EVERY_KIND,
)


def _hand_on(info: RuleInfo) -> FileCheck:
    def check(ctx: FileContext) -> Iterable[Finding]:
        return [f for f in ctx.doc.findings if f.rule == info.id]

    check.__name__ = f"check_{info.id.lower()}"
    return file_rule(info)(check)


for _info in (SJ001, SJ002, SJ003):
    _hand_on(_info)


@file_rule(SJ004)
def check_sj004(ctx: FileContext) -> Iterable[Finding]:
    found = [f for f in ctx.doc.findings if f.rule == SJ004.id]
    if not found:
        return found
    from syncctl.rules.sj010_schema import absorbed_yaml11  # registers SJ010: import late

    absorbed = absorbed_yaml11(ctx)
    return [f for f in found if f.path not in absorbed]
