"""Findings: every problem validation reports is a value with its exact location."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

PathPart = str | int
JsonPath = tuple[PathPart, ...]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


SUPPRESSED_IN_SOURCE = "in-source"
SUPPRESSED_BY_CONFIG = "config"


def format_path(path: Sequence[PathPart]) -> str:
    """``("resources", 1, "depends_on")`` -> ``$.resources[1].depends_on``."""
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part.isidentifier():
            out.append(f".{part}")
        else:
            out.append(f"[{part!r}]")
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file. ``line`` and ``column`` are 1-based."""

    file: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    path: str = "$"
    hint: str | None = None
    suppressed: str | None = None
    """How the finding was silenced (``SUPPRESSED_IN_SOURCE``: a ``# syncctl: ignore`` comment,
    ``SUPPRESSED_BY_CONFIG``: ``[tool.syncctl.rules]`` sets its rule off), or ``None``. A
    suppressed finding never fails a run and is shown only in JSON and SARIF (design §3)."""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "path": self.path,
            "hint": self.hint,
        } | ({"suppressed": True, "suppression": self.suppressed} if self.suppressed else {})


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of validating a set of files: sorted findings and what was checked.

    ``findings`` are the active ones (what fails a run and what text shows); ``suppressed``
    holds the silenced ones, kept for JSON and SARIF. ``strict`` records ``--strict`` so the
    summary can say why a run failed."""

    findings: tuple[Finding, ...]
    files_checked: int
    suppressed: tuple[Finding, ...] = ()
    strict: bool = False

    @classmethod
    def build(cls, findings: Iterable[Finding], files_checked: int) -> Report:
        unique = sorted(set(findings), key=Finding.sort_key)
        active = tuple(f for f in unique if f.suppressed is None)
        if len(active) == len(unique):
            return cls(active, files_checked)
        return cls(active, files_checked, tuple(f for f in unique if f.suppressed is not None))

    def under_strict(self, strict: bool) -> Report:
        """This report judged with (or without) ``--strict``."""
        return Report(self.findings, self.files_checked, self.suppressed, strict)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    def failed(self, *, strict: bool | None = None) -> bool:
        """Whether the run fails: any error, or (``strict``, default ``self.strict``) any
        warning. Suppressed findings never count."""
        strict = self.strict if strict is None else strict
        return bool(self.errors) or (strict and bool(self.warnings))

    def failure_reason(self) -> str | None:
        """Why the run fails, in words (``None`` when it passes): says when only ``--strict``
        turned warnings into failures, which a bare count of warnings does not."""
        errors, warnings = len(self.errors), len(self.warnings)
        if errors:
            return f"failed: {_count(errors, 'error')}"
        if self.strict and warnings:
            return f"failed: {_count(warnings, 'warning')} under --strict"
        return None

    def summary(self) -> dict[str, int]:
        files_with = len({f.file for f in self.findings})
        counts = {
            "files_checked": self.files_checked,
            "files_with_findings": files_with,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }
        if self.suppressed:
            counts["suppressed"] = len(self.suppressed)
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The JSON report: every finding, suppressed ones included (``"suppressed": true``)."""
        shown = self.findings
        if self.suppressed:
            shown = tuple(sorted((*self.findings, *self.suppressed), key=Finding.sort_key))
        return {
            "format_version": 1,
            "findings": [f.to_dict() for f in shown],
            "summary": self.summary(),
        }


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"
