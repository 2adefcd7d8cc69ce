"""SJ201-SJ206: placeholders that break, read undeclared arguments or the wrong records."""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncctl.config import default_config
from syncctl.findings import Finding
from syncctl.loader import Document, load_text
from syncctl.rules import (
    sj101_depends_on_unknown,
    sj102_depends_on_ambiguous,
    sj103_dependency_cycle,
    sj104_duplicate_resource,
    sj201_malformed_placeholder,
    sj202_unknown_cast,
    sj203_undeclared_arg,
    sj204_resource_not_ancestor,
    sj205_unknown_root,
    sj206_cast_in_longer_string,
    sj301_loop_on_undeclared,
    sj302_loop_on_not_array,
    sj402_unused_arg,
    sj501_method,
    sj601_literal_secret,
)
from syncctl.rules.base import FileContext, JobFile

FILE = "jobs/zendesk/tickets.yaml"
HEAD = "integration_name: zendesk\nlabel: Tickets\ndefault_runtime_version: 3\n"
ALL = (
    sj201_malformed_placeholder,
    sj202_unknown_cast,
    sj203_undeclared_arg,
    sj204_resource_not_ancestor,
    sj205_unknown_root,
    sj206_cast_in_longer_string,
)


def run(rule: ModuleType, body: str, head: str = HEAD) -> list[Finding]:
    doc = load_text(head + textwrap.dedent(body), FILE)
    job = JobFile(Path(FILE), FILE, doc, ("zendesk", "tickets.yaml"))
    return list(rule.check(FileContext(job, default_config(Path("/nowhere")))))


def messages(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings]


# -- SJ201 ---------------------------------------------------------------------------------


def test_sj201_is_placed_at_the_value_and_names_the_placeholder() -> None:
    found = run(
        sj201_malformed_placeholder,
        """\
        resources:
          - resource: ticketing/tickets
            method: list
            query:
              a: "ok {{args.x}} then {{args.y"
        """,
    )
    assert [(f.line, f.column) for f in found] == [(8, 10)]
    assert found[0].message == "malformed placeholder '{{args.y': '{{' is never closed by '}}'"


def test_sj201_checks_mutex_and_state_keys_but_not_labels_or_jsonata() -> None:
    head = "integration_name: zendesk\nlabel: 'Tickets {{oops'\ndefault_runtime_version: 3\n"
    found = run(
        sj201_malformed_placeholder,
        """\
        mutex_key: "{{args.x}"
        state_key: "ok"
        args_validation: '{"a": {"b": 1}} }}'
        resources:
          - resource: ticketing/tickets
            method: list
            loop_on: "{{args.ids"
        """,
        head,
    )
    assert [f.path for f in found] == ["$.mutex_key"]


def test_sj201_long_raw_text_is_shortened() -> None:
    found = run(
        sj201_malformed_placeholder,
        """\
        resources:
          - resource: ticketing/tickets
            method: list
            id: "{{args.%s"
        """
        % ("x" * 100),
    )
    assert "…" in found[0].message
    assert len(found[0].message) < 140


# -- SJ202 ---------------------------------------------------------------------------------


def test_sj202_each_unknown_cast_once_per_value() -> None:
    found = run(
        sj202_unknown_cast,
        """\
        resources:
          - resource: ticketing/tickets
            method: list
            query:
              a: "{{args.a:float}}-{{args.b:float}}-{{args.c:Int}}"
        """,
    )
    assert messages(found) == [
        "unknown cast 'float' in {{args.a:float}}",
        "unknown cast 'Int' in {{args.c:Int}}",
    ]
    assert found[1].hint == "did you mean 'int'?"


def test_sj202_all_known_casts_pass() -> None:
    casts = ["str", "int", "num", "bool", "json", "any", "null", "undefined", "ignore-empty-str"]
    query = "\n".join(f'      q{i}: "{{{{args.a:{c}?:1:{c}}}}}"' for i, c in enumerate(casts))
    body = "resources:\n  - resource: ticketing/tickets\n    method: list\n    query:\n" + query
    assert run(sj202_unknown_cast, body + "\n") == []


# -- SJ203 ---------------------------------------------------------------------------------


def test_sj203_every_alternative_and_union_member_is_checked() -> None:
    found = run(
        sj203_undeclared_arg,
        """\
        args_schema:
          type: object
          properties:
            a: {type: string}
        resources:
          - resource: ticketing/tickets
            method: list
            query:
              x: "{{args.a|args.b|resources.x.y?:z}}"
              y: "{{args.a args.c}}"
              z: "{{args.b}}-{{args.b}}"
              whole: "{{args:json}}"
        """,
    )
    assert [(f.path, f.message.split(" used")[0]) for f in found] == [
        ("$.resources[0].query.x", "argument 'b'"),
        ("$.resources[0].query.y", "argument 'c'"),
        ("$.resources[0].query.z", "argument 'b'"),
    ]


