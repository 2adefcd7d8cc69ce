"""The kinds syncctl reconciles, each described by one declarative table (design §10).

``table`` says what a kind and a field line are; one module per kind holds its table
(``sync_job``, ``workflow``). ``KINDS`` lists them all, in the order they are applied: jobs before
the workflows that name them.
"""

from __future__ import annotations

from syncctl.kinds.sync_job import SYNC_JOB
from syncctl.kinds.table import NO_DEFAULT, Access, Field, JsonType, Kind, as_number
from syncctl.kinds.workflow import WORKFLOW

KINDS: tuple[Kind, ...] = (SYNC_JOB, WORKFLOW)


def kind_of_key(key: str) -> Kind:
    """The kind whose files have ``key``: the kind whose non-empty ``key_prefix`` starts it,
    else sync jobs (whose keys have no prefix)."""
    for kind in KINDS:
        if kind.key_prefix and key.startswith(kind.key_prefix):
            return kind
    return SYNC_JOB


__all__ = [
    "KINDS",
    "NO_DEFAULT",
    "SYNC_JOB",
    "WORKFLOW",
    "Access",
    "Field",
    "JsonType",
    "Kind",
    "as_number",
    "kind_of_key",
]
