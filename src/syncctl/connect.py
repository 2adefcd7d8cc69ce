"""``connect(env, root)``: the API client of one configured environment, over the network or
over the bundled emulator.

It lives outside ``syncctl.client`` so that the API client never imports its own test double:
nothing under ``syncctl/client/`` imports ``syncctl.emulator``.

* ``https://…`` (or ``http://`` to a loopback host): a client over the network, with the token
  read from the environment variable ``env.token_env`` — a missing token is a ``ConfigError``.
* ``embedded:PATH``: a client over the bundled emulator in process, persisted at ``root/PATH``;
  the token is the variable's value when set, else the emulator's built-in local token, so a fresh
  clone needs no secret. The emulator accepts workflows on ``known_triggers`` (the project's
  ``Config.known_triggers``). The emulator is imported only here, only for embedded URLs.

``env.rate`` (requests per second) becomes a shared ``RateLimiter`` without a burst: a burst as
large as the server's own bucket leaves no slack for timing jitter and earns a 429, whose
Retry-After then stalls every thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from syncctl.client.api import SyncJobClient, Timeouts
from syncctl.client.ratelimit import RateLimiter
from syncctl.client.retry import RetryPolicy
from syncctl.config import DEFAULT_TRIGGERS, Environment, check_url
from syncctl.errors import ConfigError

EMBEDDED_BASE_URL = "https://embedded.invalid"
"""Base URL of an embedded client: never resolved (the transport answers), never shown to users."""


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
        from syncctl.emulator.transport import open_embedded

        transport = open_embedded(
            root / env.url.removeprefix("embedded:"), token=token, known_triggers=known_triggers
        )
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
