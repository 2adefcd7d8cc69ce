"""SJ501: method get without id; unknown method names."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from syncctl.config import default_config
from syncctl.findings import Finding
from syncctl.loader import load_text
from syncctl.rules import sj501_method
from syncctl.rules.base import FileContext, JobFile

FILE = "jobs/pipedrive/deals.yaml"
HEAD = "integration_name: pipedrive\nlabel: Deals\ndefault_runtime_version: 3\n"


def run(body: str, head: str = HEAD) -> list[Finding]:
    doc = load_text(head + textwrap.dedent(body), FILE)
    job = JobFile(Path(FILE), FILE, doc, ("pipedrive", "deals.yaml"))
    return list(sj501_method.check(FileContext(job, default_config(Path("/nowhere")))))


@pytest.mark.parametrize("method", ["list", "create", "update", "delete"])
def test_known_methods_pass(method: str) -> None:
    assert run(f"resources:\n  - {{resource: crm/deals, method: {method}}}\n") == []


@pytest.mark.parametrize("record_id", ['"42"', "42", "0", '"{{args.deal_id}}"'])
def test_get_with_an_id_passes(record_id: str) -> None:
    assert run(f"resources:\n  - {{resource: crm/deals, method: get, id: {record_id}}}\n") == []


@pytest.mark.parametrize("record_id", [None, '""', '"  "', "null"])
def test_get_without_an_id(record_id: str | None) -> None:
    extra = "" if record_id is None else f", id: {record_id}"
    found = run(f"resources:\n  - {{resource: crm/deals, method: get{extra}}}\n")
    assert [(f.line, f.column, f.message) for f in found] == [
        (5, 35, "method 'get' fetches one record but this entry has no id")
    ]


def test_unknown_methods_with_and_without_a_close_match() -> None:
    found = run("""\
        resources:
          - {resource: crm/deals, method: lst}
          - {resource: crm/files, method: download}
        """)
    assert [f.message for f in found] == [
        "unknown method 'lst' (known: list, get, create, update, delete)",
        "unknown method 'download' (known: list, get, create, update, delete)",
    ]
    assert found[0].hint == "did you mean 'list'?"
    assert "integration-specific" in str(found[1].hint)


@pytest.mark.parametrize(
    "body",
    [
        "resources:\n  - {resource: crm/deals, method: 5}\n",
        "resources:\n  - {resource: crm/deals, method: ''}\n",
        "resources:\n  - {resource: crm/deals}\n",
        "resources: {method: get}\n",
    ],
)
def test_wrong_shapes_are_left_to_the_schema_rule(body: str) -> None:
    assert run(body) == []


def test_runtime_4_nodes_are_not_checked() -> None:
    assert (
        run(
            "resources:\n  - {type: destination, name: d, method: uploadObject}\n",
            "label: V4\ndefault_runtime_version: 4\n",
        )
        == []
    )
