"""SJ101 and SJ103 on runtime 4 node names (the runtime 1-3 side: test_sj1_resource_graph)."""

from __future__ import annotations

from v4_helpers import run, where

from syncctl.rules import sj101_depends_on_unknown, sj103_dependency_cycle


def test_sj101_depends_on_a_missing_node_with_a_did_you_mean_over_node_names() -> None:
    found = run(
        sj101_depends_on_unknown,
        """\
        resources:
          - {name: list-tickets, type: request, resource: ticketing/tickets, method: list}
          - name: list-comments
            type: request
            depends_on: list-ticket
        """,
    )
    assert where(found) == [(9, 17, "SJ101")]
    assert found[0].message == "depends_on 'list-ticket' names no node of this job"
    assert found[0].hint == "did you mean 'list-tickets'?"
    assert found[0].path == "$.resources[1].depends_on"


def test_sj101_lists_the_other_nodes_when_nothing_is_close() -> None:
    (found,) = run(
        sj101_depends_on_unknown,
        """\
        resources:
          - {name: a, type: spool}
          - {name: b, type: spool, depends_on: zzzzzz}
        """,
    )
    assert found.hint == "nodes of this job: 'a'"


def test_sj101_a_resource_path_is_not_a_node_name() -> None:
    # v1-3 habit: depends_on names the parent's resource; in runtime 4 it names the node
    (found,) = run(
        sj101_depends_on_unknown,
        """\
        resources:
          - {name: tickets, type: request, resource: ticketing/tickets, method: list}
          - {name: comments, type: spool, depends_on: ticketing/tickets}
        """,
    )
    assert found.message == "depends_on 'ticketing/tickets' names no node of this job"


def test_sj101_is_quiet_for_known_shared_and_non_string_names() -> None:
    # a shared name is SJ801's, a non-string depends_on the schema's, itself SJ103's
    assert (
        run(
            sj101_depends_on_unknown,
            """\
            resources:
              - {name: a, type: spool}
              - {name: a, type: spool}
              - {name: b, type: spool, depends_on: a}
              - {name: c, type: spool, depends_on: [a]}
              - {name: d, type: spool, depends_on: d}
              - {type: spool}
            """,
        )
        == []
    )


def test_sj101_leaves_runtime_4_nodes_in_a_runtime_3_file_to_sj809() -> None:
    head = "label: Repos\ndefault_runtime_version: 3\n"
    body = "resources:\n  - {name: a, type: spool, depends_on: nowhere}\n"
    assert run(sj101_depends_on_unknown, body, head) == []


def test_sj103_a_cycle_is_reported_once_at_its_first_node() -> None:
    found = run(
        sj103_dependency_cycle,
        """\
        resources:
          - {name: root, type: spool}
          - {name: a, type: spool, depends_on: c}
          - {name: b, type: spool, depends_on: a}
          - {name: c, type: spool, depends_on: b}
        """,
    )
    assert where(found) == [(7, 40, "SJ103")]
    assert found[0].message == "node 'a' is part of a dependency cycle: a -> c -> b -> a"
    assert found[0].path == "$.resources[1].depends_on"


def test_sj103_self_dependency() -> None:
    body = "resources:\n  - {name: a, type: spool, depends_on: a}\n"
    (found,) = run(sj103_dependency_cycle, body)
    assert found.message == "node 'a' depends on itself: a -> a"
    assert (found.line, found.column) == (6, 40)


def test_sj103_a_persist_link_closes_a_cycle_and_is_where_it_is_reported() -> None:
    found = run(
        sj103_dependency_cycle,
        """\
        resources:
          - name: out
            type: destination
            resources_to_persist: [other, after]
          - {name: after, type: spool, depends_on: out}
        """,
    )
    assert where(found) == [(8, 35, "SJ103")]
    assert found[0].message == "node 'out' is part of a dependency cycle: out -> after -> out"
    assert found[0].path == "$.resources[0].resources_to_persist[1]"


def test_sj103_a_destination_persisting_itself() -> None:
    body = "resources:\n  - {name: d, type: destination, resources_to_persist: [d]}\n"
    (found,) = run(sj103_dependency_cycle, body)
    assert found.message == "node 'd' depends on itself: d -> d"
    assert found.path == "$.resources[0].resources_to_persist[0]"


def test_sj103_two_cycles_two_findings_and_a_dag_none() -> None:
    found = run(
        sj103_dependency_cycle,
        """\
        resources:
          - {name: a, type: spool, depends_on: b}
          - {name: b, type: spool, depends_on: a}
          - {name: c, type: spool, depends_on: c}
          - {name: d, type: spool, depends_on: a}
        """,
    )
    assert [f.message for f in found] == [
        "node 'a' is part of a dependency cycle: a -> b -> a",
        "node 'c' depends on itself: c -> c",
    ]
    dag = "resources:\n  - {name: a, type: spool}\n  - {name: b, type: spool, depends_on: a}\n"
    assert run(sj103_dependency_cycle, dag) == []
