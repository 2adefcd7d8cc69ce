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

A plan can be partial (``--target``/``--exclude``, ``select``): shell-style patterns over keys
(``*`` matches ``/`` too). A workflow in the target pulls in the jobs it names, as Terraform
does; an ``--exclude`` that removes one of them stops the plan with both names. Every kind is
planned whole (adoption and moves need every file), then only changes and orphans inside the
target are kept (prune deletes only there); unmanaged live objects have no key, so no target
holds them, and the prune check runs again on what is kept.

The result is one ``Plan``: changes ordered by action, then kind (``KINDS`` order), then key.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from fnmatch import fnmatchcase

from syncctl.client.models import LiveObject
from syncctl.errors import PlanError, UsageError
from syncctl.findings import Finding
from syncctl.kinds import KINDS, SYNC_JOB, WORKFLOW
from syncctl.reconcile.plan import (
    ORDER,
    Create,
    Delete,
    DesiredJob,
    Plan,
    Targets,
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
    target: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Plan:
    """The plan of every kind in ``environment``: ``desired`` files of any kind, ``live``
    objects by kind name (a kind left out has none). ``warnings``: the files' validation
    warnings, carried for the reviewer; ``elsewhere``: keys of files that target other
    environments (``make_plan``); ``target``/``exclude``: key patterns of a partial plan
    (``select``)."""
    jobs = [d for d in desired if d.kind is SYNC_JOB]
    workflows = [d for d in desired if d.kind is WORKFLOW]
    _check_references(environment, workflows, {job.key for job in jobs})
    targets = select(environment, desired, state, target, exclude)
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
    if targets is not None:
        inside = frozenset(targets.keys)
        job_plan = _within(job_plan, inside)
        workflow_plan = _within(workflow_plan, inside)
    outside: set[str] = set()
    if targets is not None:  # workflows a partial plan leaves as they are
        outside = {w.key for w in workflows} | set(state.section(WORKFLOW).entries)
        outside -= set(targets.keys)
    _check_prune(job_plan, workflow_plan, live_workflows, state, outside)
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
        targets=targets,
    )


def select(
    environment: str,
    desired: Sequence[DesiredJob],
    state: State,
    target: Sequence[str],
    exclude: Sequence[str],
) -> Targets | None:
    """The keys a partial plan covers (``None``: no pattern, the whole environment).

    Keys are those of the files desired here and of the state's entries; each pattern must
    match one of them (else a usage error naming it). No ``target`` means every key; then
    ``exclude`` removes keys, and each selected workflow adds the jobs its file names."""
    if not target and not exclude:
        return None
    universe = _keys_of(desired, state)
    for flag, patterns in (("--target", target), ("--exclude", exclude)):
        for pattern in patterns:
            if not any(fnmatchcase(key, pattern) for key in universe):
                raise UsageError(
                    f"{flag} {pattern!r} matches no job or workflow in {environment}",
                    hint="keys read <integration>/<name> and workflow:<name>; quote the "
                    "pattern so the shell leaves its * alone",
                )
    excluded = {k for k in universe if any(fnmatchcase(k, p) for p in exclude)}
    chosen = {k for k in universe if not target or any(fnmatchcase(k, p) for p in target)}
    chosen -= excluded
    needs = {d.key: job_keys(d.payload) for d in desired if d.kind is WORKFLOW}
    for key in sorted(chosen):
        for job in needs.get(key, ()):
            if job in excluded:
                raise UsageError(
                    f"--exclude removes job {job}, which the targeted workflow {key} runs",
                    hint=f"exclude {key} too, or stop excluding {job}",
                )
            chosen.add(job)
    return Targets(tuple(target), tuple(exclude), tuple(sorted(chosen)), len(universe))


def _keys_of(desired: Sequence[DesiredJob], state: State) -> set[str]:
    """Every key a pattern can match: the files desired here, the state's entries and
    pending creates of every kind."""
    keys = {d.key for d in desired}
    for kind in KINDS:
        section = state.section(kind)
        keys.update(section.entries)
        keys.update(section.pending)
    return keys


def _within(plan: Plan, keys: Collection[str]) -> Plan:
    """``plan`` less what lies outside ``keys``: a move is inside when either key is."""
    return replace(
        plan,
        changes=tuple(
            c
            for c in plan.changes
            if c.key in keys or (c.from_key is not None and c.from_key in keys)
        ),
        orphaned=tuple(o for o in plan.orphaned if o.key in keys),
        unmanaged=(),
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
    job_plan: Plan,
    workflow_plan: Plan,
    live_workflows: Sequence[LiveObject],
    state: State,
    outside: Collection[str] = frozenset(),
) -> None:
    """Refuse to delete a job that a live workflow will still name after apply; ``outside``:
    keys of workflow files a partial plan leaves alone (kept as they are live)."""
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
                who, hint = _holder(key, workflow, outside)
                raise PlanError(
                    f"refusing to delete job {deleted[job_id]} (id {job_id}): {who} still runs it",
                    hint=hint,
                )


def _holder(key: str | None, workflow: LiveObject, outside: Collection[str]) -> tuple[str, str]:
    """Who still runs a job a plan would delete, and what to do about it."""
    if key is None:
        return (
            f"the unmanaged live workflow {workflow.id} ({workflow.body.get('trigger_name')})",
            "delete or change that workflow first, or keep the job's file",
        )
    if key in outside:
        return (
            f"the managed workflow {key} (id {workflow.id}), outside the target,",
            f"target {key} too, or keep the job's file",
        )
    return (
        f"the managed workflow {key} (id {workflow.id}), whose file is gone but which is kept,",
        "prune that workflow too (its file is gone), or keep the job's file",
    )
