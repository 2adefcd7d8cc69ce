"""SJ402: an argument declared in ``args_schema`` but never used.

Used means: read by a placeholder (resources, mutex_key, state_key), named by a ``loop_on``, or
mentioned as ``args.X`` in the ``args_validation`` JSONata (and, in runtime 4, in any JSONata of
the nodes). A bare ``args`` in JSONata or ``{{args}}`` may read anything: then nothing is reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from syncctl.findings import Finding, Severity
from syncctl.loader import iter_placeholder_strings
from syncctl.rules._args import declared_args, jsonata_mentions, loop_on_arg
from syncctl.rules._runtime import is_runtime_v4
from syncctl.rules._sites import sites_of
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo("SJ402", Severity.WARNING, "argument declared but never used")


def _used(ctx: FileContext, data: dict[str, Any]) -> set[str] | None:
    used: set[str] = set()
    for _site, _holder, query in sites_of(ctx.doc).reads("args"):
        if len(query) == 1:
            return None
        used.add(query[1])
    texts: list[str] = []
    if isinstance(data.get("args_validation"), str):
        texts.append(data["args_validation"])
    resources = data.get("resources")
    if isinstance(resources, list):
        for item in resources:
            loop = item.get("loop_on") if isinstance(item, dict) else None
            parsed = loop_on_arg(loop) if isinstance(loop, str) else None
            if parsed is not None:
                used.add(parsed.name)
        if is_runtime_v4(data):
            texts.extend(text for _path, text in iter_placeholder_strings(resources))
    for text in texts:
        mentioned = jsonata_mentions(text)
        if mentioned is None:
            return None
        used |= mentioned
    return used


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    declared = declared_args(ctx.doc)
    data = ctx.data
    if declared is None or data is None or not declared.properties:
        return
    used = _used(ctx, data)
    if used is None:
        return
    for name in declared.properties:
        if name in used:
            continue
        yield ctx.finding(
            RULE,
            declared.path_of(name),
            f"argument {name!r} is declared but never used",
            key=True,
            hint=f'use it (e.g. "{{{{args.{name}}}}}") or remove it from args_schema',
        )
