"""The state file's formats: format 1 (written by syncctl before kinds) is read as it is and
rewritten in format 2 (one section per kind) only by a write, which keeps a backup; every
error in a file is one line naming the file and the key path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from syncctl.errors import StateError
from syncctl.kinds import KINDS
from syncctl.reconcile.state import (
    STATE_FORMAT,
    Entry,
    Pending,
    Section,
    State,
    StateStore,
    backup_name,
    render,
)

FIXTURE = Path(__file__).parents[2] / "fixtures" / "state" / "local.json"
"""A format-1 state file written by ``StateStore`` before the per-kind format."""


@pytest.fixture
def old(tmp_path: Path) -> Path:
    path = tmp_path / "state" / "local.json"
    path.parent.mkdir()
    shutil.copyfile(FIXTURE, path)
    return path


def test_the_fixture_is_format_one() -> None:
    assert json.loads(FIXTURE.read_text())["format_version"] == 1


def test_a_format_one_file_is_read_as_it_is(old: Path) -> None:
    store = StateStore(old, "local")
    state = store.load()
    assert store.read_format == 1
    assert state.serial == 3
    assert state.jobs["hubspot/contacts"].protected is True
    assert state.jobs["zendesk/tickets"].id == "6a1f4c2e-0b3d-4e5f-8a9b-0c1d2e3f4a5b"
    assert state.pending["zendesk/comments"] == Pending(
        "comments",
        "zendesk",
        "sha256:d9a4171c33280c3c239ec06d3cbd9d9c32847b0c858b9ecde429d751317b30dc",
    )
    assert state.others == {}
    assert old.read_bytes() == FIXTURE.read_bytes()  # reading never rewrites


def test_the_first_write_migrates_and_keeps_the_old_file(old: Path, tmp_path: Path) -> None:
    backups = tmp_path / "project" / ".syncctl" / "backups"
    store = StateStore(old, "local", backups=backups)
    before = store.load()
    after = store.update(lambda s: s.with_entry("zendesk/x", Entry("9", "h")))

    kept = backups / "local.format-1.serial-3.json"
    assert [p.name for p in backups.iterdir()] == [kept.name]
    assert kept.read_bytes() == FIXTURE.read_bytes()
    raw = json.loads(old.read_text())
    assert raw["format_version"] == STATE_FORMAT == 2
    assert list(raw) == ["format_version", "environment", "serial", *(k.name for k in KINDS)]
    assert raw["sync_job"]["entries"]["hubspot/contacts"]["protected"] is True
    assert raw["sync_job"]["pending"] == {k: v.to_dict() for k, v in before.pending.items()}
    assert store.read_format == STATE_FORMAT
    again = StateStore(old, "local")
    assert again.load() == after
    assert again.read_format == STATE_FORMAT
    # Another write does not copy the migrated file again.
    store.update(lambda s: s.without("zendesk/x"))
    assert [p.name for p in backups.iterdir()] == [kept.name]
    assert not list(old.parent.glob(".*.tmp"))


def test_the_migrated_file_round_trips_byte_for_byte(old: Path, tmp_path: Path) -> None:
    store = StateStore(old, "local", backups=tmp_path / "backups")
    store.load()
    store.update(lambda s: s.with_entry("zendesk/x", Entry("9", "h")))
    text = old.read_text(encoding="utf-8")
    reread = StateStore(old, "local").load()
    assert render(reread) == text
    assert json.loads(text) == reread.to_dict()


def test_a_new_or_current_file_leaves_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "local.json"
    store = StateStore(path, "local", backups=tmp_path / "backups")
    store.update(lambda s: s.with_entry("z/a", Entry("1", "h")))
    StateStore(path, "local", backups=tmp_path / "backups").update(lambda s: s.without("z/a"))
    assert not (tmp_path / "backups").exists()


def test_default_backups_folder_and_the_project_one(tmp_path: Path) -> None:
    path = tmp_path / "state" / "production.json"
    assert StateStore(path, "production").backups == tmp_path / "state" / ".syncctl" / "backups"
    store = StateStore.for_environment(tmp_path, path, "production")
    assert store.backups == tmp_path / ".syncctl" / "backups"
    assert backup_name(path, 1, 7) == "production.format-1.serial-7.json"


def test_sections_of_other_kinds_round_trip(tmp_path: Path) -> None:
    workflow = Section({"workflow:onboarding": Entry("w1", "h")}, {})
    state = State("local", 2, {"z/a": Entry("1", "h")}, {}, {"workflow": workflow})
    path = tmp_path / "local.json"
    path.write_text(render(state), encoding="utf-8")
    reread = StateStore(path, "local").load()
    assert reread == state
    assert reread.section("workflow") == workflow
    assert reread.section("sync_job") == Section({"z/a": Entry("1", "h")}, {})
    assert json.loads(path.read_text())["workflow"]["entries"] == {
        "workflow:onboarding": {"id": "w1", "hash": "h", "protected": False}
    }


ENTRY = '{"id": "1", "hash": "h"}'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"format_version": 1, "environment": "local", "jobs": {"zendesk/x": {"id": 5, '
            '"hash": "h"}}}',
            "local.json: jobs.zendesk/x.id: expected a string",
        ),
        (
            '{"format_version": 2, "environment": "local", "sync_job": {"entries": {"zendesk/x": '
            '{"id": "1"}}}}',
            "local.json: sync_job.entries.zendesk/x.hash: missing",
        ),
        (
            '{"format_version": 2, "environment": "local", "sync_job": {"entries": {"z/a": '
            '{"id": "1", "hash": "h", "protect": true}}}}',
            "local.json: sync_job.entries.z/a.protect: unknown key",
        ),
        (
            '{"format_version": 1, "environment": "local", "jobs": {"z/a": {"id": "1", "hash": '
            '"h", "protected": 1}}}',
            "local.json: jobs.z/a.protected: expected true or false",
        ),
        ('{"format_version": 2, "environment": "local", "serial": "3"}', "serial: expected an"),
        ('{"format_version": 2, "environment": "local", "serial": -1}', "serial: expected a num"),
        ('{"format_version": 2, "environment": "local", "webhook": {}}', "webhook: unknown key"),
        (
            '{"format_version": 2, "environment": "local", "sync_job": {"pending": []}}',
            "sync_job.pending: expected an object",
        ),
        (
            '{"format_version": 1, "environment": "local", "jobs": {"a": {}, "b": {}}}',
            r"jobs\.a\.id: missing \(and 3 more error\(s\)\)",
        ),
        ('{"format_version": 0, "environment": "local"}', "unknown state format 0"),
        ('{"format_version": "2", "environment": "local"}', "format_version: expected an integer"),
    ],
)
def test_each_error_is_one_line_with_the_key_path(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "local.json"
    path.write_text(text)
    with pytest.raises(StateError, match=message) as caught:
        StateStore(path, "local").load()
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(f"{path}: ")
