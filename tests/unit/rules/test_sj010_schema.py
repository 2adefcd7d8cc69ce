"""SJ010: schema violations, placed at the key or value, one finding per mistake."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from syncctl.config import default_config
from syncctl.findings import Finding
from syncctl.validate import validate_paths

HEAD = "integration_name: zendesk\nlabel: Tickets\ndefault_runtime_version: 3\n"


def _sj010(tmp_path: Path, text: str, name: str = "tickets.yaml") -> list[Finding]:
    target = tmp_path / "jobs" / "zendesk" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(textwrap.dedent(text), encoding="utf-8")
    config = default_config(tmp_path)
    return [f for f in validate_paths([config.jobs_dir], config).findings if f.rule == "SJ010"]


def test_clean_file_has_no_finding(tmp_path: Path) -> None:
    assert (
        _sj010(tmp_path, HEAD + "resources:\n  - resource: ticketing/tickets\n    method: list\n")
        == []
    )


def test_misspelt_key_is_one_finding_at_the_key_with_a_suggestion(tmp_path: Path) -> None:
    found = _sj010(
        tmp_path, HEAD + "resources:\n  - resource: ticketing/tickets\n    metod: list\n"
    )
    assert [(f.line, f.column, f.path) for f in found] == [(6, 5, "$.resources[0].metod")]
    assert found[0].message == "unknown key 'metod' in resources[0] (did you mean 'method'?)"
    assert found[0].hint == "rename it to method"


def test_unrelated_unknown_key_lists_the_allowed_keys(tmp_path: Path) -> None:
    found = _sj010(
        tmp_path, HEAD + "owner: data-team\nresources:\n  - {resource: a, method: list}\n"
    )
    assert [(f.line, f.column) for f in found] == [(4, 1)]
    assert found[0].message == "unknown key 'owner' at the top level"
    assert found[0].hint is not None
    assert "default_runtime_version" in found[0].hint


def test_two_missing_keys_in_one_entry_are_one_finding(tmp_path: Path) -> None:
    found = _sj010(tmp_path, HEAD + "resources:\n  - persist: false\n")
    assert [(f.line, f.column) for f in found] == [(5, 5)]
    assert found[0].message == "resources[0] is missing the required keys 'resource', 'method'"


def test_missing_resources_is_reported_at_1_1_even_after_comments(tmp_path: Path) -> None:
    found = _sj010(tmp_path, "# a comment\n\n" + HEAD)
    assert [(f.line, f.column, f.path) for f in found] == [(1, 1, "$")]
    assert "'resources'" in found[0].message


def test_nested_missing_key_is_placed_at_the_key_of_its_mapping(tmp_path: Path) -> None:
    found = _sj010(
        tmp_path,
        HEAD + "resources:\n  - resource: ticketing/tickets\n"
        "    method: list\n  - depends_on: ticketing/tickets\n"
        "    resource: ticketing/comments\n",
    )
    assert [(f.line, f.column, f.path) for f in found] == [(7, 5, "$.resources[1]")]


@pytest.mark.parametrize(
    ("snippet", "line", "column", "message"),
    [
        (
            "default_runtime_version: five",
            1,
            26,
            "default_runtime_version must be an integer, not the string 'five'",
        ),
        ("default_runtime_version: 0", 1, 26, "default_runtime_version is 0; allowed: 1 to 4"),
        ("protected: 1", 1, 12, "protected must be true or false, not the integer 1"),
        ("label: null", 1, 8, "label must be a string, not null"),
        ("state_key: [a]", 1, 12, "state_key must be a string or null, not a list"),
        ("environments: {staging: true}", 1, 15, "environments must be a list, not a mapping"),
    ],
)
def test_wrong_values_are_placed_at_the_value(
    tmp_path: Path, snippet: str, line: int, column: int, message: str
) -> None:
    text = snippet + "\nresources:\n  - {resource: ticketing/tickets, method: list}\n"
    found = _sj010(tmp_path, "integration_name: zendesk\n" + text)
    assert [(f.line - 1, f.column, f.message) for f in found] == [(line, column, message)]


def test_repeated_environment_is_placed_at_the_repeat(tmp_path: Path) -> None:
    found = _sj010(
        tmp_path,
        HEAD + "environments: [local, other, local]\nresources:\n  - {resource: a, method: list}\n",
    )
    assert [(f.line, f.column, f.path) for f in found] == [(4, 30, "$.environments[2]")]


def test_v4_node_of_an_unknown_type_gets_one_finding_at_the_type(tmp_path: Path) -> None:
    text = (
        "label: x\ndefault_runtime_version: 4\nresources:\n"
        "  - {type: request, name: a, resource: repos, method: list, integrated_account_id: x}\n"
        "  - {type: sink, name: b, anything: [1]}\n"
    )
    found = _sj010(tmp_path, text)
    assert [(f.line, f.column) for f in found] == [(5, 12)]
    assert found[0].message.startswith("resources[1].type is 'sink'; allowed: request,")
    assert found[0].hint is None  # 'sink' is close to nothing


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("", "empty"),
        ("# only a comment\n", "empty"),
        ("- a\n- b\n", "a list"),
        ("just text\n", "a string"),
        ("42\n", "an integer"),
    ],
)
def test_non_mapping_document_is_one_finding_at_1_1(tmp_path: Path, text: str, shown: str) -> None:
    found = _sj010(tmp_path, text)
    assert [(f.line, f.column) for f in found] == [(1, 1)]
    assert found[0].message == f"a job file must be a mapping (this one is {shown})"


def test_unparsable_and_non_yaml_files_are_left_to_other_rules(tmp_path: Path) -> None:
    assert _sj010(tmp_path, "label: [unclosed\n") == []
    assert _sj010(tmp_path, "- not even a mapping\n", name="tickets.yml") == []
