"""``syncctl apply [PLAN]``: make the live jobs match the files."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from syncctl.cli.main import Globals, format_option
from syncctl.cli.plan import target_options
from syncctl.config import load_config
from syncctl.connect import connect
from syncctl.errors import EXIT_FAILURE, PlanError, UsageError
from syncctl.progress import reporter
from syncctl.reconcile.apply import ApplyResult, Executor, Progress
from syncctl.reconcile.guards import MASS_DELETE, RISKY, guards_for, judge, refuse
from syncctl.reconcile.saved import check_fresh, read_plan
from syncctl.reconcile.session import build_plan, open_session
from syncctl.reconcile.verify import Verified, to_verify, verify_runs
from syncctl.render import apply_verify
from syncctl.render.apply import APPLY
from syncctl.render.apply_text import line
from syncctl.render.plan import PLAN
from syncctl.runs import parse_arg_options

VERIFY_TIMEOUT = 3600.0


def _progress(total: int, verbosity: int, color: bool) -> Progress | None:
    """``[n/total]`` lines at -v; a bar on a terminal for more than ten actions; else nothing."""
    return reporter(total, verbosity=verbosity, describe=lambda o: line(o, color=color))


@click.command()
@click.argument("plan_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--prune", is_flag=True, help="Delete managed jobs whose file is gone.")
@target_options
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--allow-mass-delete",
    is_flag=True,
    help="Allow a plan that deletes more than the environment's mass_delete_ratio of jobs.",
)
@click.option(
    "--allow-risky",
    is_flag=True,
    help="Allow risky changes (state_key, mutex_key, default_runtime_version, a state node's "
    "config.key, a workflow's trigger_name): they orphan stored state or re-key runs.",
)
@click.option(
    "--verify-run",
    "verify_account",
    metavar="ACCOUNT",
    help="After apply, run each created or changed job once for this integrated account and "
    "report its final status (a failed run exits 1; a job needing other arguments is skipped).",
)
@click.option(
    "--verify-arg",
    "verify_args",
    multiple=True,
    metavar="NAME=VALUE",
    help="An argument of the verify runs, given to each job that declares it (repeatable).",
)
@click.option(
    "--verify-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=VERIFY_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="Stop waiting for a verify run after this long (counted as failed; the run goes on).",
)
@format_option(APPLY, help="Output format of the result.")
@click.pass_obj
def apply(
    globals_: Globals,
    plan_file: Path | None,
    prune: bool,
    target: tuple[str, ...],
    exclude: tuple[str, ...],
    yes: bool,
    allow_mass_delete: bool,
    allow_risky: bool,
    verify_account: str | None,
    verify_args: tuple[str, ...],
    verify_timeout: float,
    fmt: str,
) -> None:
    """Apply a saved PLAN, or plan now, show it and ask before applying.

    A saved PLAN is applied to the environment it was made for (an --env naming another one is
    refused), with the targets it was made with. The guards (mass delete, risky changes) are
    checked before anything is asked or changed: a plan they refuse exits 1 with their reasons.
    Creates and updates run first, deletes last; every success is written to the state file at
    once, so an interrupted apply loses nothing and the next run converges.

    Exit 0 applied (or nothing to do), 1 a guard refused the plan, a stale saved plan, a change
    that failed or (with --verify-run) a verify run that did not complete, 2 usage.

    \b
    Examples:
      syncctl apply                             # plan, show, ask
      syncctl --env production apply plan.json --yes
      syncctl apply --target 'workflow:*' --yes   # the workflows (and the jobs they run)
      syncctl apply --prune --allow-mass-delete --yes
      syncctl apply --yes --verify-run ACCOUNT_ID --verify-arg since=2026-01-01
    """
    _check_options(plan_file, prune, target, exclude, verify_account, verify_args)
    config = load_config(globals_.config)
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
    allowed = {name for name, on in ((MASS_DELETE, allow_mass_delete), (RISKY, allow_risky)) if on}
    guards = guards_for(env, allowed=allowed)
    with open_session(config, env, lock=True) as session:
        state = session.store.load()
        if saved is not None:
            check_fresh(saved, session.api, state, env.name, workflows=session.api.workflows)
            the_plan = judge(saved, guards)
            refuse(the_plan)
        else:
            built = build_plan(session, state, prune=prune, target=target, exclude=exclude)
            the_plan = judge(built, guards)
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
        total = len(the_plan.actionable)
        result = executor.run(the_plan, _progress(total, globals_.verbosity, globals_.color))
    if verify_account is None:
        click.echo(APPLY.render(fmt, result, color=globals_.color), nl=False)
        click.get_current_context().exit(EXIT_FAILURE if result.failed else 0)
    if fmt == "text":  # the apply result first, then each verify run as it ends
        click.echo(APPLY.render(fmt, result, color=globals_.color), nl=False)
    with connect(env, config.root, known_triggers=config.known_triggers) as client:
        verified = verify_runs(
            client,
            to_verify(the_plan, result),
            verify_account,
            verify_args,
            timeout=verify_timeout,
            on_status=(lambda text: click.echo(f"  {text}", err=True))
            if globals_.verbosity > 0
            else None,
            echo=(lambda v: click.echo(apply_verify.line(v, color=globals_.color)))
            if fmt == "text"
            else None,
        )
    _show_verified(fmt, result, verified, verify_account, globals_.color)
    failed = result.failed or any(not v.ok for v in verified)
    click.get_current_context().exit(EXIT_FAILURE if failed else 0)


def _check_options(
    plan_file: Path | None,
    prune: bool,
    target: Sequence[str],
    exclude: Sequence[str],
    verify_account: str | None,
    verify_args: Sequence[str],
) -> None:
    """Usage errors that need nothing but the options: found before any lock or API call."""
    if plan_file is not None and prune:
        raise UsageError("--prune is decided when the plan is made: use 'plan --prune --out'")
    if plan_file is not None and (target or exclude):
        flag = "--target" if target else "--exclude"
        raise UsageError(
            f"{flag} is decided when the plan is made: a saved plan keeps its targets",
            hint="use 'syncctl plan --target ... --out PLAN', then 'syncctl apply PLAN'",
        )
    if verify_args and verify_account is None:
        raise UsageError("--verify-arg needs --verify-run ACCOUNT")
    if verify_account is not None:
        if not verify_account.strip():
            raise UsageError("--verify-run needs an integrated account id")
        parse_arg_options(verify_args)  # a malformed NAME=VALUE is found before apply


def _show_verified(
    fmt: str, result: ApplyResult, verified: Sequence[Verified], account: str, color: bool
) -> None:
    if fmt == "json":
        document = result.to_dict() | {"verify": apply_verify.to_dict(verified, account)}
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(APPLY.render(fmt, result, color=color), nl=False)
        click.echo(apply_verify.markdown(verified, account), nl=False)
    else:
        click.echo(apply_verify.summary(verified, account))
