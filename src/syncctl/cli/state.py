"""``syncctl state list|show|mv|rm``: inspect and edit the state of one environment.

These commands change only the state file, never a live job.
"""

from __future__ import annotations

import json

import click

from syncctl.cli.main import Globals
from syncctl.config import Environment, load_config
from syncctl.errors import StateError
from syncctl.reconcile.state import StateStore


def _store(globals_: Globals) -> tuple[Environment, StateStore]:
    config = load_config(globals_.config)
    env = config.environment(globals_.env)
    return env, StateStore.for_environment(config.root, env.state_path, env.name)


@click.group()
def state() -> None:
    """Inspect or edit the state file (job key -> remote id); no API call is made."""


@state.command(name="list")
@click.pass_obj
def list_(globals_: Globals) -> None:
    """List managed jobs: key, remote id, protected flag."""
    env, store = _store(globals_)
    current = store.load()
    for key, entry in sorted(current.jobs.items()):
        flag = "  protected" if entry.protected else ""
        click.echo(f"{key}  {entry.id}{flag}")
    for key in sorted(current.pending):
        click.echo(f"{key}  (pending create)")
    if not current.jobs and not current.pending:
        click.echo(f"No managed jobs in {env.name}.", err=True)


@state.command()
@click.argument("key")
@click.pass_obj
def show(globals_: Globals, key: str) -> None:
    """Show one entry as JSON."""
    env, store = _store(globals_)
    current = store.load()
    if key in current.jobs:
        click.echo(json.dumps({"key": key, **current.jobs[key].to_dict()}, indent=2))
    elif key in current.pending:
        click.echo(json.dumps({"key": key, "pending": current.pending[key].to_dict()}, indent=2))
    else:
        raise StateError(f"no job {key!r} in the {env.name} state", hint="see 'syncctl state list'")


@state.command()
@click.argument("old")
@click.argument("new")
@click.pass_obj
def mv(globals_: Globals, old: str, new: str) -> None:
    """Rename an entry (after renaming its file by hand)."""
    _env, store = _store(globals_)
    with store.locked():
        store.load()
        store.update(lambda s: s.moved(old, new))
    click.echo(f"moved {old} -> {new}")


@state.command()
@click.argument("key")
@click.pass_obj
def rm(globals_: Globals, key: str) -> None:
    """Forget an entry; the live job is left untouched (and becomes unmanaged)."""
    env, store = _store(globals_)
    with store.locked():
        current = store.load()
        if key not in current.jobs and key not in current.pending:
            raise StateError(f"no job {key!r} in the {env.name} state")
        store.update(lambda s: s.without(key))
    click.echo(f"removed {key} from the {env.name} state (the live job is untouched)")
