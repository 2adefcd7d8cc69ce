"""``syncctl plan``: show what apply would do; optionally save it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from syncctl.cli.main import Globals, format_option
from syncctl.config import load_config
from syncctl.reconcile.guards import guards_for, judge
from syncctl.reconcile.saved import write_plan
from syncctl.reconcile.session import build_plan, open_session
from syncctl.render.plan import PLAN

EXIT_CHANGES = 2
F = TypeVar("F", bound=Callable[..., Any])


def target_options(command: F) -> F:
    """``--target PATTERN`` and ``--exclude PATTERN`` (repeatable) on plan and apply."""
    command = click.option(
        "--exclude",
        "exclude",
        multiple=True,
        metavar="PATTERN",
        help="Leave out the jobs and workflows whose key matches (a glob; repeatable).",
    )(command)
    return click.option(
        "--target",
        "target",
        multiple=True,
        metavar="PATTERN",
        help="Plan only the jobs and workflows whose key matches, e.g. 'zendesk/*' or "
        "'workflow:*' (a glob where * matches / too; repeatable). A workflow brings the jobs "
        "it runs.",
    )(command)


@click.command()
@click.option("--prune", is_flag=True, help="Plan deletes for managed jobs whose file is gone.")
@target_options
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save the plan as JSON for 'syncctl apply PLAN'.",
)
@format_option(PLAN, help="Output format (markdown: for PR comments and step summaries).")
@click.option(
    "--detailed-exitcode",
    is_flag=True,
    help="Exit 0 when there are no changes, 2 when there are (1 on errors).",
)
@click.pass_obj
def plan(
    globals_: Globals,
    prune: bool,
    target: tuple[str, ...],
    exclude: tuple[str, ...],
    out: Path | None,
    fmt: str,
    detailed_exitcode: bool,
) -> None:
    """Compare the job and workflow files with the live objects of one environment.

    Validates the files first (the same checks as 'syncctl validate') and shows their warnings
    above the plan; a listing that fails on any page aborts the plan, so a missing page can
    never turn into deletes. The guards (mass delete, risky changes) are judged and shown: a
    plan they refuse still exits as any plan does, and 'syncctl apply' will refuse it.

    With --target/--exclude the plan is partial and says so: only the matching keys are
    planned (a pattern that matches nothing exits 2), prune deletes only among them, and a
    saved partial plan records its patterns.

    Exit 0 planned (changes or not), 1 an error (invalid files, an API error), 2 usage. With
    --detailed-exitcode: 0 no changes, 2 changes present, 1 an error (a usage error is 2 as
    well: it is the only exit 2 that writes to stderr).

    \b
    Examples:
      syncctl plan
      syncctl --env production plan --format markdown > plan.md
      syncctl plan --target 'zendesk/*' --exclude zendesk/tickets
      syncctl plan --prune --out plan.json && syncctl apply plan.json
      syncctl plan --detailed-exitcode          # in CI: 2 means there is something to apply
    """
    config = load_config(globals_.config)
    env = config.environment(globals_.env)
    with open_session(config, env, lock=False) as session:
        built = build_plan(
            session, session.store.load(), prune=prune, target=target, exclude=exclude
        )
        result = judge(built, guards_for(env))
    if out is not None:
        write_plan(result, out)
    click.echo(PLAN.render(fmt, result, color=globals_.color), nl=False)
    if out is not None and globals_.verbosity >= 0:
        click.echo(f"Plan saved to {out}; apply it with: syncctl apply {out}", err=True)
    ctx = click.get_current_context()
    ctx.exit(EXIT_CHANGES if detailed_exitcode and result.has_changes else 0)
