"""The process pool of ``validate``: the same jobs and findings, in the same order, either way.

The pool forks (Linux), so these tests run the real thing: children that load and check their
chunk of files, a child that dies, a rule that raises in a child.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import sys
import threading
from pathlib import Path
from types import ModuleType

import pytest

from syncctl import pool
from syncctl.config import Config, load_config
from syncctl.errors import SyncctlError, UsageError, WorkerDiedError
from syncctl.findings import Finding, Severity
from syncctl.loader import Document, load_text
from syncctl.reconcile.desired import load_desired
from syncctl.rules import FileContext, JobFile, RuleInfo, registry
from syncctl.rules.base import EVERY_KIND
from syncctl.validate import validate_tree

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases"
GEN_PATH = ROOT / "benchmarks" / "gen_jobs.py"

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the pool forks on Linux only")

SAME_LABEL = """\
label: One label in two files
default_runtime_version: 3
resources:
  - resource: ticketing/tickets
    method: list
"""


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_jobs", GEN_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_jobs"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _copy_case_files(target: Path) -> None:
    """Every case folder's job files in one tree; a path two cases share gets the case's name."""
    for case in sorted(p for kind in ("invalid", "valid") for p in (CASES / kind).iterdir()):
        jobs = case / "jobs"
        if not jobs.is_dir():
            continue
        for source in sorted(p for p in jobs.rglob("*") if p.is_file()):
            dest = target / source.relative_to(jobs)
            if dest.exists():
                dest = dest.with_name(f"{dest.stem}-{case.name}{dest.suffix}")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)


@pytest.fixture(scope="module")
def tree(gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Config:
    """Generated clean files, every case folder's files, a label claimed at both ends and a
    file that does not parse."""
    root = tmp_path_factory.mktemp("pooltree")
    gen.generate(root, 150, 2)
    _copy_case_files(root / "jobs")
    for rel in ("aaa/first.yaml", "zzz/last.yaml"):  # the first and the last chunk
        (root / "jobs" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "jobs" / rel).write_text(SAME_LABEL, encoding="utf-8")
    (root / "jobs" / "zendesk" / "broken.yaml").write_text("label: [unclosed\n", encoding="utf-8")
    return load_config(root / "syncctl.toml")


@pytest.fixture
def pool_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the worker count of every ``check_in_pool`` call (proof the pool ran)."""
    calls: list[int] = []
    real = pool.check_in_pool

    def spy(files: list[Path], config: Config, workers: int) -> object:
        calls.append(workers)
        return real(files, config, workers)

    monkeypatch.setattr("syncctl.validate.check_in_pool", spy)
    monkeypatch.delenv(pool.WORKERS_ENV, raising=False)
    return calls


def _snapshot(jobs: list[JobFile]) -> list[tuple[object, ...]]:
    return [
        (j.path, j.rel, j.layout, j.doc.file, j.doc.data, j.doc.findings, j.doc.text, j.doc.root)
        for j in jobs
    ]


@pytest.mark.parametrize("workers", [2, 3, 5])
def test_pool_gives_the_same_jobs_and_findings_in_the_same_order(
    tree: Config, pool_calls: list[int], workers: int
) -> None:
    alone_jobs, alone = validate_tree([tree.jobs_dir], tree, workers=1)
    assert pool_calls == []
    pooled_jobs, pooled = validate_tree([tree.jobs_dir], tree, workers=workers)
    assert pool_calls == [workers]

    assert pooled == alone  # every finding, in the same order, and the count of files
    assert _snapshot(pooled_jobs) == _snapshot(alone_jobs)
    rules = {f.rule for f in alone.findings}
    assert len(rules) >= 15, rules  # findings of many rules, loader ones included
    assert {"SJ001", "SJ002", "SJ005", "SJ006", "SJ010", "SJ203"} <= rules
    claimed = [f.file for f in alone.findings if f.rule == "SJ006" and "label" in f.message]
    assert {"jobs/aaa/first.yaml", "jobs/zzz/last.yaml"} <= set(claimed)


