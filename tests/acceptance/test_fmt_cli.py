"""``syncctl fmt`` as a user runs it: what it writes, what --check says, the exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

import pytest
from cli_helpers import project, run

FORMATTED = dedent(
    """\
    # Zendesk tickets, nightly.
    label: Zendesk tickets
    default_runtime_version: 3
    resources:
      - resource: ticketing/tickets  # every ticket
        method: list
        query:
          updated_at: "{{previous_run_date}}"
    """
)
MESSY = dedent(
    """\
    # Zendesk tickets, nightly.
    resources:
    - method: list
      resource: ticketing/tickets    # every ticket
      query:
          updated_at: '{{previous_run_date}}'
    label: Zendesk tickets
    default_runtime_version: 3
    """
)
BROKEN = "label: Broken\nresources:\n  - resource: x\n    id: {{a}}\n"


def test_fmt_rewrites_the_jobs_folder_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(
        tmp_path, {"jobs/zendesk/tickets.yaml": MESSY, "jobs/zendesk/done.yaml": FORMATTED}
    )
    code, out, err = run(root, "fmt", monkeypatch=monkeypatch)
    assert (code, err) == (0, "")
    assert out == (
        "reformatted jobs/zendesk/tickets.yaml\n1 file reformatted, 1 file left unchanged\n"
    )
    assert (root / "jobs/zendesk/tickets.yaml").read_text() == FORMATTED
    assert run(root, "fmt", "--check", monkeypatch=monkeypatch)[:2] == (
        0,
        "2 files would be left unchanged\n",
    )


def test_check_lists_files_writes_nothing_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": MESSY})
    code, out, _ = run(root, "fmt", "--check", monkeypatch=monkeypatch)
    assert code == 1
    assert out == "would reformat jobs/zendesk/tickets.yaml\n1 file would be reformatted\n"
    assert (root / "jobs/zendesk/tickets.yaml").read_text() == MESSY


def test_a_broken_file_is_reported_and_left_alone_the_others_formatted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(
        tmp_path, {"jobs/zendesk/broken.yaml": BROKEN, "jobs/zendesk/tickets.yaml": MESSY}
    )
    code, out, err = run(root, "fmt", monkeypatch=monkeypatch)
    assert code == 1
    assert err.startswith("jobs/zendesk/broken.yaml:4:9: SJ003 error: ")
    assert err.endswith("error: jobs/zendesk/broken.yaml: not formatted: fix the errors first\n")
    assert out == (
        "reformatted jobs/zendesk/tickets.yaml\n1 file reformatted, 1 file could not be formatted\n"
    )
    assert (root / "jobs/zendesk/broken.yaml").read_text() == BROKEN
    assert (root / "jobs/zendesk/tickets.yaml").read_text() == FORMATTED


def test_named_files_only_and_json_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, {"jobs/a/one.yaml": MESSY, "jobs/b/two.yaml": MESSY})
    code, out, _ = run(root, "fmt", "--format", "json", "jobs/b/two.yaml", monkeypatch=monkeypatch)
    assert code == 0
    report = json.loads(out)
    assert report["results"] == [
        {"file": "jobs/b/two.yaml", "status": "reformatted", "findings": [], "message": None}
    ]
    assert report["summary"]["reformatted"] == 1
    assert (root / "jobs/a/one.yaml").read_text() == MESSY


def test_quiet_drops_the_summary_and_a_missing_path_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": FORMATTED})
    assert run(root, "-q", "fmt", monkeypatch=monkeypatch)[:2] == (0, "")
    code, out, err = run(root, "fmt", "jobs/nope.yaml", monkeypatch=monkeypatch)
    assert code == 2
    assert "no such file or folder: jobs/nope.yaml" in err
    assert "Traceback" not in out + err
