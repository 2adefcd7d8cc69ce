"""The graph core: labelled nodes and edges of both runtimes, drawn as text, mermaid and dot."""

from __future__ import annotations

from textwrap import dedent
from typing import Any

import pytest

from syncctl.errors import UsageError
from syncctl.graph import (
    Edge,
    GraphNode,
    JobGraph,
    dot_string,
    job_graph,
    mermaid_label,
)
from syncctl.render.graph import GRAPH

V4: dict[str, Any] = {
    "default_runtime_version": 4,
    "resources": [
        {"name": "read-cursor", "type": "get_state", "config": {"key": "since"}},
        {"name": "list-events", "type": "request", "depends_on": "read-cursor"},
        {
            "name": "to-webhook",
            "type": "destination",
            "resources_to_persist": ["list-events", "read-cursor"],
        },
        {"name": "on-complete", "type": "event"},
        {"name": "advance", "type": "update_state", "depends_on": "on-complete"},
    ],
}
V3: dict[str, Any] = {
    "default_runtime_version": 3,
    "resources": [
        {"resource": "ticketing/tickets", "method": "list"},
        {"resource": "ticketing/comments", "method": "list", "depends_on": "ticketing/tickets"},
        {"resource": "ticketing/users", "method": "get", "depends_on": "ticketing/comments"},
    ],
}


def test_v4_nodes_are_named_and_typed_and_destinations_link_what_they_persist() -> None:
    graph = job_graph("googlecalendar/events", V4)
    assert graph.runtime == 4
    assert [n.label for n in graph.nodes] == [
        "read-cursor (get_state)",
        "list-events (request)",
        "to-webhook (destination)",
        "on-complete (event)",
        "advance (update_state)",
    ]
    assert graph.edges == (
        Edge(0, 1),
        Edge(1, 2, "persists"),
        Edge(0, 2, "persists"),
        Edge(3, 4),
    )


def test_v4_links_to_missing_or_ambiguous_nodes_draw_no_edge() -> None:
    data = {
        "default_runtime_version": 4,
        "resources": [
            {"name": "a", "type": "spool"},
            {"name": "a", "type": "spool"},
            {"name": "b", "type": "spool", "depends_on": "a"},
            {"name": "c", "type": "destination", "resources_to_persist": ["nope", "b"]},
            {"type": "event"},
        ],
    }
    graph = job_graph("x/y", data)
    assert graph.edges == (Edge(2, 3, "persists"),)
    assert graph.nodes[-1] == GraphNode(4, "resources[4] (event)", "resources[4]")


def test_v1_3_entries_are_labelled_method_resource_with_depends_on_edges() -> None:
    graph = job_graph("zendesk/tickets", V3)
    assert graph.runtime == 3
    assert [n.label for n in graph.nodes] == [
        "list ticketing/tickets",
        "list ticketing/comments",
        "get ticketing/users",
    ]
    assert graph.edges == (Edge(0, 1), Edge(1, 2))


def test_a_job_without_a_runtime_version_is_read_as_runtime_1_3() -> None:
    graph = job_graph("zendesk/tickets", {"resources": V3["resources"][:1]})
    assert (graph.runtime, [n.label for n in graph.nodes]) == (None, ["list ticketing/tickets"])
    assert "runtime not set" in GRAPH.render("text", graph)


def test_text_lists_nodes_with_what_they_come_after() -> None:
    assert GRAPH.render("text", job_graph("googlecalendar/events", V4)) == dedent(
        """\
        googlecalendar/events (runtime 4): 5 node(s), 4 edge(s)
          read-cursor (get_state)
          list-events (request)  <- read-cursor
          to-webhook (destination)  <- list-events [persists], read-cursor [persists]
          on-complete (event)
          advance (update_state)  <- on-complete
        """
    )


def test_mermaid_is_a_flowchart_with_dotted_persists_edges() -> None:
    assert GRAPH.render("mermaid", job_graph("googlecalendar/events", V4)) == dedent(
        """\
        flowchart TD
          n0["read-cursor (get_state)"]
          n1["list-events (request)"]
          n2["to-webhook (destination)"]
          n3["on-complete (event)"]
          n4["advance (update_state)"]
          n0 --> n1
          n1 -. persists .-> n2
          n0 -. persists .-> n2
          n3 --> n4
        """
    )


def test_dot_is_a_digraph_with_dashed_persists_edges() -> None:
    assert GRAPH.render("dot", job_graph("zendesk/tickets", V3)) == dedent(
        """\
        digraph "zendesk/tickets" {
          node [shape=box];
          n0 [label="list ticketing/tickets"];
          n1 [label="list ticketing/comments"];
          n2 [label="get ticketing/users"];
          n0 -> n1;
          n1 -> n2;
        }
        """
    )
    assert '  n1 -> n2 [style=dashed, label="persists"];' in GRAPH.render(
        "dot", job_graph("g/e", V4)
    )


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ('say "hi"', '"say #quot;hi#quot;"'),
        ("a[0] {b} | c", '"a#91;0#93; #123;b#125; #124; c"'),
        ("<b>&#9;`x`", '"#lt;b#gt;#amp;#35;9;#96;x#96;"'),
        ("two\nlines", '"two lines"'),
        ("list (request)", '"list (request)"'),
    ],
)
def test_mermaid_labels_escape_quotes_brackets_and_markup(text: str, label: str) -> None:
    assert mermaid_label(text) == label


def test_a_hostile_node_name_cannot_break_out_of_its_mermaid_or_dot_label() -> None:
    name = 'x"] --> evil["\\'
    graph = JobGraph("k/j", 4, (GraphNode(0, name, name),), ())
    mermaid = GRAPH.render("mermaid", graph).splitlines()
    assert mermaid[1] == '  n0["x#quot;#93; --#gt; evil#91;#quot;\\"]'
    dot = GRAPH.render("dot", graph).splitlines()
    assert dot[2] == '  n0 [label="x\\"] --> evil[\\"\\\\"];'


def test_dot_strings_escape_backslashes_quotes_and_newlines() -> None:
    assert dot_string('a\\N "b"\nc') == '"a\\\\N \\"b\\"\\nc"'


def test_shape_ignores_the_order_of_resources_but_not_the_links() -> None:
    reordered = {**V3, "resources": list(reversed(V3["resources"]))}
    assert job_graph("k", V3).shape() == job_graph("k", reordered).shape()
    relinked = {
        **V3,
        "resources": [*V3["resources"][:2], {**V3["resources"][2], "depends_on": None}],
    }
    assert job_graph("k", V3).shape() != job_graph("k", relinked).shape()


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown format 'svg' for graph"):
        GRAPH.render("svg", job_graph("k", V3))


def test_to_dict_lists_nodes_and_edges() -> None:
    assert job_graph("zendesk/tickets", V3).to_dict()["edges"] == [
        {"from": 0, "to": 1, "kind": "depends_on"},
        {"from": 1, "to": 2, "kind": "depends_on"},
    ]


def test_named_nodes_in_a_runtime_3_job_draw_nothing() -> None:
    data = {"default_runtime_version": 3, "resources": [{"name": "a", "type": "spool"}]}
    assert job_graph("k/j", data) == JobGraph("k/j", 3, (), ())
