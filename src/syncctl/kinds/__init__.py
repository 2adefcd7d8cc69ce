"""The kinds syncctl reconciles, each described by one declarative table (design §10).

``table`` says what a kind and a field line are; one module per kind holds its table
(``sync_job``). ``KINDS`` lists them all, in the order they are applied.
"""

from __future__ import annotations

from syncctl.kinds.sync_job import SYNC_JOB
from syncctl.kinds.table import NO_DEFAULT, Access, Field, JsonType, Kind

KINDS: tuple[Kind, ...] = (SYNC_JOB,)

__all__ = ["KINDS", "NO_DEFAULT", "SYNC_JOB", "Access", "Field", "JsonType", "Kind"]
