"""The state file: round trip, atomic writes, one writer, clear errors for bad files."""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from syncctl.errors import StateError
from syncctl.reconcile.state import Entry, Pending, State, StateStore, render


def test_missing_file_is_empty_state(tmp_path: Path) -> None:
    assert StateStore(tmp_path / "local.json", "local").load() == State("local")


def test_round_trip_and_serial(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "s" / "local.json", "local")
    store.load()
    store.update(lambda s: s.with_pending({"z/a": Pending("A", "z", "h1")}))
    store.update(lambda s: s.with_entry("z/a", Entry("1", "h1", protected=True)))
    store.update(lambda s: s.with_entry("z/b", Entry("2", "h2")))
    again = StateStore(tmp_path / "s" / "local.json", "local").load()
    assert again.serial == 3
    assert again.pending == {}
    assert again.jobs == {"z/a": Entry("1", "h1", True), "z/b": Entry("2", "h2")}
    raw = json.loads((tmp_path / "s" / "local.json").read_text())
    assert raw["format_version"] == 2
    assert raw["environment"] == "local"
    assert list(raw["sync_job"]["entries"]) == ["z/a", "z/b"]


def test_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "local.json", "local")
    for i in range(5):
        store.update(lambda s, i=i: s.with_entry(f"z/{i}", Entry(str(i), "h")))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["local.json"]


def test_moved_and_without(tmp_path: Path) -> None:
    state = State("local", 0, {"z/a": Entry("1", "h")})
    assert state.moved("z/a", "z/b").jobs == {"z/b": Entry("1", "h")}
    assert state.without("z/a").jobs == {}
    with pytest.raises(StateError, match="no job 'z/x'"):
        state.moved("z/x", "z/y")
    with pytest.raises(StateError, match="already in"):
        State("local", 0, {"z/a": Entry("1", "h"), "z/b": Entry("2", "h")}).moved("z/a", "z/b")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", r"local.json:1:2: state file is not valid JSON"),
        ("[]", "not a state file"),
        ('{"jobs": {}}', "missing format_version"),
        ('{"format_version": 99, "environment": "local"}', "newer than this syncctl"),
        ('{"format_version": 1, "environment": "prod"}', "belongs to environment 'prod'"),
        (
            '{"format_version": 1, "environment": "local", "jobs": {"a": {}}}',
            r"jobs\.a\.id: missing",
        ),
    ],
)
def test_bad_state_files_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "local.json"
    path.write_text(text)
    with pytest.raises(StateError, match=message):
        StateStore(path, "local").load()


def _hold_lock(
    path: str, ready: multiprocessing.synchronize.Event, done: multiprocessing.synchronize.Event
) -> None:
    with StateStore(Path(path), "local").locked():
        ready.set()
        done.wait(10)


def test_one_writer_at_a_time_across_processes(tmp_path: Path) -> None:
    path = tmp_path / "local.json"
    ctx = multiprocessing.get_context("spawn")
    ready, done = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(path), ready, done))
    holder.start()
    try:
        assert ready.wait(10)
        with (
            pytest.raises(
                StateError, match=rf"locked by another syncctl process \(pid {holder.pid}\)"
            ),
            StateStore(path, "local").locked(),
        ):
            pass
    finally:
        done.set()
        holder.join(10)
    # Released when the holder exits: the lock can be taken again.
    with StateStore(path, "local").locked():
        pass


def test_lock_is_released_when_the_holder_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "local.json"
    ctx = multiprocessing.get_context("spawn")
    ready, done = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(path), ready, done))
    holder.start()
    assert ready.wait(10)
    holder.kill()
    holder.join(10)
    with StateStore(path, "local").locked():
        pass


def test_rendered_file_is_the_state_as_json_one_line_per_job(tmp_path: Path) -> None:
    state = State(
        "local",
        4,
        {"z/b": Entry("2", "h2"), "z/a": Entry("1", "h1", True)},
        {"y/c": Pending('C "quoted" ü', "y", "h3")},
    )
    text = render(state)
    assert json.loads(text) == state.to_dict()
    assert '      "z/a": {"id": "1", "hash": "h1", "protected": true},' in text.splitlines()
    assert json.loads(render(State("local"))) == State("local").to_dict()


def test_concurrent_updates_are_all_written_and_share_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = StateStore(tmp_path / "local.json", "local")
    store.load()
    writes = []
    real_write = StateStore._write

    def counting_write(self: StateStore, state: State) -> None:
        writes.append(state.serial)
        real_write(self, state)

    monkeypatch.setattr(StateStore, "_write", counting_write)
    threads, per_thread = 16, 40

    def work(worker: int) -> None:
        for i in range(per_thread):
            key = f"z/{worker}-{i}"
            done = store.update(lambda s, k=key: s.with_entry(k, Entry(k, "h")))
            # When update returns, a file holding this change is on disk.
            assert key in StateStore(tmp_path / "local.json", "local").load().jobs
            assert key in done.jobs

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(work, range(threads)))
    final = StateStore(tmp_path / "local.json", "local").load()
    assert len(final.jobs) == threads * per_thread
    assert final.serial == threads * per_thread
    assert writes == sorted(writes)  # never an older state over a newer one
