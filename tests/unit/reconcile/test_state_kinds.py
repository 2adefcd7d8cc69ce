"""The state file writes every kind: entries and pending creates in any kind's section (a
workflow's pending create holds its trigger and content hash, since workflows have no label),
one line per entry, one-line errors naming the key path; the sync-job API writes the very bytes
it wrote before sections became general (the fixtures were written by that earlier code)."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from syncctl.errors import StateError
from syncctl.kinds import KINDS, SYNC_JOB, WORKFLOW, Kind
from syncctl.reconcile.state import (
    PENDING_TYPES,
    Entry,
    Pending,
    PendingCreate,
    PendingWorkflow,
    Section,
    State,
    StateStore,
    render,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "state"
TICKETS = "6a1f4c2e-0b3d-4e5f-8a9b-0c1d2e3f4a5b"
CONTACTS = "7b2e5d3f-1c4e-4f60-9bac-1d2e3f4a5b6c"
TRIGGER = "integrated_account:active"


# -- the sync-job API writes what it wrote before ----------------------------------------------


def test_the_sync_job_api_writes_the_same_bytes_as_before(tmp_path: Path) -> None:
    """``sync-jobs.json`` was written by this very sequence before sections became general."""
    path = tmp_path / "production.json"
    store = StateStore(path, "production")
    store.load()
    quoted = 'Tickets "all" — ü'
    creates = {
        "zendesk/tickets": Pending(quoted, "zendesk", "sha256:1111"),
        "hubspot/contacts": Pending("contacts", "hubspot", "sha256:2222"),
        "zendesk/comments": Pending("comments", "zendesk", "sha256:3333"),
        "freshdesk/tickets": Pending(quoted, "freshdesk", "sha256:6666"),
    }
    store.update(lambda s: s.with_pending(creates))
    store.update(lambda s: s.with_entry("zendesk/tickets", Entry(TICKETS, "sha256:1111", True)))
    store.update(lambda s: s.with_entry("hubspot/contacts", Entry(CONTACTS, "sha256:2222")))
    store.update(lambda s: s.with_entry("zendesk/users", Entry("u-1", "sha256:4444")))
    store.update(lambda s: s.moved("zendesk/users", "zendesk/end-users"))
    store.update(lambda s: s.with_entry("zendesk/gone", Entry("g-1", "sha256:5555")))
    store.update(lambda s: s.without("zendesk/gone"))
    assert path.read_bytes() == (FIXTURES / "sync-jobs.json").read_bytes()
    reread = StateStore(path, "production").load()
    assert reread == store.state
    assert reread.others == {}
    assert render(reread).encode() == path.read_bytes()


def test_a_migrated_format_one_file_is_the_same_bytes_as_before(tmp_path: Path) -> None:
    """``local.migrated.json``: the format-1 fixture after one write, by the earlier code."""
    path = tmp_path / "local.json"
    shutil.copyfile(FIXTURES / "local.json", path)
    store = StateStore(path, "local", backups=tmp_path / "backups")
    store.load()
    store.update(lambda s: s.with_entry("zendesk/x", Entry("9", "h")))
    assert path.read_bytes() == (FIXTURES / "local.migrated.json").read_bytes()


# -- every kind ---------------------------------------------------------------------------------


def _pending(kind: Kind, key: str) -> PendingCreate:
    """A pending record of ``kind`` for ``key``."""
    if kind is WORKFLOW:
        return PendingWorkflow(TRIGGER, f"sha256:{key}")
    return Pending(key, "zendesk", f"sha256:{key}")


def test_every_kind_has_a_pending_record() -> None:
    assert set(PENDING_TYPES) == {kind.name for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_each_kind_round_trips_through_the_file(tmp_path: Path, kind: Kind) -> None:
    path = tmp_path / "local.json"
    store = StateStore(path, "local")
    store.load()
    a, b, c = (f"{kind.key_prefix}{name}" for name in ("a", "b", "c"))
    store.update(lambda s: s.with_pending({a: _pending(kind, a), b: _pending(kind, b)}, kind=kind))
    assert StateStore(path, "local").load().section(kind).pending == {
        a: _pending(kind, a),
        b: _pending(kind, b),
    }
    store.update(lambda s: s.with_entry(a, Entry("1", "h1", protected=True), kind=kind))
    store.update(lambda s: s.with_entry(c, Entry("3", "h3"), kind=kind))
    store.update(lambda s: s.moved(c, f"{c}2", kind=kind))
    store.update(lambda s: s.without(b, kind=kind))

    reread = StateStore(path, "local").load()
    assert reread == store.state
    assert reread.serial == 5
    assert reread.section(kind) == Section({a: Entry("1", "h1", True), f"{c}2": Entry("3", "h3")})
    assert reread.owner_of("3", kind=kind) == f"{c}2"
    others = [k for k in KINDS if k is not kind]
    assert all(reread.section(other) == Section() for other in others)
    raw = json.loads(path.read_text())
    assert raw == reread.to_dict()
    assert list(raw[kind.name]["entries"]) == [a, f"{c}2"]
    assert raw[kind.name]["pending"] == {}


@pytest.mark.parametrize("kind", [WORKFLOW, "workflow"], ids=["Kind", "name"])
def test_a_kind_is_given_as_itself_or_by_name(kind: Kind | str) -> None:
    state = State("local").with_entry("workflow:x", Entry("1", "h"), kind=kind)
    assert state.others == {"workflow": Section({"workflow:x": Entry("1", "h")})}
    assert state.jobs == {}
    assert state.section(kind) is state.others["workflow"]


def test_a_workflow_entry_and_pending_create_are_one_line_each(tmp_path: Path) -> None:
    path = tmp_path / "production.json"
    store = StateStore(path, "production")
    nightly = PendingWorkflow(TRIGGER, "sha256:abc")
    store.update(lambda s: s.with_pending({"workflow:nightly": nightly}, kind=WORKFLOW))
    onboarding = Entry("w-1", "sha256:def")
    store.update(lambda s: s.with_entry("workflow:onboarding", onboarding, kind=WORKFLOW))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert (
        '      "workflow:onboarding": {"id": "w-1", "hash": "sha256:def", "protected": false}'
        in lines
    )
    assert (
        '      "workflow:nightly": {"trigger_name": "integrated_account:active", '
        '"hash": "sha256:abc"}' in lines
    )
    reread = StateStore(path, "production").load()
    assert reread.section(WORKFLOW).pending == {"workflow:nightly": nightly}
    assert reread.section(WORKFLOW).entries == {"workflow:onboarding": onboarding}
    assert reread.jobs == {}
    assert reread.pending == {}


def test_recording_a_workflow_clears_its_pending_create_only() -> None:
    state = State("local", 0, {}, {"z/a": Pending("A", "z", "h")}).with_pending(
        {"workflow:a": PendingWorkflow(TRIGGER, "h"), "workflow:b": PendingWorkflow(TRIGGER, "h")},
        kind=WORKFLOW,
    )
    done = state.with_entry("workflow:a", Entry("w-1", "h"), kind=WORKFLOW)
    assert done.section(WORKFLOW).pending == {"workflow:b": PendingWorkflow(TRIGGER, "h")}
    assert done.pending == {"z/a": Pending("A", "z", "h")}
    assert done.serial == state.serial + 1


def test_a_file_holding_both_kinds_reads_and_writes_back_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "production.json"
    shutil.copyfile(FIXTURES / "both-kinds.json", path)
    store = StateStore(path, "production", backups=tmp_path / "backups")
    state = store.load()
    assert store.read_format == 2
    assert state.serial == 12
    assert state.jobs["zendesk/support-directory"].protected is True
    assert state.pending == {"hubspot/contacts": Pending("contacts", "hubspot", "sha256:3333")}
    workflows = state.section(WORKFLOW)
    assert workflows.entries["workflow:zendesk-onboarding"].id == (
        "9c3d4e5f-2a1b-4c6d-8e7f-0a1b2c3d4e5f"
    )
    assert workflows.pending == {
        "workflow:hubspot-onboarding": PendingWorkflow(TRIGGER, "sha256:5555")
    }
    assert render(state).encode() == (FIXTURES / "both-kinds.json").read_bytes()

    # A change to one kind leaves the other's section as it was.
    store.update(lambda s: s.without("workflow:zendesk-onboarding"))  # a job key: no such job
    store.update(lambda s: s.without("zendesk/tickets-with-comments", kind=WORKFLOW))
    assert StateStore(path, "production").load().section(WORKFLOW) == workflows
    store.update(lambda s: s.without("workflow:zendesk-onboarding", kind=WORKFLOW))
    after = StateStore(path, "production").load()
    assert after.jobs == state.jobs
    assert after.pending == state.pending
    assert after.section(WORKFLOW).entries == {}
    assert not (tmp_path / "backups").exists()


def test_an_emptied_section_is_left_out_so_the_state_reads_back_equal(tmp_path: Path) -> None:
    state = (
        State("local")
        .with_entry("workflow:x", Entry("1", "h"), kind=WORKFLOW)
        .without("workflow:x", kind=WORKFLOW)
    )
    assert state.others == {}
    path = tmp_path / "local.json"
    path.write_text(render(state), encoding="utf-8")
    assert StateStore(path, "local").load() == state


def test_moving_a_workflow_names_it_in_the_errors() -> None:
    state = State("local").with_entry("workflow:a", Entry("1", "h"), kind=WORKFLOW)
    state = state.with_entry("workflow:b", Entry("2", "h"), kind=WORKFLOW)
    with pytest.raises(StateError, match=r"^no workflow 'workflow:x' in the local state$"):
        state.moved("workflow:x", "workflow:y", kind=WORKFLOW)
    with pytest.raises(StateError, match=r"^workflow 'workflow:b' is already in the local state"):
        state.moved("workflow:a", "workflow:b", kind=WORKFLOW)
    with pytest.raises(StateError, match=r"^no job 'workflow:a' in the local state$"):
        state.moved("workflow:a", "workflow:c")  # the jobs' section by default
    moved = state.moved("workflow:a", "workflow:c", kind=WORKFLOW)
    assert moved.section(WORKFLOW).entries == {
        "workflow:b": Entry("2", "h"),
        "workflow:c": Entry("1", "h"),
    }
    assert moved.owner_of("1", kind=WORKFLOW) == "workflow:c"
    assert moved.owner_of("1") is None


@pytest.mark.parametrize(
    ("kind", "record", "message"),
    [
        (
            WORKFLOW,
            Pending("a", "zendesk", "h"),
            "pending create 'k' of kind workflow must be a PendingWorkflow, not a Pending",
        ),
        (
            SYNC_JOB,
            PendingWorkflow(TRIGGER, "h"),
            "pending create 'k' of kind sync_job must be a Pending, not a PendingWorkflow",
        ),
    ],
)
def test_a_pending_record_of_another_kind_is_refused(
    kind: Kind, record: PendingCreate, message: str
) -> None:
    with pytest.raises(TypeError, match=f"^{message}$"):
        State("local").with_pending({"k": record}, kind=kind)


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match=r"no kind 'webhook' in the state file"):
        State("local").with_entry("webhook:x", Entry("1", "h"), kind="webhook")
    with pytest.raises(ValueError, match="no kind 'webhook'"):
        State("local").section("webhook")


def test_group_commit_carries_changes_of_both_kinds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "local.json"
    store = StateStore(path, "local")
    store.load()
    writes: list[int] = []
    real_write = StateStore._write

    def counting_write(self: StateStore, state: State) -> None:
        writes.append(state.serial)
        real_write(self, state)

    monkeypatch.setattr(StateStore, "_write", counting_write)

    def work(worker: int) -> None:
        kind = KINDS[worker % len(KINDS)]
        for i in range(20):
            key = f"{kind.key_prefix}{worker}-{i}"
            store.update(lambda s, k=key, kind=kind: s.with_entry(k, Entry(k, "h"), kind=kind))
            assert key in StateStore(path, "local").load().section(kind).entries

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(8)))
    final = StateStore(path, "local").load()
    assert len(final.jobs) == len(final.section(WORKFLOW).entries) == 80
    assert final.serial == 160
    assert writes == sorted(writes)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["local.json"]


# -- errors -------------------------------------------------------------------------------------

HEAD = '{"format_version": 2, "environment": "local", '


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            HEAD + '"workflow": {"pending": {"workflow:x": {"hash": "h"}}}}',
            "workflow.pending.workflow:x.trigger_name: missing",
        ),
        (
            HEAD + '"workflow": {"pending": {"workflow:x": {"label": "x", "integration": "z", '
            '"trigger_name": "t", "hash": "h"}}}}',
            "workflow.pending.workflow:x.label: unknown key (and 1 more error(s))",
        ),
        (
            HEAD + '"sync_job": {"pending": {"z/a": {"trigger_name": "t", "hash": "h"}}}}',
            "sync_job.pending.z/a.label: missing (and 2 more error(s))",
        ),
        (
            HEAD + '"workflow": {"entries": {"workflow:x": {"id": 7, "hash": "h"}}}}',
            "workflow.entries.workflow:x.id: expected a string",
        ),
        (
            HEAD + '"workflow": {"pending": {"workflow:x": {"trigger_name": "t", "hash": 1}}}}',
            "workflow.pending.workflow:x.hash: expected a string",
        ),
        (HEAD + '"workflow": []}', "workflow: expected an object"),
        (HEAD + '"workflow": {"pending": {}, "moved": {}}}', "workflow.moved: unknown key"),
    ],
)
def test_errors_in_a_section_name_the_key_path(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "local.json"
    path.write_text(text)
    with pytest.raises(StateError) as caught:
        StateStore(path, "local").load()
    assert caught.value.message == f"{path}: {message}"
    assert "\n" not in str(caught.value)
