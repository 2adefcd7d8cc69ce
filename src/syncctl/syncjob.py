"""Facts about the sync-job object of Truto's admin API (reference §2), shared by the
emulator, the model and the reconciler."""

from __future__ import annotations

WRITABLE_FIELDS: tuple[str, ...] = (
    "integration_name",
    "label",
    "default_runtime_version",
    "args_schema",
    "args_validation",
    "mutex_key",
    "state_key",
    "resources",
)
"""The fields a client sets, in the order the API shows them."""

READ_ONLY_FIELDS: tuple[str, ...] = ("id", "environment_id", "created_at", "updated_at")
"""Set by the server; never sent, never compared."""

LOCAL_KEYS: frozenset[str] = frozenset({"description", "environments", "protected"})
"""Keys of a job file that syncctl keeps to itself: never sent to the API."""
