"""SJ810: JSONata calls ``$f(...)`` where ``f`` is no function Truto's runtime knows.

Known are JSONata's built-ins and the extensions of ``@truto/truto-jsonata`` (the list in
``syncctl/data/jsonata-functions.json``, written from the packages by
``scripts/jsonata_fixture``), and any variable the expression binds itself (``$f := …``, a
lambda parameter, ``@$x``/``#$x``). Anything else fails only when the node runs, so this is a
warning, placed at the ``$`` of the first call of each name, with a did-you-mean. Expressions
that do not parse are SJ803's.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from importlib import resources

from syncctl.findings import Finding, Severity
from syncctl.jsonata import called_functions, syntax_error
from syncctl.rules._runtime import jsonata_sites
from syncctl.rules._suggest import did_you_mean
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ810",
    Severity.WARNING,
    "JSONata calls $f that is no JSONata built-in, no Truto extension and no variable bound in "
    "the expression",
)


@functools.cache
def known_functions() -> frozenset[str]:
    """The names (without ``$``) of JSONata's built-ins and Truto's extensions."""
    text = resources.files("syncctl").joinpath("data/jsonata-functions.json").read_text("utf-8")
    data = json.loads(text)
    return frozenset(data["builtins"]) | frozenset(data["extensions"])


def _hint(name: str, bound: frozenset[str]) -> str:
    options = [f"${n}" for n in known_functions() | bound]
    return did_you_mean(f"${name}", options) or (
        f"define it in the expression (${name} := function(...) {{ ... }}) or call a JSONata "
        "built-in or a Truto extension"
    )


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    known = known_functions()
    for site in jsonata_sites(ctx.doc):
        if syntax_error(site.text) is not None:
            continue
        found = called_functions(site.text)
        reported: set[str] = set()
        for call in found.calls:
            if call.name in known or call.name in found.bound or call.name in reported:
                continue
            reported.add(call.name)
            yield ctx.finding_inside(
                RULE,
                site.path,
                call.offset,
                f"JSONata calls ${call.name}, which is no JSONata built-in, no Truto extension "
                "and no variable bound in the expression",
                hint=_hint(call.name, found.bound),
            )
