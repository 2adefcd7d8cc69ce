"""``syncctl validate --workers N`` and ``SYNCCTL_WORKERS``: the pool is invisible in the output."""

from __future__ import annotations

import sys
from pathlib import Path
from textwrap import dedent

import pytest
from cli_helpers import project, run

CLEAN = dedent(
    """\
    label: Tickets {n}
    default_runtime_version: 3
    resources:
      - resource: ticketing/tickets
        method: list
    """
)
BROKEN = CLEAN + "label: again\n"  # SJ002


def _tree(tmp_path: Path) -> Path:
    files = {f"jobs/zendesk/t{n:02d}.yaml": CLEAN.format(n=n) for n in range(12)}
    files["jobs/zendesk/t03.yaml"] = BROKEN.format(n=3)
    files["jobs/zendesk/t10.yaml"] = BROKEN.format(n=10).replace("Tickets 10", "Tickets 1")
    return project(tmp_path, files)


@pytest.mark.skipif(sys.platform != "linux", reason="the pool forks on Linux only")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_workers_give_the_same_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    root = _tree(tmp_path)
    alone = run(root, "validate", "--format", fmt, "--workers", "1", monkeypatch=monkeypatch)
    pooled = run(root, "validate", "--format", fmt, "-j", "3", monkeypatch=monkeypatch)
    assert pooled == alone
    assert alone[0] == 1
    assert "SJ002" in alone[1]
    assert "SJ006" in alone[1]  # t01 and t10 share a label: a cross-file finding


def test_workers_must_be_at_least_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(_tree(tmp_path), "validate", "--workers", "0", monkeypatch=monkeypatch)
    assert (code, out) == (2, "")
    assert "Invalid value for '--workers' / '-j': 0 is not in the range x>=1." in err


def test_a_bad_workers_variable_exits_2_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNCCTL_WORKERS", "many")
    code, out, err = run(_tree(tmp_path), "validate", monkeypatch=monkeypatch)
    assert (code, out) == (2, "")
    assert err == (
        "syncctl: error: SYNCCTL_WORKERS must be a whole number >= 1, not 'many' "
        "(hint: set SYNCCTL_WORKERS=1 to validate in one process, or unset it)\n"
    )
