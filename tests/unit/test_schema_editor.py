"""The schema alone, as an editor applies it, sees every SJ010 mistake of a runtime 4 file.

An editor (the YAML language server) validates with ``schemas/sync-job.schema.json`` and
nothing else. Every SJ010 finding that ``syncctl validate`` gives on a runtime 4 file must
therefore be a schema error at the same JSON path (SJ010 may say less, where a dedicated rule
takes over, never more). Rules that compare nodes with each other (SJ101, SJ103, ...) stay
validate-only: the schema accepts those files.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from syncctl.config import Config, default_config, load_config
from syncctl.findings import Finding, format_path
from syncctl.loader import load_file
from syncctl.validate import validate_paths

ROOT = Path(__file__).resolve().parents[2]
EDITOR = Draft202012Validator(json.loads((ROOT / "schemas" / "sync-job.schema.json").read_text()))
INVALID_CASES = ROOT / "tests" / "cases" / "invalid"

HEAD = """\
label: Repos
integration_name: github
default_runtime_version: 4
mutex_key: "{{args.integrated_account_id}}"
state_key: "{{args.integrated_account_id}}"
args_schema:
  integrated_account_id: {type: string, format: integrated_account_id, required: true}
  webhook_id: {type: string, format: webhook_id, required: true}
resources:
- name: list-repos
  type: request
  resource: repos
  method: list
  integrated_account_id: "{{args.integrated_account_id}}"
- name: to-webhook
  type: destination
  destination_type: webhook
  config: {id: "{{args.webhook_id}}"}
  resources_to_persist: [list-repos]
"""

# Runtime 4 files with schema mistakes, each after the well-formed HEAD.
MISTAKES = {
    "misspelt-key": "- {name: all, type: spool, depends_on: list-repos, debgu: true}\n",
    "bad-type": "- {name: all, type: spoool, depends_on: list-repos}\n",
    "state-config": "- {name: read, type: get_state, config: {default: 1}}\n",
    "event-name": "- {name: done, type: event, config: {name: finished}}\n",
    "destination-type": (
        "- {name: out, type: destination, destination_type: s3, "
        'config: {id: "{{args.webhook_id}}"}, resources_to_persist: [list-repos]}\n'
    ),
    "destination-shape": (
        "- {name: out, type: destination, destination_type: webhook, config: {config: 1},"
        " resources_to_persist: [list-repos, 7, list-repos], loop_on: 3}\n"
    ),
    "request-fields": (
        "- {name: one, type: request, resource: '', method: get, id: [1], query: 5,"
        " integrated_account_id: x, recurse: {config: {}}, delete_tracking: full}\n"
    ),
    "transform-config": "- {name: t, type: transform, config: {expresion: '$', extra: 1}}\n",
    "update-state": "- {name: w, type: update_state, config: {value_expression: 5}}\n",
    "not-a-mapping": "- list-repos\n- [list-repos]\n",
    "missing-name-and-type": "- {depends_on: list-repos}\n- {type: spool}\n",
    "header": "- {name: all, type: spool, run_if: ''}\nlabel_: x\n",
}

# Runtime 4 files whose only mistakes are between nodes: validate-only.
CROSS_NODE = {
    "SJ101": "- {name: all, type: spool, depends_on: list-repo}\n",
    "SJ103": ("- {name: a, type: spool, depends_on: b}\n- {name: b, type: spool, depends_on: a}\n"),
}


def _schema_paths(data: Any) -> set[str]:
    """The JSON paths the editor marks: each error's instance, and for unknown keys and
    repeated list items the key or item itself."""
    marked: set[str] = set()
    for error in EDITOR.iter_errors(data):
        path = tuple(error.absolute_path)
        marked.add(format_path(path))
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
            marked.update(format_path((*path, k)) for k in error.instance if k not in known)
        if error.validator == "uniqueItems" and isinstance(error.instance, list):
            marked.update(format_path((*path, i)) for i in range(len(error.instance)))
    return marked


def _validate(config: Config) -> list[Finding]:
    return list(validate_paths([config.jobs_dir], config).findings)


def _project(tmp_path: Path, text: str) -> tuple[Path, Config]:
    target = tmp_path / "jobs" / "github" / "repos.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(text, encoding="utf-8")
    return target, default_config(tmp_path)


@pytest.mark.parametrize("name", list(MISTAKES))
def test_every_sj010_finding_is_an_editor_error_at_the_same_path(tmp_path: Path, name: str) -> None:
    target, config = _project(tmp_path, HEAD + MISTAKES[name])
    sj010 = {f.path for f in _validate(config) if f.rule == "SJ010"}
    assert sj010  # the file has schema mistakes that SJ010 reports
    assert sj010 <= _schema_paths(load_file(target).data)


@pytest.mark.parametrize("rule", list(CROSS_NODE))
def test_mistakes_between_nodes_are_validate_only(tmp_path: Path, rule: str) -> None:
    target, config = _project(tmp_path, HEAD + CROSS_NODE[rule])
    assert EDITOR.is_valid(load_file(target).data)
    assert {f.rule for f in _validate(config)} == {rule}


def _v4_case_files() -> Iterator[tuple[Path, Path]]:
    for case in sorted(p for p in INVALID_CASES.iterdir() if p.is_dir()):
        for path in sorted((case / "jobs").rglob("*.yaml")):
            data = load_file(path).data
            if isinstance(data, dict) and data.get("default_runtime_version") == 4:
                yield case, path


@pytest.mark.parametrize(
    ("case", "path"), list(_v4_case_files()), ids=lambda p: p.name if p.is_dir() else p.stem
)
def test_sj010_of_every_runtime_4_invalid_case_is_an_editor_error(case: Path, path: Path) -> None:
    toml = case / "syncctl.toml"
    config = load_config(toml) if toml.is_file() else default_config(case.resolve())
    rel = path.relative_to(case).as_posix()
    sj010 = {f.path for f in _validate(config) if f.rule == "SJ010" and f.file == rel}
    assert sj010 <= _schema_paths(load_file(path).data)
