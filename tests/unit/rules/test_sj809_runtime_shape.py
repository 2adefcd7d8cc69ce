"""SJ809: entries of the other runtime's shape, one finding per file that names the runtime."""

from __future__ import annotations

from v4_helpers import run, where

from syncctl.rules import sj809_runtime_shape

V3 = "integration_name: github\nlabel: Repos\ndefault_runtime_version: 3\n"
NONE = "integration_name: github\nlabel: Repos\n"


def test_named_nodes_in_a_runtime_3_job_at_the_first_one() -> None:
    found = run(
        sj809_runtime_shape,
        """\
        resources:
          - {resource: repos, method: list}
          - type: request
            name: list-repos
          - {name: other, type: spool}
        """,
        V3,
    )
    assert where(found) == [(6, 5, "SJ809")]
    assert found[0].message == (
        "resources[1] is a runtime 4 node (it has name and type) but this job is runtime 3; "
        "set default_runtime_version: 4"
    )
    assert found[0].path == "$.resources[1]"
    assert found[0].hint == "in runtime 4 every entry is a node with a name and a type"


def test_without_a_version_the_message_says_the_api_makes_it_runtime_3() -> None:
    (found,) = run(sj809_runtime_shape, "resources:\n  - {name: a}\n", NONE)
    assert found.message == (
        "resources[0] is a runtime 4 node (it has name) but this job declares no "
        "default_runtime_version (so the API makes it runtime 3); set default_runtime_version: 4"
    )
    assert (found.line, found.column) == (4, 5)


def test_a_node_type_alone_is_named() -> None:
    head = "label: Repos\ndefault_runtime_version: 2\n"
    (found,) = run(sj809_runtime_shape, "resources:\n  - {type: request, resource: r}\n", head)
    assert found.message.startswith(
        "resources[0] is a runtime 4 node (it has type: request) but this job is runtime 2;"
    )


def test_flat_entries_in_a_runtime_4_job() -> None:
    found = run(
        sj809_runtime_shape,
        """\
        resources:
          - {name: a, type: spool}
          - resource: ticketing/tickets
            method: list
          - resource: ticketing/users
        """,
    )
    assert where(found) == [(7, 5, "SJ809")]
    assert found[0].message == (
        "resources[1] is a runtime 1-3 entry (resource without name and type) but this job is "
        "runtime 4; give each entry a name and type: request, or set default_runtime_version: 3"
    )
    assert found[0].hint == (
        "a runtime 4 request: {name: list-tickets, type: request, resource: ticketing/tickets, "
        'method: list, integrated_account_id: "{{args.integrated_account_id}}"}'
    )


def test_entries_of_the_declared_runtime_are_fine() -> None:
    assert run(sj809_runtime_shape, "resources:\n  - {name: a, type: spool}\n") == []
    assert run(sj809_runtime_shape, "resources:\n  - {resource: a, method: list}\n", V3) == []
    # a type that is no node type, in a v3 file, is the schema's (unknown key) to report
    assert run(sj809_runtime_shape, "resources:\n  - {resource: a, type: x}\n", V3) == []
    assert run(sj809_runtime_shape, "resources: {a: 1}\n", V3) == []
