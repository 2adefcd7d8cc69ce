"""The sync-job field lists, as names derived from the kind's table (``syncctl.kinds``).

Kept for callers of the earlier module; new code reads ``syncctl.kinds.SYNC_JOB`` directly.
"""

from __future__ import annotations

from syncctl.kinds import SYNC_JOB

WRITABLE_FIELDS: tuple[str, ...] = SYNC_JOB.sent
"""The fields a client sets, in the order the API shows them."""

READ_ONLY_FIELDS: tuple[str, ...] = SYNC_JOB.read_only
"""Set by the server; never sent, never compared."""

LOCAL_KEYS: frozenset[str] = SYNC_JOB.local
"""Keys of a job file that syncctl keeps to itself: never sent to the API."""
