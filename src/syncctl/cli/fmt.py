"""``syncctl fmt``: rewrite job and workflow files in the canonical layout (``--check``: only
report; ``--diff``: show the change as a unified diff, write nothing)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import click

from syncctl.cli.main import Globals, format_option
from syncctl.config import load_config
from syncctl.discovery import default_paths
from syncctl.errors import EXIT_FAILURE, EXIT_OK
from syncctl.fmt import FileResult, FormatReport, Status, format_paths


@dataclass(frozen=True, slots=True)
class FmtOptions:
    paths: tuple[Path, ...]
    check: bool
    diff: bool
    fmt: str


def _plural(count: int, word: str = "file") -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _lines(result: FileResult) -> list[str]:
    if result.diff is not None:  # the diff's own headers name the file
        return [result.diff.removesuffix("\n")]
    if result.status is Status.REFORMATTED:
        return [f"reformatted {result.file}"]
    if result.status is Status.WOULD_REFORMAT:
        return [f"would reformat {result.file}"]
    if result.failed:
        shown = [
            f"{f.file}:{f.line}:{f.column}: {f.rule} {f.severity.value}: {f.message}"
            for f in result.findings
        ]
        return [*shown, f"error: {result.file}: {result.message}"]
    return []


def summary_line(report: FormatReport) -> str:
    """``2 files reformatted, 13 files left unchanged`` (``--check``: ``would be …``)."""
    would = "would be " if report.check else ""
    changed = report.count(Status.REFORMATTED) + report.count(Status.WOULD_REFORMAT)
    parts = []
    if changed:
        parts.append(f"{_plural(changed)} {would}reformatted")
    unchanged = report.count(Status.UNCHANGED)
    if unchanged or not report.results:
        parts.append(f"{_plural(unchanged)} {would}left unchanged")
    failed = report.count(Status.INVALID) + report.count(Status.UNSAFE)
    if failed:
        parts.append(f"{_plural(failed)} could not be formatted")
    return ", ".join(parts)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change.")
@click.option(
    "--diff",
    is_flag=True,
    help="Write nothing; print a unified diff of each change (implies --check, exit 1 if any).",
)
@format_option("text", "json")
@click.pass_obj
def fmt(globals_: Globals, paths: tuple[Path, ...], check: bool, diff: bool, fmt: str) -> None:
    """Format job and workflow files (default: the configured jobs and workflows folders),
    keeping comments.

    Canonical key order, double-quoted placeholders, 2-space indentation, one final newline.
    A comment on its own line moves with the key below it, indented as that key. The data
    never changes: files with loader errors (SJ001-SJ003) are left untouched.

    --diff writes nothing, with or without --check: stdout is only the unified diffs
    (--- a/<file>, +++ b/<file>; `git apply` at the root applies them), the summary goes
    to stderr. With --format json each changed file's result carries its "diff".

    Exit 0 when done (--check/--diff: nothing to change), 1 when a file would change
    (--check/--diff) or could not be formatted, 2 on usage errors.

    \b
    Examples:
      syncctl fmt                        # format jobs/ and workflows/
      syncctl fmt --check                # CI: exit 1 if a file is not formatted
      syncctl fmt --check --diff         # ... and show what would change
      syncctl fmt jobs/zendesk/tickets.yaml
    """
    options = FmtOptions(paths, check, diff, fmt)
    config = load_config(globals_.config)
    given = list(options.paths) or default_paths(config)
    report = format_paths(given, config, check=options.check, diff=options.diff)
    if options.fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        for result in report.results:
            for line in _lines(result):
                click.echo(line, err=result.failed)
        if globals_.verbosity >= 0:  # with --diff, stdout stays a patch
            click.echo(summary_line(report), err=options.diff)
    click.get_current_context().exit(EXIT_FAILURE if report.failed else EXIT_OK)
