"""SJ702: a job file without default_runtime_version."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncctl.config import default_config
from syncctl.findings import Finding, Severity
from syncctl.loader import load_text
from syncctl.rules import sj702_runtime_version_missing
from syncctl.rules.base import FileContext, JobFile


def run(text: str, file: str = "jobs/zendesk/tickets.yaml") -> list[Finding]:
    doc = load_text(text, file)
    job = JobFile(Path(file), file, doc, tuple(file.split("/")[1:]))
    return list(sj702_runtime_version_missing.check(FileContext(job, default_config(Path("/x")))))


def test_a_missing_version_is_one_warning_at_1_1_with_the_runtime_3_hint() -> None:
    (found,) = run("# a comment\nlabel: T\nresources:\n  - {resource: a/b, method: list}\n")
    assert (found.line, found.column, found.rule, found.path) == (1, 1, "SJ702", "$")
    assert found.severity is Severity.WARNING
    assert found.message == (
        "default_runtime_version is missing; the API then creates a legacy runtime 3 job"
    )
    assert found.hint == (
        "add default_runtime_version: 3 to keep the flat resource list, "
        "or 4 for a job of named nodes"
    )


def test_named_nodes_get_the_runtime_4_hint() -> None:
    (found,) = run("label: T\nresources:\n  - {name: a, type: request}\n")
    assert found.hint == "add default_runtime_version: 4 (the entries are runtime 4 nodes)"


@pytest.mark.parametrize("version", ["3", "4", "null", "'4'", "7"])
def test_any_value_of_the_key_is_not_this_rule_s_business(version: str) -> None:
    assert run(f"label: T\ndefault_runtime_version: {version}\nresources: []\n") == []


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "label: [unclosed\n"])
def test_a_file_that_is_not_a_mapping_is_left_to_other_rules(text: str) -> None:
    assert run(text) == []


def test_a_file_that_is_not_yaml_is_left_to_sj005() -> None:
    assert run("label: T\n", "jobs/zendesk/tickets.yml") == []
