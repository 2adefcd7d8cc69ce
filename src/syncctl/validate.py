"""``validate``: the files given, loaded and checked by every rule, as one report.

The entry points of ``syncctl validate`` and of every command that validates the files first:
which files (``syncctl.discovery``: the paths walked, or what git tracks), a usage error for a
path that does not exist or holds nothing to check, then the checks (``syncctl.checks``) in this
process or, for a large tree, spread over a pool of forked processes (``syncctl.pool``); the
report is the same either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from syncctl.checks import check_jobs, collector_paused, finish, iter_jobs
from syncctl.config import Config
from syncctl.discovery import discover, git_files, walk
from syncctl.errors import UsageError
from syncctl.findings import Report
from syncctl.pool import check_in_pool, pool_size
from syncctl.rules import JobFile, all_rules
from syncctl.rules.sj007_unused_suppression import check_rule_levels


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
        empty = [p for p in paths if p.is_dir() and next(walk(p), None) is None]
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
