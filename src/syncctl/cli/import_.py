"""``syncctl import``: bring unmanaged live jobs under management as job files."""

from __future__ import annotations

import click

from syncctl.cli.main import Globals, format_option
from syncctl.config import load_config
from syncctl.errors import UsageError
from syncctl.reconcile.importer import import_jobs
from syncctl.reconcile.session import open_session
from syncctl.render.imported import IMPORT


@click.command(name="import")
@click.argument("ids", nargs=-1)
@click.option("--integration", metavar="NAME", help="Import every unmanaged job of NAME.")
@click.option("--all", "all_", is_flag=True, help="Import every unmanaged job.")
@format_option(IMPORT)
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
    click.echo(IMPORT.render(fmt, result, color=globals_.color), nl=False)
