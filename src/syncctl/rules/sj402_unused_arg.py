"""SJ402: an argument declared in ``args_schema`` but never used.

Used means: read by a placeholder (resources, mutex_key, state_key), named by a ``loop_on``
(runtime 1-3: any spelling; runtime 4: a path ``args.X...``), or read as ``args.X`` in a JSONata
expression (``args_validation`` in every runtime; in runtime 4 also ``run_if``,
``config.expression``, ``config.value_expression`` and a string ``query``/``body``). A bare
``args`` in JSONata or ``{{args}}`` may read anything: then nothing is reported. Nor is anything
reported when the entries have the other runtime's shape (SJ809 reports that).
"""

from __future__ import annotations

from collections.abc import Iterator

from syncctl.findings import Finding, Severity
from syncctl.loader import Document
from syncctl.rules._args import declared_args, loop_sites
from syncctl.rules._jsonata_args import arg_reads
from syncctl.rules._runtime import jsonata_sites, shape_mismatch
from syncctl.rules._sites import sites_of
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo("SJ402", Severity.WARNING, "argument declared but never used")


def _used(doc: Document) -> set[str] | None:
    """The names of the arguments the job reads; ``None`` when it may read them all."""
    used: set[str] = set()
    for _site, _holder, query in sites_of(doc).reads("args"):
        if len(query) == 1:
            return None
        used.add(query[1])
    used.update(site.loop.name for site in loop_sites(doc) if site.loop is not None)
    for jsonata in jsonata_sites(doc):
        reads = arg_reads(jsonata.text)
        if reads.whole:
            return None
        used.update(reads.names)
    return used


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    declared = declared_args(ctx.doc)
    if declared is None or not declared.properties or shape_mismatch(ctx.doc) is not None:
        return
    used = _used(ctx.doc)
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
