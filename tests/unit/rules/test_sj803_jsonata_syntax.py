"""SJ803: JSONata that does not parse, with the parser's code and message, placed in the file."""

from __future__ import annotations

import textwrap
from pathlib import Path

from syncctl.config import default_config
from syncctl.findings import Finding
from syncctl.loader import load_text
from syncctl.rules import sj803_jsonata_syntax
from syncctl.rules.base import FileContext, JobFile

FILE = "jobs/github/repos.yaml"
HEAD = "integration_name: github\nlabel: Repos\ndefault_runtime_version: 4\n"


def run(body: str, head: str = HEAD) -> list[Finding]:
    doc = load_text(head + textwrap.dedent(body), FILE)
    job = JobFile(Path(FILE), FILE, doc, ("github", "repos.yaml"))
    return list(sj803_jsonata_syntax.check(FileContext(job, default_config(Path("/nowhere")))))


def test_valid_expressions_pass() -> None:
    assert (
        run("""\
        args_validation: $exists(args.org)
        resources:
          - name: send
            type: destination
            run_if: "$exists(args.webhook_id)"
            config: {id: "{{args.webhook_id}}"}
          - name: cursor
            type: add_context
            config: {expression: '{"last": resources.`read-cursor`.value}'}
        """)
        == []
    )


def test_message_code_hint_path_and_place() -> None:
    (found,) = run("""\
        resources:
          - name: send
            type: destination
            run_if: $exists(args.webhook_id
        """)
    assert (found.line, found.column, found.rule, found.path) == (
        (7, 35, "SJ803", "$.resources[0].run_if")  # the last character: the end came too soon
    )
    assert found.message == 'JSONata syntax error (S0203): Expected ")" before end of expression'
    assert found.hint == "close what is still open before the expression ends"


def test_error_inside_a_literal_block_points_at_its_line() -> None:
    (found,) = run("""\
        resources:
          - name: shape
            type: transform
            config:
              expression: |
                items.{
                  "id": id,
                  "name": name name
                }
        """)
    assert (found.line, found.column) == (11, 27)  # the end of the second "name"
    assert found.message == 'JSONata syntax error (S0202): Expected "}", got "name"'


def test_string_query_and_body_of_a_request_are_parsed_a_mapping_is_not() -> None:
    found = run("""\
        resources:
          - name: list
            type: request
            query: '{"since": '
            body: {expression: "{ broken"}
        """)
    assert [(f.line, f.path) for f in found] == [(7, "$.resources[0].query")]


def test_runtime_3_checks_args_validation_only() -> None:
    head = "integration_name: github\nlabel: Repos\ndefault_runtime_version: 3\n"
    found = run(
        """\
        args_validation: "args.a ="
        resources:
          - {resource: repos, method: list, run_if: "((("}
        """,
        head,
    )
    assert [(f.line, f.column, f.path) for f in found] == [(4, 26, "$.args_validation")]


def test_invalid_regex_has_no_code_and_its_own_hint() -> None:
    (found,) = run("args_validation: '$match(args.a, /(?i)x/)'\n")
    assert found.message.startswith("JSONata syntax error: Invalid regular expression: /(?i)x/:")
    assert found.column == 34  # the opening slash
    assert found.hint == "write a JavaScript regular expression (JSONata builds it with new RegExp)"
