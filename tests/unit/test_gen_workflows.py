"""The benchmark's workflow generator writes workflows that validate clean (strict) beside the
generated jobs, naming each job by key."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from syncctl.config import load_config
from syncctl.validate import validate_paths

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", [0, 3])
def test_generated_workflows_validate_clean_in_strict_mode(tmp_path: Path, seed: int) -> None:
    _load("gen_jobs").generate(tmp_path, 300, seed)
    paths = _load("gen_workflows").generate(tmp_path, 50, seed)
    assert len(paths) == 50
    config = load_config(tmp_path / "syncctl.toml")
    report = validate_paths([tmp_path / "jobs", tmp_path / "workflows"], config)
    shown = "\n".join(f"{f.file}:{f.line}: {f.rule} {f.message}" for f in report.findings[:20])
    assert report.findings == (), shown
    assert report.files_checked == 350
    jobs = {
        p.relative_to(tmp_path / "jobs").with_suffix("").as_posix()
        for p in tmp_path.glob("jobs/*/*.yaml")
    }
    named = {
        step["config"]["sync_job"]
        for path in paths
        for step in yaml.safe_load(path.read_text("utf-8"))["config"]["steps"]
    }
    assert named <= jobs
    assert any("cron_expression" in p.read_text("utf-8") for p in paths)
