"""The daily validation loop through the CLI (issue 10, item 3, and the FIFO edge): suppressions
under --strict, finding quality, ``validate --git`` and the pre-commit hook that uses it."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cli_helpers import project, run
from user_repo import GOOD_JOB, REPO, git, with_syncctl

SEARCH = GOOD_JOB.replace("method: list", "method: search")


def syncctl(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The installed console script in a fresh process (what pre-commit and CI run)."""
    return subprocess.run(
        ["syncctl", *args],
        cwd=root,
        env=with_syncctl(),
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


# ---- suppressions and --strict ------------------------------------------------------------


def test_a_suppressed_warning_no_longer_fails_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": SEARCH})
    code, out, _ = run(root, "validate", "--strict", monkeypatch=monkeypatch)
    assert code == 1
    assert out.endswith("0 errors, 1 warning in 1 file(s); failed: 1 warning under --strict\n")

    silenced = SEARCH.replace("method: search", "method: search  # syncctl: ignore[SJ501]")
    (root / "jobs/zendesk/tickets.yaml").write_text(silenced, encoding="utf-8")
    code, out, _ = run(root, "validate", "--strict", monkeypatch=monkeypatch)
    assert (code, out) == (0, "1 file checked: no problems found (1 suppressed)\n")
    code, out, _ = run(root, "validate", "--format", "json", monkeypatch=monkeypatch)
    (finding,) = json.loads(out)["findings"]
    assert (finding["rule"], finding["suppressed"]) == ("SJ501", True)


def test_config_rules_table_turns_a_rule_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": SEARCH})
    with (root / "syncctl.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[rules]\nSJ501 = "off"\n')
    code, out, _ = run(root, "validate", "--strict", monkeypatch=monkeypatch)
    assert (code, out) == (0, "1 file checked: no problems found (1 suppressed)\n")


def test_a_stale_suppression_is_sj007(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = GOOD_JOB.replace("method: list", "method: list  # syncctl: ignore[SJ501]")
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": stale})
    code, out, _ = run(root, "validate", "--strict", monkeypatch=monkeypatch)
    assert code == 1
    assert (
        "jobs/zendesk/tickets.yaml:5:19: SJ007 warning: ignore[...]: SJ501 silenced nothing" in out
    )


# ---- finding quality -----------------------------------------------------------------------


def test_a_path_with_no_job_files_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": GOOD_JOB, "emptydir/README.md": "x"})
    code, out, err = run(root, "validate", "emptydir", monkeypatch=monkeypatch)
    assert code == 2
    assert out == ""
    assert err.strip().splitlines() == [
        "syncctl: error: no job or workflow files under emptydir"
        " (hint: check the path; job files are jobs/<integration>/<job>.yaml)"
    ]


def test_an_empty_jobs_folder_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/.gitkeep": ""})
    code, _, err = run(root, "validate", monkeypatch=monkeypatch)
    assert code == 2
    assert "no job or workflow files under" in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "label: x\n\tdefault_runtime_version: 3\n",
            "2:1: SJ001 error: tab character used for indentation"
            " (hint: YAML indents with spaces: replace the tab with spaces)",
        ),
        (
            GOOD_JOB + "   persist: true\n",
            "6:4: SJ001 error: bad indentation: line 6 is indented 3 spaces;"
            " line 5 above it is indented 4",
        ),
        (
            GOOD_JOB + "      persist: true\n",
            "6:7: SJ001 error: bad indentation: line 6 is indented 6 spaces, deeper than line 5"
            " above it (4), whose value is not a mapping",
        ),
    ],
    ids=["tab", "under-indented", "over-indented"],
)
def test_layout_errors_get_a_human_message_and_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, expected: str
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": text})
    code, out, _ = run(root, "validate", monkeypatch=monkeypatch)
    assert code == 1
    (line,) = [x for x in out.splitlines() if "SJ001" in x]
    assert line.startswith(f"jobs/zendesk/tickets.yaml:{expected}")
    assert "(hint: " in line


