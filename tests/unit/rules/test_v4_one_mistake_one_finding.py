"""One typo in a required node key gives one finding: SJ010's "did you mean", not also the
dedicated rule's "missing" (design §3)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from syncctl.config import default_config
from syncctl.validate import validate_paths

HEAD = """\
label: Repos
integration_name: github
default_runtime_version: 4
args_schema:
  integrated_account_id: {type: string, format: integrated_account_id, required: true}
  webhook_id: {type: string, format: webhook_id, required: true}
resources:
"""
REQUEST = """\
  - name: list-repos
    type: request
    resource: repos
    method: list
    {account}: "{{{{args.integrated_account_id}}}}"
"""
DESTINATION = """\
  - name: webhook
    type: destination
    destination_type: webhook
    {persist}: [list-repos]
    config: {{id: "{{{{args.webhook_id}}}}"}}
"""


def _findings(
    tmp_path: Path, account: str, persist: str, *, drop: str = "\0"
) -> list[tuple[int, int, str, str]]:
    folder = tmp_path / "jobs" / "github"
    folder.mkdir(parents=True)
    body = HEAD + REQUEST.format(account=account) + DESTINATION.format(persist=persist)
    body = "".join(line for line in body.splitlines(keepends=True) if drop not in line)
    (folder / "repos.yaml").write_text(textwrap.dedent(body))
    config = default_config(tmp_path)
    report = validate_paths([config.jobs_dir], config)
    return [(f.line, f.column, f.rule, f.message) for f in report.findings]


def test_the_clean_job_has_no_finding(tmp_path: Path) -> None:
    assert _findings(tmp_path, "integrated_account_id", "resources_to_persist") == []


@pytest.mark.parametrize(
    ("account", "persist", "line", "typo", "meant"),
    [
        (
            "integrated_acount_id",
            "resources_to_persist",
            12,
            "integrated_acount_id",
            "integrated_account_id",
        ),
        (
            "integrated_account_id",
            "resources_to_persit",
            16,
            "resources_to_persit",
            "resources_to_persist",
        ),
    ],
)
def test_a_misspelt_required_node_key_is_one_sj010_with_a_did_you_mean(
    tmp_path: Path, account: str, persist: str, line: int, typo: str, meant: str
) -> None:
    assert _findings(tmp_path, account, persist) == [
        (
            line,
            5,
            "SJ010",
            f"unknown key {typo!r} in resources[{line // 16}] (did you mean {meant!r}?)",
        )
    ]


def test_a_missing_required_node_key_is_still_the_dedicated_rule(tmp_path: Path) -> None:
    found = _findings(tmp_path, "drop-me", "drop-me", drop="drop-me")
    # no SJ010 about either key; the argument the request no longer reads is unused (SJ402)
    assert [(line, rule) for line, _column, rule, _message in found] == [
        (5, "SJ402"),
        (8, "SJ804"),
        (13, "SJ802"),
    ]
