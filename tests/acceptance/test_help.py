"""Every command's help documents its exit codes and carries examples; the group lists the
commands in the order a user meets them; shell completion works (issue 10, edges)."""

from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from syncctl.cli.main import COMMANDS, cli

LEAVES = [
    *[(name,) for name in COMMANDS if name not in ("state", "emulator")],
    ("state", "list"),
    ("state", "show"),
    ("state", "mv"),
    ("state", "rm"),
    ("emulator", "serve"),
]
"""Every command a user runs (a group through its subcommands)."""

WITH_EXAMPLES = [(name,) for name in COMMANDS]  # the state group carries its subcommands' examples


def _help(*path: str) -> str:
    result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", LEAVES, ids=" ".join)
def test_every_command_documents_its_exit_codes(path: tuple[str, ...]) -> None:
    text = _help(*path)
    assert "Exit" in text, f"syncctl {' '.join(path)} --help says nothing of its exit codes"


@pytest.mark.parametrize("path", WITH_EXAMPLES, ids=" ".join)
def test_every_command_has_examples(path: tuple[str, ...]) -> None:
    text = _help(*path)
    assert "Examples:" in text
    examples = text.split("Examples:", 1)[1].split("\n\n", 1)[0]
    assert "syncctl" in examples
    assert path[0] in examples


def test_the_group_lists_commands_in_workflow_order_and_explains_exit_codes() -> None:
    text = _help()
    listed = [line.split()[0] for line in text.split("Commands:\n", 1)[1].splitlines() if line]
    assert listed == list(COMMANDS)
    assert listed[:5] == ["init", "validate", "fmt", "plan", "apply"]
    assert "--detailed-exitcode exits 2 when there" in text
    assert "_SYNCCTL_COMPLETE=bash_source syncctl" in text


def test_shell_completion_completes_command_names() -> None:
    env = {**os.environ, "_SYNCCTL_COMPLETE": "bash_complete", "COMP_WORDS": "syncctl pl"}
    env["COMP_CWORD"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "syncctl"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "plain,plan" in done.stdout.splitlines()
    assert isinstance(cli, click.Group)