def test_persist_yes_is_one_finding_with_sj004s_advice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": GOOD_JOB + "    persist: yes\n"})
    code, out, _ = run(root, "validate", monkeypatch=monkeypatch)
    assert code == 1
    assert out.splitlines() == [
        "jobs/zendesk/tickets.yaml:6:14: SJ010 error: resources[0].persist must be true or"
        " false, not the string 'yes' (hint: write true or false: 'yes' is a boolean only in"
        " YAML 1.1)",
        "1 file checked: 1 error, 0 warnings in 1 file(s)",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_named_yaml_does_not_hang_validate(tmp_path: Path) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": GOOD_JOB})
    os.mkfifo(root / "jobs/zendesk/x.yaml")
    done = syncctl(root, "validate", "jobs/zendesk", timeout=30)  # hung until killed before
    assert done.returncode == 1, done.stderr
    assert (
        "jobs/zendesk/x.yaml:1:1: SJ001 error: cannot read file: it is a FIFO, not a regular file"
    ) in done.stdout


# ---- validate --git and the hook -----------------------------------------------------------


def _repo(tmp_path: Path) -> Path:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": GOOD_JOB})
    git("init", "--quiet", cwd=root)
    git("add", "syncctl.toml", "jobs/zendesk/tickets.yaml", cwd=root)
    git("commit", "--quiet", "-m", "jobs", cwd=root)
    return root


def test_git_checks_tracked_and_staged_files_never_untracked_drafts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repo(tmp_path)
    draft = root / "jobs/wip/draft.yaml"
    draft.parent.mkdir()
    draft.write_text(SEARCH.replace("Zendesk tickets", "Draft"), encoding="utf-8")
    code, out, _ = run(root, "validate", "--strict", monkeypatch=monkeypatch)
    assert code == 1  # the whole working tree includes the draft
    code, out, _ = run(root, "validate", "--strict", "--git", monkeypatch=monkeypatch)
    assert (code, out) == (0, "1 file checked: no problems found\n")

    git("add", "jobs/wip/draft.yaml", cwd=root)  # staged: now part of the commit, so checked
    code, out, _ = run(root, "validate", "--strict", "--git", monkeypatch=monkeypatch)
    assert code == 1
    assert "jobs/wip/draft.yaml:5:13: SJ501 warning" in out
    assert out.startswith("jobs/wip/draft.yaml")
    assert "2 files checked" in out


def test_git_runs_cross_file_rules_over_the_tracked_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repo(tmp_path)
    (root / "jobs/freshdesk").mkdir()
    (root / "jobs/freshdesk/tickets.yaml").write_text(GOOD_JOB, encoding="utf-8")  # same label
    code, out, _ = run(root, "validate", "--git", monkeypatch=monkeypatch)
    assert code == 0, out  # untracked: its label clash is not the commit's
    git("add", "jobs/freshdesk/tickets.yaml", cwd=root)
    code, out, _ = run(root, "validate", "--git", "jobs/zendesk", monkeypatch=monkeypatch)
    assert code == 0, out  # scoped to one folder: the other file is not in the set
    code, out, _ = run(root, "validate", "--git", monkeypatch=monkeypatch)
    assert code == 1
    assert out.count("SJ006 error") == 2


def test_git_outside_a_repository_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": GOOD_JOB})
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, out, err = run(root, "validate", "--git", monkeypatch=monkeypatch)
    assert code == 2
    assert out == ""
    assert err.startswith("syncctl: error: --git: ")
    assert "is not inside a git repository" in err
    assert len(err.strip().splitlines()) == 1


def test_the_published_hook_uses_git_and_ignores_untracked_drafts(tmp_path: Path) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "syncctl-validate"]
    assert "--git" in shlex.split(hook["entry"])
    own = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (local,) = [h for r in own["repos"] for h in r["hooks"] if h["id"] == "syncctl-validate"]
    assert shlex.split(local["entry"])[1:] == shlex.split(hook["entry"])[1:]

    root = _repo(tmp_path)
    draft = root / "jobs/wip/draft.yaml"
    draft.parent.mkdir()
    draft.write_text("label: [broken\n", encoding="utf-8")
    done = subprocess.run(
        shlex.split(hook["entry"]),
        cwd=root,
        env=dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "1 file checked: no problems found\n")


def test_docs_say_how_to_match_the_hooks_files_to_a_custom_jobs_dir() -> None:
    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    section = text.split("## pre-commit and a custom `jobs_dir`", 1)[1].split("\n## ", 1)[0]
    assert "validate --strict --git" in section
    config = yaml.safe_load(section.split("```yaml\n", 1)[1].split("```", 1)[0])
    files = {h["id"]: re.compile(h["files"]) for h in config["repos"][0]["hooks"]}
    assert files["syncctl-validate"].search("sync/jobs/zendesk/tickets.yaml")
    assert files["syncctl-fmt"].search("sync/workflows/onboarding.yaml")
    assert not files["syncctl-validate"].search("jobs/zendesk/tickets.yaml")
