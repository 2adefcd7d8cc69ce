"""``syncctl import``: bring unmanaged live jobs and workflows under management as files."""

from __future__ import annotations

import click

from syncctl.cli.main import Globals, format_option
from syncctl.config import load_config
from syncctl.errors import EXIT_FAILURE, EXIT_OK, UsageError
from syncctl.reconcile.importer import import_live, parse_key
from syncctl.reconcile.session import open_session
from syncctl.render.imported import IMPORT


@click.command(name="import")
@click.argument("ids", nargs=-1)
@click.option(
    "--key",
    metavar="KEY",
    help="Write the one ID as KEY: integration/name (or _multi/name) for a job, "
    "workflow:name for a workflow. KEY must be valid and free (no file, not in state).",
)
@click.option(
    "--integration", metavar="NAME", help="Import every unmanaged job of NAME (jobs only)."
)
@click.option(
    "--all", "all_", is_flag=True, help="Import every unmanaged job, then every unmanaged workflow."
)
@click.option(
    "--allow-secrets",
    is_flag=True,
    help="Write an object that holds a literal secret (SJ601) instead of skipping it; the"
    " finding is printed and the run exits 1 until the secret is moved out.",
)
@format_option(IMPORT)
@click.pass_obj
def import_(
    globals_: Globals,
    ids: tuple[str, ...],
    key: str | None,
    integration: str | None,
    all_: bool,
    allow_secrets: bool,
    fmt: str,
) -> None:
    """Write canonical files for unmanaged live jobs and workflows (IDS, --integration or
    --all) and record them in state, so the next plan is empty. Existing files are never
    overwritten.

    Each ID is looked up as a sync job, then as a workflow. A job is written to
    jobs/<integration>/<name>.yaml, its name taken from its label without a leading
    integration word ("Zendesk tickets" in zendesk -> zendesk/tickets), with -2, -3... when
    taken; --key chooses the key of a single ID instead. A workflow is written to
    workflows/<name>.yaml (trigger_name and config), its name taken from the first job it runs
    (zendesk/tickets -> zendesk-tickets), else workflow-<id>. Jobs are imported first, so a
    step's sync_job_id of a managed job (in state, or imported in the same run) becomes
    sync_job: <key>; a step naming a job that is not managed keeps its sync_job_id (validate
    warns, SJ905) and the result notes it.

    Nothing is written silently: an object holding a literal secret (what SJ601 finds) is
    skipped before anything is written, with the field and the remedy, unless
    --allow-secrets. The written files are then validated with the rest of the tree, as
    syncctl validate does, and their findings are printed (JSON: "findings").

    Exit 0 when everything asked for was imported and the imported files have no error; 1 when
    an id was skipped (unknown, managed, a taken key, a secret...; each reason says what to do)
    or an imported file has an error finding (the file is kept: fix it, then validate); 2 on
    usage errors.

    \b
    Examples:
      syncctl import --all
      syncctl import --integration zendesk --format json
      syncctl import 0b6d2c1e-... --key zendesk/tickets
    """
    if sum(bool(x) for x in (ids, integration, all_)) != 1:
        raise UsageError(
            "name what to import: IDS (jobs or workflows), --integration NAME, or --all"
        )
    wanted = None
    if key is not None:
        if len(ids) != 1:
            raise UsageError("--key goes with exactly one id", hint="syncctl import ID --key KEY")
        wanted = parse_key(key)
    config = load_config(globals_.config)
    env = config.environment(globals_.env)
    with open_session(config, env, lock=True) as session:
        session.store.load()
        result = import_live(
            session, ids=ids, integration=integration, key=wanted, allow_secrets=allow_secrets
        )
    click.echo(IMPORT.render(fmt, result, color=globals_.color), nl=False)
    click.get_current_context().exit(EXIT_FAILURE if result.failed else EXIT_OK)
