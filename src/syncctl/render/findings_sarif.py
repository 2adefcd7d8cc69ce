"""Findings as SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import json
from typing import Any

from syncctl import __version__
from syncctl.findings import SUPPRESSED_IN_SOURCE, Finding, Report, Severity
from syncctl.rules import all_rules

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def document(report: Report) -> dict[str, Any]:
    rules = sorted(all_rules().rules.values(), key=lambda r: r.id)
    index = {rule.id: i for i, rule in enumerate(rules)}
    results = []
    for finding in sorted((*report.findings, *report.suppressed), key=Finding.sort_key):
        text = finding.message + (f" (hint: {finding.hint})" if finding.hint else "")
        results.append(
            {
                "ruleId": finding.rule,
                "ruleIndex": index.get(finding.rule, -1),
                "level": _level(finding.severity),
                "message": {"text": text},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": finding.file, "uriBaseId": "%SRCROOT%"},
                            "region": {"startLine": finding.line, "startColumn": finding.column},
                        }
                    }
                ],
            }
            | _suppressions(finding)
        )
    driver = {
        "name": "syncctl",
        "version": __version__,
        "rules": [
            {
                "id": rule.id,
                "shortDescription": {"text": rule.summary},
                "help": {"text": f"{rule.id}: {rule.summary} (see docs/rules.md)"},
                "defaultConfiguration": {"level": _level(rule.severity)},
            }
            for rule in rules
        ],
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }


def _suppressions(finding: Finding) -> dict[str, Any]:
    """SARIF's ``suppressions`` of a silenced finding: ``inSource`` for a ``# syncctl: ignore``
    comment, ``external`` for ``[tool.syncctl.rules]``. A viewer hides the result but keeps it."""
    if finding.suppressed is None:
        return {}
    kind = "inSource" if finding.suppressed == SUPPRESSED_IN_SOURCE else "external"
    return {"suppressions": [{"kind": kind, "status": "accepted"}]}


def render(report: Report, *, color: bool = False) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
