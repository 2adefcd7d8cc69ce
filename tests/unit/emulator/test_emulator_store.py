"""The SQLite store: persistence, order, kinds, environments, concurrency, migration."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from syncctl.emulator.store import Store
from syncctl.errors import EmulatorError


def job(job_id: str, env: str = "e", integration: str = "z", **extra: object) -> dict:
    return {"id": job_id, "environment_id": env, "integration_name": integration, **extra}


def flow(flow_id: str, env: str = "e", trigger: str = "integrated_account:active") -> dict:
    return {"id": flow_id, "environment_id": env, "trigger_name": trigger, "config": {}}


OLD_SCHEMA = """
CREATE TABLE jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    environment_id TEXT NOT NULL,
    integration_name TEXT,
    data TEXT NOT NULL
);
CREATE INDEX jobs_env_seq ON jobs (environment_id, seq);
"""
"""The store's schema before kinds (every database written by earlier releases)."""


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
    assert [j["id"] for j in store.page("e", limit=10, equal={"integration_name": "z"}).jobs] == [
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
    assert [j["id"] for j in store.page("e", limit=5, equal={"integration_name": "h"}).jobs] == [
        "a"
    ]
    assert not store.replace("f", job("a"))  # another environment's job is not touched
    assert not store.delete("f", "a")


def test_each_kind_sees_only_its_own_objects(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with Store(path) as store:
        store.insert(job("j1"))
        store.insert(flow("w1"), kind="workflow")
        store.insert(job("j2"))
        store.insert(flow("w2", trigger="other"), kind="workflow")
        assert [j["id"] for j in store.page("e", limit=9).jobs] == ["j1", "j2"]
        assert [w["id"] for w in store.page("e", limit=9, kind="workflow").jobs] == ["w1", "w2"]
        assert store.get("e", "w1") is None  # a workflow id is not a job
        assert store.get("e", "j1", kind="workflow") is None
        assert not store.replace("e", job("w1"))
        assert not store.delete("e", "w1")
        assert (store.count(), store.count("e", kind="workflow")) == (2, 2)
        only = store.page("e", limit=9, kind="workflow", equal={"trigger_name": "other"})
        assert [w["id"] for w in only.jobs] == ["w2"]
        first = store.page("e", limit=1, kind="workflow")
        assert first.next_after is not None
        rest = store.page("e", after=first.next_after, limit=9, kind="workflow")
        assert [w["id"] for w in rest.jobs] == ["w2"]  # positions skip the other kind's rows
        assert rest.next_after is None
    with Store(path) as store:  # both kinds survive reopening
        assert store.get("e", "w2", kind="workflow") == flow("w2", trigger="other")
        assert store.delete("e", "w2", kind="workflow")
        assert store.count(kind="workflow") == 1


def test_a_filter_never_matches_a_missing_or_non_string_field() -> None:
    with Store(":memory:") as store:
        store.insert({"id": "a", "environment_id": "e", "label": 3})
        store.insert({"id": "b", "environment_id": "e", "label": "3"})
        assert [j["id"] for j in store.page("e", limit=9, equal={"label": "3"}).jobs] == ["b"]
        assert store.page("e", limit=9, equal={"integration_name": "z"}).jobs == ()


def test_a_database_from_before_kinds_keeps_its_jobs_and_positions(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(OLD_SCHEMA)
    for seq, job_id in ((3, "a"), (7, "b"), (8, "c")):
        data = json.dumps(job(job_id))
        old.execute(
            "INSERT INTO jobs (seq, id, environment_id, integration_name, data)"
            " VALUES (?, ?, 'e', 'z', ?)",
            (seq, job_id, data),
        )
    old.commit()
    old.close()
    with Store(path) as store:
        first = store.page("e", limit=1)
        assert [j["id"] for j in first.jobs] == ["a"]
        assert first.next_after == 3  # a cursor handed out before the upgrade still works
        assert [j["id"] for j in store.page("e", after=7, limit=9).jobs] == ["c"]
        store.insert(job("d"))
        assert [j["id"] for j in store.page("e", after=8, limit=9).jobs] == ["d"]
    with Store(path) as store:  # migrated once: reopening changes nothing
        assert [j["id"] for j in store.page("e", limit=9).jobs] == ["a", "b", "c", "d"]
    tables = {row[0] for row in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert "jobs" not in tables


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
