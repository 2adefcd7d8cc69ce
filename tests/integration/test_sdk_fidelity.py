"""The official Python SDK against the emulator (scripts/sdk_fidelity.py).

The first run makes ``.venv-sdk`` (git-ignored) and installs ``truto-python-sdk`` from PyPI, like
``make test`` installs the project's own dependencies; later runs reuse it (under a second).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "sdk_fidelity.py"


@pytest.mark.slow
def test_official_sdk_runs_crud_and_pagination_against_the_emulator() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=600
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for step in (
        "create x5",
        "list limit=2 (all pages)",
        "get",
        "update",
        "delete",
        "get after delete -> 404",
        "wire: 3 pages for 5 jobs at limit=2",
    ):
        assert f"PASS  {step}:" in output or f"PASS  {step}\n" in output, output
    assert "FAIL" not in result.stdout
    assert "sdk fidelity: PASS (0 failed)" in result.stdout
