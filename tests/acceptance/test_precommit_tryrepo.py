"""The published hooks run by REAL pre-commit, as another repository would consume them.

pre-commit installs this project into its own virtualenv with pip (network to PyPI), so the
hooks are exercised end to end: manifest, entry, ``files``, ``pass_filenames`` and all.

How the code under test reaches pre-commit: ``try-repo <path>`` uses the repository's HEAD, or,
when tracked files have uncommitted changes, a throw-away "shadow" clone with those changes
committed (``git add -u``: untracked files are NOT included). To test exactly the working tree,
including new files not yet added, the session fixture snapshots the working tree into its own
repository with one commit and points pre-commit at that.

``try-repo`` always uses a temporary store of its own (``PRE_COMMIT_HOME`` is ignored), so each
``try-repo`` run installs the project once. It is therefore run once (the failing case); the
fix-and-pass sequence runs the same repository and commit through ``pre-commit run`` with
``PRE_COMMIT_HOME`` cached for the session: one more install, shared by every later run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest
from user_repo import GIT_IDENTITY, GOOD_JOB, git, snapshot

MESSY = (
    "resources:\n- method: list\n  resource: ticketing/users\nlabel: Users\n"
    "default_runtime_version: 3\n"
)
MESSY_FORMATTED = dedent(
    """\
    label: Users
    default_runtime_version: 3
    resources:
      - resource: ticketing/users
        method: list
    """
)
BROKEN = "label: Broken\nresources:\n  - resource: x\n    id: {{a}}\n"


@pytest.fixture(scope="session")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every cache pre-commit, pip and virtualenv use lives in a session temporary folder."""
    caches = tmp_path_factory.mktemp("precommit-caches")
    return dict(
        os.environ,
        **GIT_IDENTITY,
        PRE_COMMIT_HOME=str(caches / "pre-commit"),
        PIP_CACHE_DIR=str(caches / "pip"),
        VIRTUALENV_OVERRIDE_APP_DATA=str(caches / "virtualenv"),
        PRE_COMMIT_COLOR="never",
        TMPDIR=str(tmp_path_factory.mktemp("precommit-tmp")),
    )


@pytest.fixture(scope="session")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> tuple[str, str]:
    """This project's working tree (tracked and new, unignored files) as one commit."""
    copy = tmp_path_factory.mktemp("syncctl-snapshot")
    return str(copy), snapshot(copy, env)


@pytest.fixture
def consumer(tmp_path: Path, env: dict[str, str]) -> Path:
    """A repository that keeps sync jobs: a good job, a broken one, a config."""
    git("init", "--quiet", cwd=tmp_path, env=env)
    (tmp_path / "syncctl.toml").write_text(
        '[environments.local]\nurl = "embedded:.syncctl/local.sqlite3"\n', encoding="utf-8"
    )
    jobs = tmp_path / "jobs" / "zendesk"
    jobs.mkdir(parents=True)
    (jobs / "tickets.yaml").write_text(GOOD_JOB, encoding="utf-8")
    (jobs / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    git("add", "--all", cwd=tmp_path, env=env)
    return tmp_path


def pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def test_try_repo_runs_the_published_hooks(
    consumer: Path, hooks_repo: tuple[str, str], env: dict[str, str]
) -> None:
    """No hook id: try-repo runs every hook of the manifest (validate and fmt), one install."""
    path, ref = hooks_repo
    done = pre_commit("try-repo", path, "--ref", ref, "--all-files", cwd=consumer, env=env)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    lines = [line for line in output.splitlines() if line.startswith("syncctl ")]
    assert len(lines) == 2, output
    assert all(line.endswith("Failed") for line in lines), output
    assert "jobs/zendesk/broken.yaml:4:9: SJ003 error" in output
    assert "error: jobs/zendesk/broken.yaml: not formatted: fix the errors first" in output
    assert (consumer / "jobs/zendesk/broken.yaml").read_text() == BROKEN


def test_hooks_fail_on_a_broken_job_then_format_and_pass_once_it_is_fixed(
    consumer: Path, hooks_repo: tuple[str, str], env: dict[str, str]
) -> None:
    path, ref = hooks_repo
    (consumer / ".pre-commit-config.yaml").write_text(
        dedent(
            f"""\
            repos:
              - repo: {path}
                rev: {ref}
                hooks:
                  - id: syncctl-validate
                  - id: syncctl-fmt
            """
        ),
        encoding="utf-8",
    )
    git("add", ".pre-commit-config.yaml", cwd=consumer, env=env)

    def run() -> tuple[int, str]:
        done = pre_commit("run", "--all-files", cwd=consumer, env=env)
        return done.returncode, done.stdout + done.stderr

    code, output = run()
    assert code == 1, output
    assert "jobs/zendesk/broken.yaml:4:9: SJ003 error" in output
    assert "error: jobs/zendesk/broken.yaml: not formatted: fix the errors first" in output
    assert (consumer / "jobs/zendesk/broken.yaml").read_text() == BROKEN

    (consumer / "jobs/zendesk/broken.yaml").write_text(MESSY, encoding="utf-8")  # fixed, messy
    git("add", "--all", cwd=consumer, env=env)
    code, output = run()
    assert code == 1, output  # fmt rewrote a file: pre-commit fails so it can be reviewed
    assert "reformatted jobs/zendesk/broken.yaml" in output
    assert "files were modified by this hook" in output
    assert (consumer / "jobs/zendesk/broken.yaml").read_text() == MESSY_FORMATTED

    git("add", "--all", cwd=consumer, env=env)
    code, output = run()
    assert code == 0, output
    assert output.count("Passed") == 2, output
