"""``syncctl import``: bring unmanaged live jobs under management as job files."""

from __future__ import annotations

import json

import click

from syncctl.cli.main import Globals, format_option
from syncctl.config import load_config
from syncctl.errors import UsageError
from syncctl.reconcile.importer import import_jobs
from syncctl.reconcile.session import open_session


@click.command(name="import")
@click.argument("ids", nargs=-1)
@click.option("--integration", metavar="NAME", help="Import every unmanaged job of NAME.")
@click.option("--all", "all_", is_flag=True, help="Import every unmanaged job.")
@format_option("text", "json")
@click.pass_obj
def import_(
    globals_: Globals, ids: tuple[str, ...], integration: str | None, all_: bool, fmt: str
) -> None:
    """Write canonical job files for unmanaged live jobs (IDS, --integration or --all)
    and record them in state, so the next plan is empty. Existing files are never overwritten."""
    if sum(bool(x) for x in (ids, integration, all_)) != 1:
        raise UsageError("name what to import: job IDS, --integration NAME, or --all")
    config = load_config(globals_.config)
    env = config.environment(globals_.env)
    with open_session(config, env, lock=True) as session:
        session.store.load()
        result = import_jobs(session, ids=ids, integration=integration)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    for item in result.imported:
        click.echo(f"imported {item.id} as {item.key} ({item.file})")
    for skip in result.skipped:
        click.echo(f"skipped {skip.id}: {skip.reason}")
    click.echo(f"{len(result.imported)} imported, {len(result.skipped)} skipped in {env.name}.")
