"""The sync-job and workflow API client.

::

    api.py        SyncJobClient: one request machinery, a Collection per kind (jobs, workflows)
    collection.py Collection: list (lazy, all pages) / get / create / update / delete; Page
    endpoints.py  each kind's path, error noun, answer shape and lost-create hint
    models.py     LiveJob, LiveWorkflow: live objects validated where they enter, a page at a time
    retry.py      RetryPolicy, Retry-After parsing, which failures are retried for which method
    ratelimit.py  RateLimiter: a thread-safe token bucket shared by all threads, paused on 429
    failures.py   HTTP failures -> syncctl.errors, one line, token redacted

The client of a configured environment (https or the embedded emulator) is built by
``syncctl.connect.connect(env, root)``, outside this package: the client never imports the
emulator.
"""

from __future__ import annotations

from syncctl.client.api import JobDict, SyncJobClient, Timeouts
from syncctl.client.collection import Collection, Page
from syncctl.client.models import LiveJob, LiveWorkflow
from syncctl.client.ratelimit import RateLimiter
from syncctl.client.retry import RetryPolicy

__all__ = [
    "Collection",
    "JobDict",
    "LiveJob",
    "LiveWorkflow",
    "Page",
    "RateLimiter",
    "RetryPolicy",
    "SyncJobClient",
    "Timeouts",
]
