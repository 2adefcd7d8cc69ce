"""The node graph of a runtime 4 job: named nodes, their edges, ancestors and cycles.

A node's parents are the node its ``depends_on`` names and, for a destination, the nodes its
``resources_to_persist`` lists (a destination's edge list, reference §3.2). A name is *resolved*
only when exactly one node carries it (SJ101 reports none, SJ801 several). Runtime 1-3 jobs are
read by ``_resources``; ``nodes_of`` gives ``None`` for them and for files whose entries have the
other runtime's shape (SJ809).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from syncctl.loader import Document
from syncctl.rules._memo import per_document
from syncctl.rules._runtime import is_runtime_v4, shape_mismatch


@dataclass(frozen=True, slots=True)
class Node:
    """A node that is a mapping; ``index`` is its position in ``resources``."""

    index: int
    fields: Mapping[str, Any]
    name: str | None  # each None when absent or not a string (the schema rule's to report)
    type: str | None
    depends_on: str | None
    has_parent_link: bool  # ``depends_on`` is present, whatever its type
    persists: tuple[str, ...]  # the string entries of a destination's resources_to_persist
    resource: str | None  # a request's ``resource``

    @property
    def label(self) -> str:
        """How a person names the node: its name, else its position."""
        return self.name if self.name is not None else f"resources[{self.index}]"

    def output_path(self) -> tuple[str, ...] | None:
        """Where a request's records are read: ``resources.<model>.<resource>`` as segments
        after ``resources`` (``ticketing/tickets`` -> ``("ticketing", "tickets")``)."""
        if self.type != "request" or not self.resource:
            return None
        return tuple(self.resource.split("/"))


def _node(index: int, fields: Mapping[str, Any]) -> Node:
    name, kind, parent = fields.get("name"), fields.get("type"), fields.get("depends_on")
    resource = fields.get("resource")
    persisted = fields.get("resources_to_persist") if kind == "destination" else None
    persists = (
        tuple(p for p in persisted if isinstance(p, str)) if isinstance(persisted, list) else ()
    )
    return Node(
        index,
        fields,
        name if isinstance(name, str) else None,
        kind if isinstance(kind, str) else None,
        parent if isinstance(parent, str) else None,
        parent is not None,
        persists,
        resource if isinstance(resource, str) else None,
    )


@dataclass(frozen=True, slots=True)
class NodeGraph:
    nodes: tuple[Node, ...]
    by_name: Mapping[str, tuple[int, ...]]
    by_index: Mapping[int, Node]

    def named(self, name: str) -> Node | None:
        """The one node called ``name``, else ``None`` (no such node, or several)."""
        matches = self.by_name.get(name, ())
        return self.by_index[matches[0]] if len(matches) == 1 else None

    def parents(self, node: Node) -> tuple[Node, ...]:
        """Resolved parents: the ``depends_on`` node, then each persisted node (file order)."""
        out: list[Node] = []
        for name in (node.depends_on, *node.persists):
            if name is None:
                continue
            parent = self.named(name)
            if parent is not None and all(p.index != parent.index for p in out):
                out.append(parent)
        return tuple(out)

    def unresolved(self, node: Node) -> bool:
        """Whether a parent link of ``node`` names no node or an ambiguous one."""
        parent = node.depends_on
        if node.has_parent_link and (parent is None or self.named(parent) is None):
            return True
        return any(self.named(name) is None for name in node.persists)

    def ancestors(self, node: Node) -> tuple[Node, ...] | None:
        """Every node upstream of ``node`` (nearest first); ``None`` when a link on the way
        is unresolved (the rules that read scope then stay quiet)."""
        found: dict[int, Node] = {}
        queue = [node]
        while queue:
            current = queue.pop(0)
            if self.unresolved(current):
                return None
            for parent in self.parents(current):
                if parent.index not in found and parent.index != node.index:
                    found[parent.index] = parent
                    queue.append(parent)
        return tuple(found.values())

    def edges(self) -> tuple[tuple[Node, Node], ...]:
        """``(parent, child)`` for every resolved link, in file order of the child."""
        return tuple((parent, node) for node in self.nodes for parent in self.parents(node))

    def cycles(self) -> list[tuple[Node, ...]]:
        """Each cycle once (``depends_on`` and persist links), starting at its first node in
        file order, following the links from child to parent."""
        found: list[tuple[Node, ...]] = []
        seen_cycles: set[frozenset[int]] = set()
        for start in self.nodes:
            stack: list[tuple[Node, list[Node]]] = [(start, [start])]
            while stack:
                current, walk = stack.pop()
                for parent in self.parents(current):
                    if parent.index == start.index:
                        members = frozenset(n.index for n in walk)
                        if members not in seen_cycles and min(members) == start.index:
                            seen_cycles.add(members)
                            found.append(tuple(walk))
                    elif parent.index > start.index and all(n.index != parent.index for n in walk):
                        stack.append((parent, [*walk, parent]))
        found.sort(key=lambda c: c[0].index)
        return found


def node_keys(kind: str) -> frozenset[str]:
    """The keys the schema allows on a node of type ``kind`` (empty for an unknown type)."""
    from syncctl.schema import job_schema  # only asked when a required key is missing

    shape = job_schema()["$defs"].get(f"{kind}_node", {})
    return frozenset(shape.get("properties", ()))


@per_document
def nodes_of(doc: Document) -> NodeGraph | None:
    """The node graph of a runtime 4 job, or ``None`` (runtime 1-3, no mapping, no resource
    list, or entries of the runtime 1-3 shape: SJ809 reports those)."""
    data = doc.data
    if not isinstance(data, dict) or not is_runtime_v4(data) or shape_mismatch(doc) is not None:
        return None
    resources = data.get("resources")
    if not isinstance(resources, list):
        return None
    return graph_of_nodes(resources)


def graph_of_nodes(resources: list[Any]) -> NodeGraph:
    """The node graph of a list of runtime 4 nodes (entries that are not mappings are skipped)."""
    nodes = tuple(_node(i, item) for i, item in enumerate(resources) if isinstance(item, dict))
    by_name: dict[str, list[int]] = {}
    for node in nodes:
        if node.name is not None:
            by_name.setdefault(node.name, []).append(node.index)
    return NodeGraph(
        nodes=nodes,
        by_name={k: tuple(v) for k, v in by_name.items()},
        by_index={n.index: n for n in nodes},
    )