def test_environment_variable_forces_the_pool_on_and_off(
    tree: Config, pool_calls: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pool.WORKERS_ENV, "2")
    _, pooled = validate_tree([tree.jobs_dir], tree)
    monkeypatch.setenv(pool.WORKERS_ENV, "1")
    _, alone = validate_tree([tree.jobs_dir], tree)
    assert pool_calls == [2]
    assert pooled == alone


def test_one_file_is_never_spread(tree: Config, pool_calls: list[int]) -> None:
    one = tree.jobs_dir / "aaa" / "first.yaml"
    jobs, report = validate_tree([one], tree, workers=4)
    assert pool_calls == []
    assert [j.rel for j in jobs] == ["jobs/aaa/first.yaml"]
    assert report.files_checked == 1


def _rule_in_children(monkeypatch: pytest.MonkeyPatch, act: object) -> None:
    """Add a file rule that calls ``act()`` in forked children only (never in this process)."""
    parent = os.getpid()

    def check(ctx: FileContext) -> list[Finding]:
        if os.getpid() != parent:
            act()  # type: ignore[operator]
        return []

    info = RuleInfo("SJ999", Severity.ERROR, "a test rule", EVERY_KIND)
    monkeypatch.setattr(registry, "file_checks", [*registry.file_checks, (info, check)])


def test_a_worker_that_dies_is_a_clear_error(
    tree: Config, pool_calls: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    _rule_in_children(monkeypatch, lambda: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(SyncctlError) as caught:
        validate_tree([tree.jobs_dir], tree, workers=3)
    assert isinstance(caught.value, WorkerDiedError)
    message = str(caught.value)
    assert "validation worker" in message
    assert "was killed by SIGKILL before sending its results" in message
    assert "SYNCCTL_WORKERS=1" in message  # the hint: how to run without the pool
    assert pool_calls == [3]


def test_a_rule_that_raises_in_a_worker_raises_the_same_in_the_parent(
    tree: Config, pool_calls: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom() -> None:
        raise LookupError("rule bug")

    _rule_in_children(monkeypatch, boom)
    with pytest.raises(LookupError, match="rule bug") as caught:
        validate_tree([tree.jobs_dir], tree, workers=2)
    notes = "\n".join(getattr(caught.value, "__notes__", []))
    assert "raised in validation worker" in notes
    assert "in boom" in notes  # the worker's own traceback comes along
    assert pool_calls == [2]


def test_pool_size_auto_needs_many_files_and_several_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pool.WORKERS_ENV, raising=False)
    monkeypatch.setattr(pool, "cpu_count", lambda: 4)
    assert pool.pool_size(pool.MIN_FILES - 1) == 1
    assert pool.pool_size(pool.MIN_FILES) == 2  # at least MIN_FILES // 2 files each
    assert pool.pool_size(10_000) == 4
    monkeypatch.setattr(pool, "cpu_count", lambda: 1)
    assert pool.pool_size(10_000) == 1


def test_pool_size_forced_is_capped_by_the_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pool.WORKERS_ENV, "8")
    assert pool.pool_size(3) == 3
    assert pool.pool_size(1) == 1
    assert pool.pool_size(3, requested=1) == 1  # the option wins over the variable
    monkeypatch.setenv(pool.WORKERS_ENV, "")
    monkeypatch.setattr(pool, "cpu_count", lambda: 2)
    assert pool.pool_size(5) == 1  # empty: automatic, and 5 files are too few


def test_no_pool_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "cpu_count", lambda: 4)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert pool.pool_size(10_000, requested=4) == 1
    finally:
        stop.set()
        thread.join()
    assert pool.pool_size(10_000, requested=4) == 4


