"""Plan changes are one type per action, and plan JSON, saved plans and renderings keep their shape.

``tests/fixtures/plans/every-action.*`` were written by syncctl before the changes were typed: the
same plan must still render to the same bytes, and the saved plan must still load.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from syncctl.client.models import LiveJob
from syncctl.errors import PlanError
from syncctl.reconcile.guards import MassDelete, judge, refuse
from syncctl.reconcile.normalise import normalise
from syncctl.reconcile.plan import (
    Adopt,
    Create,
    Delete,
    DesiredJob,
    Move,
    Noop,
    Plan,
    Update,
    Verdict,
    make_plan,
)
from syncctl.reconcile.saved import read_plan, write_plan
from syncctl.reconcile.state import Entry, Pending, State
from syncctl.render.plan import PLAN

FIXTURES = Path(__file__).parents[2] / "fixtures" / "plans"
V3 = [{"resource": "ticketing/tickets", "method": "list"}]
V4 = [{"name": "wait", "type": "spool"}]


def _job(key: str, label: str, runtime: int = 3, **fields: Any) -> DesiredJob:
    integration = key.split("/")[0]
    payload = normalise(
        {
            "integration_name": integration,
            "label": label,
            "default_runtime_version": runtime,
            "resources": V3 if runtime == 3 else V4,
            **fields,
        }
    )
    return DesiredJob(key, integration, label, payload, bool(fields.get("protected")))


def _live(job_id: str, job: DesiredJob, **changes: Any) -> LiveJob:
    return LiveJob.model_validate({**job.payload, "id": job_id, "environment_id": "env", **changes})


def every_action() -> Plan:
    """One plan with each action, every note, graphs, both kinds of delete and an orphan."""
    create = _job("zendesk/create", "Create", runtime=4)
    resumed = _job("zendesk/resumed", "Resumed")
    recreate = _job("zendesk/recreate", "Recreate")
    update = _job("zendesk/update", "Update", runtime=4)
    graph_update = _job("zendesk/graph", "Graph", runtime=4)
    noop = _job("zendesk/noop", "Noop", protected=True)
    adopt = _job("hubspot/adopt", "Adopt")
    adopt_diff = _job("hubspot/adopt-diff", "Adopt diff")
    relabel = _job("hubspot/relabel", "Relabel")
    moved = _job("zendesk/moved-to", "Moved")
    state = State(
        "local",
        7,
        {
            "zendesk/recreate": Entry("r0", "h"),
            "zendesk/update": Entry("u1", "h"),
            "zendesk/graph": Entry("g1", "h"),
            "zendesk/noop": Entry("n1", "h", protected=True),
            "hubspot/relabel": Entry("l0", "h"),
            "zendesk/moved-from": Entry("m1", "h"),
            "zendesk/gone": Entry("x1", "h", protected=True),
            "zendesk/kept": Entry("k1", "h", protected=True),
            "zendesk/pruned": Entry("p1", "h"),
        },
        pending={
            "hubspot/adopt": Pending("Adopt", "hubspot", "h"),
            "zendesk/resumed": Pending("Resumed", "zendesk", "h"),
        },
    )
    two_nodes = [*V4, {"name": "more", "type": "spool", "depends_on": "wait"}]
    lives = [
        _live("u1", update, label="Old label"),
        _live("g1", graph_update, resources=two_nodes),
        _live("n1", noop),
        _live("m1", moved),
        _live("k1", _job("zendesk/kept", "Kept")),
        _live("p1", _job("zendesk/pruned", "Pruned")),
        _live("a1", adopt),
        _live("a2", adopt_diff, args_validation="$exists(x)"),
        _live("l1", relabel),
        _live("o1", _job("salesforce/other", "Someone else's")),
    ]
    desired = [create, resumed, recreate, update, graph_update, noop, adopt, adopt_diff, relabel]
    return make_plan("local", [*desired, moved], state, lives, prune=True)


def test_plan_json_and_renderings_keep_their_bytes(tmp_path: Path) -> None:
    plan = every_action()
    write_plan(plan, tmp_path / "plan.json")
    saved = (tmp_path / "plan.json").read_text(encoding="utf-8")
    assert saved == (FIXTURES / "every-action.json").read_text(encoding="utf-8")
    for fmt, suffix in (("text", "txt"), ("markdown", "md")):
        expected = (FIXTURES / f"every-action.{suffix}").read_text(encoding="utf-8")
        assert PLAN.renderer(fmt)(plan) == expected, fmt


def test_a_plan_saved_before_the_changes_were_typed_still_loads() -> None:
    written = json.loads((FIXTURES / "every-action.json").read_text(encoding="utf-8"))
    loaded = read_plan(FIXTURES / "every-action.json").to_dict()
    # A saved plan does not keep the graphs (only the markdown rendering draws them).
    expected = {k: v for k, v in written.items() if k != "kind"}
    expected["changes"] = [{**c, "graph": None} for c in written["changes"]]
    assert loaded == expected
    assert sum(c["graph"] is not None for c in written["changes"]) == 4


def test_a_plan_saved_before_kinds_loads_as_sync_jobs() -> None:
    """``before-kinds.json`` is ``every-action.json`` as syncctl wrote it before changes carried
    ``kind``: it loads, every change and listed job of the sync-job kind, and is otherwise the
    plan written now (plan JSON only ever gains fields)."""
    old = read_plan(FIXTURES / "before-kinds.json").to_dict()
    new = read_plan(FIXTURES / "every-action.json").to_dict()
    assert {c["kind"] for c in old["changes"]} == {"sync_job"}
    assert {r["kind"] for r in old["orphaned"] + old["unmanaged"]} == {"sync_job"}
    # Since then a key the file lacks is a "remove" (it read as a change to null): the one
    # difference, and a value plan JSON already allowed.
    (removed,) = (d for c in new["changes"] for d in c["diff"] if d["path"] == "$.args_validation")
    assert removed["op"] == "remove"
    removed["op"] = "change"
    assert old == new


def test_a_saved_change_of_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    document = json.loads((FIXTURES / "every-action.json").read_text(encoding="utf-8"))
    document["changes"][0]["kind"] = "webhook"
    (tmp_path / "plan.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(PlanError, match=r"corrupt plan.*must be one of sync_job, workflow"):
        read_plan(tmp_path / "plan.json")


def test_each_action_is_its_own_type() -> None:
    plan = every_action()
    kinds = {Create: "create", Update: "update", Adopt: "adopt", Move: "move"}
    kinds |= {Delete: "delete", Noop: "noop"}
    for change in plan.changes:
        assert change.to_dict()["action"] == kinds[type(change)] == change.action
    assert {type(c) for c in plan.changes} == set(kinds)


def test_a_change_cannot_lack_what_its_action_needs() -> None:
    with pytest.raises(TypeError, match="send"):
        Create(key="zendesk/a", hash="h")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="from_key"):
        Move(key="zendesk/a", id="1", hash="h", fingerprint="f")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="'id'"):
        Delete(key="zendesk/a")  # type: ignore[call-arg]


def test_fields_an_action_does_not_have_read_as_absent() -> None:
    create = Create(key="zendesk/a", send={"label": "a"}, hash="h")
    delete = Delete(key="zendesk/a", id="1")
    assert (create.id, create.from_key, create.fingerprint, create.diff) == (None, None, None, ())
    assert (delete.send, delete.hash, delete.graph, delete.calls_api) == (None, None, None, False)
    assert Delete(key="zendesk/a", id="1", fingerprint="f").calls_api


@pytest.mark.parametrize(
    ("action", "field", "value", "message"),
    [
        ("create", "send", None, "'send' must be a JSON object"),
        ("update", "send", None, "'send' must be a JSON object"),
        ("move", "from_key", None, "'from_key' must be a string"),
        ("noop", "fingerprint", 7, "'fingerprint' must be a string"),
        ("delete", "id", None, "'id' must be a string"),
    ],
)
def test_a_saved_change_without_what_its_action_needs_is_refused(
    tmp_path: Path, action: str, field: str, value: Any, message: str
) -> None:
    document = json.loads((FIXTURES / "every-action.json").read_text(encoding="utf-8"))
    index, change = next((i, c) for i, c in enumerate(document["changes"]) if c["action"] == action)
    change[field] = value
    (tmp_path / "plan.json").write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(PlanError, match="corrupt plan") as caught:
        read_plan(tmp_path / "plan.json")

    assert f"changes[{index}] ({action} {change['key']}): {message}" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_key_only_one_side_has_is_an_add_or_a_remove_and_an_explicit_null_a_change() -> None:
    want = _job("zendesk/t", "T", resources=[{"resource": "r", "query": {"limit": 50, "x": None}}])
    have = _job("zendesk/t", "T", resources=[{"resource": "r", "query": {"since": "s", "x": 1}}])
    state = State("local", 1, {"zendesk/t": Entry("1", "h")})

    (update,) = make_plan("local", [want], state, [_live("1", have)]).changes

    assert isinstance(update, Update)
    ops = {d.path: d.op for d in update.diff}
    assert ops == {
        "$.resources[0].query.limit": "add",
        "$.resources[0].query.since": "remove",
        "$.resources[0].query.x": "change",
    }
    text = PLAN.render("text", Plan("local", (update,)))
    assert "          + query.limit: 50\n" in text
    assert "          - query.since\n" in text
    assert "          ~ query.x: 1 -> null\n" in text


def test_turning_protected_on_is_a_state_only_update() -> None:
    job = _job("zendesk/t", "T", protected=True)
    state = State("local", 1, {"zendesk/t": Entry("1", job.hash, protected=False)})

    (change,) = make_plan("local", [job], state, [_live("1", job)]).changes

    assert isinstance(change, Update)
    assert (change.diff, change.send, change.protected_from, change.protected) == (
        (),
        {},
        False,
        True,
    )
    assert not change.calls_api
    assert change.to_dict()["protected_from"] is False
    text = PLAN.render("text", Plan("local", (change,)))
    assert "      ~ protected: false -> true (state only)\n" in text


def test_an_orphan_whose_file_targets_other_environments_says_so() -> None:
    job = _job("zendesk/t", "T")
    state = State("local", 1, {"zendesk/t": Entry("1", job.hash)})
    live = [_live("1", job)]

    elsewhere = make_plan("local", [], state, live, elsewhere={"zendesk/t"})
    removed = make_plan("local", [], state, live)
    pruned = make_plan("local", [], state, live, prune=True, elsewhere={"zendesk/t"})

    assert [o.note for o in elsewhere.orphaned] == [
        "not desired in this environment; apply with --prune to delete"
    ]
    assert [o.note for o in removed.orphaned] == ["file removed; apply with --prune to delete"]
    assert [c.note for c in pruned.changes] == ["not desired in this environment"]


def test_the_mass_delete_guard_gives_a_verdict_and_refuses_only_when_it_fails() -> None:
    jobs = [_job(f"zendesk/{n}", n) for n in "abcd"]
    state = State("staging", 1, {j.key: Entry(j.key[-1], j.hash) for j in jobs})
    live = [_live(j.key[-1], j) for j in jobs]
    plan = make_plan("staging", jobs[:1], state, live, prune=True)

    refused = judge(plan, [MassDelete(0.5)])
    allowed = judge(plan, [MassDelete(0.5, allowed=True)])
    under = judge(plan, [MassDelete(0.8)])

    reason = "the plan deletes 3 of 4 managed jobs and workflows in staging (more than 50%)"
    assert refused.guards == (
        Verdict("mass delete", False, f"{reason}; pass --allow-mass-delete if intended"),
    )
    assert allowed.guards == (
        Verdict("mass delete", True, f"{reason}; allowed by --allow-mass-delete"),
    )
    assert under.guards == (Verdict("mass delete", True),)
    assert refused.to_dict()["guards"][0]["ok"] is False
    with pytest.raises(PlanError, match="refused by the mass delete guard: the plan deletes 3"):
        refuse(refused)
    refuse(allowed)
    refuse(under)
    text = PLAN.render("text", refused)
    assert f"Guards:\n  ! mass delete: {reason}" in text
    assert "mass delete" not in PLAN.render("text", under)


if __name__ == "__main__":  # regenerate the fixtures (only ever from a known-good syncctl)
    plan = every_action()
    write_plan(plan, FIXTURES / "every-action.json")
    (FIXTURES / "every-action.txt").write_text(PLAN.renderer("text")(plan), encoding="utf-8")
    (FIXTURES / "every-action.md").write_text(PLAN.renderer("markdown")(plan), encoding="utf-8")
    print(json.dumps(plan.to_dict()["summary"]))
