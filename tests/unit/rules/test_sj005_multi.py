"""SJ005 and the reserved folder ``_multi/``: runtime 4 jobs that span integrations."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncctl.config import default_config
from syncctl.findings import Finding
from syncctl.validate import validate_paths

V4 = (
    "label: Calendar events\n"
    "default_runtime_version: 4\n"
    "args_schema:\n"
    "  integrated_account_id: {type: string, format: integrated_account_id, required: true}\n"
    "  webhook_id: {type: string, format: webhook_id, required: true}\n"
    "resources:\n"
    "  - name: list-events\n"
    "    type: request\n"
    "    resource: calendar/events\n"
    "    method: list\n"
    '    integrated_account_id: "{{args.integrated_account_id}}"\n'
    "  - name: out\n"
    "    type: destination\n"
    "    destination_type: webhook\n"
    "    resources_to_persist: [list-events]\n"
    '    config: {id: "{{args.webhook_id}}"}\n'
)


def _validate(tmp_path: Path, rel: str, text: str) -> list[Finding]:
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return list(validate_paths([tmp_path / "jobs"], default_config(tmp_path)).findings)


@pytest.mark.parametrize("integration", ["", 'integration_name: ""\n', "integration_name: ''\n"])
def test_a_v4_job_in_multi_with_an_empty_or_no_integration_is_clean(
    tmp_path: Path, integration: str
) -> None:
    assert _validate(tmp_path, "jobs/_multi/events.yaml", integration + V4) == []


def test_a_multi_job_that_names_an_integration(tmp_path: Path) -> None:
    found = _validate(tmp_path, "jobs/_multi/events.yaml", "integration_name: zendesk\n" + V4)
    assert [(f.line, f.column, f.rule) for f in found] == [(1, 19, "SJ005")]
    assert found[0].message == (
        "integration_name 'zendesk' in _multi/, where jobs span integrations"
    )
    assert found[0].hint == (
        'set integration_name: "" (or drop it), or move the file to jobs/zendesk/events.yaml'
    )


def test_a_multi_job_that_is_not_runtime_4_at_its_version(tmp_path: Path) -> None:
    text = V4.replace("default_runtime_version: 4", "default_runtime_version: 3")
    found = [f for f in _validate(tmp_path, "jobs/_multi/events.yaml", text) if f.rule == "SJ005"]
    assert [(f.line, f.column) for f in found] == [(2, 26)]
    assert found[0].message == "jobs in _multi/ span integrations and must be runtime 4"
    assert found[0].hint == (
        "set default_runtime_version: 4, or move the file to jobs/<integration>/events.yaml"
    )


def test_a_multi_job_without_a_version_at_1_1_beside_sj702(tmp_path: Path) -> None:
    text = "# spans integrations\nlabel: L\nresources:\n  - {resource: a/b, method: list}\n"
    found = _validate(tmp_path, "jobs/_multi/events.yaml", text)
    assert sorted((f.line, f.column, f.rule) for f in found) == [(1, 1, "SJ005"), (1, 1, "SJ702")]


def test_both_multi_problems_are_reported(tmp_path: Path) -> None:
    text = (
        "integration_name: github\ndefault_runtime_version: 3\nlabel: L\n"
        "resources:\n  - {resource: a/b, method: list}\n"
    )
    found = _validate(tmp_path, "jobs/_multi/events.yaml", text)
    assert sorted((f.line, f.column, f.rule) for f in found) == [
        (1, 19, "SJ005"),
        (2, 26, "SJ005"),
    ]


def test_a_v4_job_elsewhere_with_an_empty_integration_is_told_about_multi(
    tmp_path: Path,
) -> None:
    found = _validate(tmp_path, "jobs/google/events.yaml", 'integration_name: ""\n' + V4)
    assert [(f.line, f.column, f.rule) for f in found] == [(1, 19, "SJ005")]
    assert found[0].message == "integration_name '' does not match the folder 'google'"
    assert found[0].hint == (
        "a job that spans integrations lives in jobs/_multi/; move it there, "
        "or set integration_name: google"
    )


def test_a_runtime_3_job_with_an_empty_integration_keeps_the_plain_hint(tmp_path: Path) -> None:
    text = 'integration_name: ""\nlabel: L\ndefault_runtime_version: 3\nresources: []\n'
    (found,) = [
        f for f in _validate(tmp_path, "jobs/google/events.yaml", text) if f.rule == "SJ005"
    ]
    assert (
        found.hint == "set integration_name: google, or move the file to the folder <integration>/"
    )


@pytest.mark.parametrize(
    ("rel", "message"),
    [
        ("jobs/_other/events.yaml", "folder '_other' must match ^[a-z0-9][a-z0-9_-]*$"),
        ("jobs/_multi/Events.yaml", "job name 'Events' must match ^[a-z0-9][a-z0-9_-]*$"),
        ("jobs/_multi/deep/events.yaml", "file is nested too deep"),
    ],
)
def test_multi_is_the_one_reserved_folder_and_its_files_follow_the_rules(
    tmp_path: Path, rel: str, message: str
) -> None:
    found = [f for f in _validate(tmp_path, rel, V4) if f.rule == "SJ005"]
    assert [(f.line, f.column) for f in found] == [(1, 1)]
    assert found[0].message.startswith(message)


def test_an_underscore_folder_hint_names_the_reserved_one(tmp_path: Path) -> None:
    (found,) = [f for f in _validate(tmp_path, "jobs/_other/events.yaml", V4) if f.rule == "SJ005"]
    assert found.hint == (
        "use lower-case letters, digits, '-' and '_' (not first); "
        "_multi/ is the one reserved folder"
    )