@pytest.mark.parametrize("raw", ["0", "-1", "two", "1.5"])
def test_a_bad_workers_variable_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(pool.WORKERS_ENV, raw)
    with pytest.raises(UsageError) as caught:
        pool.pool_size(10_000)
    assert str(caught.value) == (
        f"SYNCCTL_WORKERS must be a whole number >= 1, not {raw!r} "
        "(hint: set SYNCCTL_WORKERS=1 to validate in one process, or unset it)"
    )


def test_chunks_are_contiguous_and_even() -> None:
    assert pool.chunks(10, 3) == [range(0, 4), range(4, 7), range(7, 10)]
    assert pool.chunks(2, 2) == [range(0, 1), range(1, 2)]
    parts = pool.chunks(10_001, 4)
    assert [i for part in parts for i in part] == list(range(10_001))
    assert max(map(len, parts)) - min(map(len, parts)) <= 1


def test_transport_round_trip_keeps_every_kind_of_job(tmp_path: Path) -> None:
    clean = load_text("label: x\nresources: []\n", "jobs/a/clean.yaml").without_tree()
    warned = load_text("label: x\nflag: yes\n", "jobs/a/warned.yaml").without_tree()
    broken = load_text("label: [\n", "jobs/a/broken.yaml")
    tree_kept = Document("jobs/a/tree.yaml", None, clean.root, ())  # no text: tree stays
    assert warned.findings  # SJ004
    jobs = [
        JobFile(tmp_path / f"f{i}.yaml", doc.file, doc, ("a", f"f{i}.yaml"))
        for i, doc in enumerate([clean, warned, broken, tree_kept])
    ]
    findings = list(warned.findings)
    payload = pool.encode(findings, jobs)
    assert pool.decode(payload, 1, [j.path for j in jobs]) == (findings, jobs)


def test_transport_falls_back_to_pickle_for_data_marshal_cannot_write(tmp_path: Path) -> None:
    odd = Document("jobs/a/odd.yaml", {"when": Path("x")}, None, (), "when: x\n")
    jobs = [JobFile(tmp_path / "odd.yaml", odd.file, odd, ("a", "odd.yaml"))]
    assert pool.decode(pool.encode([], jobs), 1, [tmp_path / "odd.yaml"]) == ([], jobs)


def test_an_exception_that_does_not_pickle_arrives_as_its_text() -> None:
    class Local(Exception):  # a local class cannot be pickled
        pass

    with pytest.raises(RuntimeError, match=r"(?s)validation worker 7 failed:.*Local: odd"):
        pool.decode(pool.encode_error(Local("odd")), 7, [])


def test_plan_and_apply_load_the_same_desired_jobs_through_the_pool(
    gen: ModuleType,
    tmp_path: Path,
    pool_calls: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gen.generate(tmp_path, 120, 4)
    gen.generate(tmp_path / "v4", 120, 4, runtime=4)
    shutil.copytree(tmp_path / "v4" / "jobs", tmp_path / "jobs", dirs_exist_ok=True)
    config = load_config(tmp_path / "syncctl.toml")
    env = config.environments["production"]
    monkeypatch.setenv(pool.WORKERS_ENV, "1")
    alone = load_desired(config, env)
    monkeypatch.setenv(pool.WORKERS_ENV, "3")
    pooled = load_desired(config, env)
    assert pool_calls == [3]
    assert pooled == alone
    assert len(alone) > 100


def test_when_no_process_can_be_forked_all_files_are_checked_here(
    tree: Config, pool_calls: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, alone = validate_tree([tree.jobs_dir], tree, workers=1)
    forks = 0
    real_fork = os.fork

    def fork_once() -> int:  # the first fork works, the second finds no resources
        nonlocal forks
        forks += 1
        if forks > 1:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return real_fork()

    monkeypatch.setattr(os, "fork", fork_once)
    _, pooled = validate_tree([tree.jobs_dir], tree, workers=3)
    assert pool_calls == [3]
    assert forks == 2
    assert pooled == alone
