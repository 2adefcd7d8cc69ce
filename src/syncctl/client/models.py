"""Live API objects, validated where they enter syncctl: in the client, one page at a time.

``LiveJob`` is a sync job, ``LiveWorkflow`` a workflow and ``LiveRun`` a sync-job run as the
API returned them. The fields
syncctl reads by name are typed (a job's ``id``, ``integration_name``, ``label``; a workflow's
``id``, ``trigger_name``, ``config``); every other field is kept exactly as sent
(``extra="allow"``), because the API may add fields and the normaliser, the fingerprint and
``import`` see the whole object (``body``). Nested values (``resources``, a workflow's steps…)
are not copied: validating a page of 100 objects costs one pass of pydantic-core over its top
level.

Each kind has a ``LiveShape``: one ``TypeAdapter`` for a listing page and one for a single
object (``JOBS``, ``WORKFLOWS``). An object that does not fit raises ``LiveShapeError`` whose
text is the key path and what was expected (``result[3].id: missing``), which the client turns
into one error line naming the endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from syncctl.typed_errors import first_error


class LiveShapeError(ValueError):
    """A live object that does not have the shape the API promises; ``str()`` is one line."""


class LiveObject(BaseModel):
    """One live API object. Read a typed field as an attribute; ``body`` is the whole object
    (unknown fields included) for the normaliser and the fingerprint. ``obj["x"]`` and
    ``obj.get("x")`` read the body too, for callers that treat the object as JSON."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str = Field(min_length=1)

    @property
    def body(self) -> dict[str, Any]:
        """The object as the API sent it: only the typed fields it had, plus every other one."""
        extra = self.__pydantic_extra__ or {}
        sent = self.model_fields_set
        typed = {name: getattr(self, name) for name in type(self).model_fields if name in sent}
        return {**extra, **typed}

    def __getitem__(self, name: str) -> Any:
        return self.body[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.body.get(name, default)

    def __eq__(self, other: object) -> bool:
        """Equal to an object with the same body, or to the JSON object it was read from."""
        if isinstance(other, LiveObject):
            return self.body == other.body
        if isinstance(other, Mapping):
            return self.body == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # the body holds lists: not hashable


class LiveJob(LiveObject):
    """One live sync job: ``id`` (a non-empty string); ``integration_name`` and ``label`` when
    sent."""

    integration_name: str | None = None
    label: str | None = None


class LiveWorkflow(LiveObject):
    """One live workflow: ``id`` (a non-empty string), ``trigger_name`` and ``config`` (an
    object), all three always sent by the API (reference §1.6)."""

    trigger_name: str
    config: dict[str, Any]


class LiveRun(LiveObject):
    """One sync-job run (reference §1.5): ``id`` and ``status`` (``created``, ``running``,
    ``rate_limited``, ``completed``, ``failed``, ``stopped``; another word is kept as sent),
    and, when sent, the job and account it runs for, its ``resource_stats`` (per resource, per
    method: whatever the API counts) and its start and finish times."""

    status: str = Field(min_length=1)
    sync_job_id: str | None = None
    integrated_account_id: str | None = None
    resource_stats: dict[str, Any] | None = None
    started_at: str | None = None
    finished_at: str | None = None


T = TypeVar("T", bound=LiveObject)


class LivePage(BaseModel, Generic[T]):
    """The envelope of a listing: ``{result: [objects], next_cursor: string|null}``."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    result: list[T]
    next_cursor: str | None = None


class LiveShape(Generic[T]):
    """How one kind's answers are validated: a listing page, or a single object."""

    def __init__(self, page: TypeAdapter[LivePage[T]], one: TypeAdapter[T]) -> None:
        self._page = page
        self._one = one

    def page(self, body: Any) -> LivePage[T]:
        """A decoded listing page as typed objects; ``LiveShapeError`` names the first misfit."""
        try:
            return self._page.validate_python(body)
        except ValidationError as exc:
            raise LiveShapeError(first_error(exc)) from None

    def one(self, body: Any) -> T:
        """One decoded object (a GET, POST or PATCH answer)."""
        try:
            return self._one.validate_python(body)
        except ValidationError as exc:
            raise LiveShapeError(first_error(exc)) from None


PAGE: TypeAdapter[LivePage[LiveJob]] = TypeAdapter(LivePage[LiveJob])
LIVE_JOB: TypeAdapter[LiveJob] = TypeAdapter(LiveJob)
JOBS: LiveShape[LiveJob] = LiveShape(PAGE, LIVE_JOB)
WORKFLOWS: LiveShape[LiveWorkflow] = LiveShape(
    TypeAdapter(LivePage[LiveWorkflow]), TypeAdapter(LiveWorkflow)
)
RUNS: LiveShape[LiveRun] = LiveShape(TypeAdapter(LivePage[LiveRun]), TypeAdapter(LiveRun))


def parse_page(body: Any) -> LivePage[LiveJob]:
    """A decoded ``/sync-job`` listing page as typed jobs; ``LiveShapeError`` names the first
    misfit."""
    return JOBS.page(body)


def parse_job(body: Any) -> LiveJob:
    """One decoded job object (GET, POST or PATCH answer) as a ``LiveJob``."""
    return JOBS.one(body)


def parse_workflow(body: Any) -> LiveWorkflow:
    """One decoded workflow object (GET, POST or PATCH answer) as a ``LiveWorkflow``."""
    return WORKFLOWS.one(body)
