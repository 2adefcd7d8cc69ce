"""Fixtures that run the real emulator server on a free loopback port.

``emulator_server`` yields ``ServerInfo(base_url, emulator, token)`` — unpack it as a tuple or
use the attributes. The emulator persists to a SQLite file under ``tmp_path``; change its faults
at any time with ``emulator.faults = FaultSettings(...)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from reconcile_helpers import Observer, Project, make_project, observer

from syncctl.emulator.handler import Emulator, EmulatorSettings
from syncctl.emulator.server import running_server
from syncctl.emulator.store import Store

TOKEN = "test-token-env-a"
OTHER_TOKEN = "test-token-env-b"
TOKENS = {TOKEN: "env-a", OTHER_TOKEN: "env-b"}


class ServerInfo(NamedTuple):
    base_url: str
    emulator: Emulator
    token: str


@pytest.fixture
def emulator_db(tmp_path: Path) -> Path:
    return tmp_path / "emulator.sqlite3"


@pytest.fixture
def emulator_server(emulator_db: Path) -> Iterator[ServerInfo]:
    """A running server over a fresh database; ``token`` belongs to environment ``env-a``.

    A second token, ``OTHER_TOKEN`` (environment ``env-b``), is accepted too.
    """
    emulator = Emulator(EmulatorSettings(tokens=TOKENS), Store(emulator_db))
    try:
        with running_server(emulator=emulator) as base_url:
            yield ServerInfo(base_url, emulator, TOKEN)
    finally:
        emulator.close()


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator_server: ServerInfo
) -> Project:
    """A syncctl project whose one environment, ``local``, is the running server."""
    return make_project(
        tmp_path / "project", monkeypatch, {"local": (emulator_server.base_url, TOKEN)}
    )


@pytest.fixture
def live(emulator_db: Path) -> Iterator[Observer]:
    """The live jobs of ``TOKEN``'s environment, read past the code under test."""
    with observer(emulator_db, TOKENS, TOKEN) as obs:
        yield obs
