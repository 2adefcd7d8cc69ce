"""The field-level diff: runtime versions by number, ``resources`` matched entry by entry."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from syncctl.reconcile.normalise import (
    FieldChange,
    changed_fields,
    content_hash,
    diff,
    normalise,
)
from syncctl.reconcile.plan import Update
from syncctl.render.plan_text import change_lines

READ = {"name": "read-cursor", "type": "get_state", "config": {"key": "since"}}
LIST = {
    "name": "list-tickets",
    "type": "request",
    "depends_on": "read-cursor",
    "resource": "ticketing/tickets",
    "method": "list",
    "integrated_account_id": "{{args.integrated_account_id}}",
}
COMMENTS = {
    "name": "list-comments",
    "type": "request",
    "depends_on": "list-tickets",
    "resource": "ticketing/comments",
    "method": "list",
    "integrated_account_id": "{{args.integrated_account_id}}",
}
SEND = {
    "name": "send",
    "type": "destination",
    "destination_type": "webhook",
    "resources_to_persist": ["list-tickets"],
    "config": {"id": "{{args.webhook_id}}"},
}


def v4(*nodes: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "integration_name": "zendesk",
        "label": "tickets",
        "default_runtime_version": 4,
        "resources": list(nodes),
        **fields,
    }


def test_runtime_version_compares_by_number() -> None:
    as_string = v4(READ, default_runtime_version="4")
    assert diff(v4(READ), as_string) == ()
    assert normalise(as_string)["default_runtime_version"] == 4
    assert content_hash(as_string) == content_hash(v4(READ))
    (change,) = diff(v4(READ), v4(READ, default_runtime_version="3"))
    assert (change.path, change.before, change.after) == ("$.default_runtime_version", 3, 4)


def test_an_inserted_node_is_one_added_element() -> None:
    changes = diff(v4(READ, LIST, COMMENTS, SEND), v4(READ, LIST, SEND))
    assert changes == (
        FieldChange(
            "resources", "$.resources[2]", None, COMMENTS, "add", "resources[2] list-comments"
        ),
    )


def test_a_removed_node_is_one_removed_element_at_its_live_index() -> None:
    changes = diff(v4(READ, SEND), v4(READ, LIST, SEND))
    assert changes == (
        FieldChange(
            "resources", "$.resources[1]", LIST, None, "remove", "resources[1] list-tickets"
        ),
    )


def test_a_changed_node_descends_into_its_fields_and_is_named() -> None:
    edited = {**COMMENTS, "query": {"sort": "asc"}, "method": "get"}
    changes = diff(v4(READ, LIST, edited), v4(READ, LIST, COMMENTS))
    assert [(c.op, c.element, c.path, c.before, c.after) for c in changes] == [
        ("change", "resources[2] list-comments", "$.resources[2].method", "list", "get"),
        ("add", "resources[2] list-comments", "$.resources[2].query", None, {"sort": "asc"}),
    ]


def test_an_insert_before_a_changed_node_names_the_desired_index() -> None:
    edited = {**COMMENTS, "method": "get"}
    changes = diff(v4(READ, LIST, SEND, edited), v4(READ, LIST, COMMENTS))
    assert [(c.op, c.element, c.path) for c in changes] == [
        ("add", "resources[2] send", "$.resources[2]"),
        ("change", "resources[3] list-comments", "$.resources[3].method"),
    ]


def test_a_reordered_list_still_differs() -> None:
    changes = diff(v4(LIST, READ), v4(READ, LIST))
    assert changes, "a different order is a different payload: it must show"
    assert {(c.op, c.element) for c in changes} <= {
        ("add", "resources[0] list-tickets"),
        ("remove", "resources[1] list-tickets"),
        ("add", "resources[1] read-cursor"),
        ("remove", "resources[0] read-cursor"),
    }


def test_runtime_1_3_entries_are_matched_by_resource() -> None:
    tickets = {"resource": "ticketing/tickets", "method": "list"}
    comments = {
        "resource": "ticketing/comments",
        "method": "list",
        "depends_on": "ticketing/tickets",
    }
    users = {"resource": "ticketing/users", "method": "list"}
    before = {"default_runtime_version": 3, "resources": [tickets, comments]}
    after = {"default_runtime_version": 3, "resources": [users, tickets, {**comments, "id": 1}]}
    assert [(c.op, c.element, c.path) for c in diff(after, before)] == [
        ("add", "resources[0] ticketing/users", "$.resources[0]"),
        ("add", "resources[2] ticketing/comments", "$.resources[2].id"),
    ]


def test_entries_without_a_name_are_matched_by_content() -> None:
    before = {"resources": [{"x": 1}, "odd"]}
    after = {"resources": [{"x": 2}, "odd"]}
    assert [(c.op, c.element) for c in diff(after, before)] == [
        ("remove", "resources[0]"),
        ("add", "resources[0]"),
    ]


def test_the_patch_body_still_sends_the_whole_resources_list() -> None:
    want = v4(READ, LIST, COMMENTS)
    changes = diff(want, v4(READ, LIST))
    assert changed_fields(changes, want) == {"resources": want["resources"]}


def test_field_change_reads_back_from_its_dict_and_from_the_older_shape() -> None:
    change = FieldChange(
        "resources", "$.resources[0]", None, READ, "add", "resources[0] read-cursor"
    )
    assert FieldChange.from_dict(change.to_dict()) == change
    old = {"field": "label", "path": "$.label", "before": "a", "after": "b"}
    assert FieldChange.from_dict(old) == FieldChange("label", "$.label", "a", "b")


def test_text_groups_changes_under_their_entry_and_shows_one_line_per_added_node() -> None:
    edited = {**LIST, "method": "get"}
    changes = diff(v4(READ, edited, COMMENTS, label="new"), v4(READ, LIST, label="old"))
    update = Update(key="zendesk/tickets", id="7", diff=changes, send={}, hash="h", fingerprint="f")
    lines = change_lines(update)
    assert lines == [
        "  ~ update zendesk/tickets (id 7)",
        "      ~ label: old -> new",
        "      ~ resources[1] list-tickets",
        "          ~ method: list -> get",
        "      + resources[2] list-comments:",
        "      +   name: list-comments",
        "      +   type: request",
        "      +   depends_on: list-tickets",
        "      +   resource: ticketing/comments",
        "      +   method: list",
        "      +   integrated_account_id: '{{args.integrated_account_id}}'",
    ]


NAMES = st.sampled_from(["a", "b", "c", "d"])
NODES = st.builds(
    lambda name, method: {"name": name, "type": "request", "method": method},
    NAMES,
    st.sampled_from(["list", "get"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(NODES, max_size=5), st.lists(NODES, max_size=5))
def test_diff_is_empty_exactly_when_the_lists_are_equal(
    want: list[dict[str, Any]], have: list[dict[str, Any]]
) -> None:
    changes = diff(v4(*want), v4(*have))
    assert (changes == ()) == (want == have)
    added = [c for c in changes if c.op == "add"]
    removed = [c for c in changes if c.op == "remove"]
    # Every entry is accounted for: matched entries plus removed equals the live list.
    assert len(have) - len(removed) == len(want) - len(added)
