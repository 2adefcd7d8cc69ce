"""The formats of an import result: one line per job, or JSON (``format_version`` 1)."""

from __future__ import annotations

import json

from syncctl.reconcile.importer import ImportResult
from syncctl.render.registry import Registry


def render_text(result: ImportResult, *, color: bool = False) -> str:
    lines = [f"imported {item.id} as {item.key} ({item.file})" for item in result.imported]
    lines.extend(f"skipped {skip.id}: {skip.reason}" for skip in result.skipped)
    lines.append(
        f"{len(result.imported)} imported, {len(result.skipped)} skipped in {result.environment}."
    )
    return "\n".join(lines) + "\n"


def render_json(result: ImportResult, *, color: bool = False) -> str:
    return json.dumps(result.to_dict(), indent=2) + "\n"


IMPORT: Registry[ImportResult] = Registry("import", {"text": render_text, "json": render_json})
