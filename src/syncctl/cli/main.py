"""The ``syncctl`` command line: a thin layer of click over the typed core.

This is the one boundary where errors become exits: a ``SyncctlError`` prints one line
(``syncctl: error: …``) and exits with its code; usage errors exit 2. Subcommands are imported
lazily so ``syncctl validate`` never pays for the HTTP client or the reconciler.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from syncctl import __version__
from syncctl.errors import EXIT_USAGE, SyncctlError
from syncctl.progress import echo_above, finish_active

if TYPE_CHECKING:
    from syncctl.render.registry import Registry

_F = TypeVar("_F", bound=Callable[..., Any])

# name -> "module:attribute" of the click command, imported on first use.
COMMANDS: dict[str, str] = {
    "init": "syncctl.cli.init:init",
    "validate": "syncctl.cli.validate:validate",
    "fmt": "syncctl.cli.fmt:fmt",
    "plan": "syncctl.cli.plan:plan",
    "apply": "syncctl.cli.apply:apply",
    "run": "syncctl.cli.run:run",
    "import": "syncctl.cli.import_:import_",
    "state": "syncctl.cli.state:state",
    "graph": "syncctl.cli.graph:graph",
    "environments": "syncctl.cli.environments:environments",
    "schema": "syncctl.cli.schema:schema",
    "emulator": "syncctl.cli.emulator:emulator",
}
"""Every command, in the order a user meets them (``--help`` lists them so): set up, check,
change, operate, inspect."""
ENV_COMMANDS = frozenset({"plan", "apply", "import", "state"})
"""Commands that act on one environment: they take ``--env`` after their name too (design §4:
``syncctl plan --env staging`` as well as ``syncctl --env staging plan``)."""
ENV_HELP = (
    "Target environment (default: default_environment, else local; also accepted before the "
    "command)."
)


@dataclass(frozen=True, slots=True)
class Globals:
    """Options every command shares, parsed once by the group."""

    env: str | None
    config: Path | None
    color: bool
    verbosity: int


def _use_color(choice: str) -> bool:
    """``always`` and ``never`` as said; ``auto`` colours only a terminal, and not at all when
    NO_COLOR is set to anything non-empty (no-color.org: a flag given on the command line wins
    over the variable)."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


LOG_LEVELS = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO, 2: logging.DEBUG}
"""Verbosity (``-v`` minus ``-q``) to the level of the ``syncctl`` logger's handler: ``-v`` shows
retries, waits, pages and state writes (INFO), ``-vv`` every request line (DEBUG)."""


class StderrHandler(logging.Handler):
    """Writes ``syncctl: <message>`` lines to the stderr of the moment (click's, so a test
    runner's capture sees them) above any progress bar there. The CLI installs it; the library
    only emits records (its loggers are ``syncctl.*`` and never get a handler of their own)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            echo_above(f"syncctl: {self.format(record)}")
        except Exception:  # a log line must never break a command
            self.handleError(record)


def setup_logging(verbosity: int) -> Callable[[], None]:
    """Install the one handler on the ``syncctl`` logger at ``verbosity``'s level; return what
    undoes it (the group calls that when the command ends, so a second run in the same process,
    as in tests, starts clean). Below the default, records stop at the handler; above it, the
    logger's own level is lowered so INFO and DEBUG records are made at all."""
    level = LOG_LEVELS[max(-1, min(2, verbosity))]
    logger = logging.getLogger("syncctl")
    handler = StderrHandler(level)
    handler.setFormatter(logging.Formatter("%(message)s"))
    old_level = logger.level
    logger.addHandler(handler)
    if level < logging.WARNING and (old_level == logging.NOTSET or old_level > level):
        logger.setLevel(level)

    def undo() -> None:
        finish_active()
        logger.removeHandler(handler)
        logger.setLevel(old_level)

    return undo


