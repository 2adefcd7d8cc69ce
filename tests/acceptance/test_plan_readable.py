"""A plan a reviewer can read (issue 10, item 2), through the CLI on embedded environments:
added and removed keys, validation warnings above the plan, guards shown in the plan and checked
before any prompt, ``protected`` changes, true orphan reasons, the environment in the prompt,
and a saved plan applied to the environment it was made for."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest
from click.testing import CliRunner

from syncctl.cli.main import cli

TWO_ENVS = dedent(
    """\
    default_environment = "local"

    [environments.local]
    url = "embedded:.syncctl/local.sqlite3"

    [environments.other]
    url = "embedded:.syncctl/other.sqlite3"
    """
)


def job(extra: str = "", query: str = "") -> str:
    return (
        "label: {label}\ndefault_runtime_version: 3\n"
        + extra
        + "resources:\n  - resource: ticketing/tickets\n    method: list\n"
        + query
    )


class Project:
    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.monkeypatch = monkeypatch
        (root / "syncctl.toml").write_text(TWO_ENVS, encoding="utf-8")
        monkeypatch.chdir(root)
        monkeypatch.delenv("NO_COLOR", raising=False)

    def write(self, key: str, text: str) -> Path:
        path = self.root / "jobs" / f"{key}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("{label}", key.split("/")[1].title()), encoding="utf-8")
        return path

    def run(self, *args: str, code: int = 0, stdin: str | None = None) -> Any:
        result = CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
        assert result.exit_code == code, (result.stdout, result.stderr)
        return result


class _Terminal:
    """``sys`` as ``syncctl.cli.apply`` sees it, with a terminal on stdin (so apply asks)."""

    class stdin:
        @staticmethod
        def isatty() -> bool:
            return True

    def __getattr__(self, name: str) -> Any:
        return getattr(sys, name)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    return Project(tmp_path, monkeypatch)


def test_an_added_key_reads_plus_key_value_and_a_removed_one_minus_key(project: Project) -> None:
    project.write("zendesk/tickets", job(query="    query:\n      since: x\n"))
    project.run("apply", "--yes")
    project.write("zendesk/tickets", job(query="    query:\n      limit: 50\n"))

    out = project.run("plan").stdout

    assert "      ~ resources[0] ticketing/tickets\n" in out
    assert "          + query.limit: 50\n" in out
    assert "          - query.since\n" in out
    assert "null" not in out


def test_colour_always_colours_every_change_line(project: Project) -> None:
    project.write("zendesk/tickets", job())
    out = project.run("--color", "always", "plan").stdout
    assert "\x1b[32m  + create zendesk/tickets\x1b[0m" in out
    assert "\x1b[32m      + label: Tickets\x1b[0m" in out


def test_validation_warnings_are_shown_above_the_plan(project: Project) -> None:
    project.write("zendesk/tickets", job().replace("default_runtime_version: 3\n", ""))

    text = project.run("plan").stdout
    data = json.loads(project.run("plan", "--format", "json").stdout)
    markdown = project.run("plan", "--format", "markdown").stdout

    assert text.startswith("Warnings from validation (1):\n  jobs/zendesk/tickets.yaml:")
    assert "SJ702" in text.split("syncctl will perform")[0]
    assert [w["rule"] for w in data["warnings"]] == ["SJ702"]
    assert data["warnings"][0]["severity"] == "warning"
    assert "SJ702" in markdown.split("| action |")[0]


def _four_jobs_three_removed(project: Project) -> None:
    for name in ("a", "b", "c", "d"):
        project.write(f"zendesk/{name}", job())
    project.run("apply", "--yes")
    for name in ("b", "c", "d"):
        (project.root / "jobs" / "zendesk" / f"{name}.yaml").unlink()


def test_the_mass_delete_guard_is_in_the_plan_and_refuses_before_the_prompt(
    project: Project,
) -> None:
    _four_jobs_three_removed(project)

    shown = project.run("plan", "--prune")  # plan exits as it always does
    data = json.loads(project.run("plan", "--prune", "--format", "json").stdout)
    project.monkeypatch.setattr("syncctl.cli.apply.sys", _Terminal())
    refused = project.run("apply", "--prune", code=1, stdin="y\n")

    reason = "the plan deletes 3 of 4 managed jobs and workflows in local (more than 50%)"
    assert f"  ! mass delete: {reason}; pass --allow-mass-delete if intended" in shown.stdout
    assert data["guards"] == [
        {
            "name": "mass delete",
            "ok": False,
            "reason": f"{reason}; pass --allow-mass-delete if intended",
        },
        {"name": "risky changes", "ok": True, "reason": None},
    ]
    assert "Guards:" in refused.stdout
    assert "Apply these changes" not in refused.stderr  # never asked
    assert "refused by the mass delete guard" in refused.stderr
    assert "3 to delete" in project.run("plan", "--prune").stdout  # nothing was deleted


def test_the_prompt_names_the_environment(project: Project) -> None:
    project.write("zendesk/tickets", job())
    project.monkeypatch.setattr("syncctl.cli.apply.sys", _Terminal())

    answered = project.run("--env", "other", "apply", code=1, stdin="n\n")

    assert "Apply these changes to other? [y/N]" in answered.stderr
    assert "1 to create" in project.run("--env", "other", "plan").stdout  # declined: unchanged


def test_turning_protected_on_is_a_state_only_change_in_the_plan(project: Project) -> None:
    project.write("zendesk/tickets", job())
    project.run("apply", "--yes")
    project.write("zendesk/tickets", job(extra="protected: true\n"))

    out = project.run("plan", "--detailed-exitcode", code=2).stdout
    applied = project.run("apply", "--yes").stdout

    assert "  ~ update zendesk/tickets (id " in out
    assert "      ~ protected: false -> true (state only)\n" in out
    assert "1 to update" in out
    assert "1 change(s) applied" in applied
    assert "No changes." in project.run("plan").stdout


def test_an_orphan_says_why_it_is_one(project: Project) -> None:
    path = project.write("zendesk/tickets", job())
    project.run("apply", "--yes")

    project.write("zendesk/tickets", job(extra="environments: [other]\n"))
    elsewhere = project.run("plan").stdout
    path.unlink()
    removed = project.run("plan").stdout

    assert "— not desired in this environment; apply with --prune to delete" in elsewhere
    assert "file removed" not in elsewhere
    assert "— file removed; apply with --prune to delete" in removed


def test_a_saved_plan_is_applied_to_its_own_environment(project: Project) -> None:
    project.write("zendesk/tickets", job())
    saved = project.root / "plan.json"
    project.run("--env", "other", "plan", "--out", str(saved))

    wrong = project.run("--env", "local", "apply", str(saved), code=1)
    applied = project.run("apply", str(saved))

    assert "the plan is for environment 'other', not 'local'" in wrong.stderr
    assert "Apply complete in other: 1 change(s) applied" in applied.stdout
    assert "1 to create" in project.run("plan").stdout  # local untouched
    assert "No changes." in project.run("--env", "other", "plan").stdout


def test_a_saved_plan_for_an_environment_not_configured_here_is_refused(project: Project) -> None:
    project.write("zendesk/tickets", job())
    saved = project.root / "plan.json"
    project.run("plan", "--out", str(saved))
    document = json.loads(saved.read_text(encoding="utf-8"))
    saved.write_text(json.dumps({**document, "environment": "production"}), encoding="utf-8")

    refused = project.run("apply", str(saved), code=1)

    assert "the plan is for environment 'production', which is not configured here" in (
        refused.stderr
    )
    assert "(configured: local, other)" in refused.stderr
