"""``syncctl environments [--remote] [--format text|json]``: the configured environments.

One place answers "which environments are there, and can I reach them?", for people and for CI:
the GitHub Actions workflows read ``--format json`` to build their matrix instead of pasting Python
that imports syncctl's internals. A listing reads only the configuration: no API call, no file
written, no token needed. ``token_set`` says whether the variable holds a value; the value itself is
never printed, at any verbosity.

``--remote`` asks each environment for one page of one job (``GET /sync-job?limit=1``) through the
client that plan and apply use, so an answer means plan would get past authentication. A failure
(no token, wrong token, unreachable) is reported on that environment's line, the others are still
checked, and the command exits 1.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click

from syncctl.cli.main import Globals, format_option
from syncctl.client.retry import RetryPolicy
from syncctl.config import Config, Environment, load_config
from syncctl.errors import EXIT_FAILURE, SyncctlError

FORMAT_VERSION = 1
"""``format_version`` of the JSON output; fields are only ever added (as in plan JSON)."""
CHECK_RETRY = RetryPolicy(max_attempts=2)
"""``--remote`` retries once: a transient blip is forgiven, an unreachable host is reported in
seconds rather than after the full backoff that a plan would wait out."""


@dataclass(frozen=True, slots=True)
class Remote:
    """The answer of one ``--remote`` check: ``error`` is the one-line message (hint included)."""

    ok: bool
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Listed:
    """One environment as listed: what the configuration says, never the token's value."""

    name: str
    url: str
    token_env: str
    token_set: bool
    state_path: str
    embedded: bool
    remote: Remote | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "url": self.url,
            "token_env": self.token_env,
            "token_set": self.token_set,
            "state_path": self.state_path,
            "embedded": self.embedded,
        }
        if self.remote is not None:
            out["remote"] = {"ok": self.remote.ok, "error": self.remote.error}
        return out


def relative_state_path(path: Path, root: Path) -> str:
    """``path`` relative to the config root, in POSIX form as the workflows commit it; a path
    configured outside the root (absolute) is shown as it is."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def listed(env: Environment, root: Path) -> Listed:
    """``env`` as listed; ``token_set`` is whether its variable is set and non-empty."""
    return Listed(
        name=env.name,
        url=env.url,
        token_env=env.token_env,
        token_set=bool(os.environ.get(env.token_env)),
        state_path=relative_state_path(env.state_path, root),
        embedded=env.is_embedded,
    )


def default_name(config: Config) -> str | None:
    """The environment a command uses without ``--env`` (``Config.environment(None)``), or
    None when the configuration names none: then every command needs ``--env``."""
    try:
        return config.environment(None).name
    except SyncctlError:
        return None


def check(env: Environment, config: Config) -> Remote:
    """One ``GET /sync-job?limit=1`` to ``env`` through the normal client. Every user-facing
    failure (a missing token is the client's own ``ConfigError``) becomes ``ok: false`` with its
    one-line message: the client redacts the token before it raises."""
    from syncctl.connect import connect  # only --remote pays for the HTTP client

    try:
        with connect(
            env, config.root, retry=CHECK_RETRY, known_triggers=config.known_triggers
        ) as client:
            next(iter(client.list_pages(limit=1)), None)
    except SyncctlError as exc:
        return Remote(ok=False, error=str(exc))
    return Remote(ok=True)


def text_lines(rows: list[Listed], default: str | None) -> list[str]:
    """One aligned line per environment: ``*`` marks the default, then name, url, token
    variable with ``(set)``/``(unset)``, state path, ``embedded``, and with ``--remote`` the
    answer (``ok`` or ``error: …``) last, since an error may be long."""
    cells = [
        [
            "*" if row.name == default else " ",
            row.name,
            row.url,
            f"{row.token_env} ({'set' if row.token_set else 'unset'})",
            row.state_path,
            "embedded" if row.embedded else "",
            _remote_cell(row.remote),
        ]
        for row in rows
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(cells[0]))] if cells else []
    return [
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in cells
    ]


def _remote_cell(remote: Remote | None) -> str:
    if remote is None:
        return ""
    return "ok" if remote.ok else f"error: {remote.error}"


def as_json(rows: list[Listed], default: str | None) -> Mapping[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "environments": [row.to_dict() for row in rows],
        "default": default,
    }


@click.command()
@click.option(
    "--remote",
    is_flag=True,
    help="Also check that each environment answers (one GET /sync-job?limit=1 each); "
    "exit 1 when one does not.",
)
@format_option("text", "json")
@click.pass_context
def environments(ctx: click.Context, remote: bool, fmt: str) -> None:
    """List the configured environments in configuration order; * marks the default.

    Shows each one's URL, token variable (whether it is set; never the token), state file and
    whether it is embedded (the bundled emulator). No API call is made without --remote.
    Exit 0 listed (and, with --remote, every environment answered), 1 one did not, 2 usage.

    \b
    Examples:
      syncctl environments
      syncctl environments --remote
      syncctl environments --format json | jq -r '.environments[].name'
    """
    globals_ = ctx.find_object(Globals)
    config = load_config(globals_.config if globals_ is not None else None)
    rows = [listed(env, config.root) for env in config.environments.values()]
    if remote:
        rows = [
            replace(row, remote=check(env, config))
            for row, env in zip(rows, config.environments.values(), strict=True)
        ]
    default = default_name(config)
    if fmt == "json":
        click.echo(json.dumps(as_json(rows, default), indent=2))
    else:
        for line in text_lines(rows, default):
            click.echo(line)
    if any(row.remote is not None and not row.remote.ok for row in rows):
        ctx.exit(EXIT_FAILURE)
