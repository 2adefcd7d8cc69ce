"""In-process emulator fixtures: a handler over an in-memory store with a controllable clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from emulator_fakes import TOKENS, Api, Clock

from syncctl.emulator.handler import Emulator, EmulatorSettings
from syncctl.emulator.store import Store


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def emulator(clock: Clock) -> Iterator[Emulator]:
    counter = iter(range(1, 10_000))
    emu = Emulator(
        EmulatorSettings(tokens=TOKENS),
        Store(":memory:"),
        clock=clock,
        new_id=lambda: f"job-{next(counter):04d}",
    )
    yield emu
    emu.close()


@pytest.fixture
def api(emulator: Emulator) -> Api:
    return Api(emulator)
