"""The benchmark corpus generator writes varied job files that validate clean (strict)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from syncctl.config import load_config
from syncctl.loader import load_file
from syncctl.rules._runtime import jsonata_sites
from syncctl.validate import validate_paths

GEN_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "gen_jobs.py"


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_jobs", GEN_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_jobs"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _texts(paths: list[Path]) -> dict[str, str]:
    return {p.relative_to(p.parents[2]).as_posix(): p.read_text("utf-8") for p in paths}


@pytest.mark.parametrize("seed", [0, 7])
def test_generated_corpus_validates_clean_in_strict_mode(
    gen: ModuleType, tmp_path: Path, seed: int
) -> None:
    paths = gen.generate(tmp_path, 250, seed)
    assert len(paths) == 250
    config = load_config(tmp_path / "syncctl.toml")
    assert set(config.environments) == {"local", "staging", "production"}
    report = validate_paths([tmp_path / "jobs"], config)
    shown = "\n".join(
        f"{f.file}:{f.line}:{f.column}: {f.rule} {f.message}" for f in report.findings[:20]
    )
    assert report.findings == (), shown
    assert report.files_checked == 250
    assert not report.failed(strict=True)


@pytest.mark.parametrize("seed", [0, 7])
def test_generated_runtime_4_corpus_validates_clean_in_strict_mode(
    gen: ModuleType, tmp_path: Path, seed: int
) -> None:
    paths = gen.generate(tmp_path, 250, seed, runtime=4)
    config = load_config(tmp_path / "syncctl.toml")
    report = validate_paths([tmp_path / "jobs"], config)
    shown = "\n".join(
        f"{f.file}:{f.line}:{f.column}: {f.rule} {f.message}" for f in report.findings[:20]
    )
    assert report.findings == (), shown
    assert report.files_checked == len(paths) == 250


def test_runtime_4_corpus_exercises_every_node_type_and_varied_jsonata(
    gen: ModuleType, tmp_path: Path
) -> None:
    paths = gen.generate(tmp_path, 400, 11, runtime=4)
    docs = [load_file(p) for p in paths]
    assert all(d.data["default_runtime_version"] == 4 for d in docs)
    nodes = [n for d in docs for n in d.data["resources"]]
    kinds = {n["type"] for n in nodes}
    assert kinds == {
        "request", "transform", "spool", "add_context", "get_state", "update_state", "event",
        "destination",
    }  # fmt: skip
    assert {n["destination_type"] for n in nodes if n["type"] == "destination"} == {
        "webhook",
        "datastore",
    }
    assert any("loop_on" in n for n in nodes if n["type"] == "request")
    assert any("delete_tracking" in n for n in nodes if n["type"] == "request")
    assert any(d.data["integration_name"] == "" for d in docs)  # _multi/ jobs too
    assert sum(p.parent.name == "_multi" for p in paths) > 10
    names = [n["name"] for n in nodes]
    assert len(set(names)) > 100  # node names vary from job to job
    expressions = [site.text for d in docs for site in jsonata_sites(d)]
    assert len(expressions) > 2 * len(docs)
    assert len(set(expressions)) >= len(expressions) / 2  # at least half are distinct
    spots = {site.path[-1] for d in docs for site in jsonata_sites(d)}
    assert {"run_if", "expression", "value_expression", "args_validation"} <= spots


@pytest.mark.parametrize("runtime", [3, 4])
def test_same_seed_same_files_other_seed_other_files(
    gen: ModuleType, tmp_path: Path, runtime: int
) -> None:
    first = _texts(gen.generate(tmp_path / "a", 60, 3, runtime))
    again = _texts(gen.generate(tmp_path / "b", 60, 3, runtime))
    other = _texts(gen.generate(tmp_path / "c", 60, 4, runtime))
    assert first == again
    assert first != other


def test_corpus_is_varied_like_the_catalog(gen: ModuleType, tmp_path: Path) -> None:
    paths = gen.generate(tmp_path, 400, 11)
    docs = [load_file(p).data for p in paths]
    integrations = {p.parent.name for p in paths}
    assert len(integrations) >= 15
    labels = [d["label"] for d in docs]
    assert len(set(labels)) == len(labels)
    resources = [r for d in docs for r in d["resources"]]
    texts = [p.read_text("utf-8") for p in paths]

    def share(test: Callable[[str], bool]) -> float:
        return sum(map(test, texts)) / len(texts)

    assert share(lambda t: "depends_on:" in t) > 0.3
    assert share(lambda t: "loop_on: args." in t) > 0.05
    assert share(lambda t: 'gt: "{{previous_run_date}}"' in t or "|previous_run_date}}" in t) > 0.3
    assert share(lambda t: ":int}}" in t) > 0.1
    assert share(lambda t: "|args." in t) > 0.05
    assert share(lambda t: "environments:" in t) > 0.2
    assert share(lambda t: "protected: true" in t) > 0.02
    assert any(r.get("persist") is False for r in resources)
    assert any("/" not in r["resource"] for r in resources)  # proxy resources too
    assert max(len(d["resources"]) for d in docs) >= 5
    assert all(t.startswith("# yaml-language-server: $schema=../../schemas/") for t in texts)
    lines = sorted(t.count("\n") for t in texts)
    assert lines[len(lines) // 2] >= 25  # median job is tens of lines long


def test_cli_writes_files_and_refuses_a_used_folder(
    gen: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert gen.main([str(tmp_path), "12", "--seed", "5"]) == 0
    assert len(list((tmp_path / "jobs").rglob("*.yaml"))) == 12
    assert (tmp_path / "syncctl.toml").is_file()
    assert "wrote 12 job files" in capsys.readouterr().err
    assert gen.main([str(tmp_path / "v4"), "5", "--runtime", "4"]) == 0
    written = sorted((tmp_path / "v4" / "jobs").rglob("*.yaml"))
    assert len(written) == 5
    assert all("default_runtime_version: 4\n" in p.read_text("utf-8") for p in written)
    with pytest.raises(SystemExit) as exc:
        gen.main([str(tmp_path), "12"])
    assert exc.value.code == 2
    assert "is not empty" in capsys.readouterr().err
