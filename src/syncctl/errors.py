"""The one exception root of syncctl and its tree.

Every failure a user can meet is a ``SyncctlError``; the CLI boundary (``syncctl.cli.main``)
turns it into a one-line message and the exit code it carries. Nothing else is caught there
as a user error: any other exception is a bug.

::

    SyncctlError (exit 1)
    ├── UsageError (exit 2)            bad command-line input
    ├── ConfigError (exit 2)           [tool.syncctl] / syncctl.toml is wrong
    ├── ValidationFailedError          plan/apply refused: the job files have errors
    ├── InvalidJobError                a file reached the typed model without passing validation
    ├── WorkerDiedError                a validation worker process died before sending its results
    ├── StateError                     state file corrupt, future version, locked
    ├── PlanError                      stale saved plan, ambiguous adoption, unsafe delete
    ├── EmulatorError                  the bundled emulator cannot start or serve
    └── ApiError                       the sync-job API answered with an error
        ├── BadRequestError            400
        ├── AuthError                  401 / 403
        ├── NotFoundError              404
        ├── RateLimitedError           429 (after retries)
        ├── ServerError                5xx (after retries)
        ├── TransportError             network failure before a response (after retries)
        └── OutcomeUnknownError        a write was sent but its outcome is unknown

A message never contains a token: the client redacts before it raises.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class SyncctlError(Exception):
    """Root of every error syncctl reports to a user."""

    exit_code: int = EXIT_FAILURE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message} (hint: {self.hint})"


class UsageError(SyncctlError):
    exit_code = EXIT_USAGE


class ConfigError(SyncctlError):
    exit_code = EXIT_USAGE


class ValidationFailedError(SyncctlError):
    pass


class InvalidJobError(SyncctlError):
    """A job file reached the typed model (``syncctl.model``) without passing validation."""


class WorkerDiedError(SyncctlError):
    """A validation worker process (``syncctl.pool``) ended without sending its results."""


class StateError(SyncctlError):
    pass


class PlanError(SyncctlError):
    pass


class EmulatorError(SyncctlError):
    pass


class ApiError(SyncctlError):
    """The API answered with an error, or could not be reached.

    ``status`` is the HTTP status (0 when no response arrived); ``error`` and ``api_message``
    are the API's ``{statusCode, error, message}`` body fields when it sent one.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int = 0,
        error: str | None = None,
        api_message: str | None = None,
        method: str | None = None,
        url: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.error = error
        self.api_message = api_message
        self.method = method
        self.url = url


class BadRequestError(ApiError):
    pass


class AuthError(ApiError):
    pass


class NotFoundError(ApiError):
    pass


class RateLimitedError(ApiError):
    pass


class ServerError(ApiError):
    pass


class TransportError(ApiError):
    pass


class OutcomeUnknownError(ApiError):
    """A non-idempotent request (POST) was sent but no response arrived.

    The job may or may not exist now; the caller must look it up before trying again.
    """
