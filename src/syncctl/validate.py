"""``validate``: load every job and workflow file and run every rule over it.

One broken file never hides the others: each file is loaded on its own and every rule runs
over every file whose data is a mapping. A file's kind is its folder: a file under the
workflows folder is a workflow file, any other a job file; each file rule runs on the kinds it
names (``RuleInfo.kinds``). Cross-file rules run once over all files, split by kind. A large tree
is spread over a pool of forked processes (``syncctl.pool``); the report is the same either way.
"""

from __future__ import annotations

import contextlib
import gc
import operator
import os
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from syncctl.config import Config
from syncctl.errors import UsageError
from syncctl.findings import Finding, Report
from syncctl.kinds import KINDS, SYNC_JOB, WORKFLOW, Kind
from syncctl.loader import Document, load_file
from syncctl.pool import check_in_pool, pool_size
from syncctl.rules import FileCheck, FileContext, JobFile, ProjectContext, all_rules
from syncctl.rules.sj007_unused_suppression import apply_suppressions, check_rule_levels

JOB_SUFFIX = ".yaml"
_IGNORED_NAMES = frozenset({".gitkeep", ".gitignore", "README.md", "README"})


def _relative(path: str, folder: str) -> str | None:
    """``path`` relative to ``folder`` (both absolute, normalised), or None when outside."""
    if path.startswith(folder) and path[len(folder) : len(folder) + 1] == os.sep:
        return path[len(folder) + 1 :]
    return None


def default_paths(config: Config) -> list[Path]:
    """What ``validate`` checks when given no path: the jobs folder, and the workflows folder
    when there is one."""
    folders = [config.jobs_dir]
    if config.workflows_dir.is_dir():
        folders.append(config.workflows_dir)
    return folders


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
    unique = files if len(paths) == 1 else set(files)  # one walk never yields a file twice
    return sorted(unique, key=_ORDER), missing


# Paths sort by their parts (what ``Path.__lt__`` compares on POSIX; Windows case-folds them):
# keying on them is the same order, three times faster on 10,000 files.
_ORDER = operator.attrgetter("parts") if os.name == "posix" else None


def _walk(folder: Path) -> Iterator[Path]:
    for top, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        parent = Path(top)
        for name in names:
            if name.startswith(".") or name in _IGNORED_NAMES or name.endswith(".md"):
                continue
            yield parent / name


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


def validate_tree(
    paths: Sequence[Path],
    config: Config,
    *,
    workers: int | None = None,
    git: bool = False,
    require_files: bool = False,
) -> tuple[list[JobFile], Report]:
    """Load and check files and folders; a path that does not exist is a usage error.

    ``git``: only the files git tracks or has staged under ``paths`` (``git_files``).
    ``require_files``: a path (or, with no files at all, the run) that holds no file to check
    is a usage error, so a mistyped path in CI does not pass as "0 files checked".
    ``workers`` processes share the file rules (``None``: ``SYNCCTL_WORKERS``, else as many as
    pay, see ``syncctl.pool.pool_size``); the jobs and the report are the same either way."""
    check_rule_levels(config, all_rules().rules)
    files = collect(paths, config, git=git, require_files=require_files)
    with collector_paused():
        count = pool_size(len(files), workers)
        if count == 1:
            return check_jobs(iter_jobs(files, config), config)
        findings, kept = check_in_pool(files, config, count)
        return kept, finish(findings, kept, config)


def collect(
    paths: Sequence[Path], config: Config, *, git: bool = False, require_files: bool = False
) -> list[Path]:
    """The files ``validate_tree`` checks (see there)."""
    if git:
        files = git_files(paths, config.root)
        empty = [p for p in paths if not any(_under(f, p) for f in files)]
    else:
        files, missing = discover(paths)
        if missing:
            shown = ", ".join(p.as_posix() for p in missing)
            raise UsageError(f"no such file or folder: {shown}", hint="check the path")
        empty = [p for p in paths if p.is_dir() and next(_walk(p), None) is None]
    if require_files and empty:
        shown = ", ".join(p.as_posix() for p in empty)
        where = "tracked by git " if git else ""
        raise UsageError(
            f"no job or workflow files {where}under {shown}",
            hint="check the path; job files are jobs/<integration>/<job>.yaml"
            + ("; git add a new file before validating with --git" if git else ""),
        )
    return files


def _under(file: Path, path: Path) -> bool:
    return file == path or path in file.parents


def git_files(paths: Sequence[Path], root: Path) -> list[Path]:
    """The files under ``paths`` that git tracks, plus those staged to be added (never an
    untracked draft), as the pre-commit hook needs them: what the commit will hold is what is
    checked, and cross-file rules see exactly that set. Files deleted from the working tree
    are left out. A folder outside a git work tree is a one-line usage error."""
    top = Path(_git(["rev-parse", "--show-toplevel"], root).strip())
    scopes = [Path(os.path.abspath(p)) for p in paths]  # noqa: PTH100
    specs = [os.path.relpath(p, top) for p in scopes]
    listed = _git(["ls-files", "-z", "--full-name", "--", *specs], top)
    staged = _git(
        ["diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--", *specs], top
    )
    names = {name for name in (*listed.split("\0"), *staged.split("\0")) if name}
    files = []
    for name in names:
        absolute = top / name
        if any(part.startswith(".") for part in Path(name).parts[:-1]):
            continue
        if not _listed_name(absolute.name) or not absolute.is_file():
            continue
        files.append(_given(absolute, scopes, paths))
    return sorted(files, key=_ORDER)


def _listed_name(name: str) -> bool:
    """Whether a file of this name is checked (as ``_walk`` decides for a folder)."""
    return not (name.startswith(".") or name in _IGNORED_NAMES or name.endswith(".md"))


def _given(absolute: Path, scopes: Sequence[Path], paths: Sequence[Path]) -> Path:
    """``absolute`` spelt under the path it was found from, as a walk of that path would."""
    for scope, path in zip(scopes, paths, strict=True):
        if absolute == scope:
            return path
        if scope in absolute.parents:
            return path / absolute.relative_to(scope)
    return absolute


def _git(args: list[str], cwd: Path) -> str:
    """``git args`` run in ``cwd``: its output, or a one-line usage error."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise UsageError(
            f"--git: cannot run git: {exc.strerror or exc}", hint="install git, or drop --git"
        ) from None
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        if "not a git repository" in reason:
            raise UsageError(
                f"--git: {cwd} is not inside a git repository",
                hint="run it in a git checkout, or drop --git to check the folders as they are",
            )
        raise UsageError(f"--git: git {args[0]} failed: {reason.removeprefix('fatal: ')}")
    return done.stdout


def validate_paths(
    paths: Sequence[Path],
    config: Config,
    *,
    workers: int | None = None,
    git: bool = False,
    require_files: bool = False,
) -> Report:
    """Validate files and folders; a path that does not exist is a usage error."""
    return validate_tree(paths, config, workers=workers, git=git, require_files=require_files)[1]
