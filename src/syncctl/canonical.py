"""Canonical file YAML: stable key order, quoted placeholders, 2-space indentation.

Used by ``syncctl import`` to write files for live objects, and by ``syncctl fmt`` for the key
order (``key_orders``: every mapping of a file that has one, with its order). Top-level keys
follow the kind's table (``TOP_ORDER`` is the sync-job one), any other key sorted after them.

- Job files: runtime 1-3 entries follow ``RESOURCE_ORDER``; runtime 4 nodes put the common keys
  first (``NODE_ORDER``), then their type's fields (``NODE_TYPE_FIELDS``), then any other key
  sorted, and ``config`` last.
- Workflow files: ``config`` follows ``WORKFLOW_CONFIG_ORDER``; each step ``STEP_ORDER``, any
  other key sorted, ``config`` last; a step's ``config`` mapping names its job first
  (``STEP_CONFIG_ORDER``), the other keys sorted after.

A kind without inner orders (a third kind) gets its top-level order only. Strings that YAML
could read as something else (placeholders, ``yes``/``no``, numbers, ``null``…) are
double-quoted, so the file reads back as exactly the data it was written from.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import yaml

from syncctl.kinds import SYNC_JOB, WORKFLOW, Kind, as_number

SCHEMA_COMMENT = "# yaml-language-server: $schema=../../schemas/sync-job.schema.json\n"
TOP_ORDER = SYNC_JOB.file_order
"""The top-level key order of a job file: the sync-job table's (``syncctl.kinds``)."""
RESOURCE_ORDER = ("resource", "method", "id", "depends_on", "loop_on", "persist", "query")
NODE_ORDER = ("name", "type", "depends_on", "run_if", "debug")
NODE_TYPE_FIELDS: dict[str, tuple[str, ...]] = {
    "request": (
        "resource",
        "method",
        "integrated_account_id",
        "id",
        "loop_on",
        "query",
        "body",
        "recurse",
        "delete_tracking",
        "delete_tracking_query",
    ),
    "destination": ("destination_type", "resources_to_persist", "loop_on", "method"),
}
NODE_LAST = ("config",)
WORKFLOW_CONFIG_ORDER = ("run_if", "steps")
STEP_ORDER = ("type", "action", "run_if", "cron_expression")
STEP_LAST = ("config",)
STEP_CONFIG_ORDER = ("sync_job", "sync_job_id")
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


def key_order(keys: Iterable[Any], order: tuple[str, ...], last: tuple[str, ...] = ()) -> list[Any]:
    """``order``'s keys first, then the others sorted, then ``last``'s keys."""
    present = list(keys)
    first = [k for k in order if k in present]
    end = [k for k in last if k in present and k not in first]
    rest = sorted((k for k in present if k not in first and k not in end), key=str)
    return first + rest + end


def is_runtime_v4(job: Mapping[str, Any]) -> bool:
    """``default_runtime_version`` is 4, compared by number (``"4"`` too)."""
    version = as_number(job.get("default_runtime_version"))
    return isinstance(version, int) and not isinstance(version, bool) and version == 4


def entry_order(entry: Mapping[Any, Any], *, runtime_v4: bool) -> list[Any]:
    """The canonical key order of one ``resources`` entry."""
    if not runtime_v4:
        return key_order(entry, RESOURCE_ORDER)
    kind = entry.get("type")
    fields = NODE_TYPE_FIELDS.get(kind, ()) if isinstance(kind, str) else ()
    return key_order(entry, NODE_ORDER + fields, NODE_LAST)


KeyOrders = Iterator[tuple[dict[Any, Any], list[Any]]]
"""Mappings of one file, each with the canonical order of its keys (outermost first)."""


def _job_orders(job: dict[Any, Any]) -> KeyOrders:
    resources = job.get("resources")
    if isinstance(resources, list):
        v4 = is_runtime_v4(job)
        for entry in resources:
            if isinstance(entry, dict):
                yield entry, entry_order(entry, runtime_v4=v4)


def _workflow_orders(workflow: dict[Any, Any]) -> KeyOrders:
    config = workflow.get("config")
    if not isinstance(config, dict):
        return
    yield config, key_order(config, WORKFLOW_CONFIG_ORDER)
    steps = config.get("steps")
    for step in steps if isinstance(steps, list) else ():
        if isinstance(step, dict):
            yield step, key_order(step, STEP_ORDER, STEP_LAST)
            step_config = step.get("config")
            if isinstance(step_config, dict):
                yield step_config, key_order(step_config, STEP_CONFIG_ORDER)


_INNER_ORDERS: dict[str, Callable[[dict[Any, Any]], KeyOrders]] = {
    SYNC_JOB.name: _job_orders,
    WORKFLOW.name: _workflow_orders,
}


def key_orders(data: dict[Any, Any], kind: Kind = SYNC_JOB) -> KeyOrders:
    """Every mapping of a ``kind`` file whose keys have a canonical order, with that order:
    the top level first (``kind``'s table), then the inner mappings of its kind, if any."""
    yield data, key_order(data, kind.file_order)
    inner = _INNER_ORDERS.get(kind.name)
    if inner is not None:
        yield from inner(data)


def canonical_job(job: Mapping[str, Any], kind: Kind = SYNC_JOB) -> dict[str, Any]:
    """A copy of a file's mapping with every key in its canonical order (``key_orders``): the
    top-level keys in the order of ``kind``'s table, any other key sorted after them."""
    out = copy.deepcopy(dict(job))
    for mapping, order in key_orders(out, kind):
        for key in order:  # re-inserting a key moves it to the end
            mapping[key] = mapping.pop(key)
    return out


def schema_comment(kind: Kind = SYNC_JOB) -> str:
    """The editor's schema line of a ``kind`` file, relative to the file: job files are two
    folders down (``jobs/<integration>/<job>.yaml``), any other kind's one (``<folder>/<name>``)."""
    up = "../../" if kind.name == SYNC_JOB.name else "../"
    return f"# yaml-language-server: $schema={up}schemas/{kind.schema_file}\n"


def dump_job(job: Mapping[str, Any], kind: Kind = SYNC_JOB) -> str:
    """The canonical YAML text of a ``kind`` file (schema comment first)."""
    body = yaml.dump(
        canonical_job(job, kind),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        indent=2,
        width=100,
    )
    return schema_comment(kind) + body
