"""SJ201-SJ204 on runtime 4 nodes: which strings are placeholder sites, JSONata reads of
arguments, and the v4 scope of ``resources.…`` (reference §3.2 "Data flow details")."""

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
    sj201_malformed_placeholder,
    sj202_unknown_cast,
    sj203_undeclared_arg,
    sj204_resource_not_ancestor,
    sj205_unknown_root,
    sj206_cast_in_longer_string,
    sj301_loop_on_undeclared,
    sj302_loop_on_not_array,
    sj402_unused_arg,
)
from syncctl.rules._sites import sites_of
from syncctl.rules.base import FileContext, JobFile

FILE = "jobs/github/repos.yaml"
HEAD = "label: Repos\ndefault_runtime_version: 4\n"


def load(body: str, head: str = HEAD) -> JobFile:
    doc = load_text(head + textwrap.dedent(body), FILE)
    return JobFile(Path(FILE), FILE, doc, ("github", "repos.yaml"))


def run(rule: ModuleType, body: str, head: str = HEAD) -> list[Finding]:
    job = load(body, head)
    return list(rule.check(FileContext(job, default_config(Path("/nowhere")))))


def places(findings: list[Finding]) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.path) for f in findings]


# -- sites ---------------------------------------------------------------------------------


def test_v4_sites_are_the_templated_node_strings_and_not_the_jsonata() -> None:
    job = load("""\
        mutex_key: "{{args.a}}"
        resources:
          - name: "{{args.name}}"
            type: request
            depends_on: "{{args.parent}}"
            run_if: "{{args.run_if}}"
            resource: "{{args.resource}}"
            method: list
            integrated_account_id: "{{args.a}}"
            loop_on: "{{args.loop}}"
            query: "{{args.jsonata_query}}"
            body: {nested: ["{{args.in_body}}"]}
            recurse:
              if: "{{resources.x.y.more:bool}}"
              config: {query: {page: "{{resources.x.y.next}}"}}
          - name: t
            type: transform
            config: {expression: '{"a": {"b": args.c}}'}
          - name: s
            type: update_state
            config: {key: "k-{{args.key}}", value_expression: "{{args.not_a_site}}"}
          - name: d
            type: destination
            destination_type: "{{args.kind}}"
            resources_to_persist: ["{{args.persist}}"]
            config: {id: "{{args.d}}", config: {key: "{{payload.records.id}}"}}
        """)
    assert [(s.path, s.entry) for s in sites_of(job.doc).sites] == [
        (("mutex_key",), None),
        (("resources", 0, "resource"), 0),
        (("resources", 0, "integrated_account_id"), 0),
        (("resources", 0, "body", "nested", 0), 0),
        (("resources", 0, "recurse", "if"), 0),
        (("resources", 0, "recurse", "config", "query", "page"), 0),
        (("resources", 2, "config", "key"), 2),
        (("resources", 3, "config", "id"), 3),
        (("resources", 3, "config", "config", "key"), 3),
    ]


def test_a_mapping_query_of_a_request_is_templated() -> None:
    job = load("""\
        resources:
          - {name: r, type: request, query: {a: "{{args.a}}"}, body: {b: "{{args.b}}"}}
        """)
    assert [s.path for s in sites_of(job.doc).sites] == [
        ("resources", 0, "query", "a"),
        ("resources", 0, "body", "b"),
    ]


def test_jsonata_text_is_no_placeholder_site() -> None:
    body = """\
        args_schema: {integrated_account_id: {type: string}}
        resources:
          - name: t
            type: transform
            config:
              expression: '$replace(template, "{{user[0]}}", name) & {"a": {"b": args.c}}'
          - name: r
            type: request
            run_if: '$contains(s, "{{args.nope}}") and {"x": {"y": 1}}.x.y'
            query: '{"since": {"gt": "{{args.missing"}}'
        """
    assert run(sj201_malformed_placeholder, body) == []
    assert [f.message for f in run(sj203_undeclared_arg, body)] == [
        "argument 'c' read in the JSONata of config.expression is not declared in args_schema"
    ]


