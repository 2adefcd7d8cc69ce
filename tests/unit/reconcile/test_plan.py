"""The plan as a pure function: every action, its order, and the safety checks."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncctl.client.models import LiveJob
from syncctl.errors import PlanError
from syncctl.kinds import SYNC_JOB, Access, Field
from syncctl.reconcile.guards import MassDelete, judge, refuse
from syncctl.reconcile.normalise import content_hash, normalise
from syncctl.reconcile.plan import Action, DesiredJob, make_plan
from syncctl.reconcile.state import Entry, Pending, State

RESOURCES = [{"resource": "ticketing/tickets", "method": "list"}]


def desired(key: str, label: str | None = None, **fields: Any) -> DesiredJob:
    integration = key.split("/")[0]
    payload = normalise(
        {
            "integration_name": integration,
            "label": label or key,
            "default_runtime_version": 3,
            "resources": RESOURCES,
            **fields,
        }
    )
    return DesiredJob(key, integration, label or key, payload, bool(fields.get("protected")))


def live(job_id: str, job: DesiredJob, **changes: Any) -> LiveJob:
    return LiveJob.model_validate(
        {
            **job.payload,
            "id": job_id,
            "environment_id": "env",
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
            **changes,
        }
    )


def state_of(**entries: str) -> State:
    return State("local", 3, {k.replace("__", "/"): Entry(v, "h") for k, v in entries.items()})


def actions(plan: Any) -> list[tuple[str, str, str | None]]:
    return [(str(c.action), c.key, c.id) for c in plan.changes]


def test_new_file_is_created_with_its_whole_payload() -> None:
    job = desired("zendesk/tickets")
    plan = make_plan("local", [job], State("local"), [])
    (change,) = plan.changes
    assert (change.action, change.key, change.id) == (Action.CREATE, "zendesk/tickets", None)
    assert change.send == job.payload
    assert change.hash == content_hash(job.payload)


def test_unchanged_job_is_noop_and_plan_has_no_changes() -> None:
    job = desired("zendesk/tickets")
    plan = make_plan("local", [job], state_of(zendesk__tickets="1"), [live("1", job)])
    assert actions(plan) == [("noop", "zendesk/tickets", "1")]
    assert not plan.has_changes


def test_server_default_and_read_only_fields_cause_no_diff() -> None:
    job = desired("zendesk/tickets", default_runtime_version=None)
    current = live("1", job, default_runtime_version=2, extra_server_field=True)
    plan = make_plan("local", [job], state_of(zendesk__tickets="1"), [current])
    assert not plan.has_changes


def test_edit_is_an_update_with_field_level_diff_and_full_field_values() -> None:
    job = desired("zendesk/tickets", resources=[{"resource": "ticketing/tickets", "method": "get"}])
    current = live("1", job, label="old", resources=RESOURCES)
    plan = make_plan("local", [job], state_of(zendesk__tickets="1"), [current])
    (change,) = plan.changes
    assert change.action is Action.UPDATE
    assert [(d.path, d.before, d.after) for d in change.diff] == [
        ("$.label", "old", "zendesk/tickets"),
        ("$.resources[0].method", "list", "get"),
    ]
    assert change.send == {"label": "zendesk/tickets", "resources": job.payload["resources"]}


def test_out_of_band_delete_is_recreated() -> None:
    job = desired("zendesk/tickets")
    plan = make_plan("local", [job], state_of(zendesk__tickets="1"), [])
    (change,) = plan.changes
    assert change.action is Action.CREATE
    assert change.note is not None
    assert "deleted outside" in change.note


def test_removed_file_is_orphaned_without_prune_and_deleted_with_it() -> None:
    gone = desired("zendesk/old")
    state = state_of(zendesk__old="9")
    kept = make_plan("local", [], state, [live("9", gone)])
    assert kept.changes == ()
    assert [(o.key, o.id) for o in kept.orphaned] == [("zendesk/old", "9")]
    pruned = make_plan("local", [], state, [live("9", gone)], prune=True)
    assert actions(pruned) == [("delete", "zendesk/old", "9")]
    assert pruned.changes[0].calls_api


def test_protected_job_is_never_deleted_even_with_prune() -> None:
    gone = desired("zendesk/old")
    state = State("local", 1, {"zendesk/old": Entry("9", "h", protected=True)})
    plan = make_plan("local", [], state, [live("9", gone)], prune=True)
    assert plan.changes == ()
    assert [o.note for o in plan.orphaned] == ["protected: never deleted"]


def test_state_entry_whose_job_and_file_are_gone_is_dropped_without_api_call() -> None:
    plan = make_plan("local", [], state_of(zendesk__old="9"), [], prune=False)
    (change,) = plan.changes
    assert change.action is Action.DELETE
    assert not change.calls_api


def test_adopts_the_one_unmanaged_job_with_same_integration_and_label() -> None:
    job = desired("zendesk/tickets", label="Tickets")
    current = live("7", job, args_validation="x")
    plan = make_plan("local", [job], State("local"), [current])
    (change,) = plan.changes
    assert (change.action, change.id) == (Action.ADOPT, "7")
    assert change.send == {"args_validation": None}
    assert plan.unmanaged == ()


def test_adoption_with_several_candidates_is_an_error_naming_them() -> None:
    job = desired("zendesk/tickets", label="Tickets")
    with pytest.raises(PlanError, match=r"2 unmanaged live jobs .*: 7, 8"):
        make_plan("local", [job], State("local"), [live("7", job), live("8", job)])


def test_renamed_file_with_same_content_is_a_move() -> None:
    job = desired("zendesk/new-name", label="Tickets")
    plan = make_plan("local", [job], state_of(zendesk__old_name="5"), [live("5", job)])
    (change,) = plan.changes
    assert (change.action, change.from_key, change.key, change.id) == (
        Action.MOVE,
        "zendesk/old_name",
        "zendesk/new-name",
        "5",
    )
    assert not change.calls_api
    assert plan.orphaned == ()


def test_unmanaged_jobs_are_listed_and_never_touched() -> None:
    job = desired("zendesk/tickets")
    other = live("u1", desired("hubspot/x", label="Someone else's"))
    plan = make_plan("local", [job], state_of(zendesk__tickets="1"), [live("1", job), other])
    assert not plan.has_changes
    assert [(u.id, u.label) for u in plan.unmanaged] == [("u1", "Someone else's")]


def test_interrupted_create_is_adopted_not_duplicated() -> None:
    job = desired("zendesk/tickets", label="Tickets")
    state = State("local", 1, pending={"zendesk/tickets": Pending("Tickets", "zendesk", "h")})
    plan = make_plan("local", [job], state, [live("42", job)])
    (change,) = plan.changes
    assert (change.action, change.id, change.diff) == (Action.ADOPT, "42", ())
    assert change.note == "recording a create whose answer was lost"


def test_changes_come_in_a_deterministic_order() -> None:
    a, b, c, d = (desired(f"zendesk/{n}") for n in "abcd")
    state = State("local", 1, {"zendesk/c": Entry("3", "h"), "zendesk/z": Entry("26", "h")})
    lives = [live("3", c, label="edited"), live("26", desired("zendesk/z")), live("4", d)]
    plan = make_plan("local", [d, c, b, a], state, lives, prune=True)
    assert actions(plan) == [
        ("create", "zendesk/a", None),
        ("create", "zendesk/b", None),
        ("update", "zendesk/c", "3"),
        ("delete", "zendesk/z", "26"),
        ("adopt", "zendesk/d", "4"),
    ]


def test_mass_delete_needs_permission() -> None:
    jobs = [desired(f"zendesk/j{i}") for i in range(4)]
    state = State("local", 1, {j.key: Entry(str(i), "h") for i, j in enumerate(jobs)})
    plan = make_plan(
        "local", jobs[:1], state, [live(str(i), j) for i, j in enumerate(jobs)], prune=True
    )

    def check(ratio: float, *, allowed: bool) -> None:
        refuse(judge(plan, [MassDelete(ratio, allowed=allowed)]))

    with pytest.raises(PlanError, match="deletes 3 of 4 managed jobs"):
        check(0.5, allowed=False)
    check(0.5, allowed=True)
    check(0.8, allowed=False)


labels = st.sampled_from(["a", "b", "c", "d"])


@settings(max_examples=100)
@given(
    st.lists(labels, unique=True),
    st.dictionaries(labels, st.sampled_from(["same", "edited", "gone"])),
    st.booleans(),
)
def test_plan_is_deterministic_and_applying_it_converges(
    names: list[str], managed: dict[str, str], prune: bool
) -> None:
    """Simulate apply on plain data: afterwards the plan is empty (no perpetual diff)."""
    jobs = [desired(f"zendesk/{n}", label=f"L{n}") for n in names]
    all_jobs = {n: desired(f"zendesk/{n}", label=f"L{n}") for n in "abcd"}
    state = State("local", 1, {f"zendesk/{n}": Entry(f"id-{n}", "h") for n in managed})
    lives = {
        f"id-{n}": live(f"id-{n}", all_jobs[n], label=f"L{n}" if how == "same" else "x")
        for n, how in managed.items()
        if how != "gone"
    }
    plan = make_plan("local", jobs, state, list(lives.values()), prune=prune)
    assert plan == make_plan(
        "local", list(reversed(jobs)), state, list(lives.values()), prune=prune
    )
    # apply, by hand
    entries = dict(state.jobs)
    for change in plan.changes:
        if change.action in (Action.CREATE, Action.UPDATE, Action.ADOPT):
            job_id = change.id or f"new-{change.key}"
            before = lives[job_id].body if job_id in lives else {}
            lives[job_id] = LiveJob.model_validate({**before, **(change.send or {}), "id": job_id})
            entries[change.key] = Entry(job_id, change.hash or "")
        elif change.action is Action.DELETE:
            lives.pop(entries.pop(change.key).id, None)
        elif change.action is Action.NOOP:
            entries[change.key] = Entry(change.id or "", change.hash or "")
    after = make_plan("local", jobs, State("local", 2, entries), list(lives.values()), prune=prune)
    assert not after.has_changes, after.changes


def test_create_leaves_out_a_server_defaulted_field_the_file_omits() -> None:
    job = desired("zendesk/tickets", default_runtime_version=None)
    (change,) = make_plan("local", [job], State("local"), []).changes
    assert change.send is not None
    assert "default_runtime_version" not in change.send
    assert change.send["label"] == "zendesk/tickets"


def test_gone_managed_job_adopts_a_live_job_with_its_label_instead_of_duplicating() -> None:
    job = desired("zendesk/tickets", label="Tickets")
    plan = make_plan("local", [job], state_of(zendesk__tickets="1"), [live("2", job)])
    (change,) = plan.changes
    assert (change.action, change.id) == (Action.ADOPT, "2")
    assert change.note == "its recorded job is gone; adopting the live job with its label"


# --- the plan reads its kind's table -------------------------------------------------------------


def _ranked_fields() -> tuple[Field, ...]:
    """The sync-job lines with ``rank`` (server-defaulted) and a runtime the server leaves alone."""
    lines = [
        dataclasses.replace(f, server_defaulted=False) if f.server_defaulted else f
        for f in SYNC_JOB.fields
    ]
    return (*lines, Field("rank", Access.SENT, ("integer", "null"), server_defaulted=True))


RANKED = dataclasses.replace(SYNC_JOB, fields=_ranked_fields())


def ranked(key: str, **fields: Any) -> DesiredJob:
    """``desired`` under the ``RANKED`` kind."""
    job = desired(key, **fields)
    payload = normalise({**job.payload, **fields}, RANKED)
    return dataclasses.replace(job, payload=payload, kind=RANKED)


def test_a_create_leaves_out_what_the_plans_kind_says_the_server_defaults() -> None:
    job = ranked("zendesk/tickets", default_runtime_version=None)
    (change,) = make_plan("local", [job], State("local"), [], kind=RANKED).changes
    assert change.send is not None
    assert "rank" not in change.send
    assert change.send["default_runtime_version"] is None
    assert change.hash == job.hash == content_hash(job.payload, RANKED)
    assert job.hash != content_hash(job.payload)


def test_a_rename_is_a_move_only_when_the_plans_kind_finds_no_difference() -> None:
    job = ranked("zendesk/new-name", label="Tickets", rank=2)
    state = state_of(zendesk__old_name="5")
    plan = make_plan("local", [job], state, [live("5", job, rank=1)], kind=RANKED)
    assert actions(plan) == [("create", "zendesk/new-name", None)]
    assert [o.key for o in plan.orphaned] == ["zendesk/old_name"]
    same = make_plan("local", [job], state, [live("5", job)], kind=RANKED)
    assert actions(same) == [("move", "zendesk/new-name", "5")]


def test_an_adoption_patches_what_the_plans_kind_compares() -> None:
    job = ranked("zendesk/tickets", label="Tickets", rank=2)
    plan = make_plan("local", [job], State("local"), [live("7", job, rank=1)], kind=RANKED)
    (change,) = plan.changes
    assert (change.action, change.id, change.send) == (Action.ADOPT, "7", {"rank": 2})
    assert [(d.field, d.before, d.after) for d in change.diff] == [("rank", 1, 2)]


def test_a_job_of_another_kind_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"not of kind sync_job, yet planned as one: zendesk/b$"):
        make_plan("local", [desired("zendesk/a"), ranked("zendesk/b")], State("local"), [])
    with pytest.raises(ValueError, match=r": zendesk/a$"):
        make_plan("local", [desired("zendesk/a")], State("local"), [], kind=RANKED)
