"""``connect(env, root)``: the API client of one configured environment, over the network or
over the bundled emulator.

It lives outside ``syncctl.client`` so that the API client never imports its own test double:
nothing under ``syncctl/client/`` imports ``syncctl.emulator``.

* ``https://…`` (or ``http://`` to a loopback host): a client over the network, with the token
  read from the environment variable ``env.token_env`` — a missing token is a ``ConfigError``.
* ``embedded:PATH``: a client over the bundled emulator in process, persisted at ``root/PATH``;
  the token is the variable's value when set, else the emulator's built-in local token, so a fresh
  clone needs no secret. The emulator accepts workflows on ``known_triggers`` (the project's
  ``Config.known_triggers``). The emulator is imported only here, only for embedded URLs. Its
  database is opened on the first request (``LazyTransport``), so a plan that fails validation
  leaves no database behind; a database under ``.syncctl/`` gets that folder's ``.gitignore``.

``env.rate`` (requests per second) becomes a shared ``RateLimiter`` without a burst: a burst as
large as the server's own bucket leaves no slack for timing jitter and earns a 429, whose
Retry-After then stalls every thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx

from syncctl.client.api import SyncJobClient, Timeouts
from syncctl.client.ratelimit import RateLimiter
from syncctl.client.retry import RetryPolicy
from syncctl.config import DEFAULT_TRIGGERS, WORK_DIR, Environment, check_url, work_dir
from syncctl.errors import ConfigError

EMBEDDED_BASE_URL = "https://embedded.invalid"
"""Base URL of an embedded client: never resolved (the transport answers), never shown to users."""


class LazyTransport(httpx.BaseTransport):
    """A transport opened on the first request: an embedded emulator's database is created only
    when a command really talks to the API, never by one that fails before (a validation
    error, a missing jobs folder)."""

    def __init__(self, open_: Callable[[], httpx.BaseTransport]) -> None:
        self._open = open_
        self._inner: httpx.BaseTransport | None = None
        self._lock = threading.Lock()

    @property
    def opened(self) -> bool:
        return self._inner is not None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._transport().handle_request(request)

    def _transport(self) -> httpx.BaseTransport:
        with self._lock:
            if self._inner is None:
                self._inner = self._open()
            return self._inner

    def close(self) -> None:
        with self._lock:
            inner, self._inner = self._inner, None
        if inner is not None:
            inner.close()


def _embedded(
    db_path: Path, root: Path, token: str | None, triggers: Sequence[str]
) -> LazyTransport:
    """The lazily opened transport of an embedded emulator persisted at ``db_path``."""

    def open_() -> httpx.BaseTransport:
        from syncctl.emulator.transport import open_embedded

        if db_path.resolve().is_relative_to((root / WORK_DIR).resolve()):
            work_dir(root / WORK_DIR)
        return open_embedded(db_path, token=token, known_triggers=triggers)

    return LazyTransport(open_)


def rate_limiter_for(env: Environment) -> RateLimiter | None:
    if env.rate is None:
        return None
    return RateLimiter(env.rate, burst=1)


def connect(
    env: Environment,
    root: Path,
    *,
    retry: RetryPolicy | None = None,
    timeout: Timeouts | None = None,
    known_triggers: Sequence[str] = DEFAULT_TRIGGERS,
) -> SyncJobClient:
    """A ``SyncJobClient`` for ``env``; relative ``embedded:`` paths are taken from ``root``.

    ``known_triggers`` (pass ``config.known_triggers``) are the triggers an embedded emulator
    accepts workflows on; a network environment's server knows its own."""
    where = f"environment {env.name!r}"
    check_url(env.url, where=where)
    token = env.token()
    if env.is_embedded:
        from syncctl.emulator import LOCAL_TOKEN

        db_path = root / env.url.removeprefix("embedded:")
        transport = _embedded(db_path, root, token, known_triggers)
        return SyncJobClient(
            EMBEDDED_BASE_URL,
            token or LOCAL_TOKEN,
            transport=transport,
            retry=retry,
            timeout=timeout,
            rate_limiter=rate_limiter_for(env),
            token_source=env.token_env if token else None,
            page_size=env.page_size,
        )
    if token is None:
        raise ConfigError(
            f"{where}: no API token",
            hint=f"set the variable {env.token_env} (the token is read from the environment only)",
        )
    return SyncJobClient(
        env.url,
        token,
        retry=retry,
        timeout=timeout,
        rate_limiter=rate_limiter_for(env),
        token_source=env.token_env,
        page_size=env.page_size,
    )