def test_sj201_sj202_sj206_on_node_strings() -> None:
    body = """\
        resources:
          - name: r
            type: request
            recurse:
              if: "{{resources.x.y.more:bool}"
              config: {query: {page: "{{resources.x.y.next:float}}"}}
          - name: read
            type: get_state
            config: {key: cursor, default: "since {{args.start:int}}"}
        """
    assert places(run(sj201_malformed_placeholder, body)) == [(7, 11, "$.resources[0].recurse.if")]
    assert places(run(sj202_unknown_cast, body)) == [
        (8, 30, "$.resources[0].recurse.config.query.page")
    ]
    assert places(run(sj206_cast_in_longer_string, body)) == [
        (11, 36, "$.resources[1].config.default")
    ]


def test_sj205_stays_off_in_runtime_4() -> None:
    body = """\
        resources:
          - name: r
            type: request
            query: {a: "{{last_synced_at}}", b: "{{sync_job_run.id}}", c: "{{instance_url}}"}
        """
    assert run(sj205_unknown_root, body) == []


# -- SJ203 on JSONata ----------------------------------------------------------------------

SCHEMA = """\
args_schema:
  integrated_account_id: {type: string, required: true}
  since: {type: string}
"""


def test_sj203_args_in_every_jsonata_site_are_placed_at_the_string() -> None:
    found = run(
        sj203_undeclared_arg,
        SCHEMA
        + textwrap.dedent("""\
        args_validation: "$exists(args.since) or $exists(args.untill)"
        resources:
          - name: r
            type: request
            run_if: "$exists(args.webhook_id)"
            query: '{"since": args.sinse, "note": "args.in_a_string"}'
          - name: t
            type: transform
            config:
              expression: |-
                $map(resources.x, function($v) { $v.id & args.suffix })
          - name: s
            type: update_state
            config: {key: k, value_expression: "args.since ? args.until"}
        """),
    )
    assert [(f.line, f.column, f.message) for f in found] == [
        (
            6,
            18,
            "argument 'untill' read in the JSONata of args_validation is not declared "
            "in args_schema",
        ),
        (
            10,
            13,
            "argument 'webhook_id' read in the JSONata of run_if is not declared in args_schema",
        ),
        (11, 12, "argument 'sinse' read in the JSONata of query is not declared in args_schema"),
        (
            15,
            19,
            "argument 'suffix' read in the JSONata of config.expression is not declared "
            "in args_schema",
        ),
        (
            19,
            40,
            "argument 'until' read in the JSONata of config.value_expression is not declared "
            "in args_schema",
        ),
    ]
    assert found[0].hint == "declare it in args_schema: untill: {type: string}"
    assert found[1].hint == "declare it in args_schema: webhook_id: {type: string}"
    assert found[2].hint == "did you mean 'since'?"


@pytest.mark.parametrize(
    ("schema", "hint"),
    [
        ("", "declare it in args_schema: region: {type: string}"),
        ("args_schema: null\n", "declare it in args_schema: region: {type: string}"),
        (
            "args_schema: {type: object, properties: {}}\n",
            "declare it in args_schema.properties: region: {type: string}",
        ),
    ],
)
def test_sj203_hint_follows_the_dialect(schema: str, hint: str) -> None:
    found = run(
        sj203_undeclared_arg,
        schema + 'resources:\n  - {name: r, type: request, id: "{{args.region}}"}\n',
    )
    assert [f.hint for f in found] == [hint]


# -- SJ204 on runtime 4 scope --------------------------------------------------------------


