"""Findings as compiler-style lines: ``path:line:col: SJ203 error: message (hint: …)``."""

from __future__ import annotations

import click

from syncctl.findings import Finding, Report, Severity


def line(finding: Finding, *, color: bool = False) -> str:
    severity = str(finding.severity)
    if color:
        severity = click.style(
            severity, fg="red" if finding.severity is Severity.ERROR else "yellow", bold=True
        )
    hint = f" (hint: {finding.hint})" if finding.hint else ""
    location = f"{finding.file}:{finding.line}:{finding.column}"
    return f"{location}: {finding.rule} {severity}: {finding.message}{hint}"


def summary(report: Report) -> str:
    """One line: what was checked and found; says when ``--strict`` made warnings fail, and
    how many findings were suppressed (never listed here: see the JSON or SARIF output)."""
    counts = report.summary()
    checked = f"{counts['files_checked']} file{'s' if counts['files_checked'] != 1 else ''} checked"
    silenced = f" ({len(report.suppressed)} suppressed)" if report.suppressed else ""
    if not report.findings:
        return f"{checked}: no problems found{silenced}"
    errors, warnings = counts["errors"], counts["warnings"]
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    text = f"{checked}: {', '.join(parts)} in {counts['files_with_findings']} file(s){silenced}"
    reason = report.failure_reason()
    return f"{text}; {reason}" if reason and not errors else text


def render(report: Report, *, color: bool = False) -> str:
    lines = [line(f, color=color) for f in report.findings]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"