def test_sj203_flat_map_dialect() -> None:
    body = """\
        args_schema:
          integrated_account_id: {type: string, required: true}
        mutex_key: "{{args.integrated_account_id}}-{{args.region}}"
        resources:
          - {type: request, name: r, resource: repos, method: list}
        """
    found = run(sj203_undeclared_arg, body, "label: V4\ndefault_runtime_version: 4\n")
    assert messages(found) == [
        "argument 'region' used in {{args.region}} is not declared in args_schema"
    ]


@pytest.mark.parametrize(
    "schema",
    [
        "args_schema: [a, b]\n",
        "args_schema: {type: object, properties: [a]}\n",
        "args_schema: {type: object, additionalProperties: true, properties: {}}\n",
    ],
)
def test_sj203_is_quiet_when_the_declarations_are_unknowable(schema: str) -> None:
    assert (
        run(
            sj203_undeclared_arg,
            schema
            + """\
        resources:
          - {resource: ticketing/tickets, method: get, id: "{{args.anything}}"}
        """,
        )
        == []
    )


def test_sj203_null_schema_declares_nothing() -> None:
    found = run(
        sj203_undeclared_arg,
        """\
        args_schema: null
        resources:
          - {resource: ticketing/tickets, method: get, id: "{{args.ticket_id}}"}
        """,
    )
    assert found[0].hint == "declare it in args_schema.properties: ticket_id: {type: string}"


def test_sj203_args_validation_counts_in_every_runtime() -> None:
    found = run(
        sj203_undeclared_arg,
        """\
        args_schema:
          type: object
          properties:
            since: {type: string}
        args_validation: "$exists(args.since) and args.sinse > '2020' ? {'message': 'args.x'}"
        resources:
          - {resource: ticketing/tickets, method: list, query: {since: "{{args.since}}"}}
        """,
    )
    assert [(f.line, f.column, f.path) for f in found] == [(8, 18, "$.args_validation")]
    assert found[0].message == (
        "argument 'sinse' read in the JSONata of args_validation is not declared in args_schema"
    )
    assert found[0].hint == "did you mean 'since'?"


# -- SJ204 ---------------------------------------------------------------------------------


def test_sj204_walks_up_the_whole_chain() -> None:
    assert (
        run(
            sj204_resource_not_ancestor,
            """\
        resources:
          - {resource: crm/accounts, method: list}
          - {resource: crm/contacts, method: list, depends_on: crm/accounts}
          - resource: crm/notes
            method: list
            depends_on: crm/contacts
            query:
              a: "{{resources.crm.accounts.id}}"
              c: "{{resources.crm.contacts.id}}"
              model: "{{resources.crm:json}}"
              record: "{{resources.crm.contacts}}"
              all: "{{resources:json}}"
        """,
        )
        == []
    )


def test_sj204_longest_prefix_that_names_an_ancestor() -> None:
    # a proxy resource "ticketing" and a unified "ticketing/tickets" in one job
    found = run(
        sj204_resource_not_ancestor,
        """\
        resources:
          - {resource: ticketing, method: list}
          - {resource: ticketing/tickets, method: list}
          - resource: comments
            method: list
            depends_on: ticketing
            query:
              via_proxy: "{{resources.ticketing.tickets}}"
          - resource: ticketing/comments
            method: list
            depends_on: ticketing/tickets
            query:
              ok: "{{resources.ticketing.tickets.id}}"
              bad: "{{resources.comments.id}}"
        """,
    )
    assert [(f.path, f.message) for f in found] == [
        (
            "$.resources[3].query.bad",
            "{{resources.comments.id}} reads resource 'comments', which is not a depends_on "
            "ancestor of this entry",
        )
    ]


def test_sj204_a_sibling_read_suggests_depends_on() -> None:
    found = run(
        sj204_resource_not_ancestor,
        """\
        resources:
          - {resource: ticketing/tickets, method: list}
          - resource: ticketing/comments
            method: list
            query: {ticket_id: "{{resources.ticketing.tickets.id}}"}
        """,
    )
    assert found[0].hint == "add depends_on: ticketing/tickets to this entry"


def test_sj204_is_quiet_when_the_chain_is_broken_or_outside_entries() -> None:
    assert (
        run(
            sj204_resource_not_ancestor,
            """\
        mutex_key: "{{resources.x.y}}"
        resources:
          - {resource: ticketing/tickets, method: list}
          - resource: ticketing/comments
            method: list
            depends_on: ticketing/tikets
            query: {ticket_id: "{{resources.ticketing.tickets.id}}"}
        """,
        )
        == []
    )


def test_sj204_a_cycle_makes_every_member_an_ancestor() -> None:
    assert (
        run(
            sj204_resource_not_ancestor,
            """\
        resources:
          - {resource: a, method: list, depends_on: b, query: {x: "{{resources.a.id}}"}}
          - {resource: b, method: list, depends_on: a, query: {x: "{{resources.a.id}}"}}
        """,
        )
        == []
    )


