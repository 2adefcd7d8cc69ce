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
