"""``validate``: load every job file in one process and run every rule over it.

One broken file never hides the others: each file is loaded on its own and every rule runs
over every file whose data is a mapping. Cross-file rules run once over all files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from syncctl.config import Config
from syncctl.errors import UsageError
from syncctl.findings import Finding, Report
from syncctl.loader import Document, load_file
from syncctl.rules import FileContext, JobFile, ProjectContext, all_rules

JOB_SUFFIX = ".yaml"
_IGNORED_NAMES = frozenset({".gitkeep", ".gitignore", "README.md", "README"})


def display_path(path: Path, root: Path) -> str:
    """POSIX path relative to the project root when inside it, else as given."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def layout_of(path: Path, jobs_dir: Path) -> tuple[str, ...] | None:
    try:
        return path.resolve().relative_to(jobs_dir.resolve()).parts
    except ValueError:
        return None


def discover(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """Files to validate, and paths that do not exist. Folders are walked (hidden ones skipped)."""
    files: list[Path] = []
    missing: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(_walk(path))
        elif path.exists():
            files.append(path)
        else:
            missing.append(path)
    return sorted(set(files)), missing


def _walk(folder: Path) -> Iterator[Path]:
    for child in folder.rglob("*"):
        relative = child.relative_to(folder).parts
        if any(part.startswith(".") for part in relative):
            continue
        if child.is_file() and child.name not in _IGNORED_NAMES and child.suffix != ".md":
            yield child


def load_jobs(files: Iterable[Path], config: Config) -> list[JobFile]:
    """Load each file with the shared loader (what is validated is what is applied)."""
    jobs = []
    for path in files:
        rel = display_path(path, config.root)
        # Only ``.yaml`` files are read; anything else is left to SJ005 (file layout).
        doc = load_file(path, rel) if path.suffix == JOB_SUFFIX else Document(rel, None, None, ())
        jobs.append(JobFile(path, rel, doc, layout_of(path, config.jobs_dir)))
    return jobs


def check_jobs(jobs: Sequence[JobFile], config: Config) -> Report:
    registry = all_rules()
    findings: list[Finding] = []
    for job in jobs:
        ctx = FileContext(job, config)
        for _info, check in registry.file_checks:
            findings.extend(check(ctx))
    project = ProjectContext(jobs, config)
    for _info, project_check in registry.project_checks:
        findings.extend(project_check(project))
    return Report.build(findings, len(jobs))


def validate_paths(paths: Sequence[Path], config: Config) -> Report:
    """Validate files and folders; a path that does not exist is a usage error."""
    files, missing = discover(paths)
    if missing:
        shown = ", ".join(p.as_posix() for p in missing)
        raise UsageError(f"no such file or folder: {shown}", hint="check the path")
    return check_jobs(load_jobs(files, config), config)