def _late_env(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """``--env`` given after the command's name: it replaces the global one in ``ctx.obj``. Two
    different names are a usage error, not a silent choice between environments."""
    if value is None:
        return
    globals_ = ctx.find_object(Globals)
    if globals_ is None:  # the command was invoked on its own, without the group
        return
    if globals_.env is not None and globals_.env != value:
        raise click.UsageError(
            f"--env given twice: {globals_.env!r} and {value!r}; give it once", ctx=ctx
        )
    ctx.obj = replace(globals_, env=value)


def _accept_env(command: click.Command) -> None:
    """Give ``command`` (and, for a group, each of its commands) its own ``--env`` option,
    once: it is added to the command object, which lives as long as the process."""
    if not any(param.name == "late_env" for param in command.params):
        command.params.append(
            click.Option(
                ["--env", "late_env"],
                metavar="NAME",
                expose_value=False,
                is_eager=True,
                callback=_late_env,
                help=ENV_HELP,
            )
        )
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _accept_env(sub)


def format_option(
    source: Registry[Any] | str, *choices: str, help: str = "Output format."
) -> Callable[[_F], _F]:
    """``--format`` with the formats of ``source``, a command's renderer registry (or, the older
    form, these choices); the first is the default. The value arrives as ``fmt``."""
    names = [source, *choices] if isinstance(source, str) else list(source.formats())
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(names),
        default=names[0],
        show_default=True,
        help=help,
    )


class SyncctlGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)  # workflow order, not alphabetical

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        if cmd_name in ENV_COMMANDS:
            _accept_env(command)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SyncctlError as exc:
            finish_active()  # the error line goes below a progress bar, not onto it
            click.echo(f"syncctl: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            finish_active()
            click.echo("syncctl: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=SyncctlGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="syncctl")
@click.option("--env", "env", metavar="NAME", help=ENV_HELP.replace("before", "after"))
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Configuration file (default: syncctl.toml or pyproject.toml, searched upwards).",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour output; NO_COLOR in the environment turns auto off.",
)
@click.option("-v", "--verbose", count=True, help="More output (repeatable).")
@click.option("-q", "--quiet", count=True, help="Less output (repeatable).")
@click.pass_context
def cli(
    ctx: click.Context, env: str | None, config: Path | None, color: str, verbose: int, quiet: int
) -> None:
    """GitOps for Truto sync jobs and workflows: validate, plan and apply YAML files.

    \b
    A day with syncctl:
      syncctl init                      # once: scaffold a jobs repository
      syncctl validate --strict         # every job and workflow file, at the exact line
      syncctl plan                      # what apply would change (default environment)
      syncctl --env production apply    # make it so, after a confirmation
      syncctl run zendesk/tickets --account ID   # and run a job once to see it work

    \b
    Exit codes: 0 success; 1 failure (findings, a refused or failed apply, API errors);
    2 usage error. Two commands add their own: plan --detailed-exitcode exits 2 when there
    are changes (the same number as a usage error: tell them apart by stderr, which is empty
    unless it failed), and run exits 3 when it stops waiting at --timeout.

    \b
    Shell completion (bash, zsh, fish), e.g. in ~/.bashrc:
      eval "$(_SYNCCTL_COMPLETE=bash_source syncctl)"
    """
    use_color = _use_color(color)
    # click.echo keeps or strips ANSI codes by the context's colour, not by the terminal alone:
    # so --color always survives a pipe and --color never is plain even on a terminal.
    ctx.color = use_color
    ctx.obj = Globals(env=env, config=config, color=use_color, verbosity=verbose - quiet)
    ctx.call_on_close(setup_logging(verbose - quiet))


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        cli.main(args=argv, prog_name="syncctl")
    except SyncctlError as exc:  # raised outside a command (option callbacks)
        click.echo(f"syncctl: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:  # e.g. a closed stdout pipe
        click.echo(f"syncctl: error: {exc}", err=True)
        sys.exit(EXIT_USAGE if isinstance(exc, FileNotFoundError) else 1)
