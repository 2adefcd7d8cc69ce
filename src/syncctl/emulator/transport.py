"""The in-process front: an httpx transport that calls the emulator's handler directly.

``open_embedded(path)`` is what ``embedded:PATH`` URLs use: an emulator persisted in the SQLite
file ``path`` (its folder is created), answering to one token for the ``local`` environment —
the configured environment's token when one is given, else the built-in ``LOCAL_TOKEN`` — and
accepting workflows on the given known triggers (default ``integrated_account:active``).
A "drop after commit" fault raises ``httpx.RemoteProtocolError`` after the write, exactly what
httpx raises when a real server closes the connection without answering.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import httpx

from syncctl.emulator import LOCAL_ENVIRONMENT_ID, LOCAL_TOKEN
from syncctl.emulator.faults import FaultSettings
from syncctl.emulator.handler import Emulator, EmulatorSettings
from syncctl.emulator.store import Store


class EmbeddedTransport(httpx.BaseTransport):
    """Serve httpx requests from an ``Emulator`` in the same process."""

    def __init__(self, emulator: Emulator, *, owns_emulator: bool = False) -> None:
        self.emulator = emulator
        self._owns = owns_emulator

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raw_path = request.url.raw_path.decode("ascii")
        headers = dict(request.headers.items())
        body = request.read()
        response = self.emulator.handle(request.method, raw_path, headers, body)
        if response.drop:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        return httpx.Response(
            response.status,
            headers=dict(response.headers),
            content=response.body,
            request=request,
        )

    def close(self) -> None:
        if self._owns:
            self.emulator.close()


def open_embedded(
    db_path: str | Path,
    *,
    token: str | None = None,
    environment_id: str = LOCAL_ENVIRONMENT_ID,
    settings: EmulatorSettings | None = None,
    faults: FaultSettings | None = None,
    known_triggers: Sequence[str] | None = None,
) -> EmbeddedTransport:
    """An ``EmbeddedTransport`` over an emulator persisted at ``db_path``.

    The emulator accepts ``token`` (the configured environment's token) or, when it is None,
    ``syncctl.emulator.LOCAL_TOKEN``; either way the jobs belong to ``environment_id``, so the
    data survives switching between the two. ``settings.tokens`` is replaced accordingly, and
    ``settings.known_triggers`` by ``known_triggers`` when it is given (the project's
    ``known_triggers``). Closing the transport (or the httpx client that owns it) closes the
    database.
    """
    base = settings or EmulatorSettings()
    tokens = {token or LOCAL_TOKEN: environment_id}
    chosen = dataclasses.replace(base, tokens=tokens)
    if known_triggers is not None:
        chosen = dataclasses.replace(chosen, known_triggers=tuple(known_triggers))
    emulator = Emulator(chosen, Store(Path(db_path)), faults=faults)
    return EmbeddedTransport(emulator, owns_emulator=True)
