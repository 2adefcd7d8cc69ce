"""Canonical job-file YAML: stable key order, quoted placeholders, 2-space indentation.

Used by ``syncctl import`` to write files for live jobs. Strings that YAML could read as
something else (placeholders, ``yes``/``no``, numbers, ``null``…) are double-quoted, so the file
reads back as exactly the data it was written from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

SCHEMA_COMMENT = "# yaml-language-server: $schema=../../schemas/sync-job.schema.json\n"
TOP_ORDER = (
    "integration_name",
    "label",
    "description",
    "default_runtime_version",
    "environments",
    "protected",
    "args_schema",
    "args_validation",
    "mutex_key",
    "state_key",
    "resources",
)
RESOURCE_ORDER = ("resource", "method", "id", "depends_on", "loop_on", "persist", "query")
_PLAIN_SAFE = re.compile(r"^[A-Za-z_][A-Za-z0-9_ ./()-]*$")
_OTHER_BREAKS = frozenset("\r\x85\u2028\u2029")  # read back as plain newlines in a block
_AMBIGUOUS = frozenset({"yes", "no", "on", "off", "y", "n", "true", "false", "null", "~"})


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent sequences under their key


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    plain = (
        _PLAIN_SAFE.match(data) is not None
        and data.lower() not in _AMBIGUOUS
        and data == data.strip()
    )
    style = None if plain else '"'
    if "\n" in data and not _OTHER_BREAKS.intersection(data):
        style = "|"  # the emitter itself falls back to double quotes where a block can't be
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)


def _ordered(data: Mapping[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    first = {k: data[k] for k in order if k in data}
    return first | {k: data[k] for k in sorted(data) if k not in first}


def canonical_job(job: Mapping[str, Any]) -> dict[str, Any]:
    """Reorder a job mapping (and its resource entries) into the canonical key order."""
    out = _ordered(job, TOP_ORDER)
    resources = out.get("resources")
    if isinstance(resources, list):
        out["resources"] = [
            _ordered(r, RESOURCE_ORDER) if isinstance(r, Mapping) else r for r in resources
        ]
    return out


def dump_job(job: Mapping[str, Any]) -> str:
    body = yaml.dump(
        canonical_job(job),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        indent=2,
        width=100,
    )
    return SCHEMA_COMMENT + body
