"""The resource graph of a runtime 1-3 job: entries, their parents, ancestors and cycles.

An entry's ``depends_on`` names the ``resource`` value of its parent. A parent is *resolved*
only when exactly one entry carries that value (SJ101 reports none, SJ102 several). Runtime 4
jobs (a graph of named nodes) are not read here: ``graph_of`` gives ``None`` for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from syncctl.loader import Document
from syncctl.rules._memo import per_document
from syncctl.rules._runtime import is_runtime_v4, shape_mismatch


@dataclass(frozen=True, slots=True)
class Entry:
    """A resource entry that is a mapping; ``index`` is its position in ``resources``."""

    index: int
    fields: Mapping[str, Any]
    resource: str | None  # each None when absent or not a string (the schema rule's to report)
    method: str | None
    depends_on: str | None
    has_parent_link: bool  # ``depends_on`` is present, whatever its type


def _entry(index: int, fields: Mapping[str, Any]) -> Entry:
    resource, method = fields.get("resource"), fields.get("method")
    parent = fields.get("depends_on")
    return Entry(
        index,
        fields,
        resource if isinstance(resource, str) else None,
        method if isinstance(method, str) else None,
        parent if isinstance(parent, str) else None,
        parent is not None,
    )


@dataclass(frozen=True, slots=True)
class Graph:
    entries: tuple[Entry, ...]
    by_resource: Mapping[str, tuple[int, ...]]
    by_index: Mapping[int, Entry]

    def parent(self, entry: Entry) -> Entry | None:
        """The one entry whose ``resource`` is this entry's ``depends_on``, else ``None``."""
        target = entry.depends_on
        if target is None:
            return None
        matches = self.by_resource.get(target, ())
        return self.by_index[matches[0]] if len(matches) == 1 else None

    def ancestors(self, entry: Entry) -> frozenset[str] | None:
        """Resource values up the ``depends_on`` chain; ``None`` when a link is unresolved."""
        names: set[str] = set()
        seen = {entry.index}
        current = entry
        while current.has_parent_link:
            parent = self.parent(current)
            if parent is None:
                return None
            if parent.resource is not None:
                names.add(parent.resource)
            if parent.index in seen:  # a cycle (SJ103): every member is an ancestor
                break
            seen.add(parent.index)
            current = parent
        return frozenset(names)

    def cycles(self) -> list[tuple[Entry, ...]]:
        """Each dependency cycle once, starting at its first entry in file order."""
        done: set[int] = set()
        found: list[tuple[Entry, ...]] = []
        for start in self.entries:
            walk: list[Entry] = []
            position: dict[int, int] = {}
            current: Entry | None = start
            while (
                current is not None and current.index not in done and current.index not in position
            ):
                position[current.index] = len(walk)
                walk.append(current)
                current = self.parent(current)
            if current is not None and current.index in position:
                cycle = walk[position[current.index] :]
                first = min(range(len(cycle)), key=lambda i: cycle[i].index)
                found.append(tuple(cycle[first:] + cycle[:first]))
            done.update(position)
        found.sort(key=lambda c: c[0].index)
        return found


@per_document
def graph_of(doc: Document) -> Graph | None:
    """The graph of a runtime 1-3 job, or ``None`` (runtime 4, no mapping, no resource list,
    or entries of the runtime 4 shape: SJ809 reports those)."""
    data = doc.data
    if not isinstance(data, dict) or is_runtime_v4(data) or shape_mismatch(doc) is not None:
        return None
    resources = data.get("resources")
    if not isinstance(resources, list):
        return None
    entries = tuple(_entry(i, item) for i, item in enumerate(resources) if isinstance(item, dict))
    by_resource: dict[str, list[int]] = {}
    for entry in entries:
        if entry.resource is not None:
            by_resource.setdefault(entry.resource, []).append(entry.index)
    return Graph(
        entries=entries,
        by_resource={k: tuple(v) for k, v in by_resource.items()},
        by_index={e.index: e for e in entries},
    )
