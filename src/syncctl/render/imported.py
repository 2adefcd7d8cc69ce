"""The formats of an import result: one line per object, or JSON (``format_version`` 1).

Every line and every JSON item names its kind (``sync_job`` or ``workflow``): one run imports
both, and a workflow's note (a step that keeps a literal job id) follows its line. The imported
files' validation findings follow, as ``syncctl validate`` prints them (JSON: ``findings``), so
what the next plan would refuse is said at once.
"""

from __future__ import annotations

import json

from syncctl.reconcile.importer import Imported, ImportResult, Skipped
from syncctl.render.findings_text import line as finding_line
from syncctl.render.registry import Registry


def _noun(kind: str | None) -> str:
    """How a line names a kind: ``sync job``, ``workflow`` (nothing when it is unknown)."""
    return "" if kind is None else kind.replace("_", " ") + " "


def _imported_line(item: Imported) -> str:
    line = f"imported {_noun(item.kind)}{item.id} as {item.key} ({item.file})"
    return line if item.note is None else f"{line}\n  note: {item.note}"


def _skipped_line(skip: Skipped) -> str:
    return f"skipped {_noun(skip.kind)}{skip.id}: {skip.reason}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _summary(result: ImportResult) -> str:
    """Counts, and (when the written files have findings) how many and what to run next."""
    done = f"{len(result.imported)} imported, {len(result.skipped)} skipped in {result.environment}"
    if not result.findings:
        return done + "."
    errors = len(result.errors)
    warnings = len(result.findings) - errors
    return (
        f"{done}; the imported files have {_plural(errors, 'error')} and "
        f"{_plural(warnings, 'warning')}: fix them, then run syncctl validate."
    )


def render_text(result: ImportResult, *, color: bool = False) -> str:
    lines = [_imported_line(item) for item in result.imported]
    lines.extend(_skipped_line(skip) for skip in result.skipped)
    lines.extend(finding_line(finding, color=color) for finding in result.findings)
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


def render_json(result: ImportResult, *, color: bool = False) -> str:
    return json.dumps(result.to_dict(), indent=2) + "\n"


IMPORT: Registry[ImportResult] = Registry("import", {"text": render_text, "json": render_json})
