"""What a runtime 4 node's placeholders may read under ``resources`` (reference §3.2, "Data flow
details" and "V4 scope").

A node reads the output of the nodes upstream of it (``NodeGraph.ancestors``: ``depends_on`` and,
for a destination, ``resources_to_persist``, transitively):

* ``resources.<node-name>...`` of any upstream node (transform, spool, add_context and state
  output; ``resources.read-cursor.value``);
* ``resources.<model>.<resource>...`` (proxy: ``resources.<resource>...``) of an upstream request,
  also through a transform or spool in between; ``resources.<model>`` reads the model object
  that holds it;
* inside a request's own ``recurse`` (``recurse.if``, ``recurse.config``), that request's own
  resource path: recursion reads the page just fetched.

Other roots (bare names, ``sync_job_run``, ``tenant_id``, ``payload.records``) are not judged.
"""

from __future__ import annotations

from dataclasses import dataclass

from syncctl.rules._nodes import Node, NodeGraph
from syncctl.rules._suggest import did_you_mean, listing

Query = tuple[str, ...]


def _covers(path: Query, read: Query) -> bool:
    """Whether ``read`` (segments after ``resources``) reads inside ``path``, or the model
    object that holds it (a proper prefix of ``path``)."""
    if len(read) >= len(path):
        return read[: len(path)] == path
    return path[: len(read)] == read


@dataclass(frozen=True, slots=True)
class Scope:
    """The upstream of ``node``: the nodes (nearest first) and their request paths."""

    node: Node
    upstream: tuple[Node, ...]

    def allows(self, read: Query, *, in_recurse: bool) -> bool:
        """Whether ``read`` (the segments after ``resources``) is readable at ``node``."""
        own = self.node.output_path() if in_recurse else None
        if own is not None and _covers(own, read):
            return True
        for up in self.upstream:
            if up.name == read[0]:
                return True
            path = up.output_path()
            if path is not None and _covers(path, read):
                return True
        return False

    def listing(self) -> str:
        return listing(n.label for n in self.upstream)

    def suggestion(self, read: Query) -> str | None:
        """A did-you-mean among the upstream names and request paths."""
        paths = [".".join(p) for n in self.upstream if (p := n.output_path()) is not None]
        names = [n.name for n in self.upstream if n.name is not None]
        if len(read) >= 2:
            hint = did_you_mean(".".join(read[:2]), paths)
            if hint is not None:
                return hint
        return did_you_mean(read[0], [*names, *paths])


@dataclass(frozen=True, slots=True)
class Target:
    """What a read names in the whole job: ``what`` for a message, the nodes that produce it."""

    what: str
    nodes: tuple[Node, ...]


def target_of(graph: NodeGraph, read: Query) -> Target:
    """The node that ``resources.<read>`` names, else the requests whose path it reads."""
    named = [graph.by_index[i] for i in graph.by_name.get(read[0], ())]
    if named:
        return Target(f"node {read[0]!r}", tuple(named))
    requests = tuple(
        n for n in graph.nodes if (p := n.output_path()) is not None and _covers(p, read)
    )
    if requests:
        path = requests[0].output_path() or ()
        shown = "/".join(path[: len(read)]) if len(read) < len(path) else "/".join(path)
        return Target(f"resource {shown!r}", requests)
    return Target(repr(".".join(read[:2])), ())
