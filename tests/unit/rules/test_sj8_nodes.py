"""SJ801, SJ802, SJ804-SJ808: rules on the nodes of a runtime 4 job."""

from __future__ import annotations

from types import ModuleType

import pytest
from v4_helpers import run, where

from syncctl.findings import Severity
from syncctl.rules import (
    sj801_duplicate_node_name,
    sj802_resources_to_persist,
    sj804_request_account,
    sj805_state_without_state_key,
    sj806_update_state_after_complete,
    sj807_literal_destination_id,
    sj808_delete_tracking_proxy,
)

ALL = [
    sj801_duplicate_node_name,
    sj802_resources_to_persist,
    sj804_request_account,
    sj805_state_without_state_key,
    sj806_update_state_after_complete,
    sj807_literal_destination_id,
    sj808_delete_tracking_proxy,
]
ACCOUNT = 'integrated_account_id: "{{args.integrated_account_id}}"'


# SJ801 ---------------------------------------------------------------------------------------


def test_sj801_each_later_duplicate_at_its_name_naming_the_first_line() -> None:
    found = run(
        sj801_duplicate_node_name,
        """\
        resources:
          - {name: fetch, type: spool}
          - {name: other, type: spool}
          - name: fetch
            type: spool
          - {type: spool, name: fetch}
        """,
    )
    assert where(found) == [(8, 11, "SJ801"), (10, 25, "SJ801")]
    assert found[0].message == "node name 'fetch' is already used by resources[0] (line 6)"
    assert found[0].path == "$.resources[2].name"
    assert found[0].hint == (
        "give each node a unique name; depends_on and resources_to_persist refer to nodes by name"
    )


def test_sj801_unique_names_and_unnamed_nodes_are_fine() -> None:
    body = "resources:\n  - {name: a, type: spool}\n  - {type: spool}\n  - {type: spool}\n"
    assert run(sj801_duplicate_node_name, body) == []


# SJ802 ---------------------------------------------------------------------------------------


def test_sj802_missing_list_at_the_type_value_with_request_names_as_example() -> None:
    found = run(
        sj802_resources_to_persist,
        f"""\
        resources:
          - {{name: tickets, type: request, resource: t/t, method: list, {ACCOUNT}}}
          - name: out
            type: destination
            destination_type: webhook
        """,
    )
    assert where(found) == [(8, 11, "SJ802")]
    assert found[0].message == "destination 'out' has no resources_to_persist, so it writes nothing"
    assert (
        found[0].hint == "list the nodes whose records it writes: resources_to_persist: [tickets]"
    )
    assert found[0].path == "$.resources[1].type"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[]", "destination 'out' has an empty resources_to_persist, so it writes nothing"),
        ("null", "destination 'out' has no resources_to_persist, so it writes nothing"),
    ],
)
def test_sj802_an_empty_or_null_list_at_its_key(value: str, message: str) -> None:
    body = f"resources:\n  - name: out\n    type: destination\n    resources_to_persist: {value}\n"
    (found,) = run(sj802_resources_to_persist, body)
    assert (found.line, found.column, found.message) == (8, 5, message)
    assert (
        found.hint == "list the nodes whose records it writes: resources_to_persist: [<node name>]"
    )


def test_sj802_each_unknown_name_at_its_element_with_did_you_mean() -> None:
    found = run(
        sj802_resources_to_persist,
        """\
        resources:
          - {name: list-tickets, type: request}
          - {name: list-users, type: request}
          - name: out
            type: destination
            resources_to_persist: [list-tickets, list-ticket, 7, zzzzzz, out]
        """,
    )
    assert where(found) == [(10, 42, "SJ802"), (10, 58, "SJ802")]
    assert [f.message for f in found] == [
        "resources_to_persist names 'list-ticket', no node of this job",
        "resources_to_persist names 'zzzzzz', no node of this job",
    ]
    assert [f.hint for f in found] == [
        "did you mean 'list-tickets'?",
        "nodes of this job: 'list-tickets', 'list-users'",
    ]
    assert found[1].path == "$.resources[2].resources_to_persist[3]"


def test_sj802_only_destinations_and_not_a_list_is_the_schema_s() -> None:
    body = """\
        resources:
          - {name: a, type: spool}
          - {name: b, type: destination, resources_to_persist: a}
        """
    assert run(sj802_resources_to_persist, body) == []


