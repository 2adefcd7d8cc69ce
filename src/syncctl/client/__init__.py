"""The sync-job API client.

::

    api.py        SyncJobClient: list (lazy, all pages) / get / create / update / delete
    retry.py      RetryPolicy, Retry-After parsing, which failures are retried for which method
    ratelimit.py  RateLimiter: a thread-safe token bucket shared by all threads, paused on 429
    failures.py   HTTP failures -> syncctl.errors, one line, token redacted

The client of a configured environment (https or the embedded emulator) is built by
``syncctl.connect.connect(env, root)``, outside this package: the client never imports the
emulator.
"""

from __future__ import annotations

from syncctl.client.api import JobDict, Page, SyncJobClient, Timeouts
from syncctl.client.ratelimit import RateLimiter
from syncctl.client.retry import RetryPolicy

__all__ = [
    "JobDict",
    "Page",
    "RateLimiter",
    "RetryPolicy",
    "SyncJobClient",
    "Timeouts",
]
