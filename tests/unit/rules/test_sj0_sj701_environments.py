"""SJ701: a job may only name configured environments."""

from __future__ import annotations

from pathlib import Path

from syncctl.config import load_config
from syncctl.findings import Finding
from syncctl.validate import validate_paths

TOML = """
[tool.syncctl.environments.staging]
url = "https://api.truto.one"
[tool.syncctl.environments.production]
url = "https://api.truto.one"
"""


def _sj701(tmp_path: Path, environments: str) -> list[Finding]:
    (tmp_path / "syncctl.toml").write_text(TOML, encoding="utf-8")
    path = tmp_path / "jobs" / "zendesk" / "tickets.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "label: T\ndefault_runtime_version: 3\nenvironments: "
        + environments
        + "\nresources:\n  - {resource: a, method: list}\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path / "syncctl.toml")
    return [f for f in validate_paths([config.jobs_dir], config).findings if f.rule == "SJ701"]


def test_configured_environments_are_fine(tmp_path: Path) -> None:
    assert _sj701(tmp_path, "[production, staging]") == []
    assert _sj701(tmp_path, "[]") == []


def test_unknown_environment_is_placed_at_the_item_with_a_suggestion(tmp_path: Path) -> None:
    found = _sj701(tmp_path, "[staging, prodution]")
    assert [(f.line, f.column, f.path) for f in found] == [(3, 25, "$.environments[1]")]
    assert found[0].message == (
        "environment 'prodution' is not configured (configured: production, staging)"
    )
    assert found[0].hint == "did you mean 'production'?"


def test_unknown_environment_without_a_close_name(tmp_path: Path) -> None:
    (found,) = _sj701(tmp_path, "[local]")
    assert found.hint == "define [tool.syncctl.environments.local] or remove it"


def test_wrong_types_are_left_to_the_schema(tmp_path: Path) -> None:
    assert _sj701(tmp_path, "staging") == []
    assert _sj701(tmp_path, "[3, '', {a: b}]") == []
