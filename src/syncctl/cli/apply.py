"""``syncctl apply [PLAN]``: make the live jobs match the files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from syncctl.cli.main import Globals, format_option
from syncctl.config import load_config
from syncctl.errors import EXIT_FAILURE, PlanError, UsageError
from syncctl.reconcile.apply import Executor, Outcome, Progress
from syncctl.reconcile.guards import MASS_DELETE, guards_for, judge, refuse
from syncctl.reconcile.saved import check_fresh, read_plan
from syncctl.reconcile.session import build_plan, open_session
from syncctl.render.apply import APPLY
from syncctl.render.apply_text import line
from syncctl.render.plan import PLAN


def _progress(enabled: bool, color: bool) -> Progress | None:
    def show(outcome: Outcome, done: int, total: int) -> None:
        click.echo(f"[{done}/{total}] {line(outcome, color=color)}", err=True)

    return show if enabled else None


@click.command()
@click.argument("plan_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--prune", is_flag=True, help="Delete managed jobs whose file is gone.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--allow-mass-delete",
    is_flag=True,
    help="Allow a plan that deletes more than the environment's mass_delete_ratio of jobs.",
)
@format_option(APPLY, help="Output format of the result.")
@click.pass_obj
def apply(
    globals_: Globals,
    plan_file: Path | None,
    prune: bool,
    yes: bool,
    allow_mass_delete: bool,
    fmt: str,
) -> None:
    """Apply a saved PLAN, or plan now, show it and ask before applying.

    A saved PLAN is applied to the environment it was made for (an --env naming another one is
    refused). The guards (mass delete) are checked before anything is asked or changed: a plan
    they refuse exits 1 with their reasons. Creates and updates run first, deletes last; every
    success is written to the state file at once, so an interrupted apply loses nothing and the
    next run converges. Exit 1 if any job failed.
    """
    config = load_config(globals_.config)
    if plan_file is not None and prune:
        raise UsageError("--prune is decided when the plan is made: use 'plan --prune --out'")
    saved = read_plan(plan_file) if plan_file is not None else None
    chosen = globals_.env if globals_.env is not None or saved is None else saved.environment
    if saved is not None and globals_.env is None and chosen not in config.environments:
        known = ", ".join(sorted(config.environments)) or "none"
        raise PlanError(
            f"the plan is for environment {chosen!r}, which is not configured here "
            f"(configured: {known})",
            hint="apply it where that environment is configured, or make a new plan",
        )
    env = config.environment(chosen)
    if saved is not None and saved.environment != env.name:  # before any lock is taken
        raise PlanError(
            f"the plan is for environment {saved.environment!r}, not {env.name!r}",
            hint=f"run with --env {saved.environment}, or without --env",
        )
    guards = guards_for(env, allowed={MASS_DELETE} if allow_mass_delete else set())
    with open_session(config, env, lock=True) as session:
        state = session.store.load()
        if saved is not None:
            check_fresh(saved, session.api, state, env.name, workflows=session.api.workflows)
            the_plan = judge(saved, guards)
            refuse(the_plan)
        else:
            the_plan = judge(build_plan(session, state, prune=prune), guards)
            # The plan shown before asking goes to stderr when stdout carries JSON or markdown.
            click.echo(
                PLAN.render("text", the_plan, color=globals_.color),
                nl=False,
                err=fmt != "text",
            )
            refuse(the_plan)  # before asking: a refused plan is never confirmed
            if the_plan.has_changes and not yes:
                if not sys.stdin.isatty():
                    raise UsageError("apply needs confirmation: pass --yes (no terminal to ask)")
                click.confirm(f"Apply these changes to {env.name}?", abort=True, err=True)
        executor = Executor(
            session.api,
            session.store,
            workflows=session.api.workflows,
            concurrency=env.concurrency,
        )
        show = globals_.verbosity > 0 or (sys.stderr.isatty() and len(the_plan.actionable) > 10)
        result = executor.run(the_plan, _progress(show, globals_.color))
    click.echo(APPLY.render(fmt, result, color=globals_.color), nl=False)
    click.get_current_context().exit(EXIT_FAILURE if result.failed else 0)
