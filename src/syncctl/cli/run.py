"""``syncctl run JOB_KEY --account ID``: run a managed sync job once and follow it.

The typed core is ``syncctl.runs``; this module only reads options, prints and exits.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import click

from syncctl.cli.main import Globals, _accept_env, format_option
from syncctl.config import load_config
from syncctl.connect import connect
from syncctl.errors import EXIT_OK
from syncctl.reconcile.state import StateStore
from syncctl.runs import (
    EXIT_TIMEOUT,
    Change,
    Followed,
    follow,
    load_job_data,
    poll_interval,
    remote_id,
    request_for,
    start,
    stats_text,
)

DEFAULT_TIMEOUT = 3600.0
NOTES = {"rate_limited": "paused after an upstream rate limit; resumes by itself"}


def _status_line(change: Change) -> str:
    run = change.run
    detail = stats_text(run.resource_stats)
    note = NOTES.get(run.status, "")
    extra = "  ".join(part for part in (note and f"({note})", detail) if part)
    return f"  {change.seconds:6.1f}s  {run.status:<12}  {extra}".rstrip()


def _printer(verbose: bool) -> Any:
    """Print each status change (and, with -v, each change of the counters)."""

    def show(change: Change) -> None:
        if change.status_changed or verbose:
            click.echo(_status_line(change))

    return show


def _summary(key: str, followed: Followed, timeout: float | None) -> str:
    run = followed.run
    if followed.timed_out:
        return (
            f"stopped waiting after {timeout:g}s: run {run.id} of {key} is {run.status}; it "
            f"goes on (exit {EXIT_TIMEOUT})"
        )
    stats = stats_text(run.resource_stats)
    return f"run {run.id} of {key} {run.status} in {followed.seconds:.1f}s" + (
        f" ({stats})" if stats else ""
    )


def _json(key: str, env: str, account: str, followed: Followed | None, run: Any) -> str:
    document: dict[str, Any] = {
        "format_version": 1,
        "job": key,
        "environment": env,
        "account": account,
        "waited": followed is not None,
        "status": run.status,
        "timed_out": bool(followed and followed.timed_out),
        "exit_code": followed.exit_code if followed is not None else EXIT_OK,
        "history": [
            {"status": status, "seconds": round(seconds, 3)}
            for status, seconds in (followed.history if followed is not None else ())
        ],
        "run": run.body,
    }
    return json.dumps(document, indent=2) + "\n"


@click.command()
@click.argument("job_key")
@click.option("--account", required=True, metavar="ID", help="Integrated account to run for.")
@click.option(
    "--arg",
    "arg_texts",
    multiple=True,
    metavar="NAME=VALUE",
    help="A run argument, typed by the job's args_schema (JSON for arrays and objects). "
    "Repeatable.",
)
@click.option(
    "--wait/--no-wait",
    default=True,
    show_default=True,
    help="Follow the run to its end, or only start it.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="Stop waiting after this long (exit 3; the run goes on).",
)
@click.option(
    "--poll-interval",
    "poll_seconds",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    hidden=True,
    help="Seconds between polls (default $SYNCCTL_RUN_POLL_INTERVAL, else 2).",
)
@format_option("text", "json", help="Output format: status lines, or one JSON document.")
@click.pass_obj
def run(
    globals_: Globals,
    job_key: str,
    account: str,
    arg_texts: tuple[str, ...],
    wait: bool,
    timeout: float,
    poll_seconds: float | None,
    fmt: str,
) -> None:
    """Run the managed job JOB_KEY once for the integrated account --account (a sync-job run).

    The job's id comes from the environment's state file (apply it first). --arg values are
    typed by the job's args_schema (string, number, integer, boolean; JSON for arrays and
    objects) and checked against it; --account also fills args.integrated_account_id when the
    job declares that argument and no --arg gives it. With --wait (the default) the run is
    followed to its end, printing each status change and the resource counters.

    \b
    Exit codes:
      0  completed (or started, with --no-wait)
      1  failed or stopped (or an error)
      2  usage: unknown job, undeclared or mistyped --arg, required argument missing
      3  stopped waiting at --timeout (the run goes on)

    \b
    Examples:
      syncctl run zendesk/tickets --account 0f3c-…
      syncctl --env staging run hubspot/deals-pipeline --account 0f3c-… --arg since=2026-01-01
      syncctl run zendesk/tickets --account 0f3c-… --no-wait --format json
    """
    config = load_config(globals_.config)
    env = config.environment(globals_.env)
    data = load_job_data(config, job_key)
    # the arguments are checked before the state: a usage error is one whatever the state says
    checked = request_for(job_key, data, "", account, arg_texts)
    interval = poll_interval(poll_seconds)
    store = StateStore.for_environment(config.root, env.state_path, env.name)
    request = dataclasses.replace(checked, sync_job_id=remote_id(store.load(), job_key))
    with connect(env, config.root, known_triggers=config.known_triggers) as client:
        started = start(client, request)
        if fmt == "text":
            click.echo(
                f"run {started.id} of {job_key} for account {account} (environment {env.name})"
            )
        if not wait:
            if fmt == "json":
                click.echo(_json(job_key, env.name, account, None, started), nl=False)
            else:
                click.echo(f"  {started.status} (not waiting)")
            return
        show = _printer(globals_.verbosity > 0) if fmt == "text" else None
        followed = follow(client, started, timeout=timeout, interval=interval, on_change=show)
    if fmt == "json":
        click.echo(_json(job_key, env.name, account, followed, followed.run), nl=False)
    else:
        click.echo(_summary(job_key, followed, timeout))
    click.get_current_context().exit(followed.exit_code)


_accept_env(run)
