"""SJ010 on runtime 4 nodes: the shape of each node type, and silence where a dedicated rule
reports the mistake (design §3: one mistake, one finding)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from syncctl.config import default_config
from syncctl.findings import Finding
from syncctl.validate import validate_paths

HEAD = """\
label: Repos
integration_name: github
default_runtime_version: 4
state_key: "{{args.integrated_account_id}}"
args_schema:
  integrated_account_id: {type: string, required: true}
  webhook_id: {type: string, required: true}
resources:
"""
HEAD_LINES = HEAD.count("\n")

REQUEST = """\
- name: list-repos
  type: request
  resource: repos
  method: list
  integrated_account_id: "{{args.integrated_account_id}}"
"""


def _all(tmp_path: Path, text: str) -> list[Finding]:
    target = tmp_path / "jobs" / "github" / "repos.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    config = default_config(tmp_path)
    return list(validate_paths([config.jobs_dir], config).findings)


def _sj010(tmp_path: Path, nodes: str, head: str = HEAD) -> list[tuple[int, int, str, str]]:
    """SJ010 findings as (line within the nodes, column, path, message)."""
    found = _all(tmp_path, head + nodes)
    return [
        (f.line - head.count("\n"), f.column, f.path, f.message) for f in found if f.rule == "SJ010"
    ]


def test_a_file_of_every_node_type_is_clean(tmp_path: Path) -> None:
    nodes = REQUEST + textwrap.dedent("""\
      - name: page
        type: request
        depends_on: list-repos
        resource: ticketing/tickets
        method: get
        id: 7
        integrated_account_id: "{{args.integrated_account_id}}"
        query: '{"a": 1}'
        body: {title: x}
        debug: false
        recurse: {if: "{{resources.ticketing.tickets.more:bool}}", config: {query: {}}}
        delete_tracking: soft
        delete_tracking_query: {status: open}
      - {name: shape, type: transform, depends_on: page, config: {expression: "$"}}
      - {name: all, type: spool, depends_on: shape}
      - {name: ctx, type: add_context, depends_on: all, config: {expression: "{}"}}
      - {name: read, type: get_state, config: {key: k, default: 1}}
      - {name: done, type: event, config: {name: complete}}
      - {name: write, type: update_state, depends_on: done, config: {key: k, value: 2}}
      - {name: forget, type: delete_state, depends_on: done, config: {key: j}}
      - name: out
        type: destination
        destination_type: datastore
        method: insertMany
        loop_on: payload.records
        config: {id: "{{args.webhook_id}}", config: {records: "{{payload.records:json}}"}}
        resources_to_persist: [list-repos, page]
    """)
    assert _sj010(tmp_path, nodes) == []


def test_misspelt_node_key_is_one_finding_with_a_suggestion(tmp_path: Path) -> None:
    found = _sj010(tmp_path, REQUEST.replace("method:", "metod:"))
    assert found == [
        (
            4,
            3,
            "$.resources[0].metod",
            "unknown key 'metod' in resources[0] (did you mean 'method'?)",
        )
    ]


def test_key_of_another_node_type_lists_the_keys_of_this_type(tmp_path: Path) -> None:
    found = _all(tmp_path, HEAD + "- {name: all, type: spool, resource: repos}\n")
    sj010 = [f for f in found if f.rule == "SJ010"]
    assert [(f.path, f.message) for f in sj010] == [
        ("$.resources[0].resource", "unknown key 'resource' in resources[0]")
    ]
    assert sj010[0].hint == "allowed keys: config, debug, depends_on, name, run_if, type"


def test_unknown_type_is_one_finding_at_the_type_whatever_else_the_node_holds(
    tmp_path: Path,
) -> None:
    found = _all(tmp_path, HEAD + "- {name: x, type: destinaton, stray: 1, config: 5}\n")
    sj010 = [f for f in found if f.rule == "SJ010"]
    assert [(f.line - HEAD_LINES, f.column, f.path) for f in sj010] == [
        (1, 19, "$.resources[0].type")
    ]
    assert sj010[0].message.startswith("resources[0].type is 'destinaton'; allowed: request, ")
    assert sj010[0].hint == "did you mean 'destination'?"


def test_node_without_type_is_one_finding(tmp_path: Path) -> None:
    found = [
        f for f in _all(tmp_path, HEAD + "- {name: x, resource: repos}\n") if f.rule == "SJ010"
    ]
    assert [(f.path, f.message) for f in found] == [
        ("$.resources[0]", "resources[0] is missing the required key 'type'")
    ]
    assert found[0].hint == "required keys: name, type"


def test_node_with_a_misspelt_type_key_is_told_to_rename_it(tmp_path: Path) -> None:
    text = HEAD + "- {nmae: x, tpye: spool, depends_on: list-repos}\n"
    found = [f for f in _all(tmp_path, text) if f.rule == "SJ010"]
    assert [(f.path, f.message) for f in found] == [
        ("$.resources[0]", "resources[0] is missing the required keys 'name', 'type'")
    ]
    assert found[0].hint == "rename 'nmae' to 'name'; rename 'tpye' to 'type'"


def test_node_that_is_not_a_mapping_is_one_finding(tmp_path: Path) -> None:
    assert _sj010(tmp_path, "- list-repos\n") == [
        (1, 3, "$.resources[0]", "resources[0] must be a mapping, not the string 'list-repos'")
    ]


@pytest.mark.parametrize(
    ("node", "path", "message"),
    [
        (
            "{name: r, type: get_state, config: {default: 1}}",
            "$.resources[0].config",
            "resources[0].config is missing the required key 'key'",
        ),
        (
            "{name: r, type: transform}",
            "$.resources[0]",
            "resources[0] is missing the required key 'config'",
        ),
        (
            "{name: e, type: event, config: {name: finished}}",
            "$.resources[0].config.name",
            "resources[0].config.name is 'finished'; allowed: start, complete, error",
        ),
        (
            "{name: c, type: add_context, config: {expresion: '{}'}}",
            "$.resources[0].config.expresion",
            "unknown key 'expresion' in resources[0].config (did you mean 'expression'?)",
        ),
        (
            "{name: u, type: update_state, config: {key: k, value_expression: ''}}",
            "$.resources[0].config.value_expression",
            "resources[0].config.value_expression must not be empty",
        ),
        (
            "{name: s, type: spool, debug: 'yes'}",
            "$.resources[0].debug",
            "resources[0].debug must be true or false, not the string 'yes'",
        ),
    ],
)
def test_node_shape_mistakes_are_placed_and_worded(
    tmp_path: Path, node: str, path: str, message: str
) -> None:
    assert [(p, m) for _, _, p, m in _sj010(tmp_path, f"- {node}\n")] == [(path, message)]


def test_request_without_integrated_account_id_is_left_to_sj804(tmp_path: Path) -> None:
    nodes = "- {name: r, type: request, resource: repos, method: list}\n"
    assert _sj010(tmp_path, nodes) == []


def test_request_missing_more_than_the_account_still_names_the_rest(tmp_path: Path) -> None:
    assert _sj010(tmp_path, "- {name: r, type: request, resource: repos}\n") == [
        (1, 3, "$.resources[0]", "resources[0] is missing the required key 'method'")
    ]


@pytest.mark.parametrize(
    "persist", ["", "resources_to_persist: [], ", "resources_to_persist: null, "]
)
def test_destination_with_nothing_to_persist_is_left_to_sj802(tmp_path: Path, persist: str) -> None:
    destination = (
        "- {name: out, type: destination, destination_type: webhook, "
        + persist
        + 'config: {id: "{{args.webhook_id}}"}}\n'
    )
    assert _sj010(tmp_path, REQUEST + destination) == []


def test_destination_persisting_a_bare_name_is_still_sj010(tmp_path: Path) -> None:
    destination = (
        "- {name: out, type: destination, destination_type: webhook, "
        'config: {id: "{{args.webhook_id}}"}, resources_to_persist: list-repos}\n'
    )
    found = _sj010(tmp_path, REQUEST + destination)
    assert [m for _, _, _, m in found] == [
        "resources[1].resources_to_persist must be a list, not the string 'list-repos'"
    ]


def test_destination_listing_a_node_twice_is_still_sj010(tmp_path: Path) -> None:
    destination = (
        "- {name: out, type: destination, destination_type: webhook, "
        'config: {id: "{{args.webhook_id}}"}, resources_to_persist: [list-repos, list-repos]}\n'
    )
    found = _sj010(tmp_path, REQUEST + destination)
    assert [(p, m) for _, _, p, m in found] == [
        (
            "$.resources[1].resources_to_persist[1]",
            "resources[1].resources_to_persist lists the same value twice",
        )
    ]


def test_destination_missing_its_type_and_config_names_both(tmp_path: Path) -> None:
    found = _sj010(tmp_path, REQUEST + "- {name: out, type: destination}\n")
    assert [m for _, _, _, m in found] == [
        "resources[1] is missing the required keys 'destination_type', 'config'"
    ]


def test_flat_entries_in_a_runtime_4_file_are_left_to_sj809(tmp_path: Path) -> None:
    nodes = "- {resource: repos, method: list}\n- {resource: issues, metod: list}\n"
    assert _sj010(tmp_path, nodes) == []


def test_nodes_in_a_runtime_3_file_are_left_to_sj809_but_the_header_is_checked(
    tmp_path: Path,
) -> None:
    head = HEAD.replace("default_runtime_version: 4", "default_runtime_version: 3").replace(
        "label: Repos", 'label: ""'
    )
    found = _sj010(tmp_path, REQUEST + "- {name: x, type: spool, bogus: 1}\n", head=head)
    assert [(p, m) for _, _, p, m in found] == [("$.label", "label must not be empty")]
