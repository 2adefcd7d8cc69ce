"""The socket front: the emulator's handler behind ``http.server.ThreadingHTTPServer``.

HTTP/1.1 with keep-alive, one thread per connection. Every answer, including the server's own
errors (malformed request line, unsupported method), is a JSON ``{statusCode, error, message}``.
A "drop after commit" response closes the socket without writing a byte. Nothing is logged
but the request line and status (at DEBUG, logger ``syncctl.emulator``); headers, and so
tokens, never are.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any

from syncctl.emulator.faults import FaultSettings
from syncctl.emulator.handler import Emulator, EmulatorSettings, Response, error_response
from syncctl.emulator.store import Store
from syncctl.errors import EmulatorError

log = logging.getLogger("syncctl.emulator")

_METHODS = ("GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS", "TRACE", "CONNECT")


class _BodyError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "syncctl-emulator"
    sys_version = ""
    timeout = 60  # seconds an idle keep-alive connection is kept
    disable_nagle_algorithm = True  # headers and body go out without a delayed-ACK stall
    wbufsize = -1  # buffered: one write per response (flushed after each request)
    server: _Server

    def _dispatch(self) -> None:
        try:
            body = self._read_body()
        except _BodyError as exc:
            self.close_connection = True
            self._send(error_response(exc.status, str(exc)))
            return
        headers = dict(self.headers.items())
        response = self.server.emulator.handle(self.command, self.path, headers, body)
        if response.drop:
            log.debug("%s -> dropped after commit", self.requestline)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._send(response)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            limit = self.server.emulator.settings.max_body_bytes
            while True:
                try:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                except ValueError:
                    raise _BodyError(400, "Invalid chunked body") from None
                if size < 0 or sum(map(len, chunks)) + size > limit:
                    raise _BodyError(413, "Request body too large")
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            size = int(length)
        except ValueError:
            size = -1
        if size < 0:
            raise _BodyError(400, "Invalid Content-Length")
        if size > self.server.emulator.settings.max_body_bytes:
            raise _BodyError(413, "Request body too large")
        return self.rfile.read(size)

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The stdlib's own errors (bad request line, unknown method, …) as JSON too."""
        self.close_connection = True
        if self.request_version == "HTTP/0.9":  # an unparsable request line: answer in 1.0
            self.request_version = "HTTP/1.0"
        self._send(error_response(code, message or explain or "Error"))

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log.debug("%s -> %s", self.requestline, code)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("emulator: " + format, *args)

    def __getattr__(self, name: str) -> Callable[[], None]:
        if name.startswith("do_") and name[3:] in _METHODS:
            return self._dispatch
        raise AttributeError(name)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], emulator: Emulator) -> None:
        self.emulator = emulator
        self._connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        super().__init__(address, _RequestHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._conn_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._conn_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer (killed, timed out) is routine, not a traceback."""
        if isinstance(sys.exc_info()[1], ConnectionResetError | BrokenPipeError):
            log.debug("client %s went away before its answer was written", client_address)
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """Wake idle keep-alive connection threads so they end."""
        with self._conn_lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class _Server6(_Server):
    address_family = socket.AF_INET6


class EmulatorServer:
    """A started-on-demand HTTP server around ``emulator``; ``url`` is known once bound."""

    def __init__(self, emulator: Emulator, host: str = "127.0.0.1", port: int = 0) -> None:
        try:
            server_class = _Server6 if ":" in host else _Server
            self._server = server_class((host.strip("[]"), port), emulator)
        except OSError as exc:
            raise EmulatorError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
        self.emulator = emulator
        address = self._server.server_address
        bound_host = address[0].decode() if isinstance(address[0], bytes) else address[0]
        bound_port = address[1]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        self.url = f"http://{shown}:{bound_port}"
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.close_connections()
        self._server.server_close()


@contextlib.contextmanager
def running_server(
    emulator: Emulator | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    db_path: str | Path | None = None,
    settings: EmulatorSettings | None = None,
    faults: FaultSettings | None = None,
) -> Iterator[str]:
    """Serve ``emulator`` (or a new one over ``db_path``) on a free port; yield the base URL.

    An emulator built here is closed on exit; one passed in is left open for the caller.
    """
    owned = emulator is None
    if emulator is None:
        store = Store(db_path if db_path is not None else ":memory:")
        emulator = Emulator(settings, store, faults=faults)
    server = EmulatorServer(emulator, host, port)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()
        if owned:
            emulator.close()


def serve(
    emulator: Emulator,
    host: str = "127.0.0.1",
    port: int = 8787,
    *,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until SIGINT or SIGTERM, then stop cleanly and return (call from the main thread)."""
    server = EmulatorServer(emulator, host, port)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.start()
        if ready is not None:
            ready(server.url)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
