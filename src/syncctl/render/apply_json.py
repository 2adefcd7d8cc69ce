"""An apply result as JSON (``format_version`` 1)."""

from __future__ import annotations

import json

from syncctl.reconcile.apply import ApplyResult


def render(result: ApplyResult, *, color: bool = False) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
