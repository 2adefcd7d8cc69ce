"""Which schema errors SJ010 leaves to a dedicated rule (design §3: one mistake, one finding).

The JSON Schema is the editor's contract, so it states every requirement, including some that
a dedicated rule of syncctl reports with a better message:

* entries of the other runtime's shape (named nodes in a runtime 1-3 file, flat entries in a
  runtime 4 file): SJ809, once per file, names the runtime to set. Every schema error at or
  under ``resources[i]`` is then a consequence of that one mistake.
* a runtime 4 ``request`` node without ``integrated_account_id``: SJ804.
* a runtime 4 ``destination`` whose ``resources_to_persist`` is missing, null or empty: SJ802.

SJ010 asks :func:`defers_error` of every error and :func:`deferred_keys` of every "missing
required key" error, and stays silent about what they return.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from syncctl.loader import Document
from syncctl.rules._runtime import is_runtime_v4, shape_mismatch

# Node type -> required keys whose absence a dedicated rule reports.
_MISSING_ELSEWHERE: dict[str, frozenset[str]] = {
    "request": frozenset({"integrated_account_id"}),  # SJ804
    "destination": frozenset({"resources_to_persist"}),  # SJ802
}

# (node type, field) -> the values of that field another rule reports, whatever the
# schema says about them: SJ802 reports a resources_to_persist that is null or empty.
_VALUE_ELSEWHERE: dict[tuple[str, str], Callable[[Any], bool]] = {
    ("destination", "resources_to_persist"): lambda value: value is None or value == [],
}


def defers_error(doc: Document, path: Sequence[str | int], value: Any) -> bool:
    """Whether a schema error about ``value`` at ``path`` is another rule's to report."""
    if len(path) >= 2 and path[0] == "resources" and isinstance(path[1], int):
        if shape_mismatch(doc) is not None:
            return True
        if len(path) == 3 and isinstance(path[2], str):
            kind = _node_type(doc, path[1])
            reported = _VALUE_ELSEWHERE.get((kind, path[2])) if kind is not None else None
            return reported is not None and reported(value)
    return False


def deferred_keys(doc: Document, path: Sequence[str | int]) -> frozenset[str]:
    """The required keys missing at ``path`` whose absence another rule reports."""
    if len(path) == 2 and path[0] == "resources" and isinstance(path[1], int):
        kind = _node_type(doc, path[1])
        if kind is not None:
            return _MISSING_ELSEWHERE.get(kind, frozenset())
    return frozenset()


def _node_type(doc: Document, index: int) -> str | None:
    """The ``type`` of runtime 4 node ``index`` (``None``: not a runtime 4 node)."""
    data: Any = doc.data
    if not isinstance(data, dict) or not is_runtime_v4(data):
        return None
    resources = data.get("resources")
    if not isinstance(resources, list) or not 0 <= index < len(resources):
        return None
    node = resources[index]
    kind = node.get("type") if isinstance(node, dict) else None
    return kind if isinstance(kind, str) else None
