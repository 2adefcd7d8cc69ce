"""Placeholder sites: every templated string of a job that holds a placeholder (or a broken one).

Templated are the values inside each resource entry and ``mutex_key``/``state_key`` (keys are
never templated). Left out: ``loop_on`` (SJ301/SJ302 read it), JSONata text (``run_if``,
``expression``, ``value_expression``, a string ``query``/``body`` in runtime 4) and the local or
non-templated fields (label, description, args_schema, args_validation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syncctl.findings import JsonPath
from syncctl.loader import Document
from syncctl.placeholders import Parsed, parse
from syncctl.rules._memo import per_document

_NOT_TEMPLATED = frozenset({"loop_on", "run_if", "expression", "value_expression"})
_JSONATA_WHEN_STRING = frozenset({"query", "body"})
TOP_LEVEL = ("mutex_key", "state_key")


@dataclass(frozen=True, slots=True)
class Site:
    """A string at ``path`` with its parse; ``entry`` is the resource index (None: top level)."""

    path: JsonPath
    text: str
    parsed: Parsed
    entry: int | None


def _walk(value: Any, path: JsonPath, entry: int, out: list[Site]) -> None:
    if isinstance(value, str):
        parsed = parse(value)
        if parsed:
            out.append(Site(path, value, parsed, entry))
    elif isinstance(value, dict):
        for key, child in value.items():
            if key not in _NOT_TEMPLATED:
                _walk(child, (*path, key), entry, out)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _walk(child, (*path, index), entry, out)


@per_document
def sites_of(doc: Document) -> tuple[Site, ...]:
    """Every placeholder site of the document, in document order."""
    data = doc.data
    if not isinstance(data, dict):
        return ()
    out: list[Site] = []
    for key in TOP_LEVEL:
        value = data.get(key)
        if isinstance(value, str):
            parsed = parse(value)
            if parsed:
                out.append(Site((key,), value, parsed, None))
    resources = data.get("resources")
    if isinstance(resources, list):
        for index, item in enumerate(resources):
            if not isinstance(item, dict):
                continue
            for key, value in item.items():
                if key in _NOT_TEMPLATED or (key in _JSONATA_WHEN_STRING
                                             and isinstance(value, str)):
                    continue
                _walk(value, ("resources", index, key), index, out)
    return tuple(out)
