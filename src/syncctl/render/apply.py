"""The formats of an apply result: text, JSON, markdown (for a workflow step summary)."""

from __future__ import annotations

from syncctl.reconcile.apply import ApplyResult
from syncctl.render import apply_json, apply_markdown, apply_text
from syncctl.render.registry import Registry

APPLY: Registry[ApplyResult] = Registry(
    "apply",
    {"text": apply_text.render, "json": apply_json.render, "markdown": apply_markdown.render},
)
