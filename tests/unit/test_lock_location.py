"""The state lock: filelock, under ``.syncctl/locks/``, never beside the committed state file."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncctl.errors import StateError
from syncctl.reconcile.state import StateStore


def test_the_project_lock_is_under_syncctl_locks(tmp_path: Path) -> None:
    state = tmp_path / "state" / "production.json"
    store = StateStore.for_environment(tmp_path, state, "production")
    assert store.lock_path == tmp_path / ".syncctl" / "locks" / "production.lock"
    with store.locked():
        assert store.lock_path.is_file()
        assert (tmp_path / ".syncctl" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert not state.parent.exists() or list(state.parent.iterdir()) == []
    assert not store.lock_path.with_name("production.lock.holder").exists()


def test_an_odd_environment_name_gives_a_plain_file_name(tmp_path: Path) -> None:
    store = StateStore.for_environment(tmp_path, tmp_path / "s.json", "eu/prod 2")
    assert store.lock_path.name == "eu_prod_2.lock"


def test_a_second_store_in_the_same_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state" / "local.json"
    with StateStore.for_environment(tmp_path, path, "local").locked():
        with (
            pytest.raises(
                StateError, match=r"locked by another syncctl process \(pid \d+\)"
            ) as caught,
            StateStore.for_environment(tmp_path, path, "local").locked(),
        ):
            pass
        assert caught.value.hint is not None
        assert str(tmp_path / ".syncctl" / "locks" / "local.lock") in caught.value.hint
    with StateStore.for_environment(tmp_path, path, "local").locked():
        pass
