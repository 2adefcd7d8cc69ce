"""``syncctl fmt`` as a user runs it: what it writes, what --check says, the exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from textwrap import dedent

import pytest
import yaml
from cli_helpers import project, run

REPO = Path(__file__).resolve().parents[2]

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


WORKFLOW_FORMATTED = dedent(
    """\
    description: Tickets every six hours
    trigger_name: integrated_account:active
    config:
      steps:
        - type: run
          action: run_sync_job
          cron_expression: 0 */6 * * *  # UTC
          config: {sync_job: zendesk/tickets, args: {full: true}}
    """
)
WORKFLOW_MESSY = dedent(
    """\
    config:
      steps:
      - config: {args: {full: true}, sync_job: zendesk/tickets}
        cron_expression: 0 */6 * * *    # UTC
        action: run_sync_job
        type: run
    trigger_name: integrated_account:active
    description: Tickets every six hours
    """
)


def test_fmt_formats_the_jobs_and_the_workflows_folders_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(
        tmp_path, {"jobs/zendesk/tickets.yaml": MESSY, "workflows/tickets.yaml": WORKFLOW_MESSY}
    )
    code, out, _ = run(root, "fmt", "--check", monkeypatch=monkeypatch)
    assert (code, out) == (
        1,
        "would reformat jobs/zendesk/tickets.yaml\nwould reformat workflows/tickets.yaml\n"
        "2 files would be reformatted\n",
    )
    assert run(root, "fmt", monkeypatch=monkeypatch)[:2] == (
        0,
        "reformatted jobs/zendesk/tickets.yaml\nreformatted workflows/tickets.yaml\n"
        "2 files reformatted\n",
    )
    assert (root / "workflows/tickets.yaml").read_text() == WORKFLOW_FORMATTED
    assert (root / "jobs/zendesk/tickets.yaml").read_text() == FORMATTED


def test_the_configured_workflows_folder_is_formatted_as_workflows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"flows/tickets.yaml": WORKFLOW_MESSY, "jobs/.gitkeep": ""})
    (root / "syncctl.toml").write_text('workflows_dir = "flows"\n', encoding="utf-8")
    code, out, _ = run(root, "fmt", monkeypatch=monkeypatch)
    assert (code, out) == (0, "reformatted flows/tickets.yaml\n1 file reformatted\n")
    assert (root / "flows/tickets.yaml").read_text() == WORKFLOW_FORMATTED


def test_the_published_fmt_hook_covers_job_and_workflow_files() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (declared,) = [h for h in hooks if h["id"] == "syncctl-fmt"]
    files = re.compile(declared["files"])
    for path in ("jobs/zendesk/tickets.yaml", "jobs/_multi/x.yaml", "workflows/onboarding.yaml"):
        assert files.search(path), path
    for path in ("workflows/README.md", "src/syncctl/fmt.py", "pyproject.toml", "x/jobs/a.yml"):
        assert not files.search(path), path
