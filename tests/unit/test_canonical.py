"""Canonical YAML: stable order, quoted placeholders, and an exact round trip."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from syncctl.canonical import canonical_job, dump_job, key_orders, schema_comment
from syncctl.kinds import WORKFLOW
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


def test_a_workflow_in_canonical_order_with_its_schema_line() -> None:
    workflow = {
        "config": {
            "steps": [
                {
                    "config": {"args": {"full": True}, "sync_job": "zendesk/tickets"},
                    "cron_expression": "0 */6 * * *",
                    "run_if": 'integrated_account.region = "eu"',
                    "action": "run_sync_job",
                    "type": "run",
                },
                {"config": "{{args.step}}", "action": "run_sync_job", "type": "run"},
            ],
            "run_if": 'integrated_account.integration.name = "zendesk"',
        },
        "trigger_name": "integrated_account:active",
        "environments": ["staging"],
        "description": "Tickets",
    }
    text = dump_job(workflow, WORKFLOW)
    assert text.splitlines() == [
        "# yaml-language-server: $schema=../schemas/workflow.schema.json",
        "description: Tickets",
        "environments:",
        "  - staging",
        'trigger_name: "integrated_account:active"',
        "config:",
        '  run_if: "integrated_account.integration.name = \\"zendesk\\""',
        "  steps:",
        "    - type: run",
        "      action: run_sync_job",
        '      run_if: "integrated_account.region = \\"eu\\""',
        '      cron_expression: "0 */6 * * *"',
        "      config:",
        "        sync_job: zendesk/tickets",
        "        args:",
        "          full: true",
        "    - type: run",
        "      action: run_sync_job",
        '      config: "{{args.step}}"',
    ]
    assert load_text(text).data == workflow
    assert list(workflow) == ["config", "trigger_name", "environments", "description"]  # a copy


def test_key_orders_of_a_kind_without_inner_orders_is_its_top_level_only() -> None:
    webhook = replace(WORKFLOW, name="webhook", schema_file="webhook.schema.json")
    data: dict[str, Any] = {"config": {"steps": [], "run_if": "x"}, "trigger_name": "t"}
    assert [(list(m), order) for m, order in key_orders(data, webhook)] == [
        (["config", "trigger_name"], ["trigger_name", "config"])
    ]
    assert (
        schema_comment(webhook)
        == "# yaml-language-server: $schema=../schemas/webhook.schema.json\n"
    )
    assert canonical_job(data, webhook)["config"] == {"steps": [], "run_if": "x"}
    assert list(canonical_job(data, WORKFLOW)["config"]) == ["run_if", "steps"]


@settings(max_examples=200)
@given(
    st.dictionaries(
        st.sampled_from(["description", "trigger_name", "config", "other"]),
        values
        | st.fixed_dictionaries(
            {"steps": st.lists(st.dictionaries(st.text(max_size=8), values, max_size=5))}
        ),
        max_size=4,
    )
)
def test_a_workflow_dump_reads_back_as_the_same_data(workflow: dict[str, Any]) -> None:
    doc = load_text(dump_job(workflow, WORKFLOW), "w.yaml")
    assert doc.findings == ()
    assert doc.data == workflow
