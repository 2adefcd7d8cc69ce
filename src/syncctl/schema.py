"""The JSON Schema of a job file: the shipped copy inside the package.

``schemas/sync-job.schema.json`` in the repository is the same file (a test proves it).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_RESOURCE = "sync-job.schema.json"


def schema_text() -> str:
    return resources.files("syncctl").joinpath("data", SCHEMA_RESOURCE).read_text("utf-8")


@cache
def job_schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text())
    return loaded