def test_sj204_documented_data_flows_are_in_scope() -> None:
    body = """\
        mutex_key: "{{resources.anything}}"
        resources:
          - name: read-cursor
            type: get_state
            config: {key: cursor}
          - name: list-pages
            type: request
            depends_on: read-cursor
            resource: knowledge-base/pages
            method: list
            query: {since: "{{resources.read-cursor.value}}", after: "{{last_synced_at}}"}
          - name: page-content
            type: request
            depends_on: list-pages
            resource: knowledge-base/page-content
            method: list
            loop_on: resources.knowledge-base.pages
            query: {page_id: "{{resources.knowledge-base.pages.id}}"}
            recurse:
              if: "{{resources.knowledge-base.page-content.has_children:bool}}"
              config: {query: {block: "{{resources.knowledge-base.page-content.id}}"}}
          - name: shape
            type: transform
            depends_on: page-content
            config: {expression: "resources.`knowledge-base`.`page-content`"}
          - name: collect
            type: spool
            depends_on: shape
          - name: proxy-users
            type: request
            resource: users
            method: list
          - name: summarise
            type: request
            depends_on: collect
            resource: knowledge-base/summaries
            method: create
            body:
              content: "{{resources.knowledge-base.page-content.text}}"
              model: "{{resources.knowledge-base:json}}"
              shaped: "{{resources.shape.id}}"
              run: "{{sync_job_run.id}}-{{tenant_id}}-{{instance_url}}"
          - name: to-webhook
            type: destination
            destination_type: webhook
            resources_to_persist: [summarise, proxy-users]
            config:
              id: "{{args.webhook_id}}"
              config:
                page: "{{resources.knowledge-base.pages.id}}"
                user: "{{resources.users.id}}"
                record: "{{payload.records.id}}"
        """
    assert run(sj204_resource_not_ancestor, body) == []


def test_sj204_a_sibling_read_names_the_node_and_its_upstream() -> None:
    found = run(
        sj204_resource_not_ancestor,
        """\
        resources:
          - {name: list-tickets, type: request, resource: ticketing/tickets, method: list}
          - {name: read-cursor, type: get_state, config: {key: cursor}}
          - name: list-comments
            type: request
            depends_on: read-cursor
            resource: ticketing/comments
            method: list
            query:
              ticket: "{{resources.ticketing.tickets.id}}"
              ticket_again: "{{resources.ticketing.tickets.url}}"
        """,
    )
    assert [(f.line, f.column, f.message) for f in found] == [
        (
            12,
            15,
            "{{resources.ticketing.tickets.id}} reads resource 'ticketing/tickets', which is not "
            "upstream of node 'list-comments' (upstream: 'read-cursor')",
        ),
        (
            13,
            21,
            "{{resources.ticketing.tickets.url}} reads resource 'ticketing/tickets', which is "
            "not upstream of node 'list-comments' (upstream: 'read-cursor')",
        ),
    ]
    assert found[0].hint == "point depends_on at 'list-tickets' or at a node downstream of it"