# -- SJ205 ---------------------------------------------------------------------------------


def test_sj205_unknown_roots_with_a_hint() -> None:
    found = run(
        sj205_unknown_root,
        """\
        resources:
          - resource: ticketing/tickets
            method: list
            query:
              a: "{{previous_run_dates|arg.x|tenant_id}}"
              b: "{{previous_run_date}} {{resources.x}} {{args.y}}"
        """,
    )
    assert [f.message.split(" in ")[0] for f in found] == [
        "unknown placeholder root 'previous_run_dates'",
        "unknown placeholder root 'arg'",
        "unknown placeholder root 'tenant_id'",
    ]
    assert found[0].hint == "did you mean 'previous_run_date'?"


def test_sj205_runtime_4_has_more_roots() -> None:
    body = """\
        resources:
          - {type: request, name: r, resource: x, method: list, query: {a: "{{tenant_id}}"}}
        """
    assert run(sj205_unknown_root, body, "label: V4\ndefault_runtime_version: 4\n") == []


# -- SJ206 ---------------------------------------------------------------------------------


def test_sj206_only_embedded_casts_that_change_a_type() -> None:
    found = run(
        sj206_cast_in_longer_string,
        """\
        resources:
          - resource: ticketing/tickets
            method: list
            query:
              whole: "{{args.n:int}}"
              text: "{{args.n:str}}-{{args.m:undefined}}-{{args.o:ignore-empty-str}}"
              num: "n={{args.n:num}}"
              default: "n={{args.n?:5:int}}"
              nil: "x{{args.n:null}}"
        """,
    )
    assert [(f.path, f.message.split(" in ")[0]) for f in found] == [
        ("$.resources[0].query.num", "cast ':num'"),
        ("$.resources[0].query.default", "cast ':int'"),
        ("$.resources[0].query.nil", "cast ':null'"),
    ]
    assert "the text 'null'" in found[2].message


# -- all -----------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", ALL)
@pytest.mark.parametrize(
    "body",
    [
        "resources: '{{args.x'\n",
        "resources: [1, '{{args.x', [['{{a[0]}}']], {query: '{{args.x:float}'}]\n",
        "mutex_key: [1]\nstate_key: {a: 1}\nresources: []\n",
        "args_schema: 5\nresources:\n"
        "  - {resource: a, method: list, id: 7, query: {a: [1, {b: null}]}}\n",
    ],
)
def test_wrong_shapes_never_crash(rule: ModuleType, body: str) -> None:
    run(rule, body)


@pytest.mark.parametrize("rule", ALL)
def test_a_clean_job_gives_nothing(rule: ModuleType) -> None:
    assert (
        run(
            rule,
            """\
        args_schema:
          type: object
          properties:
            ids: {type: array, required: true}
        mutex_key: "tickets-{{args.ids}}"
        resources:
          - {resource: ticketing/tickets, method: list}
          - resource: ticketing/comments
            method: list
            depends_on: ticketing/tickets
            query:
              ticket_id: "{{resources.ticketing.tickets.id:int}}"
              since: "{{previous_run_date?:2024-01-01}}"
        """,
        )
        == []
    )


# -- property: every semantic rule survives any job-shaped data ----------------------------

_KEYS = st.sampled_from(
    [
        "resources",
        "resource",
        "method",
        "depends_on",
        "loop_on",
        "id",
        "query",
        "args_schema",
        "type",
        "properties",
        "required",
        "mutex_key",
        "state_key",
        "args_validation",
        "token",
        "default_runtime_version",
        "additionalProperties",
        "name",
        "x_api_key",
        "run_if",
    ]
)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.sampled_from(
        [
            "list",
            "get",
            "a/b",
            "a",
            "b",
            "args.a",
            "{{args.a}}",
            "{{resources.a.b}}",
            "{{a|b?:c:int}}",
            "{{x",
            "y}}",
            "object",
            "array",
            "sk_live_000000000000",
        ]
    ),
    st.text(alphabet="{}|:?.ab/ $[", max_size=12),
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=5)),
    max_leaves=25,
)
SEMANTIC = (
    *ALL,
    sj101_depends_on_unknown,
    sj102_depends_on_ambiguous,
    sj103_dependency_cycle,
    sj104_duplicate_resource,
    sj301_loop_on_undeclared,
    sj302_loop_on_not_array,
    sj402_unused_arg,
    sj501_method,
    sj601_literal_secret,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, _JSON, max_size=6))
def test_semantic_rules_never_raise_on_any_job_shaped_data(data: dict[str, object]) -> None:
    doc = Document(FILE, data, None, ())
    job = JobFile(Path(FILE), FILE, doc, ("zendesk", "tickets.yaml"))
    ctx = FileContext(job, default_config(Path("/nowhere")))
    for rule in SEMANTIC:
        for finding in rule.check(ctx):
            assert finding.rule == rule.RULE.id
            assert finding.message
