"""Canonical YAML: stable order, quoted placeholders, and an exact round trip."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from syncctl.canonical import dump_job
from syncctl.loader import load_text


def test_keys_in_canonical_order_and_placeholders_quoted() -> None:
    text = dump_job(
        {
            "resources": [
                {"query": {"id": "{{args.x}}"}, "method": "list", "resource": "crm/contacts"}
            ],
            "label": "Contacts: all",
            "integration_name": "hubspot",
            "default_runtime_version": 3,
        }
    )
    assert text.splitlines() == [
        "# yaml-language-server: $schema=../../schemas/sync-job.schema.json",
        "integration_name: hubspot",
        'label: "Contacts: all"',
        "default_runtime_version: 3",
        "resources:",
        "  - resource: crm/contacts",
        "    method: list",
        "    query:",
        '      id: "{{args.x}}"',
    ]


scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**9), 10**9)
    | st.text(max_size=20)
    | st.sampled_from(["yes", "no", "on", "0o17", "1e3", "~", "{{args.a}}", "a: b", "- x", ""])
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=300)
@given(st.dictionaries(st.text(min_size=1, max_size=10), values, max_size=5))
def test_dump_reads_back_as_the_same_data_without_findings(job: dict[str, Any]) -> None:
    doc = load_text(dump_job(job), "j.yaml")
    assert doc.findings == ()
    assert doc.data == job


def test_v4_nodes_in_node_order_with_unknown_keys_sorted_before_config() -> None:
    text = dump_job(
        {
            "default_runtime_version": 4,
            "resources": [
                {
                    "config": {"id": "{{args.webhook_id}}"},
                    "resources_to_persist": ["list"],
                    "zeta": 1,
                    "alpha": 2,
                    "destination_type": "webhook",
                    "run_if": "$exists(args.webhook_id)",
                    "type": "destination",
                    "name": "send",
                },
                {
                    "delete_tracking": "soft",
                    "body": {"a": 1},
                    "integrated_account_id": "{{args.integrated_account_id}}",
                    "method": "list",
                    "resource": "crm/contacts",
                    "debug": True,
                    "depends_on": "read",
                    "type": "request",
                    "name": "list",
                },
                {"config": {"key": "k"}, "resource": "odd", "type": "get_state", "name": "read"},
            ],
        }
    )
    assert text.splitlines()[2:] == [
        "resources:",
        "  - name: send",
        "    type: destination",
        '    run_if: "$exists(args.webhook_id)"',
        "    destination_type: webhook",
        "    resources_to_persist:",
        "      - list",
        "    alpha: 2",
        "    zeta: 1",
        "    config:",
        '      id: "{{args.webhook_id}}"',
        "  - name: list",
        "    type: request",
        "    depends_on: read",
        "    debug: true",
        "    resource: crm/contacts",
        "    method: list",
        '    integrated_account_id: "{{args.integrated_account_id}}"',
        "    body:",
        "      a: 1",
        "    delete_tracking: soft",
        "  - name: read",
        "    type: get_state",
        "    resource: odd",
        "    config:",
        "      key: k",
    ]


def test_runtime_version_4_as_a_string_orders_nodes_too() -> None:
    text = dump_job({"default_runtime_version": "4", "resources": [{"type": "spool", "name": "s"}]})
    assert text.splitlines()[-2:] == ["  - name: s", "    type: spool"]


def test_runtime_1_3_entries_keep_the_resource_order_even_with_node_keys() -> None:
    text = dump_job(
        {
            "default_runtime_version": 3,
            "resources": [{"name": "node", "resource": "r", "method": "list"}],
        }
    )
    assert text.splitlines()[-3:] == ["  - resource: r", "    method: list", "    name: node"]
