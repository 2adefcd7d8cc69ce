"""A user's repository as the tests build it: a job that validates clean, git with a fixed
identity, ``syncctl`` on PATH, and this working tree as a repository of its own (what the hook
and walk-through tests install from, so they test the code as it is here)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from textwrap import dedent

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # where `pip install` put the syncctl console script
GOOD_JOB = dedent(
    """\
    label: Zendesk tickets
    default_runtime_version: 3
    resources:
      - resource: ticketing/tickets
        method: list
    """
)
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "syncctl tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "syncctl tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,  # the developer's git settings play no part
    "GIT_CONFIG_NOSYSTEM": "1",
}


def with_syncctl(env: Mapping[str, str] = os.environ) -> dict[str, str]:
    """``env`` with ``BIN`` first on PATH: ``syncctl`` is found as after ``pip install``."""
    return dict(env, PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")


def git(*args: str, cwd: Path, env: Mapping[str, str] = os.environ) -> str:
    """``git ARGS`` in ``cwd`` as the test identity; its stdout (a failure raises)."""
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env=dict(env, **GIT_IDENTITY),
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def snapshot(into: Path, env: Mapping[str, str] = os.environ) -> str:
    """This working tree (tracked and new, unignored files) committed into a new repository at
    ``into``; the commit. A plain ``git clone`` would hold HEAD, not uncommitted changes."""
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO, env=env)
    for rel in filter(None, listed.split("\0")):
        source = REPO / rel
        if source.is_file():  # a tracked file deleted in the working tree is left out
            target = into / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git("init", "--quiet", cwd=into, env=env)
    git("add", "--all", cwd=into, env=env)
    git("commit", "--quiet", "--no-verify", "-m", "snapshot", cwd=into, env=env)
    return git("rev-parse", "HEAD", cwd=into, env=env).strip()
