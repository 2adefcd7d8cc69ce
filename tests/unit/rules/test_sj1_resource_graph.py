"""SJ101-SJ104: the depends_on graph of a runtime 1-3 job."""

from __future__ import annotations

import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from syncctl.config import default_config
from syncctl.findings import Finding
from syncctl.loader import load_text
from syncctl.rules import (
    sj101_depends_on_unknown,
    sj102_depends_on_ambiguous,
    sj103_dependency_cycle,
    sj104_duplicate_resource,
)
from syncctl.rules.base import FileContext, JobFile

FILE = "jobs/zendesk/tickets.yaml"
HEAD = "integration_name: zendesk\nlabel: Tickets\ndefault_runtime_version: 3\n"


def run(rule: ModuleType, body: str, head: str = HEAD) -> list[Finding]:
    doc = load_text(head + textwrap.dedent(body), FILE)
    job = JobFile(Path(FILE), FILE, doc, ("zendesk", "tickets.yaml"))
    return list(rule.check(FileContext(job, default_config(Path("/nowhere")))))


def where(findings: list[Finding]) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.rule) for f in findings]


def test_sj101_unknown_parent_with_a_did_you_mean_hint() -> None:
    found = run(
        sj101_depends_on_unknown,
        """\
        resources:
          - resource: ticketing/tickets
            method: list
          - resource: ticketing/comments
            method: list
            depends_on: ticketing/ticket
        """,
    )
    assert where(found) == [(9, 17, "SJ101")]
    assert found[0].message == "depends_on 'ticketing/ticket' names no resource of this job"
    assert found[0].hint == "did you mean 'ticketing/tickets'?"
    assert found[0].path == "$.resources[1].depends_on"


def test_sj101_lists_the_resources_when_nothing_is_close() -> None:
    found = run(
        sj101_depends_on_unknown,
        """\
        resources:
          - {resource: crm/contacts, method: list}
          - {resource: crm/notes, method: list, depends_on: zzz}
        """,
    )
    assert found[0].hint == "resources of this job: 'crm/contacts'"


def test_sj101_a_proxy_parent_is_found() -> None:
    assert (
        run(
            sj101_depends_on_unknown,
            """\
        resources:
          - {resource: pipelines, method: list}
          - {resource: workflows, method: list, depends_on: pipelines}
        """,
        )
        == []
    )


def test_sj102_names_every_entry_sharing_the_resource() -> None:
    found = run(
        sj102_depends_on_ambiguous,
        """\
        resources:
          - {resource: ticketing/tickets, method: list}
          - {resource: ticketing/users, method: list}
          - {resource: ticketing/tickets, method: get, id: "1"}
          - {resource: ticketing/comments, method: list, depends_on: ticketing/tickets}
        """,
    )
    assert where(found) == [(8, 62, "SJ102")]
    assert "resources[0], resources[2]" in found[0].message


def test_sj103_reports_each_cycle_once_at_its_first_entry() -> None:
    found = run(
        sj103_dependency_cycle,
        """\
        resources:
          - {resource: d, method: list, depends_on: a}
          - {resource: a, method: list, depends_on: b}
          - {resource: b, method: list, depends_on: c}
          - {resource: c, method: list, depends_on: a}
          - {resource: e, method: list, depends_on: e}
          - {resource: f, method: list, depends_on: d}
        """,
    )
    assert where(found) == [(6, 45, "SJ103"), (9, 45, "SJ103")]
    assert found[0].message == "resource 'a' is part of a dependency cycle: a -> b -> c -> a"
    assert found[1].message == "resource 'e' depends on itself: e -> e"


def test_sj103_cycle_is_found_from_any_start_order() -> None:
    found = run(
        sj103_dependency_cycle,
        """\
        resources:
          - {resource: x, method: list, depends_on: y}
          - {resource: y, method: list, depends_on: x}
        """,
    )
    assert [f.message.split(": ")[1] for f in found] == ["x -> y -> x"]


def test_sj103_an_unresolved_link_breaks_no_cycle() -> None:
    assert (
        run(
            sj103_dependency_cycle,
            """\
        resources:
          - {resource: x, method: list, depends_on: y}
          - {resource: y, method: list, depends_on: x}
          - {resource: y, method: get, id: "1"}
        """,
        )
        == []
    )


def test_sj104_reports_every_repeat_at_its_resource() -> None:
    found = run(
        sj104_duplicate_resource,
        """\
        resources:
          - {resource: crm/contacts, method: list}
          - {resource: crm/contacts, method: get, id: "1"}
          - {resource: crm/contacts, method: list}
          - {resource: crm/contacts, method: list}
        """,
    )
    assert where(found) == [(7, 16, "SJ104"), (8, 16, "SJ104")]
    assert all("(first at resources[0])" in f.message for f in found)


@pytest.mark.parametrize(
    "rule",
    [
        sj101_depends_on_unknown,
        sj102_depends_on_ambiguous,
        sj103_dependency_cycle,
        sj104_duplicate_resource,
    ],
)
@pytest.mark.parametrize(
    "body",
    [
        "resources: tickets\n",
        "resources: [1, null, [], {resource: 5, method: [list], depends_on: {a: 1}}]\n",
        "resources:\n  - {resource: a, method: list, depends_on: 7}\n",
        "args_schema: null\n",
    ],
)
def test_wrong_shapes_are_left_to_the_schema_rule(rule: ModuleType, body: str) -> None:
    assert run(rule, body) == []


@pytest.mark.parametrize("rule", [sj102_depends_on_ambiguous, sj104_duplicate_resource])
def test_runtime_4_node_graphs_are_not_checked_here(rule: ModuleType) -> None:
    # SJ101 and SJ103 read runtime 4 node names too (tests/unit/rules/test_sj1_v4_nodes.py)
    head = "label: V4\ndefault_runtime_version: 4\n"
    assert (
        run(
            rule,
            """\
        resources:
          - {type: request, name: a, resource: x, method: list, depends_on: a}
          - {type: request, name: b, resource: x, method: list, depends_on: nowhere}
        """,
            head,
        )
        == []
    )


def test_a_document_that_is_not_a_mapping_gives_nothing() -> None:
    doc = load_text("- just\n- a list\n", FILE)
    job = JobFile(Path(FILE), FILE, doc, ("zendesk", "tickets.yaml"))
    ctx = FileContext(job, default_config(Path("/nowhere")))
    for rule in (sj101_depends_on_unknown, sj103_dependency_cycle):
        assert list(rule.check(ctx)) == []
