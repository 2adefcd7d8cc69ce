"""A plan as JSON (``format_version`` 1): the same document ``plan --out`` saves."""

from __future__ import annotations

import json

from syncctl.reconcile.plan import Plan


def render(plan: Plan, *, color: bool = False) -> str:
    return json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n"
