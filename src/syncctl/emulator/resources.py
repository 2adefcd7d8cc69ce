"""What the emulator serves: one ``Resource`` per kind, found by the kind's API path.

The fields of each object (known, read-only, types, defaults, order) come from the kind's table
(``syncctl.kinds``); a ``Resource`` adds only what the API does around them: the noun of its
404 messages, its list filters, and which field must name a known trigger. Serving a new kind
is one more line in ``RESOURCES`` (reference §1.6 for workflows, §1–§2 for sync jobs, §1.5 for
sync-job runs).
"""

from __future__ import annotations

from dataclasses import dataclass

from syncctl.emulator.runs import SYNC_JOB_RUN
from syncctl.kinds import SYNC_JOB, WORKFLOW, Kind


@dataclass(frozen=True, slots=True)
class Resource:
    """One collection of the API: ``GET/POST {path}`` and ``GET/PATCH/DELETE {path}/{id}``.

    ``noun`` starts a 404 message (``"Workflow abc not found"``). ``filters`` are the list
    query parameters that keep the objects whose field has exactly that value;
    ``id_filters``: the list also takes ``id`` and ``id[in]=a,b``. ``trigger_field`` names a
    field whose value must be one of the emulator's known triggers (else 404). ``runs``: the
    objects are sync-job runs, with a simulated lifecycle (``syncctl.emulator.runs``).
    """

    kind: Kind
    noun: str
    filters: tuple[str, ...] = ()
    id_filters: bool = False
    trigger_field: str | None = None
    runs: bool = False

    @property
    def path(self) -> str:
        return self.kind.api_path


SYNC_JOBS = Resource(SYNC_JOB, "Sync job", filters=("integration_name",), id_filters=True)
WORKFLOWS = Resource(WORKFLOW, "Workflow", filters=("trigger_name",), trigger_field="trigger_name")

SYNC_JOB_RUNS = Resource(
    SYNC_JOB_RUN,
    "Sync job run",
    filters=("sync_job_id", "integrated_account_id", "status"),
    id_filters=True,
    runs=True,
)

RESOURCES: tuple[Resource, ...] = (SYNC_JOBS, WORKFLOWS, SYNC_JOB_RUNS)
"""Every collection the emulator serves."""


def resource_at(path: str) -> tuple[Resource, str | None] | None:
    """The resource ``path`` (no query, no trailing slash) belongs to, and the item's raw id
    (``None`` for the collection itself); ``None`` for a path no resource serves."""
    for resource in RESOURCES:
        if path == resource.path:
            return resource, None
        prefix = resource.path + "/"
        if path.startswith(prefix) and "/" not in path[len(prefix) :]:
            return resource, path[len(prefix) :]
    return None
