"""``syncctl validate``: check job and workflow files; exit 0 clean, 1 failing findings, 2 usage."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

from syncctl.cli.main import Globals, format_option
from syncctl.config import load_config
from syncctl.discovery import default_paths
from syncctl.errors import EXIT_FAILURE, EXIT_OK, UsageError
from syncctl.render.findings import FINDINGS
from syncctl.validate import validate_paths


@dataclass(frozen=True, slots=True)
class ValidateOptions:
    paths: tuple[Path, ...]
    fmt: str
    strict: bool
    output: Path | None
    workers: int | None
    git: bool


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option(
    FINDINGS,
    help="Output format: compiler-style text, JSON, GitHub annotations, or SARIF 2.1.0.",
)
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--workers",
    "-j",
    type=click.IntRange(min=1),
    metavar="N",
    help="Processes that share the files: 1 checks them in this process. Default: the"
    " SYNCCTL_WORKERS environment variable, else one per CPU for 400 files or more.",
)
@click.option(
    "--git",
    is_flag=True,
    help="Check only the files git tracks or has staged (never untracked drafts), under PATHS"
    " or the jobs and workflows folders; cross-file rules run over that set. For pre-commit.",
)
@click.pass_obj
def validate(
    globals_: Globals,
    paths: tuple[Path, ...],
    fmt: str,
    strict: bool,
    output: Path | None,
    workers: int | None,
    git: bool,
) -> None:
    """Validate job and workflow files (default: the jobs and workflows folders).

    Every file is checked in one run (a large tree is spread over a pool of processes; the
    findings and their order are the same either way); one broken file never hides the others.
    A path that holds no job or workflow file is a usage error. Silence a finding with
    `# syncctl: ignore[SJ501]` at the end of its line, `# syncctl: ignore-file[SJ501]` on a
    line of its own, or [tool.syncctl.rules] (see docs/rules.md).

    Exit 0 when clean, 1 when errors (or, with --strict, warnings) are found, 2 on usage errors.

    \b
    Examples:
      syncctl validate
      syncctl validate --strict jobs/zendesk
      syncctl validate --git --strict        # what pre-commit runs
      syncctl validate --format sarif -o validate.sarif
    """
    options = ValidateOptions(paths, fmt, strict, output, workers, git)
    config = load_config(globals_.config)
    targets = list(options.paths) or default_paths(config)
    report = validate_paths(
        targets,
        config,
        workers=options.workers,
        git=options.git,
        require_files=bool(options.paths),
    ).under_strict(options.strict)
    if report.files_checked == 0:
        shown = ", ".join(p.as_posix() for p in targets)
        raise UsageError(
            f"no job or workflow files{' tracked by git' if options.git else ''} under {shown}",
            hint="add a job file such as jobs/<integration>/<job>.yaml, or pass its path",
        )
    text = FINDINGS.render(options.fmt, report, color=globals_.color and output is None)
    if options.output is not None:
        options.output.write_text(text, encoding="utf-8")
    elif globals_.verbosity >= 0 or report.findings:
        click.echo(text, nl=False)
    click.get_current_context().exit(EXIT_FAILURE if report.failed() else EXIT_OK)
