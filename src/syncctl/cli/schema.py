"""``syncctl schema``: print the JSON Schema of a job file."""

from __future__ import annotations

import click

from syncctl.schema import schema_text


@click.command()
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of a job file, for editors and other tools."""
    click.echo(schema_text(), nl=False)
