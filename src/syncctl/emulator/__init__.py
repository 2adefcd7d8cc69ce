"""The bundled sync-job and workflow API emulator: one request handler behind two fronts.

::

    store.py      SQLite persistence of every kind (WAL, thread-safe, survives restarts)
    resources.py  what is served: one Resource per kind (/sync-job, /workflow)
    jobs.py       an object's fields, checked, defaulted and ordered by its kind's table
    faults.py     fault injection: latency, 5xx, 429 bursts, token bucket, drop after commit
    handler.py    Emulator.handle(method, path, headers, body) -> Response (no transport)
    server.py     the real HTTP front (ThreadingHTTPServer), running_server() for tests
    transport.py  the in-process front: EmbeddedTransport(httpx.BaseTransport), open_embedded()

Only ``transport.py`` imports httpx; the handler, store and faults are plain Python.
"""

from __future__ import annotations

LOCAL_TOKEN = "local-dev-token"
"""Built-in token of the ``local`` environment, used when no token variable is set."""

LOCAL_ENVIRONMENT_ID = "local"
"""Environment id the local token (and any token given without ``=ENV_ID``) belongs to."""

LOCAL_TOKEN_ENV = "SYNCCTL_LOCAL_TOKEN"
"""Variable whose value, when set, replaces the built-in local token."""
