"""Findings as JSON: ``{"format_version": 1, "findings": [...], "summary": {...}}``."""

from __future__ import annotations

import json

from syncctl.findings import Report


def render(report: Report, *, color: bool = False) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
