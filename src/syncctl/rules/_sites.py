"""Placeholder sites: every templated string of a job that holds a placeholder (or a broken one).

Templated are the values inside each resource entry and ``mutex_key``/``state_key`` (keys are
never templated). Left out: ``loop_on`` (SJ301/SJ302 read it) and the local or non-templated
fields (label, description, args_schema, args_validation). In a runtime 4 job the JSONata strings
(``jsonata_sites``: ``run_if``, ``config.expression``, ``config.value_expression``, a string
``query``/``body``) are left out, and so are the node fields that name things rather than hold
text (``name``, ``type``, ``depends_on``, ``resources_to_persist``, ``destination_type``);
everything else of a node, at any depth, is templated (``config``, ``recurse``, ``query``...).

``sites_of`` walks a document once; the paths its placeholders read are grouped by root
(cached with each parse) so that each rule reads only the few it judges.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from syncctl.findings import JsonPath
from syncctl.loader import Document
from syncctl.placeholders import Parsed, Placeholder, parse
from syncctl.rules._memo import per_document
from syncctl.rules._runtime import is_runtime_v4, jsonata_sites

# runtime 4 node fields never templated (``run_if`` is JSONata whatever its value)
_NODE_NOT_TEMPLATED = frozenset(
    {"name", "type", "depends_on", "resources_to_persist", "loop_on", "destination_type", "run_if"}
)
# runtime 1-3 entries
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


@dataclass(frozen=True, slots=True)
class Sites:
    sites: tuple[Site, ...] = ()

    def reads(self, root: str) -> Iterator[tuple[Site, Placeholder, tuple[str, ...]]]:
        """``(site, placeholder, path)`` for every path read under ``root`` (args,
        resources, or ``other`` for every other root), in document order."""
        for site in self.sites:
            parsed = site.parsed
            group = (
                parsed.reads_args
                if root == "args"
                else parsed.reads_resources
                if root == "resources"
                else parsed.reads_other
            )
            for holder, query in group:
                yield site, holder, query


_NONE = Sites()


def _string(text: str, path: JsonPath, entry: int | None, out: list[Site]) -> None:
    parsed = parse(text)
    if parsed:
        out.append(Site(path, text, parsed, entry))


def _walk(value: Any, path: JsonPath, entry: int, out: list[Site]) -> None:
    """Strings under ``value``; a child path is built only for a container or a hit."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in items:
        if isinstance(child, str):
            if "{{" in child or "}}" in child:
                _string(child, (*path, key), entry, out)
        elif isinstance(child, dict | list) and child and key not in _NOT_TEMPLATED:
            _walk(child, (*path, key), entry, out)


def _walk_node(
    value: Any, path: JsonPath, entry: int, skip: set[JsonPath], out: list[Site]
) -> None:
    """Strings under a node's ``value`` except the JSONata ones (paths in ``skip``)."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in items:
        if isinstance(child, str):
            if ("{{" in child or "}}" in child) and (*path, key) not in skip:
                _string(child, (*path, key), entry, out)
        elif isinstance(child, dict | list) and child:
            _walk_node(child, (*path, key), entry, skip, out)


def _nodes(doc: Document, resources: list[Any], out: list[Site]) -> None:
    """The sites of runtime 4 nodes: every field but the naming ones, minus the JSONata."""
    skip = {site.path for site in jsonata_sites(doc) if site.node is not None}
    for index, node in enumerate(resources):
        if not isinstance(node, dict):
            continue
        fields = {k: v for k, v in node.items() if k not in _NODE_NOT_TEMPLATED}
        if fields:
            _walk_node(fields, ("resources", index), index, skip, out)


def _entries(resources: list[Any], out: list[Site]) -> None:
    """The sites of runtime 1-3 entries."""
    for index, item in enumerate(resources):
        if not isinstance(item, dict):
            continue
        for key, value in item.items():
            if key in _NOT_TEMPLATED:
                continue
            if isinstance(value, str):
                if key not in _JSONATA_WHEN_STRING and ("{{" in value or "}}" in value):
                    _string(value, ("resources", index, key), index, out)
            elif isinstance(value, dict | list) and value:
                _walk(value, ("resources", index, key), index, out)


@per_document
def sites_of(doc: Document) -> Sites:
    """Every placeholder site of the document, in document order, and what they read."""
    data = doc.data
    if not isinstance(data, dict):
        return _NONE
    out: list[Site] = []
    for key in TOP_LEVEL:
        value = data.get(key)
        if isinstance(value, str):
            _string(value, (key,), None, out)
    resources = data.get("resources")
    if isinstance(resources, list):
        if is_runtime_v4(data):
            _nodes(doc, resources, out)
        else:
            _entries(resources, out)
    return Sites(tuple(out)) if out else _NONE