@pytest.mark.parametrize(
    ("node", "message", "hint"),
    [
        (
            '{name: n, type: request, resource: a/b, query: {x: "{{resources.cursor.value}}"}}',
            "{{resources.cursor.value}} reads node 'cursor', which is not upstream of node 'n' "
            "(upstream: none)",
            "add depends_on: cursor to node 'n'",
        ),
        (
            "{name: n, type: destination, resources_to_persist: [cursor],"
            ' config: {id: "{{resources.list.id}}"}}',
            "{{resources.list.id}} reads node 'list', which is not upstream of node 'n' "
            "(upstream: 'cursor')",
            "add list to resources_to_persist",
        ),
        (
            '{name: n, type: request, resource: a/b, query: {x: "{{resources.a.b.next}}"}}',
            "{{resources.a.b.next}} reads resource 'a/b', which is not upstream of node 'n' "
            "(upstream: none)",
            "a request reads its own records only inside recurse (recurse.if, recurse.config)",
        ),
        (
            '{name: n, type: request, resource: a/b, recurse: {if: "{{resources.n.more}}"}}',
            "{{resources.n.more}} reads node 'n', which is not upstream of node 'n' "
            "(upstream: none)",
            "inside recurse a request reads its own records as resources.a.b",
        ),
        (
            '{name: n, type: get_state, config: {key: k, default: "{{resources.n.value}}"}}',
            "{{resources.n.value}} reads node 'n', which is not upstream of node 'n' "
            "(upstream: none)",
            "a node does not read its own output; read a node upstream of 'n'",
        ),
        (
            "{name: n, type: transform, depends_on: list,"
            ' config: {expression: x, extra: "{{resources.tickets.lists.id}}"}}',
            "{{resources.tickets.lists.id}} reads 'tickets.lists', which is not upstream of node "
            "'n' (upstream: 'list')",
            "did you mean 'tickets.list'?",
        ),
        (
            '{name: n, type: transform, depends_on: list, config: {x: "{{resources.zzz}}"}}',
            "{{resources.zzz}} reads 'zzz', which is not upstream of node 'n' (upstream: 'list')",
            "no node named 'zzz' and no request with that resource path in this job",
        ),
    ],
)
def test_sj204_out_of_scope_reads(node: str, message: str, hint: str) -> None:
    found = run(
        sj204_resource_not_ancestor,
        f"""\
        resources:
          - {{name: cursor, type: get_state, config: {{key: c}}}}
          - {{name: list, type: request, resource: tickets/list, method: list}}
          - {node}
        """,
    )
    assert [(f.message, f.hint) for f in found] == [(message, hint)]


def test_sj204_is_quiet_when_a_link_upstream_is_unresolved() -> None:
    body = """\
        resources:
          - {name: a, type: request, resource: x/y, depends_on: nowhere}
          - {name: b, type: request, resource: x/z, depends_on: a, query: {q: "{{resources.q.r}}"}}
          - {name: d, type: destination, resources_to_persist: [a, ghost],
             config: {id: "{{resources.q.r}}"}}
        """
    assert run(sj204_resource_not_ancestor, body) == []


# -- property: the rules survive any node-shaped runtime 4 data ----------------------------

_NODE_KEYS = st.sampled_from(
    [
        "name",
        "type",
        "depends_on",
        "resources_to_persist",
        "resource",
        "loop_on",
        "recurse",
        "if",
        "config",
        "expression",
        "query",
        "run_if",
    ]
)
_TEXT = st.sampled_from(
    [
        "a",
        "b",
        "request",
        "destination",
        "transform",
        "x/y",
        "args.a",
        "args.",
        "{{resources.a.value}}",
        "{{resources.x.y.z}}",
        "{{resources}}",
        "{{resources..}}",
        "{{args.a|b?:c}}",
        "$exists(args.a) and 'args.b'",
        "{{x",
    ]
)
_VALUE = st.recursive(
    st.one_of(st.none(), st.integers(), _TEXT),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(_NODE_KEYS, inner, max_size=4)
    ),
    max_leaves=15,
)
_RULES = (
    sj201_malformed_placeholder,
    sj202_unknown_cast,
    sj203_undeclared_arg,
    sj204_resource_not_ancestor,
    sj206_cast_in_longer_string,
    sj301_loop_on_undeclared,
    sj302_loop_on_not_array,
    sj402_unused_arg,
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.dictionaries(_NODE_KEYS, _VALUE, max_size=6), max_size=4),
    st.one_of(st.none(), st.dictionaries(st.sampled_from(["a", "b"]), _VALUE, max_size=2)),
)
def test_rules_never_raise_on_runtime_4_nodes(
    nodes: list[dict[str, object]], schema: object
) -> None:
    data = {"default_runtime_version": 4, "args_schema": schema, "resources": nodes}
    job = JobFile(Path(FILE), FILE, Document(FILE, data, None, ()), ("github", "repos.yaml"))
    ctx = FileContext(job, default_config(Path("/nowhere")))
    for rule in _RULES:
        for finding in rule.check(ctx):
            assert finding.rule == rule.RULE.id
            assert finding.message
