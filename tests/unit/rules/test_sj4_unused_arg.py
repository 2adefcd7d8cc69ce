"""SJ402: an argument declared but never used."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from syncctl.config import default_config
from syncctl.findings import Finding
from syncctl.loader import load_text
from syncctl.rules import sj402_unused_arg
from syncctl.rules.base import FileContext, JobFile

FILE = "jobs/greenhouse/candidates.yaml"
HEAD = "integration_name: greenhouse\nlabel: Candidates\ndefault_runtime_version: 3\n"


def run(body: str, head: str = HEAD) -> list[Finding]:
    doc = load_text(head + textwrap.dedent(body), FILE)
    job = JobFile(Path(FILE), FILE, doc, ("greenhouse", "candidates.yaml"))
    return list(sj402_unused_arg.check(FileContext(job, default_config(Path("/nowhere")))))


def test_unused_arguments_are_reported_at_their_key() -> None:
    found = run("""\
        args_schema:
          type: object
          properties:
            job_id: {type: string}
            in_mutex: {type: string}
            in_state: {type: string}
            looped: {type: array}
            fallback: {type: string}
            unused_one: {type: string}
            unused_two:
              type: string
        mutex_key: "{{args.in_mutex}}"
        state_key: "s-{{args.in_state}}"
        resources:
          - resource: ats/candidates
            method: get
            loop_on: looped
            id: "{{args.job_id|args.fallback}}"
        """)
    assert [(f.line, f.column, f.message) for f in found] == [
        (12, 5, "argument 'unused_one' is declared but never used"),
        (13, 5, "argument 'unused_two' is declared but never used"),
    ]
    assert found[0].path == "$.args_schema.properties.unused_one"


def test_flat_map_dialect_reports_at_the_top_level_key() -> None:
    found = run(
        """\
        args_schema:
          integrated_account_id: {type: string, required: true}
          webhook_id: {type: string}
        mutex_key: "{{args.integrated_account_id}}"
        resources:
          - {type: request, name: r, resource: x, method: list}
          - type: destination
            name: d
            destination_type: webhook
            run_if: "$exists(args.webhook_id)"
        """,
        "label: V4\ndefault_runtime_version: 4\n",
    )
    assert found == []
    found = run(
        """\
        args_schema:
          integrated_account_id: {type: string, required: true}
          webhook_id: {type: string}
        resources:
          - {type: request, name: r, resource: x, method: list}
        """,
        "label: V4\ndefault_runtime_version: 4\n",
    )
    assert [(f.line, f.column) for f in found] == [(4, 3), (5, 3)]


def test_a_mention_in_args_validation_counts() -> None:
    assert (
        run("""\
        args_schema:
          type: object
          properties:
            since: {type: string}
            odd-name: {type: string}
        args_validation: "$exists(args.since) and args.`odd-name` ? {'message': 'x'}"
        resources:
          - {resource: ats/candidates, method: list}
        """)
        == []
    )


@pytest.mark.parametrize(
    "usage",
    [
        'args_validation: "$count($keys(args)) > 3"',
        'mutex_key: "{{args:json}}"',
    ],
)
def test_a_read_of_every_argument_silences_the_rule(usage: str) -> None:
    assert (
        run(f"""\
        args_schema:
          type: object
          properties:
            a: {{type: string}}
        {usage}
        resources:
          - {{resource: ats/candidates, method: list}}
        """)
        == []
    )


@pytest.mark.parametrize(
    "schema",
    [
        "args_schema: null",
        "args_schema: [a]",
        "args_schema: {type: object}",
        "args_schema: {type: object, properties: [a]}",
        "args_schema: {type: array, required: [a]}",
    ],
)
def test_nothing_or_unknowable_declared(schema: str) -> None:
    assert (
        run(f"""\
        {schema}
        resources:
          - {{resource: ats/candidates, method: list}}
        """)
        == []
    )


V4 = "label: V4\ndefault_runtime_version: 4\n"


def test_runtime_4_uses_in_jsonata_and_loop_on_count() -> None:
    found = run(
        """\
        args_schema:
          integrated_account_id: {type: string, required: true}
          in_transform: {type: string}
          in_state: {type: string}
          in_query: {type: string}
          in_run_if: {type: string}
          looped: {type: array}
          only_in_a_string: {type: string}
          only_in_a_comment: {type: string}
          never: {type: string}
        resources:
          - name: r
            type: request
            resource: a/b
            method: list
            integrated_account_id: "{{args.integrated_account_id}}"
            run_if: "$exists(args.in_run_if) /* args.only_in_a_comment */"
            query: '{"q": args.in_query, "note": "args.only_in_a_string"}'
            loop_on: args.looped
          - name: t
            type: transform
            depends_on: r
            config: {expression: "resources.a.b[x = args.in_transform]"}
          - name: s
            type: update_state
            depends_on: t
            config: {key: k, value_expression: "args.in_state"}
        """,
        V4,
    )
    assert [f.message for f in found] == [
        "argument 'only_in_a_string' is declared but never used",
        "argument 'only_in_a_comment' is declared but never used",
        "argument 'never' is declared but never used",
    ]


def test_runtime_4_a_whole_args_read_in_node_jsonata_silences_the_rule() -> None:
    body = """\
        args_schema:
          a: {type: string}
        resources:
          - {name: t, type: transform, config: {expression: "$merge([$, args])"}}
        """
    assert run(body, V4) == []


def test_runtime_4_name_like_fields_are_no_use() -> None:
    found = run(
        """\
        args_schema:
          a: {type: string}
        resources:
          - {name: "args.a", type: spool, depends_on: "{{args.a}}"}
        """,
        V4,
    )
    assert [f.message for f in found] == ["argument 'a' is declared but never used"]


def test_entries_of_the_other_runtime_are_left_to_sj809() -> None:
    body = """\
        args_schema:
          user_ids: {type: array}
        resources:
          - {resource: a/b, method: list}
        """
    assert run(body, V4) == []
    assert [f.message for f in run(body)] == ["argument 'user_ids' is declared but never used"]
