"""``syncctl graph``: a job's dependency graph as labelled nodes and edges, drawn as text,
mermaid or dot.

Both runtimes (design §2.1). A runtime 4 node is labelled ``name (type)``; its edges come from
``depends_on`` and, for a destination, from each node in ``resources_to_persist`` (a
*persists* edge). A runtime 1-3 entry is labelled ``method resource``; its edge comes from the
entry whose ``resource`` its ``depends_on`` names. Links that name no node (or several) draw no
edge: ``validate`` reports those. The graph is read from the job's data alone, so the plan can
draw live jobs too; ``load_job_graph`` finds a job file by key and validates it first.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from syncctl.config import Config
from syncctl.errors import UsageError
from syncctl.findings import Report
from syncctl.loader import Document
from syncctl.rules._nodes import graph_of_nodes
from syncctl.rules._resources import graph_of
from syncctl.rules._runtime import runtime_of
from syncctl.validate import validate_tree

EdgeKind = Literal["depends_on", "persists"]


@dataclass(frozen=True, slots=True)
class GraphNode:
    """One entry of ``resources``: ``index`` is its position there; ``name`` is the short
    form that other entries link by (the node name, or the ``resource`` in runtime 1-3)."""

    index: int
    label: str
    name: str


@dataclass(frozen=True, slots=True)
class Edge:
    """``parent`` -> ``child`` (positions in ``resources``)."""

    parent: int
    child: int
    kind: EdgeKind = "depends_on"


@dataclass(frozen=True, slots=True)
class JobGraph:
    key: str
    runtime: int | None  # ``default_runtime_version`` when set (1-4)
    nodes: tuple[GraphNode, ...]
    edges: tuple[Edge, ...]

    def node(self, index: int) -> GraphNode:
        return next(n for n in self.nodes if n.index == index)

    def label_of(self, index: int) -> str:
        return self.node(index).label

    def shape(self) -> tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]]:
        """The node and edge sets by label, independent of the order of ``resources``: two
        jobs draw the same graph exactly when their shapes are equal."""
        labels = tuple(sorted(n.label for n in self.nodes))
        edges = tuple(
            sorted((self.label_of(e.parent), self.label_of(e.child), e.kind) for e in self.edges)
        )
        return labels, edges

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "runtime": self.runtime,
            "nodes": [{"index": n.index, "label": n.label} for n in self.nodes],
            "edges": [{"from": e.parent, "to": e.child, "kind": e.kind} for e in self.edges],
        }


def job_graph(key: str, data: Mapping[str, Any]) -> JobGraph:
    """The graph of one job's data (a job file or a live job's payload)."""
    runtime = runtime_of(data)
    resources = data.get("resources")
    entries = resources if isinstance(resources, list) else []
    if runtime == 4:
        return _v4_graph(key, entries)
    return _legacy_graph(key, runtime, dict(data))


def _v4_graph(key: str, entries: list[Any]) -> JobGraph:
    graph = graph_of_nodes(entries)
    nodes = tuple(
        GraphNode(node.index, f"{node.label} ({node.type or '?'})", node.label)
        for node in graph.nodes
    )
    edges: list[Edge] = []
    for node in graph.nodes:
        links: list[tuple[str | None, EdgeKind]] = [(node.depends_on, "depends_on")]
        links.extend((name, "persists") for name in node.persists)
        for name, kind in links:
            parent = graph.named(name) if name is not None else None
            edge = Edge(parent.index, node.index, kind) if parent is not None else None
            if edge is not None and all(
                e.parent != edge.parent or e.child != edge.child for e in edges
            ):
                edges.append(edge)
    return JobGraph(key, 4, nodes, tuple(edges))


def _legacy_graph(key: str, runtime: int | None, data: dict[str, Any]) -> JobGraph:
    graph = graph_of(Document(key, data, None, ()))
    if graph is None:  # entries of the runtime 4 shape (SJ809): nothing to draw
        return JobGraph(key, runtime, (), ())
    nodes = tuple(
        GraphNode(
            entry.index,
            f"{entry.method or '?'} {entry.resource or '?'}",
            entry.resource or f"resources[{entry.index}]",
        )
        for entry in graph.entries
    )
    edges = []
    for entry in graph.entries:
        parent = graph.parent(entry)
        if parent is not None:
            edges.append(Edge(parent.index, entry.index))
    return JobGraph(key, runtime, nodes, tuple(edges))


def _runtime_text(runtime: int | None) -> str:
    return f"runtime {runtime}" if runtime is not None else "runtime not set: legacy 1-3"


def render_text(graph: JobGraph) -> str:
    """One line per node in file order, with the nodes it comes after (``<-``, by name)."""
    count = f"{len(graph.nodes)} node(s), {len(graph.edges)} edge(s)"
    lines = [f"{graph.key} ({_runtime_text(graph.runtime)}): {count}"]
    for node in graph.nodes:
        parents = [
            graph.node(e.parent).name + (" [persists]" if e.kind == "persists" else "")
            for e in graph.edges
            if e.child == node.index
        ]
        lines.append(f"  {node.label}" + (f"  <- {', '.join(parents)}" if parents else ""))
    return "\n".join(lines) + "\n"


_MERMAID_CODES = {
    '"': "#quot;",
    "#": "#35;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "|": "#124;",
}


def mermaid_label(text: str) -> str:
    """A label safe inside ``["…"]``: quotes, brackets and markup as mermaid entity codes."""
    flat = " ".join(text.split())
    return '"' + "".join(_MERMAID_CODES.get(ch, ch) for ch in flat) + '"'


def render_mermaid(graph: JobGraph) -> str:
    """A ``flowchart TD``; persists edges are dotted and labelled."""
    lines = ["flowchart TD"]
    lines.extend(f"  n{node.index}[{mermaid_label(node.label)}]" for node in graph.nodes)
    for edge in graph.edges:
        arrow = "-. persists .->" if edge.kind == "persists" else "-->"
        lines.append(f"  n{edge.parent} {arrow} n{edge.child}")
    return "\n".join(lines) + "\n"


def dot_string(text: str) -> str:
    """A double-quoted dot string (backslashes, quotes and line breaks escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n") + '"'


def render_dot(graph: JobGraph) -> str:
    """A Graphviz ``digraph``; persists edges are dashed and labelled."""
    lines = [f"digraph {dot_string(graph.key)} {{", "  node [shape=box];"]
    lines.extend(f"  n{node.index} [label={dot_string(node.label)}];" for node in graph.nodes)
    for edge in graph.edges:
        style = ' [style=dashed, label="persists"]' if edge.kind == "persists" else ""
        lines.append(f"  n{edge.parent} -> n{edge.child}{style};")
    lines.append("}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class GraphResult:
    """The job's graph, or (``graph is None``) the findings that make its file invalid."""

    graph: JobGraph | None
    report: Report  # the findings of the job's own file


def load_job_graph(config: Config, key: str) -> GraphResult:
    """Validate the jobs folder and draw the job ``key``; an unknown key is a usage error."""
    jobs, report = validate_tree([config.jobs_dir], config)
    by_key = {job.key: job for job in jobs if job.key is not None}
    job = by_key.get(key)
    if job is None:
        close = difflib.get_close_matches(key, sorted(by_key), n=1)
        hint = (
            f"did you mean {close[0]}?"
            if close
            else "a job key is <integration folder>/<file name without .yaml>"
        )
        raise UsageError(f"no job file has the key {key!r} in {config.jobs_dir.name}/", hint=hint)
    own = Report.build((f for f in report.findings if f.file == job.rel), 1)
    if own.failed() or job.data is None:
        return GraphResult(None, own)
    return GraphResult(job_graph(key, job.data), own)
