"""SJ810: JSONata calls of functions that are no built-in, no Truto extension and not bound."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from syncctl.config import default_config
from syncctl.findings import Finding, Severity
from syncctl.loader import load_text
from syncctl.rules import sj810_unknown_function
from syncctl.rules.base import FileContext, JobFile

FILE = "jobs/github/repos.yaml"
HEAD = "integration_name: github\nlabel: Repos\ndefault_runtime_version: 4\n"


def run(body: str) -> list[Finding]:
    doc = load_text(HEAD + textwrap.dedent(body), FILE)
    job = JobFile(Path(FILE), FILE, doc, ("github", "repos.yaml"))
    return list(sj810_unknown_function.check(FileContext(job, default_config(Path("/nowhere")))))


def validation(expression: str) -> list[Finding]:
    return run(f"args_validation: {expression!r}\n".replace("\\'", "''"))


@pytest.mark.parametrize(
    "expression",
    [
        "$exists(args.a) and $count(args.b) > 0",  # built-ins
        "$now() & $millis()",  # bound per evaluation by the reference, still built-ins
        "$firstNonEmpty(args.a, 'x') & $uuid()",  # Truto extensions
        "($g := function($x) { $x }; $g(1))",  # bound by the expression
        "function($f) { $f(1) }",  # a lambda parameter
        "items@$row.$row($)",  # a focus binding
        "name.toISOString()",  # a method call on a value, no "$"
        "$f(",  # does not parse: SJ803's
    ],
)
def test_known_calls_pass(expression: str) -> None:
    assert validation(expression) == []


def test_typo_of_an_extension_with_did_you_mean() -> None:
    (found,) = validation("args.a and $firstNonEmty(args.a, 'x')")
    assert (found.line, found.column, found.rule, found.severity) == (
        4,
        30,
        "SJ810",
        Severity.WARNING,
    )
    assert found.message == (
        "JSONata calls $firstNonEmty, which is no JSONata built-in, no Truto extension and no "
        "variable bound in the expression"
    )
    assert found.hint == "did you mean '$firstNonEmpty'?"
    assert found.path == "$.args_validation"


def test_did_you_mean_includes_names_the_expression_binds() -> None:
    (found,) = validation("($normalise := function($x) { $x }; $normalize(args.a))")
    assert found.hint == "did you mean '$normalise'?"


def test_each_unknown_name_is_reported_once_per_expression() -> None:
    found = validation("$frobnicate(1) & $frobnicate(2) & $other(3)")
    assert [f.message.split()[2] for f in found] == ["$frobnicate,", "$other,"]
    assert "$frobnicate := function" in (found[0].hint or "")


def test_nodes_of_runtime_4_are_checked_at_the_dollar() -> None:
    found = run("""\
        resources:
          - name: shape
            type: transform
            config:
              expression: |
                items.{
                  "id": $toUUID(id)
                }
        """)
    assert [(f.line, f.column, f.path) for f in found] == [
        (10, 17, "$.resources[0].config.expression")
    ]


def test_known_functions_cover_both_lists() -> None:
    known = sj810_unknown_function.known_functions()
    assert {"exists", "millis", "dtFromIso", "removeEmpty"} <= known
    assert "firstNonEmty" not in known