# SJ804 ---------------------------------------------------------------------------------------


def test_sj804_request_without_account_at_the_node_with_a_declare_hint() -> None:
    found = run(
        sj804_request_account,
        f"""\
        resources:
          - type: request
            name: list-repos
            resource: repos
            method: list
          - {{name: ok, type: request, resource: repos, method: list, {ACCOUNT}}}
          - {{name: not-a-request, type: spool}}
        """,
    )
    assert where(found) == [(6, 5, "SJ804")]
    assert found[0].message == "request node 'list-repos' has no integrated_account_id"
    assert found[0].path == "$.resources[0]"
    assert found[0].hint == (
        'add integrated_account_id: "{{args.integrated_account_id}}" and declare it in '
        "args_schema: integrated_account_id: {type: string, format: integrated_account_id, "
        "required: true}"
    )


def test_sj804_hint_does_not_ask_to_declare_a_declared_argument() -> None:
    body = """\
        args_schema:
          integrated_account_id: {type: string}
        resources:
          - {type: request, resource: repos, method: list}
        """
    (found,) = run(sj804_request_account, body)
    assert found.message == "request node 'resources[0]' has no integrated_account_id"
    assert found.hint == 'add integrated_account_id: "{{args.integrated_account_id}}"'


def test_sj804_a_null_account_is_the_schema_s_to_report() -> None:
    body = "resources:\n  - {name: a, type: request, integrated_account_id: null}\n"
    assert run(sj804_request_account, body) == []


# SJ805 ---------------------------------------------------------------------------------------

NO_STATE_KEY = "integration_name: github\nlabel: Repos\ndefault_runtime_version: 4\n"


@pytest.mark.parametrize("state_key", [None, "state_key: null\n", "state_key: ''\n"])
def test_sj805_one_warning_at_the_first_state_node_type(state_key: str | None) -> None:
    body = """\
        resources:
          - {name: a, type: spool}
          - {name: cursor, type: get_state, config: {key: k}}
          - {name: save, type: update_state, config: {key: k, value: 1}}
        """
    found = run(sj805_state_without_state_key, body, NO_STATE_KEY + (state_key or ""))
    line = 7 if state_key else 6
    assert where(found) == [(line, 26, "SJ805")]
    assert found[0].severity is Severity.WARNING
    assert found[0].message == (
        "get_state node 'cursor' keeps state, but the job sets no state_key"
    )
    assert found[0].hint == (
        'set state_key: "{{args.integrated_account_id}}" so each account keeps its own state'
    )


def test_sj805_quiet_with_a_state_key_or_without_state_nodes() -> None:
    state = "resources:\n  - {name: d, type: delete_state, config: {key: k}}\n"
    assert run(sj805_state_without_state_key, state) == []  # HEAD sets state_key
    plain = "resources:\n  - {name: a, type: spool}\n"
    assert run(sj805_state_without_state_key, plain, NO_STATE_KEY) == []


# SJ806 ---------------------------------------------------------------------------------------


def test_sj806_update_state_not_below_complete_at_depends_on_naming_the_event() -> None:
    found = run(
        sj806_update_state_after_complete,
        """\
        resources:
          - {name: on-start, type: event, config: {name: start}}
          - {name: on-complete, type: event, config: {name: complete}}
          - {name: save, type: update_state, depends_on: on-start, config: {key: k}}
          - {name: save-too, type: update_state, config: {key: k}}
        """,
    )
    assert where(found) == [(8, 50, "SJ806"), (9, 28, "SJ806")]
    assert found[0].message == (
        "update_state node 'save' does not run after the complete event, "
        "so a failed run can still move the state"
    )
    assert found[0].hint == "set depends_on: on-complete (the complete event)"
    assert found[1].path == "$.resources[3].type"


def test_sj806_without_any_complete_event_the_hint_says_to_add_one() -> None:
    body = "resources:\n  - {name: save, type: update_state, config: {key: k}}\n"
    (found,) = run(sj806_update_state_after_complete, body)
    assert found.hint == (
        "add an event node (type: event, config: {name: complete}) and depend on it"
    )


