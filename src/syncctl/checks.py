"""Load job and workflow files and run every rule over them.

One broken file never hides the others: each file is loaded on its own and every rule runs
over every file whose data is a mapping. A file's kind is its folder: a file under the
workflows folder is a workflow file, any other a job file; each file rule runs on the kinds it
names (``RuleInfo.kinds``). Cross-file rules run once over all files, split by kind. Which files
are checked is ``syncctl.discovery``; spreading the file rules over processes is ``syncctl.pool``.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from syncctl.config import Config
from syncctl.discovery import JOB_SUFFIX
from syncctl.findings import Finding, Report
from syncctl.kinds import KINDS, SYNC_JOB, WORKFLOW, Kind
from syncctl.loader import Document, load_file
from syncctl.rules import FileCheck, FileContext, JobFile, ProjectContext, all_rules
from syncctl.rules.sj007_unused_suppression import apply_suppressions


def _relative(path: str, folder: str) -> str | None:
    """``path`` relative to ``folder`` (both absolute, normalised), or None when outside."""
    if path.startswith(folder) and path[len(folder) : len(folder) + 1] == os.sep:
        return path[len(folder) + 1 :]
    return None


def iter_jobs(files: Iterable[Path], config: Config) -> Iterator[JobFile]:
    """Load each file with the shared loader (what is validated is what is applied); a file
    under the workflows folder is a workflow file, any other a job file."""
    root, jobs_dir = str(config.root.resolve()), str(config.jobs_dir.resolve())
    workflows_dir = str(config.workflows_dir.resolve())
    folders: dict[str, str] = {}  # folder as given -> absolute and normalised (no syscall)
    for path in files:
        given = os.fspath(path)
        head, sep, name = given.rpartition(os.sep)
        folder = folders.get(head)
        if folder is None:
            folder = folders[head] = os.path.abspath(head if sep else os.curdir)  # noqa: PTH100
        absolute = os.path.join(folder, name)  # noqa: PTH118
        inside_root = _relative(absolute, root)
        if inside_root is None:
            rel = path.as_posix()
        else:
            rel = inside_root if os.sep == "/" else inside_root.replace(os.sep, "/")
        inside = _relative(absolute, workflows_dir)
        kind: Kind = SYNC_JOB if inside is None else WORKFLOW
        if inside is None:
            inside = _relative(absolute, jobs_dir)
        layout = tuple(inside.split(os.sep)) if inside is not None else None  # noqa: PTH206
        # Only ``.yaml`` files are read (``Path.suffix``: a bare ``.yaml`` has none); anything
        # else is left to SJ005 (file layout).
        is_yaml = name.endswith(JOB_SUFFIX) and len(name) > len(JOB_SUFFIX)
        doc = load_file(path, rel) if is_yaml else Document(rel, None, None, ())
        yield JobFile(path, rel, doc, layout, kind)


def load_jobs(files: Iterable[Path], config: Config) -> list[JobFile]:
    return list(iter_jobs(files, config))


def check_files(jobs: Iterable[JobFile], config: Config) -> tuple[list[Finding], list[JobFile]]:
    """Run every file rule on each job as it comes; its findings, and the jobs kept.

    Each job is kept without its node tree once its file rules have run (see
    ``Document.without_tree``): 10,000 trees took some 350 MB, and the allocator's time
    with them."""
    checks = _file_checks_by_kind()
    findings: list[Finding] = []
    kept: list[JobFile] = []
    for job in jobs:
        ctx = FileContext(job, config)
        for check in checks[job.kind.name]:
            findings.extend(check(ctx))
        kept.append(JobFile(job.path, job.rel, job.doc.without_tree(), job.layout, job.kind))
    return findings, kept


def _file_checks_by_kind() -> dict[str, list[FileCheck]]:
    """Each kind's file checks, in registry order (a rule runs on the kinds it names)."""
    file_checks = all_rules().file_checks
    return {
        kind.name: [check for info, check in file_checks if kind.name in info.kinds]
        for kind in KINDS
    }


def check_project(jobs: Sequence[JobFile], config: Config) -> list[Finding]:
    """Run the cross-file rules once over every file, given to them split by kind."""
    workflows = [job for job in jobs if job.kind is WORKFLOW]
    only_jobs = [job for job in jobs if job.kind is not WORKFLOW] if workflows else jobs
    project = ProjectContext(only_jobs, config, workflows)
    return [f for _info, check in all_rules().project_checks for f in check(project)]


def check_jobs(jobs: Iterable[JobFile], config: Config) -> tuple[list[JobFile], Report]:
    """Run every file rule on each job as it comes, then the cross-file rules once, then the
    suppressions (``# syncctl: ignore[…]``, ``[tool.syncctl.rules]``) over all findings."""
    findings, kept = check_files(jobs, config)
    return kept, finish(findings, kept, config)


def finish(findings: list[Finding], kept: Sequence[JobFile], config: Config) -> Report:
    """The cross-file rules' findings added to the file rules', suppressions applied."""
    findings.extend(check_project(kept, config))
    return Report.build(apply_suppressions(findings, kept, config), len(kept))


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while node trees and job data pile up.

    Loading keeps every file's node tree alive for the cross-file rules; each full collection
    would walk all of them (over half the run time on 10,000 files), and so would every
    collection while a plan is built from them. They have no reference cycles (except a
    self-referencing alias, which the loader rejects and which is collected once the collector
    resumes), so nothing is lost by pausing it. Nesting is fine: only the outermost resumes it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
