"""Findings as GitHub Actions workflow commands, within GitHub's annotation caps.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (50 per job).
Errors come first; whatever does not fit is summarised in one notice, so nothing is silently
dropped, and every finding is still printed as a plain log line.
"""

from __future__ import annotations

from syncctl.findings import Finding, Report, Severity
from syncctl.render.findings_text import line, summary

PER_KIND = 10


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    kind = "error" if finding.severity is Severity.ERROR else "warning"
    props = ",".join(
        (
            f"file={_prop(finding.file)}",
            f"line={finding.line}",
            f"col={finding.column}",
            f"title={_prop(finding.rule)}",
        )
    )
    hint = f" (hint: {finding.hint})" if finding.hint else ""
    return f"::{kind} {props}::{_data(finding.message + hint)}"


def render(report: Report, *, color: bool = False) -> str:
    out: list[str] = []
    shown = 0
    for group in (report.errors, report.warnings):
        for finding in group[:PER_KIND]:
            out.append(annotation(finding))
            shown += 1
    rest = len(report.findings) - shown
    if rest:
        out.append(
            f"::notice title=syncctl::{rest} more finding(s) not annotated "
            f"(GitHub shows {PER_KIND} per kind); all are listed in the log below"
        )
    out.extend(line(f) for f in report.findings)
    out.append(summary(report))
    return "\n".join(out) + "\n"
