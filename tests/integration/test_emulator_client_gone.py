"""A client that goes away before its answer is routine for the server: no traceback."""

from __future__ import annotations

import socket
import struct
import threading
import time
from pathlib import Path

import pytest

from syncctl.emulator.faults import FaultSettings
from syncctl.emulator.handler import Emulator, EmulatorSettings
from syncctl.emulator.server import EmulatorServer
from syncctl.emulator.store import Store


def _wait_for_request_threads(timeout: float = 10.0) -> None:
    """Until no request thread of the server is alive (a condition, not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while any("process_request" in t.name for t in threading.enumerate()):
        assert time.monotonic() < deadline, "request threads still running"
        time.sleep(0.01)


def test_a_client_reset_mid_request_leaves_no_traceback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    emulator = Emulator(EmulatorSettings(tokens={"t": "env"}), Store(tmp_path / "db.sqlite3"))
    emulator.faults = FaultSettings(latency_ms=300)
    server = EmulatorServer(emulator)
    server.start()
    try:
        host, port = server.url.removeprefix("http://").rsplit(":", 1)
        for _ in range(3):
            client = socket.create_connection((host, int(port)))
            client.sendall(b"GET /sync-job HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\r\n")
            # Close with RST (linger 0) while the server is still waiting out the latency.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()
        _wait_for_request_threads()  # their late writes hit the reset sockets meanwhile
    finally:
        server.stop()
        emulator.close()
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert "ConnectionResetError" not in err
    assert "BrokenPipeError" not in err
