"""What the client needs to know about each kind's API path, in one place per kind.

An ``Endpoint`` names the collection path (from the kinds table), the noun its error messages
use, how its answers are validated (``syncctl.client.models``), and how to find an object whose
create may have happened: the hint of its ``OutcomeUnknownError`` (design §9: a job is looked up
by label, a workflow, which has no label, by content; a run among the job's runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic

from syncctl.client.models import (
    JOBS,
    RUNS,
    WORKFLOWS,
    LiveJob,
    LiveRun,
    LiveShape,
    LiveWorkflow,
    T,
)
from syncctl.kinds import SYNC_JOB, WORKFLOW


@dataclass(frozen=True, slots=True)
class Endpoint(Generic[T]):
    """One kind's collection: ``path`` (``/sync-job``), ``noun`` (``job``), the ``shape`` of its
    answers, what a listing entry must have (``listed``), and the ``lookup`` hint of a create
    whose outcome is unknown."""

    path: str
    noun: str
    shape: LiveShape[T]
    listed: str
    lookup: str


JOB_ENDPOINT: Endpoint[LiveJob] = Endpoint(
    path=SYNC_JOB.api_path,
    noun="job",
    shape=JOBS,
    listed="jobs with an id",
    lookup="look the job up (by label) before sending it again",
)
WORKFLOW_ENDPOINT: Endpoint[LiveWorkflow] = Endpoint(
    path=WORKFLOW.api_path,
    noun="workflow",
    shape=WORKFLOWS,
    listed="workflows with an id, trigger_name and config",
    lookup="look the workflow up (by trigger_name and config) before sending it again",
)
RUN_ENDPOINT: Endpoint[LiveRun] = Endpoint(
    path="/sync-job-run",
    noun="run",
    shape=RUNS,
    listed="runs with an id and a status",
    lookup="list the job's runs (GET /sync-job-run?sync_job_id=...) before starting another",
)
"""Sync-job runs (reference §1.5): not a reconciled kind, so the path is written here."""
