"""What a rule sees and how it reports: contexts, rule metadata, and the registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from syncctl.config import Config
from syncctl.findings import Finding, JsonPath, Severity, format_path
from syncctl.kinds import SYNC_JOB, WORKFLOW, Kind
from syncctl.loader import Document
from syncctl.rules._scalar_offsets import place_in_document

MULTI_FOLDER = "_multi"
"""The reserved folder of runtime 4 jobs that span integrations (``integration_name: ""``)."""

JOBS: frozenset[str] = frozenset({SYNC_JOB.name})
"""The kinds of a rule about job files (the default)."""
WORKFLOWS: frozenset[str] = frozenset({WORKFLOW.name})
"""The kinds of a rule about workflow files."""
EVERY_KIND: frozenset[str] = JOBS | WORKFLOWS
"""The kinds of a rule about any file (the loader's rules, the schema, JSONata syntax)."""


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A rule's id, severity and one-line summary, and the kinds of file its file check reads
    (by :attr:`Kind.name`; a project check sees the files of every kind, split by kind)."""

    id: str
    severity: Severity
    summary: str
    kinds: frozenset[str] = JOBS


@dataclass(frozen=True, slots=True)
class JobFile:
    """One file under validation: a job file, or a file of another kind (``kind``).

    ``rel`` is the display path (POSIX, relative to the project root when inside it, and equal
    to ``doc.file``). ``layout`` is the path relative to the kind's folder (jobs or workflows)
    as parts, or ``None`` when the file is outside it. For a job, ``integration``/``name``/``key``
    are set only when the layout is exactly ``<integration>/<name>.yaml`` (SJ005 judges whether
    those names are valid); for a workflow, ``name``/``key`` (``workflow:<name>``) only when it is
    exactly ``<name>.yaml`` (SJ906 judges the name). The name is kept as written.
    """

    path: Path
    rel: str
    doc: Document
    layout: tuple[str, ...] | None
    kind: Kind = SYNC_JOB

    @property
    def data(self) -> dict[str, Any] | None:
        """The document when it is a mapping (the only shape a job can have), else ``None``."""
        return self.doc.data if isinstance(self.doc.data, dict) else None

    @property
    def integration(self) -> str | None:
        if self.kind is not SYNC_JOB:
            return None
        return self.layout[0] if self.layout and len(self.layout) == 2 else None

    @property
    def name(self) -> str | None:
        parts = 2 if self.kind is SYNC_JOB else 1
        if self.layout and len(self.layout) == parts and self.layout[-1].endswith(".yaml"):
            return self.layout[-1].removesuffix(".yaml") or None
        return None

    @property
    def key(self) -> str | None:
        name = self.name
        if self.kind is not SYNC_JOB:
            return f"{self.kind.key_prefix}{name}" if name else None
        integration = self.integration
        return f"{integration}/{name}" if integration and name else None


@dataclass(frozen=True, slots=True)
class FileContext:
    job: JobFile
    config: Config

    @property
    def doc(self) -> Document:
        return self.job.doc

    @property
    def data(self) -> dict[str, Any] | None:
        return self.job.data

    def finding(
        self,
        rule: RuleInfo,
        path: JsonPath,
        message: str,
        *,
        key: bool = False,
        hint: str | None = None,
    ) -> Finding:
        """A finding of ``rule`` placed at the value (``key=True``: the key) that ``path`` names."""
        return self.job.doc.finding(rule.id, rule.severity, message, path, key=key, hint=hint)

    def finding_inside(
        self, rule: RuleInfo, path: JsonPath, offset: int, message: str, *, hint: str | None
    ) -> Finding:
        """A finding of ``rule`` at character ``offset`` of the string that ``path`` names
        (placed through the scalar's quoting and folding; its start when unsure)."""
        line, column = place_in_document(self.job.doc, path, offset)
        return Finding(
            self.job.doc.file,
            line,
            column,
            rule.id,
            rule.severity,
            message,
            format_path(path),
            hint,
        )


@dataclass(frozen=True, slots=True)
class ProjectContext:
    """Every file under validation, by kind: ``jobs`` (job files only) and ``workflows``."""

    jobs: Sequence[JobFile]
    config: Config
    workflows: Sequence[JobFile] = ()

    def finding(
        self,
        rule: RuleInfo,
        job: JobFile,
        path: JsonPath,
        message: str,
        *,
        key: bool = False,
        hint: str | None = None,
    ) -> Finding:
        return job.doc.finding(rule.id, rule.severity, message, path, key=key, hint=hint)


FileCheck = Callable[[FileContext], Iterable[Finding]]
ProjectCheck = Callable[[ProjectContext], Iterable[Finding]]


@dataclass
class Registry:
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    file_checks: list[tuple[RuleInfo, FileCheck]] = field(default_factory=list)
    project_checks: list[tuple[RuleInfo, ProjectCheck]] = field(default_factory=list)

    def add(self, info: RuleInfo) -> None:
        if info.id in self.rules:
            raise RuntimeError(f"rule {info.id} registered twice")
        self.rules[info.id] = info


registry = Registry()


def file_rule(info: RuleInfo) -> Callable[[FileCheck], FileCheck]:
    def register(check: FileCheck) -> FileCheck:
        registry.add(info)
        registry.file_checks.append((info, check))
        return check

    return register


def project_rule(info: RuleInfo) -> Callable[[ProjectCheck], ProjectCheck]:
    def register(check: ProjectCheck) -> ProjectCheck:
        registry.add(info)
        registry.project_checks.append((info, check))
        return check

    return register
