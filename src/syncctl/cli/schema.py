"""``syncctl schema``: print the JSON Schema of a job file, or of another kind's files."""

from __future__ import annotations

import click

from syncctl.kinds import KINDS, SYNC_JOB
from syncctl.schema import schema_text

_BY_NAME = {kind.name: kind for kind in KINDS}


@click.command()
@click.option(
    "--kind",
    "kind_name",
    type=click.Choice(list(_BY_NAME)),
    default=SYNC_JOB.name,
    show_default=True,
    help="Whose files the schema describes.",
)
def schema(kind_name: str) -> None:
    """Print the JSON Schema (draft 2020-12) of a kind's files, for editors and other tools.

    Exit 0.

    \b
    Examples:
      syncctl schema > schemas/sync-job.schema.json
      syncctl schema --kind workflow > schemas/workflow.schema.json
    """
    click.echo(schema_text(_BY_NAME[kind_name]), nl=False)
