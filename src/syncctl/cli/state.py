"""``syncctl state list|show|mv|rm``: inspect and edit the state of one environment.

The state file has one section per kind (``syncctl.kinds.KINDS``: sync jobs, then workflows).
A key names its kind by its prefix (``workflow:onboarding`` is a workflow, ``zendesk/tickets`` a
job; ``kind_of_key``), so every command finds a key in its own kind's section and no option is
needed. These commands change only the state file, never a live job or workflow.
"""

from __future__ import annotations

import json
from typing import Any

import click

from syncctl.cli.main import Globals
from syncctl.config import Environment, load_config
from syncctl.errors import StateError, UsageError
from syncctl.kinds import KINDS, SYNC_JOB, Kind, kind_of_key
from syncctl.reconcile.state import State, StateStore


def _store(globals_: Globals) -> tuple[Environment, StateStore]:
    config = load_config(globals_.config)
    env = config.environment(globals_.env)
    return env, StateStore.for_environment(config.root, env.state_path, env.name)


def _noun(kind: Kind) -> str:
    """How messages name one object of ``kind`` (``job``, ``workflow``), as the state's own
    messages do, so a user reads one word for one thing."""
    return "job" if kind is SYNC_JOB else kind.name.replace("_", " ")


def _missing(key: str, kind: Kind, env: Environment) -> StateError:
    """The one-line error for a key that is not in its kind's section of ``env``'s state."""
    return StateError(
        f"no {_noun(kind)} {key!r} in the {env.name} state", hint="see 'syncctl state list'"
    )


def _listing(current: State) -> list[str]:
    """The lines of ``state list``: each kind in ``KINDS`` order, its entries (key, id,
    protected flag) then its pending creates, each sorted by key. The jobs come first, exactly
    as before workflows existed, so scripts that read the jobs' lines keep working."""
    lines = []
    for kind in KINDS:
        section = current.section(kind)
        for key, entry in sorted(section.entries.items()):
            flag = "  protected" if entry.protected else ""
            lines.append(f"{key}  {entry.id}{flag}")
        lines.extend(f"{key}  (pending create)" for key in sorted(section.pending))
    return lines


@click.group()
def state() -> None:
    """Inspect or edit the state file (job/workflow key -> remote id); no API call is made.

    Workflow keys start with "workflow:" (e.g. workflow:zendesk-onboarding); any other key is a
    job's. Exit 0 done, 1 an error (an unknown key, a locked state), 2 usage.

    \b
    Examples:
      syncctl state list
      syncctl state show zendesk/tickets
      syncctl --env production state mv zendesk/old zendesk/new   # after git mv
      syncctl state rm workflow:zendesk-onboarding                # stop managing it
    """


@state.command(name="list")
@click.pass_obj
def list_(globals_: Globals) -> None:
    """List managed jobs, then workflows: key, remote id, protected flag.

    Exit 0 (an empty state too: its note goes to stderr), 1 on an unreadable state file.
    """
    env, store = _store(globals_)
    lines = _listing(store.load())
    for line in lines:
        click.echo(line)
    if not lines:
        click.echo(f"No managed jobs or workflows in {env.name}.", err=True)


def _shown(key: str, kind: Kind, current: State) -> dict[str, Any] | None:
    """What ``state show`` prints for ``key`` of ``kind``: its entry, or its pending create
    under ``pending``, with ``key`` and ``kind`` first; ``None`` when the state has neither."""
    section = current.section(kind)
    head: dict[str, Any] = {"key": key, "kind": kind.name}
    if key in section.entries:
        return {**head, **section.entries[key].to_dict()}
    if key in section.pending:
        return {**head, "pending": section.pending[key].to_dict()}
    return None


@state.command()
@click.argument("key")
@click.pass_obj
def show(globals_: Globals, key: str) -> None:
    """Show one entry (a job, or a workflow:KEY) as JSON, with its kind.

    Exit 0 shown, 1 no such entry.
    """
    env, store = _store(globals_)
    kind = kind_of_key(key)
    shown = _shown(key, kind, store.load())
    if shown is None:
        raise _missing(key, kind, env)
    click.echo(json.dumps(shown, indent=2))


def _kind_of_move(old: str, new: str) -> Kind:
    """The kind both keys of ``state mv`` belong to. A key's kind is its prefix, and an entry
    cannot change kind (a job's id is not a workflow's), so keys of two kinds are a usage error."""
    kind, target = kind_of_key(old), kind_of_key(new)
    if kind is not target:
        raise UsageError(
            f"cannot move {_noun(kind)} {old!r} to {new!r}, which is a {_noun(target)} key",
            hint="'state mv' renames an entry within its kind; workflow keys start with "
            "'workflow:'",
        )
    return kind


@state.command()
@click.argument("old")
@click.argument("new")
@click.pass_obj
def mv(globals_: Globals, old: str, new: str) -> None:
    """Rename an entry (after renaming its job or workflow file by hand).

    OLD and NEW must be keys of one kind: two job keys, or two workflow:KEY keys. Exit 0
    moved, 1 no such entry or NEW already taken, 2 keys of two kinds.
    """
    kind = _kind_of_move(old, new)
    _env, store = _store(globals_)
    with store.locked():
        store.load()
        store.update(lambda s: s.moved(old, new, kind=kind))
    click.echo(f"moved {old} -> {new}")


@state.command()
@click.argument("key")
@click.pass_obj
def rm(globals_: Globals, key: str) -> None:
    """Forget an entry; the live job or workflow is left untouched (and becomes unmanaged).

    Exit 0 removed, 1 no such entry.
    """
    env, store = _store(globals_)
    kind = kind_of_key(key)
    with store.locked():
        section = store.load().section(kind)
        if key not in section.entries and key not in section.pending:
            raise _missing(key, kind, env)
        store.update(lambda s: s.without(key, kind=kind))
    noun = _noun(kind)
    click.echo(f"removed {key} from the {env.name} state (the live {noun} is untouched)")
