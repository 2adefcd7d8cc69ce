"""``syncctl plan``: show what apply would do; optionally save it."""

from __future__ import annotations

from pathlib import Path

import click

from syncctl.cli.main import Globals, format_option
from syncctl.config import load_config
from syncctl.reconcile.guards import guards_for, judge
from syncctl.reconcile.saved import write_plan
from syncctl.reconcile.session import build_plan, open_session
from syncctl.render.plan import PLAN

EXIT_CHANGES = 2


@click.command()
@click.option("--prune", is_flag=True, help="Plan deletes for managed jobs whose file is gone.")
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
    globals_: Globals, prune: bool, out: Path | None, fmt: str, detailed_exitcode: bool
) -> None:
    """Compare the job files with the live jobs of one environment and show the changes.

    Validates the files first (the same checks as 'syncctl validate') and shows their warnings
    above the plan; a listing that fails on any page aborts the plan, so a missing page can
    never turn into deletes. The guards (mass delete) are judged and shown: a plan they refuse
    still exits as any plan does, and 'syncctl apply' will refuse it.
    """
    config = load_config(globals_.config)
    env = config.environment(globals_.env)
    with open_session(config, env, lock=False) as session:
        result = judge(build_plan(session, session.store.load(), prune=prune), guards_for(env))
    if out is not None:
        write_plan(result, out)
    click.echo(PLAN.render(fmt, result, color=globals_.color), nl=False)
    if out is not None and globals_.verbosity >= 0:
        click.echo(f"Plan saved to {out}; apply it with: syncctl apply {out}", err=True)
    ctx = click.get_current_context()
    ctx.exit(EXIT_CHANGES if detailed_exitcode and result.has_changes else 0)
