"""Plan every kind of one environment together: the jobs, then the workflows that name them.

Each kind is planned by ``make_plan``; what ties them together (design §9) is here:

- A workflow file names jobs by key; the API holds their remote ids. A live workflow is compared
  with its file after its ids are read back into keys (``references.key_view``), through the
  job ids the state holds once the jobs' plan is done (adoptions and moves included). A job
  created by this very plan has no id yet: a workflow naming it shows the key, and apply
  resolves it once the job exists (jobs are applied first).
- Every job key a desired workflow names must be a job desired in the same environment (else
  the workflow could never be sent there): the plan stops and names both.
- Pruning a job that a live workflow still names, when that workflow is not deleted or
  rewritten by the same plan (an unmanaged one, or a managed one whose file is gone but is
  kept), is refused with both names: the workflow would go on running a job that is gone.

The result is one ``Plan``: changes ordered by action, then kind (``KINDS`` order), then key.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from syncctl.client.models import LiveObject
from syncctl.errors import PlanError
from syncctl.findings import Finding
from syncctl.kinds import KINDS, SYNC_JOB, WORKFLOW
from syncctl.reconcile.plan import (
    ORDER,
    Create,
    Delete,
    DesiredJob,
    Plan,
    make_plan,
)
from syncctl.reconcile.state import State
from syncctl.references import job_ids, job_keys, key_view

_KIND_ORDER = {kind.name: index for index, kind in enumerate(KINDS)}


def plan_environment(
    environment: str,
    desired: Sequence[DesiredJob],
    state: State,
    live: Mapping[str, Sequence[LiveObject]],
    *,
    prune: bool = False,
    warnings: Sequence[Finding] = (),
    elsewhere: Collection[str] = frozenset(),
) -> Plan:
    """The plan of every kind in ``environment``: ``desired`` files of any kind, ``live``
    objects by kind name (a kind left out has none). ``warnings``: the files' validation
    warnings, carried for the reviewer; ``elsewhere``: keys of files that target other
    environments (``make_plan``)."""
    jobs = [d for d in desired if d.kind is SYNC_JOB]
    workflows = [d for d in desired if d.kind is WORKFLOW]
    _check_references(environment, workflows, {job.key for job in jobs})
    job_plan = make_plan(
        environment,
        jobs,
        state,
        live.get(SYNC_JOB.name, ()),
        prune=prune,
        elsewhere=elsewhere,
    )
    keys_by_id = job_keys_after(job_plan, state)
    live_workflows = live.get(WORKFLOW.name, ())
    workflow_plan = make_plan(
        environment,
        workflows,
        state,
        live_workflows,
        prune=prune,
        kind=WORKFLOW,
        view=lambda workflow: key_view(workflow.body, keys_by_id),
        elsewhere=elsewhere,
    )
    _check_prune(job_plan, workflow_plan, live_workflows, state)
    changes = sorted(
        (*job_plan.changes, *workflow_plan.changes),
        key=lambda c: (ORDER[c.action], _KIND_ORDER[c.kind], c.key),
    )
    return Plan(
        environment=environment,
        changes=tuple(changes),
        orphaned=(*job_plan.orphaned, *workflow_plan.orphaned),
        unmanaged=(*job_plan.unmanaged, *workflow_plan.unmanaged),
        prune=prune,
        state_serial=state.serial,
        managed=job_plan.managed + workflow_plan.managed,
        warnings=tuple(warnings),
    )


def job_keys_after(job_plan: Plan, state: State) -> dict[str, str]:
    """Remote job id -> job key once ``job_plan`` is applied: every live job a key will own
    (an adoption or a move gives its id a new key; a kept orphan keeps its key). The id of a
    job that is gone is left out, even while the state still holds it: a live workflow that
    names it must not read as naming the job's key, or it would not be updated to the id of
    the job created or adopted in its place."""
    keys: dict[str, str] = {}
    for change in job_plan.changes:
        if isinstance(change, Create) or change.id is None:
            continue
        if isinstance(change, Delete) and change.fingerprint is None:
            continue  # already gone from the API
        keys[change.id] = change.key
    for orphan in job_plan.orphaned:
        if orphan.key is not None:
            keys[orphan.id] = orphan.key
    return keys


def _check_references(
    environment: str, workflows: Sequence[DesiredJob], job_keys_here: set[str]
) -> None:
    for workflow in workflows:
        for key in job_keys(workflow.payload):
            if key not in job_keys_here:
                raise PlanError(
                    f"{workflow.key} names job {key!r}, which is not applied to {environment}",
                    hint=(
                        f"add {environment} to the job's environments, or leave {environment} "
                        "out of the workflow's"
                    ),
                )


def _check_prune(
    job_plan: Plan, workflow_plan: Plan, live_workflows: Sequence[LiveObject], state: State
) -> None:
    """Refuse to delete a job that a live workflow will still name after apply."""
    deleted = {c.id: c.key for c in job_plan.changes if isinstance(c, Delete) and c.fingerprint}
    if not deleted:
        return
    # A workflow with a file ends up as its file, which names only jobs desired here; one
    # deleted by this plan ends up gone. Every other live workflow keeps what it names.
    rewritten = {c.id for c in workflow_plan.changes if c.id is not None}
    workflow_keys = {entry.id: key for key, entry in state.section(WORKFLOW).entries.items()}
    for workflow in live_workflows:
        if workflow.id in rewritten:
            continue
        for job_id in job_ids(workflow.body):
            if job_id in deleted:
                key = workflow_keys.get(workflow.id)
                who = (
                    f"the managed workflow {key} (id {workflow.id}), whose file is gone but "
                    "which is kept,"
                    if key is not None
                    else f"the unmanaged live workflow {workflow.id} "
                    f"({workflow.body.get('trigger_name')})"
                )
                raise PlanError(
                    f"refusing to delete job {deleted[job_id]} (id {job_id}): {who} still runs it",
                    hint=(
                        "delete or change that workflow first, or keep the job's file"
                        if key is None
                        else "prune that workflow too (its file is gone), or keep the job's file"
                    ),
                )
