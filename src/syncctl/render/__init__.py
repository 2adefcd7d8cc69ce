"""Renderers: each output format is a plugin that turns a result value into text.

``renderer("findings", "sarif")`` imports only the module the format needs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from syncctl.errors import UsageError

# (result kind, format) -> "module:function"
RENDERERS: dict[tuple[str, str], str] = {
    ("findings", "text"): "syncctl.render.findings_text:render",
    ("findings", "json"): "syncctl.render.findings_json:render",
    ("findings", "github"): "syncctl.render.findings_github:render",
    ("findings", "sarif"): "syncctl.render.findings_sarif:render",
    ("plan", "text"): "syncctl.render.plan_text:render",
    ("plan", "json"): "syncctl.render.plan_json:render",
    ("plan", "markdown"): "syncctl.render.plan_markdown:render",
    ("apply", "text"): "syncctl.render.apply_text:render",
    ("apply", "json"): "syncctl.render.apply_json:render",
    ("apply", "markdown"): "syncctl.render.apply_markdown:render",
}


def formats(kind: str) -> list[str]:
    return [fmt for (k, fmt) in RENDERERS if k == kind]


def renderer(kind: str, fmt: str) -> Callable[..., str]:
    try:
        target = RENDERERS[(kind, fmt)]
    except KeyError:
        raise UsageError(
            f"unknown format {fmt!r} for {kind} (choose from {', '.join(formats(kind))})"
        ) from None
    module, function = target.split(":")
    render: Any = getattr(importlib.import_module(module), function)
    return render  # type: ignore[no-any-return]
