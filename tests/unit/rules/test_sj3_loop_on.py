"""SJ301/SJ302: loop_on names a declared array argument, in any of its three spellings."""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from syncctl.config import default_config
from syncctl.findings import Finding
from syncctl.loader import load_text
from syncctl.rules import sj301_loop_on_undeclared, sj302_loop_on_not_array
from syncctl.rules._args import LoopOn, loop_on_arg
from syncctl.rules.base import FileContext, JobFile

FILE = "jobs/zendesk/users.yaml"
HEAD = "integration_name: zendesk\nlabel: Users\ndefault_runtime_version: 3\n"
SCHEMA = """\
args_schema:
  type: object
  properties:
    user_ids: {type: array, required: true}
    nullable_ids: {type: [array, "null"]}
    user_id: {type: string}
    filters: {type: object}
    untyped: {description: no type}
"""


def run(rule: ModuleType, loop_on: str, schema: str = SCHEMA, head: str = HEAD) -> list[Finding]:
    body = schema + textwrap.dedent(f"""\
        resources:
          - resource: ticketing/users
            method: get
            loop_on: {loop_on}
            id: "{{{{args.user_ids}}}}"
        """)
    doc = load_text(head + body, FILE)
    job = JobFile(Path(FILE), FILE, doc, ("zendesk", "users.yaml"))
    return list(rule.check(FileContext(job, default_config(Path("/nowhere")))))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("user_ids", LoopOn("user_ids", (), "bare")),
        ("args.user_ids", LoopOn("user_ids", (), "path")),
        ("{{args.user_ids}}", LoopOn("user_ids", (), "placeholder")),
        (" {{ args.user_ids }} ", LoopOn("user_ids", (), "placeholder")),
        ("args.filters.ids", LoopOn("filters", ("ids",), "path")),
        ("{{args}}", None),
        ("{{resources.ticketing.tickets}}", None),
        ("{{args.a}}-{{args.b}}", None),
        ("", None),
    ],
)
def test_loop_on_spellings(value: str, expected: LoopOn | None) -> None:
    assert loop_on_arg(value) == expected


@pytest.mark.parametrize(
    "spelling", ["user_ids", "args.user_ids", '"{{args.user_ids}}"', "args.nullable_ids"]
)
def test_an_array_argument_in_any_spelling_passes(spelling: str) -> None:
    assert run(sj301_loop_on_undeclared, spelling) == []
    assert run(sj302_loop_on_not_array, spelling) == []


def test_sj301_undeclared_with_hint_and_exact_place() -> None:
    found = run(sj301_loop_on_undeclared, "args.user_idss")
    assert [(f.line, f.column, f.rule) for f in found] == [(15, 14, "SJ301")]
    assert found[0].message == (
        "loop_on names argument 'user_idss', which args_schema does not declare"
    )
    assert found[0].hint == "did you mean 'user_ids'?"


def test_sj301_no_schema_means_nothing_is_declared() -> None:
    found = run(sj301_loop_on_undeclared, "user_ids", schema="args_schema: null\n")
    assert found[0].hint == (
        "declared arguments: none; declare user_ids: {type: array, required: true} in args_schema"
    )


def test_sj301_a_placeholder_that_names_no_argument() -> None:
    found = run(sj301_loop_on_undeclared, '"{{resources.ticketing.tickets}}"')
    assert found[0].message == "loop_on '{{resources.ticketing.tickets}}' does not name an argument"


@pytest.mark.parametrize(
    ("spelling", "said"),
    [
        ("user_id", "declared as type 'string'"),
        ('"{{args.filters}}"', "declared as type 'object'"),
        ("untyped", "declared without a type"),
    ],
)
def test_sj302_not_an_array(spelling: str, said: str) -> None:
    found = run(sj302_loop_on_not_array, spelling)
    assert [(f.line, f.column) for f in found] == [(15, 14)]
    assert said in found[0].message
    assert run(sj301_loop_on_undeclared, spelling) == []


def test_sj302_a_deeper_path_is_not_judged() -> None:
    assert run(sj302_loop_on_not_array, "args.filters.ids") == []


def test_sj302_leaves_undeclared_arguments_to_sj301() -> None:
    assert run(sj302_loop_on_not_array, "nope") == []


V4_HEAD = "label: V4\ndefault_runtime_version: 4\n"
V4_SCHEMA = """\
args_schema:
  user_ids: {type: array, required: true}
  user_id: {type: string}
"""


def run_v4(rule: ModuleType, loop_on: str, schema: str = V4_SCHEMA) -> list[Finding]:
    body = schema + textwrap.dedent(f"""\
        resources:
          - {{name: list-users, type: request, resource: ticketing/users, method: list}}
          - name: get-user
            type: request
            depends_on: list-users
            resource: ticketing/users
            method: get
            loop_on: {loop_on}
            id: "{{{{args.user_ids}}}}"
        """)
    doc = load_text(V4_HEAD + body, FILE)
    job = JobFile(Path(FILE), FILE, doc, ("zendesk", "users.yaml"))
    return list(rule.check(FileContext(job, default_config(Path("/nowhere")))))


@pytest.mark.parametrize("rule", [sj301_loop_on_undeclared, sj302_loop_on_not_array])
@pytest.mark.parametrize(
    "path", ["resources.ticketing.users", "payload.records", "user_idss", "args", "args.user_ids"]
)
def test_runtime_4_loop_on_context_paths_and_array_args_pass(rule: ModuleType, path: str) -> None:
    assert run_v4(rule, path) == []


def test_runtime_4_loop_on_args_path_must_be_declared() -> None:
    found = run_v4(sj301_loop_on_undeclared, "args.user_idss")
    assert [(f.line, f.column, f.rule) for f in found] == [(13, 14, "SJ301")]
    assert found[0].message == (
        "loop_on names argument 'user_idss', which args_schema does not declare"
    )
    assert found[0].hint == "did you mean 'user_ids'?"
    assert run_v4(sj302_loop_on_not_array, "args.user_idss") == []


def test_runtime_4_loop_on_args_path_must_be_an_array() -> None:
    found = run_v4(sj302_loop_on_not_array, "args.user_id")
    assert [(f.line, f.column) for f in found] == [(13, 14)]
    assert found[0].message == (
        "loop_on names argument 'user_id', declared as type 'string': loop_on needs an array"
    )
    assert run_v4(sj301_loop_on_undeclared, "args.user_id") == []


@pytest.mark.parametrize("rule", [sj301_loop_on_undeclared, sj302_loop_on_not_array])
def test_runtime_4_file_with_flat_entries_is_left_to_sj809(rule: ModuleType) -> None:
    head = "label: V4\ndefault_runtime_version: 4\n"
    assert run(rule, "nope", head=head) == []


@pytest.mark.parametrize("rule", [sj301_loop_on_undeclared, sj302_loop_on_not_array])
@pytest.mark.parametrize(
    "schema", ["args_schema: [x]\n", "args_schema: {type: object, properties: 3}\n"]
)
def test_unknowable_declarations_are_left_to_the_dialect_rule(
    rule: ModuleType, schema: str
) -> None:
    assert run(rule, "user_ids", schema=schema) == []


@pytest.mark.parametrize("rule", [sj301_loop_on_undeclared, sj302_loop_on_not_array])
def test_non_string_loop_on_is_left_to_the_schema_rule(rule: ModuleType) -> None:
    assert run(rule, "[user_ids]") == []
