"""Declared arguments (``args_schema``) and the places that use them.

Both dialects are read: the wrapped ``{type: object, properties: {...}}`` and the runtime 4 flat
map of name -> property. ``args_schema`` null or absent declares nothing. A shape that is neither
(a list, a string, ``properties`` that is not a mapping) gives ``None``: SJ010/SJ401 report it,
and the rules that need the declarations stay quiet rather than guess.

Also here: the ``loop_on`` values that name an argument (``loop_sites``, both runtimes), which
SJ301, SJ302 and SJ402 read. JSONata reads of arguments are found by ``_jsonata_args``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from syncctl.findings import JsonPath
from syncctl.loader import Document
from syncctl.placeholders import parse
from syncctl.rules._memo import per_document
from syncctl.rules._nodes import nodes_of
from syncctl.rules._resources import graph_of

_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "description",
        "additionalProperties",
        "$ref",
        "default",
        "title",
        "$schema",
    }
)


@dataclass(frozen=True, slots=True)
class Declared:
    """Declared arguments: name -> property schema, and the JSON path of that map."""

    properties: Mapping[str, Any]
    base: JsonPath
    open: bool = False  # additionalProperties: true -- any argument is accepted
    absent: bool = False  # args_schema null or missing

    def __contains__(self, name: object) -> bool:
        return name in self.properties

    def path_of(self, name: str) -> JsonPath:
        return (*self.base, name)


@per_document
def declared_args(doc: Document) -> Declared | None:
    data = doc.data
    if not isinstance(data, dict):
        return None
    schema = data.get("args_schema")
    if schema is None:
        return Declared({}, ("args_schema",), absent=True)
    if not isinstance(schema, dict):
        return None
    properties = schema.get("properties")
    if schema.get("type") == "object" or isinstance(properties, dict):
        if properties is None:
            properties = {}
        if not isinstance(properties, dict):
            return None
        return Declared(
            properties,
            ("args_schema", "properties"),
            open=schema.get("additionalProperties") is True,
        )
    # the flat map; a schema keyword with a plain value (``required: [..]``, ``type: array``) is
    # a dialect mistake (SJ401), not an argument
    flat = {k: v for k, v in schema.items() if isinstance(v, dict) or k not in _KEYWORDS}
    return Declared(flat, ("args_schema",))


def declare_hint(name: str, declared: Declared, *, v4: bool) -> str:
    """How to declare ``name``, in the dialect the file uses (a job without ``args_schema``
    gets its runtime's usual one: the flat map in runtime 4)."""
    flat = v4 if declared.absent else declared.base == ("args_schema",)
    where = "args_schema" if flat else "args_schema.properties"
    return f"declare it in {where}: {name}: {{type: string}}"


@dataclass(frozen=True, slots=True)
class LoopOn:
    """The argument a ``loop_on`` names (runtime 1-3: any of its three spellings)."""

    name: str
    rest: tuple[str, ...]  # segments after the argument name (``args.a.b`` -> ("b",))
    spelling: str


def loop_on_arg(value: str) -> LoopOn | None:
    """``user_ids``, ``args.user_ids`` and ``"{{args.user_ids}}"`` all name ``user_ids``."""
    text = value.strip()
    if text.startswith("{{"):
        parsed = parse(text)
        if len(parsed.placeholders) != 1 or not parsed.placeholders[0].whole:
            return None
        queries = parsed.placeholders[0].queries
        if not queries or queries[0][0] != "args" or len(queries[0]) < 2:
            return None
        return LoopOn(queries[0][1], queries[0][2:], "placeholder")
    if not text:
        return None
    segments = tuple(text.split("."))
    if segments[0] == "args" and len(segments) > 1:
        return LoopOn(segments[1], segments[2:], "path")
    return LoopOn(segments[0], segments[1:], "bare")


def loop_on_arg_v4(value: str) -> LoopOn | None:
    """A runtime 4 ``loop_on`` is a context path; only ``args.<name>...`` names an argument
    (``resources.ticketing.tickets`` and ``payload.records`` are other context)."""
    segments = tuple(value.strip().split("."))
    if len(segments) > 1 and segments[0] == "args" and segments[1]:
        return LoopOn(segments[1], segments[2:], "path")
    return None


@dataclass(frozen=True, slots=True)
class LoopSite:
    """A string ``loop_on`` of entry or node ``index``; ``loop`` is the argument it names
    (``None``: a runtime 1-3 ``loop_on`` that names none)."""

    index: int
    value: str
    loop: LoopOn | None

    @property
    def path(self) -> JsonPath:
        return ("resources", self.index, "loop_on")


@per_document
def loop_sites(doc: Document) -> tuple[LoopSite, ...]:
    """The ``loop_on`` values that name arguments: every string one of a runtime 1-3 job,
    and the ``args.`` paths of a runtime 4 job. Empty when the entries have the other
    runtime's shape (SJ809 reports that)."""
    out: list[LoopSite] = []
    graph = graph_of(doc)
    if graph is not None:
        for entry in graph.entries:
            value = entry.fields.get("loop_on")
            if isinstance(value, str):
                out.append(LoopSite(entry.index, value, loop_on_arg(value)))
        return tuple(out)
    nodes = nodes_of(doc)
    for node in nodes.nodes if nodes is not None else ():
        value = node.fields.get("loop_on")
        if isinstance(value, str) and (loop := loop_on_arg_v4(value)) is not None:
            out.append(LoopSite(node.index, value, loop))
    return tuple(out)


def is_array_schema(prop: Any) -> bool:
    if not isinstance(prop, dict):
        return False
    kind = prop.get("type")
    return kind == "array" or (isinstance(kind, list) and "array" in kind)
