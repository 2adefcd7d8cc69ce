"""Shared helpers of the acceptance tests: a tiny project on disk, and the CLI run in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from syncctl.cli.main import cli

LOCAL_ONLY = '[environments.local]\nurl = "embedded:.syncctl/local.sqlite3"\n'


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path -> text) and a syncctl.toml with one embedded env."""
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "syncctl.toml").write_text(LOCAL_ONLY, encoding="utf-8")
    return tmp_path


def run(root: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """``syncctl ARGS`` in ``root``: exit code, stdout, stderr."""
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr
