"""The typed view of a job file, for plan and apply.

The JSON Schema (``schemas/sync-job.schema.json``) is the contract; these pydantic models are
a typed view built AFTER validation. ``JobSpec.from_job`` must only be given a file that
validated without errors (SJ005 and SJ010 at least): it re-checks types and raises
``InvalidJobError`` otherwise, but it does not explain mistakes the way the rules do.

``payload()`` is what the API receives (design §2): the file minus its local keys (the
``local`` lines of the sync-job table, ``syncctl.kinds``: ``description``, ``environments``,
``protected``), with ``integration_name`` and ``label`` filled from their defaults (the folder;
the job key). The reserved folder ``_multi/`` holds runtime-4 jobs that span integrations: their
``integration_name`` is ``""``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from syncctl.errors import InvalidJobError
from syncctl.kinds import SYNC_JOB
from syncctl.rules.base import JobFile

MULTI_FOLDER = "_multi"
"""The folder of jobs that span integrations (design §1); they send ``integration_name: ""``."""


def folder_integration_name(folder: str) -> str:
    """The ``integration_name`` a job file in ``folder`` sends when it sets none."""
    return "" if folder == MULTI_FOLDER else folder


class Resource(BaseModel):
    """A resource entry of runtime 1-3."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    resource: str
    method: str
    id: str | int | None = None
    query: dict[str, Any] | None = None
    loop_on: str | None = None
    depends_on: str | None = None
    persist: bool | None = None


class Node(BaseModel):
    """A runtime 4 node: only the common fields are typed; the rest is kept as given."""

    model_config = ConfigDict(frozen=True, extra="allow")

    name: str
    type: str
    depends_on: str | None = None
    run_if: str | None = None


class JobSpec(BaseModel):
    """One validated job file.

    Only the top-level fields syncctl reads are typed here; the others (a field added to the
    sync-job table) travel in ``source``, and ``from_job`` refuses a key the table lacks.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    key: str
    integration: str
    source: dict[str, Any]  # the document as loaded; payload() is derived from it
    integration_name: str | None = None
    label: str | None = None
    description: str | None = None
    default_runtime_version: int | None = None
    environments: tuple[str, ...] | None = None
    protected: bool = False
    args_schema: dict[str, Any] | None = None
    args_validation: str | None = None
    mutex_key: str | None = None
    state_key: str | None = None
    resources: tuple[Resource, ...] | tuple[Node, ...]

    @classmethod
    def from_job(cls, job: JobFile) -> JobSpec:
        """The typed view of ``job``, which must have passed validation (see module doc)."""
        data, key, integration = job.data, job.key, job.integration
        if data is None or key is None or integration is None:
            raise InvalidJobError(f"{job.rel}: not a valid job file", hint="run syncctl validate")
        unknown = next((k for k in data if k not in SYNC_JOB.file_order), None)
        if unknown is not None:
            raise InvalidJobError(
                f"{job.rel}: not a valid job file ({unknown}: not a field of a sync job)",
                hint="run syncctl validate",
            )
        fields = {k: v for k, v in data.items() if k != "resources"}
        raw = data.get("resources")
        entries = raw if isinstance(raw, list) else []
        kind: type[Resource] | type[Node] = (
            Node if data.get("default_runtime_version") == 4 else Resource
        )
        try:
            resources = tuple(kind.model_validate(entry) for entry in entries)
            return cls.model_validate(
                {
                    **fields,
                    "key": key,
                    "integration": integration,
                    "source": data,
                    "resources": resources,
                }
            )
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InvalidJobError(
                f"{job.rel}: not a valid job file ({where}: {first['msg']})",
                hint="run syncctl validate",
            ) from None

    @property
    def effective_label(self) -> str:
        return _sent_label(self.source, self.key)

    @property
    def effective_integration_name(self) -> str:
        """What is sent: ``integration_name``, else the folder (``""`` for ``_multi/``)."""
        return _sent_integration_name(self.source, self.integration)

    def payload(self) -> dict[str, Any]:
        """The body sent to the sync-job API (a fresh copy each call)."""
        return _payload(self.source, self.key, self.integration)

    def targets(self, env_name: str, all_envs: Iterable[str]) -> bool:
        """Whether this job is applied to ``env_name`` (default: every configured environment)."""
        return _targets(self.source, env_name, all_envs)


@dataclass(frozen=True, slots=True)
class TrustedJob:
    """What plan and apply read of a job file that ``validate`` has just passed: its key,
    folder and document, read as ``JobSpec`` reads them but with no model built (plan and
    apply refuse to run on any error first, and the schema already guarantees every type;
    building the resource models cost a plan of 5,000 jobs some 0.3 s). Use ``JobSpec.from_job``
    anywhere else."""

    key: str
    integration: str
    source: Mapping[str, Any]

    @classmethod
    def of(cls, job: JobFile) -> TrustedJob:
        data, key, integration = job.data, job.key, job.integration
        if data is None or key is None or integration is None:
            raise InvalidJobError(f"{job.rel}: not a valid job file", hint="run syncctl validate")
        return cls(key, integration, data)

    @property
    def effective_label(self) -> str:
        return _sent_label(self.source, self.key)

    @property
    def effective_integration_name(self) -> str:
        return _sent_integration_name(self.source, self.integration)

    @property
    def protected(self) -> bool:
        return self.source.get("protected") is True

    def payload(self) -> dict[str, Any]:
        return _payload(self.source, self.key, self.integration)

    def targets(self, env_name: str, all_envs: Iterable[str]) -> bool:
        return _targets(self.source, env_name, all_envs)


def _sent_label(data: Mapping[str, Any], key: str) -> str:
    label = data.get("label")
    return label if isinstance(label, str) else key


def _sent_integration_name(data: Mapping[str, Any], folder: str) -> str:
    name = data.get("integration_name")
    return name if isinstance(name, str) else folder_integration_name(folder)


def _payload(data: Mapping[str, Any], key: str, folder: str) -> dict[str, Any]:
    """The file minus its local keys, ``integration_name`` and ``label`` filled in."""
    local = SYNC_JOB.local
    body = {k: _copy(v) for k, v in data.items() if k not in local}
    body["integration_name"] = _sent_integration_name(data, folder)
    body["label"] = _sent_label(data, key)
    return body


def _targets(data: Mapping[str, Any], env_name: str, all_envs: Iterable[str]) -> bool:
    listed = data.get("environments")
    chosen = listed if isinstance(listed, list) else tuple(all_envs)
    return env_name in chosen


def _copy(value: Any) -> Any:
    """A deep copy of JSON-shaped data (several times faster than ``copy.deepcopy``)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
