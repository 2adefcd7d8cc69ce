"""Turning failed HTTP exchanges into syncctl errors, with the token redacted.

Every error raised by the client goes through this module, so every message is one line, names
the method and the URL path (never the query, the host's credentials or headers), carries the
API's ``error`` and ``message`` fields when it sent them, and has the token removed. A request
that got no response names the whole URL it was sent to (scheme, host, port and path), since a
wrong host or port in the configuration is the usual cause.

Status → error: 400 and other 4xx ``BadRequestError``; 401/403 ``AuthError``; 404 ``NotFoundError``;
429 ``RateLimitedError``; 5xx ``ServerError``; anything else ``ApiError``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from syncctl.errors import (
    ApiError,
    AuthError,
    BadRequestError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitedError,
    ServerError,
    TransportError,
)

REDACTED = "[REDACTED]"
_MAX_MESSAGE = 300
_WHITESPACE = re.compile(r"\s+")


class Redactor:
    """Removes one secret from any text. Short secrets (< 4 characters) are still removed."""

    __slots__ = ("_secret",)

    def __init__(self, secret: str | None) -> None:
        self._secret = secret or None

    def __repr__(self) -> str:
        return "Redactor(...)"

    def __call__(self, text: str) -> str:
        if self._secret is None:
            return text
        return text.replace(self._secret, REDACTED)


def one_line(text: str, limit: int = _MAX_MESSAGE) -> str:
    flat = _WHITESPACE.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _body_fields(response: httpx.Response) -> tuple[str | None, str | None]:
    """The API's ``error`` and ``message`` when the body is a ``{statusCode, error, message}``."""
    try:
        body: Any = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        text = response.content[:_MAX_MESSAGE].decode("utf-8", "replace").strip()
        return None, text or None
    if not isinstance(body, dict):
        return None, None
    error = body.get("error")
    message = body.get("message")
    return (
        error if isinstance(error, str) else None,
        message if isinstance(message, str) else None,
    )


def _error_class(status: int) -> type[ApiError]:
    if status in (401, 403):
        return AuthError
    if status == 404:
        return NotFoundError
    if status == 429:
        return RateLimitedError
    if 400 <= status < 500:
        return BadRequestError
    if status >= 500:
        return ServerError
    return ApiError


def _hint(status: int, token_source: str | None, attempts: int) -> str | None:
    if status in (401, 403):
        where = f" in ${token_source}" if token_source else ""
        return f"check the API token{where} and that it belongs to this environment"
    if status == 429:
        return f"still rate limited after {attempts} attempts; lower the environment's rate"
    if status >= 500 and attempts > 1:
        return f"the API failed {attempts} times; try again later"
    return None


def error_from_response(
    method: str,
    path: str,
    response: httpx.Response,
    *,
    redact: Redactor,
    attempts: int = 1,
    token_source: str | None = None,
) -> ApiError:
    """The error for a non-2xx response (after any retries)."""
    status = response.status_code
    error, api_message = _body_fields(response)
    error = redact(one_line(error)) if error else None
    api_message = redact(one_line(api_message)) if api_message else None
    reason = error or response.reason_phrase or "error"
    text = f"{method} {path}: {status} {reason}"
    if api_message:
        text += f": {api_message}"
    cls = _error_class(status)
    return cls(
        redact(text),
        status=status,
        error=error,
        api_message=api_message,
        method=method,
        url=path,
        hint=_hint(status, token_source, attempts),
    )


_CONNECT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout)


def shown_url(exc: Exception) -> str | None:
    """The URL a failed request went to, without credentials, query or fragment; None when the
    exception carries no request, or for the embedded emulator (an ``.invalid`` host that is
    never on a network and means nothing to a user)."""
    try:
        url = exc.request.url if isinstance(exc, httpx.RequestError) else None
    except RuntimeError:  # httpx raises it when the request was never attached
        return None
    if url is None or url.host.endswith(".invalid"):
        return None
    return str(url.copy_with(query=None, fragment=None, userinfo=b""))


def transport_error(
    method: str, path: str, exc: Exception, *, redact: Redactor, attempts: int
) -> TransportError:
    """The error for a request that got no response (after any retries); it names the URL:
    ``… (cannot connect to https://api.example.com/sync-job)``."""
    detail = one_line(str(exc)) or type(exc).__name__
    tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
    text = f"{method} {path}: no response after {tries}: {type(exc).__name__}: {detail}"
    url = shown_url(exc)
    if url is not None:
        verb = "cannot connect to" if isinstance(exc, _CONNECT_ERRORS) else "no answer from"
        text += f" ({verb} {url})"
    return TransportError(
        redact(text),
        method=method,
        url=path,
        hint="check the environment's url and the network",
    )


def outcome_unknown(
    method: str, path: str, cause: str, *, redact: Redactor, status: int = 0
) -> OutcomeUnknownError:
    """The error for a write that was sent but whose result never arrived."""
    return OutcomeUnknownError(
        redact(f"{method} {path}: outcome unknown ({one_line(cause)}); it may have been applied"),
        status=status,
        method=method,
        url=path,
        hint="look the job up (by label) before sending it again",
    )


def invalid_body(method: str, path: str, why: str, *, redact: Redactor, status: int) -> ApiError:
    """The error for a 2xx response whose body is not what the API promises."""
    return ServerError(
        redact(f"{method} {path}: unexpected response body ({one_line(why)})"),
        status=status,
        method=method,
        url=path,
    )
