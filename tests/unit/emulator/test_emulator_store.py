"""The SQLite store: persistence, order, environments, concurrency."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from syncctl.emulator.store import Store
from syncctl.errors import EmulatorError


def job(job_id: str, env: str = "e", integration: str = "z", **extra: object) -> dict:
    return {"id": job_id, "environment_id": env, "integration_name": integration, **extra}


def test_jobs_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "db.sqlite3"
    with Store(path) as store:
        store.insert(job("a", label="A"))
        store.insert(job("b"))
        store.replace("e", job("a", label="A2"))
        store.delete("e", "b")
    with Store(path) as store:
        assert store.get("e", "a") == job("a", label="A2")
        assert store.get("e", "b") is None
        assert store.count() == 1
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_page_order_filters_and_continuation() -> None:
    store = Store(":memory:")
    for i in range(5):
        store.insert(job(f"j{i}", integration="z" if i % 2 == 0 else "h"))
    store.insert(job("other", env="f"))
    first = store.page("e", limit=2)
    assert [j["id"] for j in first.jobs] == ["j0", "j1"]
    assert first.next_after is not None
    second = store.page("e", after=first.next_after, limit=2)
    third = store.page("e", after=second.next_after or 0, limit=2)
    assert [j["id"] for j in second.jobs + third.jobs] == ["j2", "j3", "j4"]
    assert third.next_after is None
    assert [j["id"] for j in store.page("e", limit=10, integration_name="z").jobs] == [
        "j0",
        "j2",
        "j4",
    ]
    assert [j["id"] for j in store.page("e", limit=10, ids=["j4", "j1", "x"]).jobs] == ["j1", "j4"]
    assert store.page("e", limit=10, ids=[]).jobs == ()
    assert store.count("e") == 5
    assert store.count("f") == 1


def test_replace_keeps_list_position_and_integration_filter() -> None:
    store = Store(":memory:")
    store.insert(job("a"))
    store.insert(job("b"))
    assert store.replace("e", job("a", integration="h"))
    assert [j["id"] for j in store.page("e", limit=5).jobs] == ["a", "b"]
    assert [j["id"] for j in store.page("e", limit=5, integration_name="h").jobs] == ["a"]
    assert not store.replace("f", job("a"))  # another environment's job is not touched
    assert not store.delete("f", "a")


def test_duplicate_ids_are_refused() -> None:
    store = Store(":memory:")
    store.insert(job("a"))
    with pytest.raises(sqlite3.IntegrityError):
        store.insert(job("a"))


def test_concurrent_inserts_from_threads(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    barrier = threading.Barrier(8)

    def worker(n: int) -> None:
        barrier.wait()
        for i in range(50):
            store.insert(job(f"t{n}-{i}"))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.count() == 400
    ids = [j["id"] for j in store.page("e", limit=1000).jobs]
    assert len(set(ids)) == 400
    store.close()


def test_unopenable_database_is_an_emulator_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(EmulatorError, match="cannot open emulator database"):
        Store(blocker / "db.sqlite3")
