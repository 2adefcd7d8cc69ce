"""Live API objects, validated where they enter syncctl: in the client, one page at a time.

``LiveJob`` is a sync job as the API returned it. The fields the reconciler reads by name are
typed (``id``, ``integration_name``, ``label``); every other field is kept exactly as sent
(``extra="allow"``), because the API may add fields and the normaliser, the fingerprint and
``import`` see the whole object (``body``). Nested values (``resources``, ``args_schema``…) are
not copied: validating a page of 100 jobs costs one pass of pydantic-core over its top level.

A listing page is validated by one ``TypeAdapter`` (``PAGE``), a single object by ``LIVE_JOB``;
an object that does not fit raises ``LiveShapeError`` whose text is the key path and what was
expected (``result[3].id: missing``), which the client turns into one error line naming the
endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from syncctl.typed_errors import first_error


class LiveShapeError(ValueError):
    """A live object that does not have the shape the API promises; ``str()`` is one line."""


class LiveJob(BaseModel):
    """One live sync job. Read a typed field as an attribute; ``body`` is the whole object
    (unknown fields included) for the normaliser and the fingerprint. ``job["label"]`` and
    ``job.get("x")`` read the body too, for callers that treat the job as JSON."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str = Field(min_length=1)
    integration_name: str | None = None
    label: str | None = None

    @property
    def body(self) -> dict[str, Any]:
        """The object as the API sent it: only the typed fields it had, plus every other one."""
        extra = self.__pydantic_extra__ or {}
        typed = {name: getattr(self, name) for name in _TYPED if name in self.model_fields_set}
        return {**extra, **typed}

    def __getitem__(self, name: str) -> Any:
        return self.body[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.body.get(name, default)

    def __eq__(self, other: object) -> bool:
        """Equal to a job with the same body, or to the JSON object it was read from."""
        if isinstance(other, LiveJob):
            return self.body == other.body
        if isinstance(other, Mapping):
            return self.body == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # the body holds lists: not hashable


_TYPED = tuple(LiveJob.model_fields)


class LivePage(BaseModel):
    """The envelope of ``GET /sync-job``: ``{result: [jobs], next_cursor: string|null}``."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    result: list[LiveJob]
    next_cursor: str | None = None


PAGE: TypeAdapter[LivePage] = TypeAdapter(LivePage)
LIVE_JOB: TypeAdapter[LiveJob] = TypeAdapter(LiveJob)


def parse_page(body: Any) -> LivePage:
    """A decoded listing page as typed jobs; ``LiveShapeError`` names the first misfit."""
    try:
        return PAGE.validate_python(body)
    except ValidationError as exc:
        raise LiveShapeError(first_error(exc)) from None


def parse_job(body: Any) -> LiveJob:
    """One decoded job object (GET, POST or PATCH answer) as a ``LiveJob``."""
    try:
        return LIVE_JOB.validate_python(body)
    except ValidationError as exc:
        raise LiveShapeError(first_error(exc)) from None
