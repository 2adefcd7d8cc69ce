"""Renderers: each output format turns a result value into text.

Each kind of result has its own typed registry, imported only by the commands that need it::

    render.findings.FINDINGS   Registry[Report]        validate (and graph, for an invalid file)
    render.plan.PLAN           Registry[Plan]          plan (and apply, before asking)
    render.apply.APPLY         Registry[ApplyResult]   apply
    render.imported.IMPORT     Registry[ImportResult]  import
    render.graph.GRAPH         Registry[JobGraph]      graph

``formats(kind)`` and ``renderer(kind, fmt)`` are the untyped form of the same lookups, kept for
callers not yet on the registries.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from syncctl.errors import UsageError

if TYPE_CHECKING:
    from syncctl.render.registry import Registry, Renderer

# result kind -> "module:attribute" of its registry, imported on first use.
REGISTRIES: dict[str, str] = {
    "findings": "syncctl.render.findings:FINDINGS",
    "plan": "syncctl.render.plan:PLAN",
    "apply": "syncctl.render.apply:APPLY",
    "import": "syncctl.render.imported:IMPORT",
    "graph": "syncctl.render.graph:GRAPH",
}


def registry_of(kind: str) -> Registry[Any]:
    try:
        target = REGISTRIES[kind]
    except KeyError:
        raise UsageError(f"unknown result kind {kind!r}") from None
    module, attribute = target.split(":")
    found: Registry[Any] = getattr(importlib.import_module(module), attribute)
    return found


def formats(kind: str) -> list[str]:
    return list(registry_of(kind).formats())


def renderer(kind: str, fmt: str) -> Renderer[Any]:
    return registry_of(kind).renderer(fmt)
