"""The formats of an import result: one line per object, or JSON (``format_version`` 1).

Every line and every JSON item names its kind (``sync_job`` or ``workflow``): one run imports
both, and a workflow's note (a step that keeps a literal job id) follows its line.
"""

from __future__ import annotations

import json

from syncctl.reconcile.importer import Imported, ImportResult, Skipped
from syncctl.render.registry import Registry


def _noun(kind: str | None) -> str:
    """How a line names a kind: ``sync job``, ``workflow`` (nothing when it is unknown)."""
    return "" if kind is None else kind.replace("_", " ") + " "


def _imported_line(item: Imported) -> str:
    line = f"imported {_noun(item.kind)}{item.id} as {item.key} ({item.file})"
    return line if item.note is None else f"{line}\n  note: {item.note}"


def _skipped_line(skip: Skipped) -> str:
    return f"skipped {_noun(skip.kind)}{skip.id}: {skip.reason}"


def render_text(result: ImportResult, *, color: bool = False) -> str:
    lines = [_imported_line(item) for item in result.imported]
    lines.extend(_skipped_line(skip) for skip in result.skipped)
    lines.append(
        f"{len(result.imported)} imported, {len(result.skipped)} skipped in {result.environment}."
    )
    return "\n".join(lines) + "\n"


def render_json(result: ImportResult, *, color: bool = False) -> str:
    return json.dumps(result.to_dict(), indent=2) + "\n"


IMPORT: Registry[ImportResult] = Registry("import", {"text": render_text, "json": render_json})
