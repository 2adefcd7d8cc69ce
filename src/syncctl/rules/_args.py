"""Declared arguments (``args_schema``) and the places that use them.

Both dialects are read: the wrapped ``{type: object, properties: {...}}`` and the runtime 4 flat
map of name -> property. ``args_schema`` null or absent declares nothing. A shape that is neither
(a list, a string, ``properties`` that is not a mapping) gives ``None``: SJ010/SJ401 report it,
and the rules that need the declarations stay quiet rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from syncctl.findings import JsonPath
from syncctl.loader import Document
from syncctl.placeholders import parse
from syncctl.rules._memo import per_document

# ``args.name`` / ``args.`odd-name``` in JSONata text; a bare ``args`` (e.g. ``$keys(args)``)
# may read every argument.
_JSONATA_ARG = re.compile(r"(?<![\w$.])args\s*\.\s*(?:`([^`]+)`|([A-Za-z0-9_\-]+))")
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
_JSONATA_WHOLE = re.compile(r"(?<![\w$.])args\b(?!\s*\.)")


@dataclass(frozen=True, slots=True)
class Declared:
    """Declared arguments: name -> property schema, and the JSON path of that map."""

    properties: Mapping[str, Any]
    base: JsonPath
    open: bool = False  # additionalProperties: true -- any argument is accepted

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
        return Declared({}, ("args_schema",))
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


@dataclass(frozen=True, slots=True)
class LoopOn:
    """The argument a runtime 1-3 ``loop_on`` names, in any of its three spellings."""

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


def jsonata_mentions(text: str) -> set[str] | None:
    """Argument names a JSONata expression reads; ``None`` when it may read all of them."""
    if _JSONATA_WHOLE.search(text):
        return None
    return {a or b for a, b in _JSONATA_ARG.findall(text)}


def is_array_schema(prop: Any) -> bool:
    if not isinstance(prop, dict):
        return False
    kind = prop.get("type")
    return kind == "array" or (isinstance(kind, list) and "array" in kind)