def test_sj806_quiet_below_complete_even_through_other_nodes() -> None:
    body = """\
        resources:
          - {name: done, type: event, config: {name: complete}}
          - {name: compute, type: add_context, depends_on: done, config: {expression: x}}
          - {name: save, type: update_state, depends_on: compute, config: {key: k}}
        """
    assert run(sj806_update_state_after_complete, body) == []


def test_sj806_quiet_when_a_link_on_the_way_is_unresolved() -> None:
    body = """\
        resources:
          - {name: compute, type: spool, depends_on: nowhere}
          - {name: save, type: update_state, depends_on: compute, config: {key: k}}
          - {name: save-2, type: update_state, depends_on: typo, config: {key: k}}
        """
    assert run(sj806_update_state_after_complete, body) == []


# SJ807 ---------------------------------------------------------------------------------------


def test_sj807_literal_ids_at_the_value_with_an_arg_per_destination_type() -> None:
    found = run(
        sj807_literal_destination_id,
        """\
        resources:
          - {name: a, type: destination, destination_type: webhook, config: {id: wh_1}}
          - {name: b, type: destination, destination_type: datastore, config: {id: 42}}
          - {name: c, type: destination, destination_type: superquery, config: {id: sq}}
          - {name: d, type: destination, destination_type: webhook, config: {id: "{{args.w}}"}}
          - {name: e, type: destination, destination_type: webhook, config: {id: "w{{x}}"}}
          - {name: f, type: destination, config: {id: ""}}
          - {name: g, type: spool, config: {id: literal}}
        """,
    )
    assert where(found) == [(6, 74, "SJ807"), (7, 76, "SJ807"), (8, 77, "SJ807")]
    assert found[0].message == (
        "destination 'a' has a literal config.id 'wh_1'; "
        "every environment and account then writes to it"
    )
    assert found[0].path == "$.resources[0].config.id"
    assert [f.hint for f in found] == [
        'template it from args, e.g. id: "{{args.webhook_id}}", and declare webhook_id',
        'template it from args, e.g. id: "{{args.datastore_id}}", and declare datastore_id',
        'template it from args, e.g. id: "{{args.destination_id}}", and declare destination_id',
    ]


def test_sj807_a_malformed_placeholder_is_still_a_literal() -> None:
    body = 'resources:\n  - {name: a, type: destination, config: {id: "{{args.w[0]}}"}}\n'
    assert where(run(sj807_literal_destination_id, body)) == [(6, 47, "SJ807")]


# SJ808 ---------------------------------------------------------------------------------------


def test_sj808_delete_tracking_on_a_proxy_resource_at_the_key() -> None:
    found = run(
        sj808_delete_tracking_proxy,
        f"""\
        resources:
          - name: contacts
            type: request
            resource: contacts
            method: list
            {ACCOUNT}
            delete_tracking: soft
          - {{name: u, type: request, resource: crm/contacts, method: list, delete_tracking: hard}}
          - {{name: n, type: request, resource: contacts, method: list, delete_tracking: null}}
        """,
    )
    assert where(found) == [(11, 5, "SJ808")]
    assert found[0].message == (
        "delete_tracking needs a unified resource (<model>/<resource>); "
        "'contacts' is a proxy or custom resource"
    )
    assert found[0].hint == "use the unified resource (e.g. crm/contacts) or remove delete_tracking"


# all of them ---------------------------------------------------------------------------------

WRONG_SHAPE = """\
    resources:
      - resource: contacts
        method: list
      - {name: a, type: destination, resources_to_persist: [zz], config: {id: x}}
      - {name: a, type: request, resource: contacts, delete_tracking: hard}
      - {name: s, type: update_state, config: {key: k}}
    """


@pytest.mark.parametrize("rule", ALL, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_node_rules_leave_a_file_of_the_wrong_shape_to_sj809(rule: ModuleType) -> None:
    # every node below breaks one rule, but the first entry makes the file SJ809's
    assert run(rule, WRONG_SHAPE, NO_STATE_KEY) == []


@pytest.mark.parametrize("rule", ALL, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_node_rules_do_not_read_runtime_1_3_files(rule: ModuleType) -> None:
    head = "label: Repos\ndefault_runtime_version: 3\n"
    body = "resources:\n  - {resource: contacts, method: list}\n"
    assert run(rule, body, head) == []
