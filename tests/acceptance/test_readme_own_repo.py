"""README "Use syncctl in your own repository": its snippets hold, and its walk-through works.

Each ```toml block of the section is a complete ``syncctl.toml``: it loads and validates. The
walk-through is then run as a new user would, in a temporary git repository with ``syncctl`` on
PATH: ``init`` pinned to a local copy of this repository, ``validate --strict``, ``plan``,
``apply``, ``plan --detailed-exitcode``, ``pre-commit install`` and a commit through the hooks,
``pre-commit run --all-files``, and actionlint over the workflows ``init`` wrote.

The local copy is this working tree (tracked and new, unignored files) committed into a
repository of its own, so the hooks and the pip install pre-commit makes test the code as it is
here, uncommitted changes included (a plain ``git clone`` would test HEAD). pre-commit installs
syncctl from that copy with pip, fetching the dependencies from PyPI.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_init import WRITTEN
from test_workflows import actionlint
from user_repo import BIN, GIT_IDENTITY, REPO, snapshot, with_syncctl

from syncctl import __version__
from syncctl.cli.init import DEFAULT_SOURCE
from syncctl.cli.main import cli
from syncctl.config import load_config

README = REPO / "README.md"
HEADING = "## Use syncctl in your own repository"
INIT_FILES = frozenset(WRITTEN)  # every file init writes, as test_init checks them


def section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(HEADING + "\n")
    end = text.find("\n## ", start + len(HEADING))
    return text[start : end if end != -1 else len(text)]


def blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", section(), re.MULTILINE | re.DOTALL)


TOML = blocks("toml")


# -- the section and its snippets --------------------------------------------------------------


def test_the_section_comes_right_after_a_first_session() -> None:
    headings = re.findall(r"^## .*$", README.read_text(encoding="utf-8"), re.MULTILINE)
    assert headings[headings.index("## A first session") + 1] == HEADING


def test_the_section_covers_install_path_hooks_and_the_first_loop() -> None:
    text = section()
    release = f"syncctl @ git+{DEFAULT_SOURCE}@v{__version__}"
    assert f'pip install "{release}"' in text  # the pinned release init also pins
    assert f'pipx install\n"{release}"' in text or f'pipx install "{release}"' in text
    assert "on PATH" in text
    for command in (
        "syncctl init",
        "pre-commit install",
        "$ syncctl validate --strict",
        "$ syncctl plan\n",
        "$ syncctl apply --yes",
        "$ syncctl plan --detailed-exitcode",
    ):
        assert command in text, command
    for written in INIT_FILES - {".github/workflows/apply.yml", ".github/workflows/drift.yml"}:
        assert f"`{written}" in text, written  # every file init writes is explained


def test_the_first_toml_block_is_the_file_init_writes() -> None:
    template = REPO / "src" / "syncctl" / "data" / "init" / "syncctl.toml"
    assert len(TOML) >= 2
    assert TOML[0] == template.read_text(encoding="utf-8")


@pytest.mark.parametrize("snippet", TOML, ids=[f"toml-{i}" for i in range(len(TOML))])
def test_every_toml_snippet_is_complete(
    snippet: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pasted as the whole syncctl.toml of an initialised repository, it loads and validates."""
    runner = CliRunner()
    done = runner.invoke(cli, ["init", str(tmp_path), "--rev", "v0"], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    (tmp_path / "syncctl.toml").write_text(snippet, encoding="utf-8")
    config = load_config(cwd=tmp_path)
    assert config.source == tmp_path / "syncctl.toml"
    assert config.default_environment == "local"
    assert config.environment(None).is_embedded
    monkeypatch.chdir(tmp_path)
    validated = runner.invoke(cli, ["validate", "--strict"], catch_exceptions=False)
    assert (validated.exit_code, validated.stdout) == (0, "1 file checked: no problems found\n")
    planned = runner.invoke(cli, ["plan"], catch_exceptions=False)
    assert planned.exit_code == 0, planned.output
    assert "Plan: 1 to create" in planned.stdout


# -- the walk-through --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """`syncctl` on PATH as after `pip install`, and every cache in a temporary folder."""
    caches = tmp_path_factory.mktemp("own-repo-caches")
    return dict(
        with_syncctl(),
        **GIT_IDENTITY,
        PRE_COMMIT_HOME=str(caches / "pre-commit"),
        PIP_CACHE_DIR=str(caches / "pip"),
        VIRTUALENV_OVERRIDE_APP_DATA=str(caches / "virtualenv"),
        PRE_COMMIT_COLOR="never",
        NO_COLOR="1",
        TMPDIR=str(tmp_path_factory.mktemp("own-repo-tmp")),
    )


def sh(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900
    )


def ok(*args: str, cwd: Path, env: dict[str, str]) -> str:
    done = sh(*args, cwd=cwd, env=env)
    assert done.returncode == 0, (
        f"{' '.join(args)} -> {done.returncode}\n{done.stdout}{done.stderr}"
    )
    return done.stdout


@pytest.fixture(scope="module")
def local_copy(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> tuple[Path, str]:
    """This working tree as one commit of a repository of its own: its path and that commit."""
    copy = tmp_path_factory.mktemp("syncctl-source")
    return copy, snapshot(copy, env)


@pytest.mark.slow
def test_the_walk_through_in_a_new_repository(
    tmp_path: Path, local_copy: tuple[Path, str], env: dict[str, str]
) -> None:
    source, rev = local_copy
    repo = tmp_path / "my-jobs"
    repo.mkdir()
    ok("git", "init", "--quiet", cwd=repo, env=env)
    assert shutil.which("syncctl", path=env["PATH"]) == str(BIN / "syncctl")

    out = ok("syncctl", "init", "--source", str(source), "--rev", rev, cwd=repo, env=env)
    assert f"syncctl init: 9 file(s) written, 0 skipped in {repo}" in out
    assert ok("syncctl", "validate", "--strict", cwd=repo, env=env) == (
        "1 file checked: no problems found\n"
    )
    assert "Plan: 1 to create, 0 to update" in ok("syncctl", "plan", cwd=repo, env=env)
    assert "Apply complete in local: 1 change(s) applied." in ok(
        "syncctl", "apply", "--yes", cwd=repo, env=env
    )
    assert ok("syncctl", "plan", "--detailed-exitcode", cwd=repo, env=env).startswith("No changes.")

    # Nothing but init's files is left to commit: the database, state and locks are ignored.
    untracked = ok("git", "status", "--porcelain", "--untracked-files=all", cwd=repo, env=env)
    assert {line[3:] for line in untracked.splitlines()} == INIT_FILES
    assert (repo / ".syncctl" / "local.sqlite3").is_file()

    # The hooks, as the README sets them up: installed, then run by a commit.
    started = time.monotonic()
    pre_commit = (sys.executable, "-m", "pre_commit")
    ok(*pre_commit, "install", cwd=repo, env=env)
    ok("git", "add", "--all", cwd=repo, env=env)
    commit = sh("git", "commit", "--quiet", "-m", "syncctl init", cwd=repo, env=env)
    output = commit.stdout + commit.stderr
    assert commit.returncode == 0, output
    assert re.search(r"^syncctl validate\.+Passed$", output, re.MULTILINE), output
    assert re.search(r"^syncctl fmt\.+Passed$", output, re.MULTILINE), output
    hooks = ok(*pre_commit, "run", "--all-files", cwd=repo, env=env)
    assert hooks.count("Passed") == 2, hooks
    print(
        f"pre-commit (install of the hook environment included): {time.monotonic() - started:.0f}s"
    )

    # A mistake is caught by the same hook.
    (repo / "jobs/zendesk/broken.yaml").write_text(
        "label: Broken\nresources:\n  - resource: x\n    id: {{a}}\n"
    )
    ok("git", "add", "--all", cwd=repo, env=env)
    refused = sh(*pre_commit, "run", "--all-files", cwd=repo, env=env)
    assert refused.returncode == 1
    assert "jobs/zendesk/broken.yaml:4:9: SJ003 error" in refused.stdout

    workflows = sorted((repo / ".github" / "workflows").glob("*.yml"))
    assert [p.name for p in workflows] == ["apply.yml", "drift.yml", "pr.yml"]
    linted = actionlint(*workflows)
    assert (linted.returncode, linted.stdout, linted.stderr) == (0, "", "")
