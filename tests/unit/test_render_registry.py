"""The typed renderer registries: one per kind of result, the source of each ``--format``."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from syncctl.cli.main import cli
from syncctl.errors import UsageError
from syncctl.reconcile.importer import Imported, ImportResult, Skipped
from syncctl.render.apply import APPLY
from syncctl.render.findings import FINDINGS
from syncctl.render.graph import GRAPH
from syncctl.render.imported import IMPORT
from syncctl.render.plan import PLAN
from syncctl.render.registry import Registry

COMMANDS = {
    "validate": FINDINGS,
    "plan": PLAN,
    "apply": APPLY,
    "import": IMPORT,
    "graph": GRAPH,
}


def _format_option(name: str) -> click.Choice:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    (option,) = [p for p in command.params if p.name == "fmt"]
    assert isinstance(option.type, click.Choice)
    assert option.default == option.type.choices[0]
    return option.type


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_commands_format_choices_are_its_registrys_formats(name: str) -> None:
    assert tuple(_format_option(name).choices) == COMMANDS[name].formats()


def test_each_command_keeps_its_own_set_of_formats() -> None:
    assert {name: registry.formats() for name, registry in COMMANDS.items()} == {
        "validate": ("text", "json", "github", "sarif"),
        "plan": ("text", "json", "markdown"),
        "apply": ("text", "json", "markdown"),
        "import": ("text", "json"),
        "graph": ("text", "mermaid", "dot"),
    }


def _plain(value: str, *, color: bool = False) -> str:
    return value


def _shout(value: str, *, color: bool = False) -> str:
    return value.upper() + ("!" if color else "")


def test_a_registry_renders_with_the_format_asked_for() -> None:
    registry: Registry[str] = Registry(
        "word", {"plain": lambda v, *, color=False: v, "loud": _shout}
    )
    assert (registry.formats(), registry.default) == (("plain", "loud"), "plain")
    assert registry.render("loud", "hi") == "HI"
    assert registry.render("loud", "hi", color=True) == "HI!"
    assert registry.renderer("plain")("hi") == "hi"


def test_an_unknown_format_is_a_usage_error_listing_the_formats() -> None:
    with pytest.raises(UsageError, match=r"unknown format 'xml' for plan \(choose from text, json"):
        PLAN.render("xml", None)  # type: ignore[arg-type]


def test_a_registry_needs_a_format() -> None:
    with pytest.raises(ValueError, match="no format"):
        Registry[str]("word", {})


RESULT = ImportResult(
    "staging",
    (Imported("zendesk/tickets", "7", "jobs/zendesk/tickets.yaml"),),
    (Skipped("8", "label 'Tickets' is already used by jobs/zendesk/tickets.yaml"),),
)


def test_an_import_result_as_text() -> None:
    assert IMPORT.render("text", RESULT) == (
        "imported sync job 7 as zendesk/tickets (jobs/zendesk/tickets.yaml)\n"
        "skipped 8: label 'Tickets' is already used by jobs/zendesk/tickets.yaml\n"
        "1 imported, 1 skipped in staging.\n"
    )
    assert IMPORT.render("text", ImportResult("local", (), ())) == (
        "0 imported, 0 skipped in local.\n"
    )


def test_an_import_result_as_json() -> None:
    text = IMPORT.render("json", ImportResult("local", (Imported("k/ü", "1", "f"),), ()))
    assert text == json.dumps(json.loads(text), indent=2) + "\n"  # ASCII escapes, as before
    assert "\\u00fc" in text
    assert json.loads(text)["imported"] == [
        {"kind": "sync_job", "key": "k/ü", "id": "1", "file": "f", "note": None}
    ]


def test_the_findings_registry_does_not_load_the_reconciler_or_the_client() -> None:
    code = (
        "import sys, syncctl.render.findings, syncctl.cli.validate;"
        "print(sorted(m for m in sys.modules"
        " if m.startswith(('syncctl.reconcile', 'syncctl.client', 'syncctl.emulator'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
