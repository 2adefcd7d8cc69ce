"""Which runtime a job file is written for, and whether its entries have that runtime's shape.

Runtime 1-3 jobs list flat resource entries (``resource`` + ``method``); runtime 4 jobs list
named, typed nodes (design §2.1). A file whose entries have the *other* runtime's shape gets one
finding (SJ809) that names the runtime to set; every rule that reads the entries (SJ010 on the
entries, the graph and scope rules) stays quiet about such a file, so one mistake gives one
finding.

Also here: the JSONata strings of a job (``jsonata_sites``), which SJ803, SJ810 and the argument
rules read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from syncctl.findings import JsonPath
from syncctl.loader import Document
from syncctl.rules._memo import per_document

NODE_TYPES = (
    "request",
    "transform",
    "add_context",
    "spool",
    "get_state",
    "update_state",
    "delete_state",
    "event",
    "destination",
)
"""The node types of runtime 4 (reference §3.2)."""

STATE_TYPES = frozenset({"get_state", "update_state", "delete_state"})


def runtime_of(data: Mapping[str, Any]) -> int | None:
    """``default_runtime_version`` when it is an integer 1-4, else ``None`` (absent or bad)."""
    version = data.get("default_runtime_version")
    if isinstance(version, int) and not isinstance(version, bool) and 1 <= version <= 4:
        return version
    return None


def is_runtime_v4(data: Mapping[str, Any]) -> bool:
    return runtime_of(data) == 4


def looks_like_node(entry: Mapping[str, Any]) -> bool:
    """A runtime 4 node: it has a ``name``, or a ``type`` that names a node type."""
    return "name" in entry or entry.get("type") in NODE_TYPES


def looks_like_flat_entry(entry: Mapping[str, Any]) -> bool:
    """A runtime 1-3 entry: ``resource`` and no ``name``/``type`` at all."""
    return "resource" in entry and "name" not in entry and "type" not in entry


@dataclass(frozen=True, slots=True)
class ShapeMismatch:
    """The entries are of the other runtime's shape; ``index`` is the first such entry."""

    index: int
    expected: int  # the runtime the file declares (3 when it declares none)
    found: int  # the runtime the entries are written for (4, or 3 for flat entries)


@per_document
def shape_mismatch(doc: Document) -> ShapeMismatch | None:
    """The first entry whose shape belongs to the other runtime, or ``None``.

    In a runtime 1-3 file (or one without ``default_runtime_version``), an entry with a
    ``name`` or a node ``type`` is a runtime 4 node; in a runtime 4 file, an entry with a
    ``resource`` and neither ``name`` nor ``type`` is a runtime 1-3 entry.
    """
    data = doc.data
    if not isinstance(data, dict):
        return None
    resources = data.get("resources")
    if not isinstance(resources, list):
        return None
    v4 = is_runtime_v4(data)
    for index, entry in enumerate(resources):
        if not isinstance(entry, dict):
            continue
        if v4 and looks_like_flat_entry(entry):
            return ShapeMismatch(index, 4, 3)
        if not v4 and looks_like_node(entry):
            return ShapeMismatch(index, runtime_of(data) or 3, 4)
    return None


# Node fields that hold JSONata: (type or None for every type, path inside the node).
_NODE_JSONATA: tuple[tuple[str | None, tuple[str, ...]], ...] = (
    (None, ("run_if",)),
    ("transform", ("config", "expression")),
    ("add_context", ("config", "expression")),
    ("update_state", ("config", "value_expression")),
    ("request", ("query",)),  # a string query or body is JSONata; a mapping is templated
    ("request", ("body",)),
)


@dataclass(frozen=True, slots=True)
class JsonataSite:
    """A JSONata expression of the file: the string at ``path``; ``node`` is its node index."""

    path: JsonPath
    text: str
    node: int | None


@per_document
def jsonata_sites(doc: Document) -> tuple[JsonataSite, ...]:
    """Every JSONata string of the file: ``args_validation`` first, then node by node.

    ``args_validation`` in every runtime; in runtime 4 also ``run_if`` of any node,
    ``config.expression`` (transform, add_context), ``config.value_expression``
    (update_state) and a string-valued ``query`` or ``body`` of a request. Blank strings are
    left out (there is nothing to parse).
    """
    data = doc.data
    if not isinstance(data, dict):
        return ()
    out: list[JsonataSite] = []
    validation = data.get("args_validation")
    if isinstance(validation, str) and validation.strip():
        out.append(JsonataSite(("args_validation",), validation, None))
    resources = data.get("resources")
    if not is_runtime_v4(data) or not isinstance(resources, list):
        return tuple(out)
    found: list[JsonataSite] = []
    for index, node in enumerate(resources):
        if not isinstance(node, dict):
            continue
        kind = node.get("type")
        for wanted, inner in _NODE_JSONATA:
            if wanted is not None and wanted != kind:
                continue
            value: Any = node
            for part in inner:
                value = value.get(part) if isinstance(value, dict) else None
            if isinstance(value, str) and value.strip():
                found.append(JsonataSite(("resources", index, *inner), value, index))
    out.extend(found)
    return tuple(out)
