"""SJ203: ``{{args.X}}`` (or ``args.X`` in JSONata) where X is not declared in ``args_schema``.

Every alternative of a fallback chain counts. JSONata counts too (design §2.1): ``args.X`` in
``args_validation`` in every runtime and, in runtime 4, in the JSONata of the nodes (``run_if``,
``config.expression``, ...); those findings sit at the JSONata string. Not checked when
``args_schema`` has a shape no dialect explains (SJ010/SJ401 report that) or allows any argument
(``additionalProperties``).
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.rules._args import Declared, declare_hint, declared_args
from syncctl.rules._jsonata_args import arg_reads
from syncctl.rules._runtime import is_runtime_v4, jsonata_sites
from syncctl.rules._sites import sites_of
from syncctl.rules._suggest import did_you_mean
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo("SJ203", Severity.ERROR, "{{args.X}} where X is not declared in args_schema")


def _hint(name: str, declared: Declared, v4: bool) -> str:
    return did_you_mean(name, declared.properties) or declare_hint(name, declared, v4=v4)


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    declared = declared_args(ctx.doc)
    if declared is None or declared.open or ctx.data is None:
        return
    v4 = is_runtime_v4(ctx.data)
    seen: set[tuple[object, str]] = set()
    for site, holder, query in sites_of(ctx.doc).reads("args"):
        if len(query) < 2 or query[1] in declared:
            continue
        name = query[1]
        if (site.path, name) in seen:
            continue
        seen.add((site.path, name))
        yield ctx.finding(
            RULE,
            site.path,
            f"argument {name!r} used in {holder.raw} is not declared in args_schema",
            hint=_hint(name, declared, v4),
        )
    for jsonata in jsonata_sites(ctx.doc):
        field = jsonata.path[-1] if jsonata.node is None else ".".join(map(str, jsonata.path[2:]))
        for name in arg_reads(jsonata.text).names:
            if name in declared:
                continue
            yield ctx.finding(
                RULE,
                jsonata.path,
                f"argument {name!r} read in the JSONata of {field} is not declared in args_schema",
                hint=_hint(name, declared, v4),
            )
