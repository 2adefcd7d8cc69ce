"""``syncctl import``: bring unmanaged live jobs and workflows under management as files."""

from __future__ import annotations

import click

from syncctl.cli.main import Globals, format_option
from syncctl.config import load_config
from syncctl.errors import UsageError
from syncctl.reconcile.importer import import_live
from syncctl.reconcile.session import open_session
from syncctl.render.imported import IMPORT


@click.command(name="import")
@click.argument("ids", nargs=-1)
@click.option(
    "--integration", metavar="NAME", help="Import every unmanaged job of NAME (jobs only)."
)
@click.option(
    "--all", "all_", is_flag=True, help="Import every unmanaged job, then every unmanaged workflow."
)
@format_option(IMPORT)
@click.pass_obj
def import_(
    globals_: Globals, ids: tuple[str, ...], integration: str | None, all_: bool, fmt: str
) -> None:
    """Write canonical files for unmanaged live jobs and workflows (IDS, --integration or
    --all) and record them in state, so the next plan is empty. Existing files are never
    overwritten.

    Each ID is looked up as a sync job, then as a workflow. A workflow is written to
    workflows/<name>.yaml (trigger_name and config), its name taken from the first job it runs
    (zendesk/support-directory -> zendesk-support-directory), else workflow-<id>, with -2, -3...
    when taken. Jobs are imported first, so a step's sync_job_id of a managed job (in state,
    or imported in the same run) becomes sync_job: <key>; a step naming a job that is not
    managed keeps its sync_job_id (validate warns, SJ905) and the result notes it."""
    if sum(bool(x) for x in (ids, integration, all_)) != 1:
        raise UsageError(
            "name what to import: IDS (jobs or workflows), --integration NAME, or --all"
        )
    config = load_config(globals_.config)
    env = config.environment(globals_.env)
    with open_session(config, env, lock=True) as session:
        session.store.load()
        result = import_live(session, ids=ids, integration=integration)
    click.echo(IMPORT.render(fmt, result, color=globals_.color), nl=False)
