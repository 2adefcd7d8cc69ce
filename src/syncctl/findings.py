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
        }


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of validating a set of files: sorted findings and what was checked."""

    findings: tuple[Finding, ...]
    files_checked: int

    @classmethod
    def build(cls, findings: Iterable[Finding], files_checked: int) -> Report:
        unique = sorted(set(findings), key=Finding.sort_key)
        return cls(tuple(unique), files_checked)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    def failed(self, *, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def summary(self) -> dict[str, int]:
        files_with = len({f.file for f in self.findings})
        return {
            "files_checked": self.files_checked,
            "files_with_findings": files_with,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": 1,
            "findings": [f.to_dict() for f in self.findings],
            "summary": self.summary(),
        }
