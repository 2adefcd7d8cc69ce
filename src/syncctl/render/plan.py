"""The formats of a plan: Terraform-like text, JSON (the saved plan's document), markdown."""

from __future__ import annotations

from syncctl.reconcile.plan import Plan
from syncctl.render import plan_json, plan_markdown, plan_text
from syncctl.render.registry import Registry

PLAN: Registry[Plan] = Registry(
    "plan",
    {"text": plan_text.render, "json": plan_json.render, "markdown": plan_markdown.render},
)
