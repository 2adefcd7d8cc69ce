"""SJ005: where a job file lives and what it is called."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncctl.config import default_config
from syncctl.findings import Finding
from syncctl.validate import validate_paths

BODY = "label: Tickets\ndefault_runtime_version: 3\nresources:\n  - {resource: a, method: list}\n"


def _sj005(tmp_path: Path, rel: str, text: str = BODY, *, target: str = "jobs") -> list[Finding]:
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    config = default_config(tmp_path)
    report = validate_paths([tmp_path / target], config)
    return [f for f in report.findings if f.rule == "SJ005"]


def test_well_placed_file_has_no_finding(tmp_path: Path) -> None:
    assert _sj005(tmp_path, "jobs/zendesk/tickets-2.yaml") == []


@pytest.mark.parametrize(
    ("rel", "start"),
    [
        ("jobs/zendesk/tickets.yml", "job files end in .yaml (this one: .yml)"),
        ("jobs/zendesk/tickets", "job files end in .yaml (this one: no extension)"),
        ("jobs/tickets.yaml", "file is directly in jobs/"),
        (
            "jobs/zendesk/old/tickets.yaml",
            "file is nested too deep (jobs/zendesk/old/tickets.yaml)",
        ),
        ("jobs/zen desk/tickets.yaml", "folder 'zen desk' must match"),
        ("jobs/zendesk/-tickets.yaml", "job name '-tickets' must match"),
        ("jobs/Zendesk/Tickets.yaml", "folder 'Zendesk' and job name 'Tickets' must match"),
    ],
)
def test_layout_problems_are_one_finding_at_1_1(tmp_path: Path, rel: str, start: str) -> None:
    found = _sj005(tmp_path, rel)
    assert [(f.file, f.line, f.column) for f in found] == [(rel, 1, 1)]
    assert found[0].message.startswith(start)


def test_yml_hint_names_the_right_file(tmp_path: Path) -> None:
    (found,) = _sj005(tmp_path, "jobs/zendesk/tickets.yml")
    assert found.hint == "rename it to tickets.yaml"


def test_file_outside_the_jobs_folder(tmp_path: Path) -> None:
    found = _sj005(tmp_path, "drafts/zendesk/tickets.yaml", target="drafts")
    assert [(f.file, f.line, f.column) for f in found] == [("drafts/zendesk/tickets.yaml", 1, 1)]
    assert "outside the jobs folder" in found[0].message


def test_integration_name_must_match_the_folder_at_its_value(tmp_path: Path) -> None:
    found = _sj005(tmp_path, "jobs/zendesk/tickets.yaml", "integration_name: Zendesk\n" + BODY)
    assert [(f.line, f.column, f.path) for f in found] == [(1, 19, "$.integration_name")]
    assert found[0].message == "integration_name 'Zendesk' does not match the folder 'zendesk'"


def test_non_string_integration_name_is_left_to_the_schema(tmp_path: Path) -> None:
    assert _sj005(tmp_path, "jobs/zendesk/tickets.yaml", "integration_name: 3\n" + BODY) == []
    assert _sj005(tmp_path, "jobs/zendesk/t2.yaml", "- a list document\n") == []
