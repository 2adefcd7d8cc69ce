"""validate and workflow files: the kind of a file is its folder, rules run on their kinds, both
folders are checked by default, and the pool gives the same findings as one process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from syncctl.checks import iter_jobs
from syncctl.config import default_config
from syncctl.discovery import default_paths, discover
from syncctl.kinds import SYNC_JOB, WORKFLOW
from syncctl.rules import all_rules
from syncctl.validate import validate_paths, validate_tree

JOB = """\
label: Zendesk tickets
default_runtime_version: 3
mutex_key: zendesk-tickets
resources:
  - resource: ticketing/tickets
    method: list
"""

WORKFLOW_FILE = """\
trigger_name: integrated_account:active
config:
  steps:
    - type: run
      action: run_sync_job
      cron_expression: "0 * * * *"
      config: {sync_job: zendesk/tickets}
"""


def _tree(root: Path, workflows: int = 1, jobs: int = 1) -> None:
    for i in range(jobs):
        path = root / "jobs" / "zendesk" / ("tickets.yaml" if i == 0 else f"t{i}.yaml")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(JOB.replace("Zendesk tickets", f"Tickets {i}"), encoding="utf-8")
    for i in range(workflows):
        path = root / "workflows" / f"w{i}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(WORKFLOW_FILE, encoding="utf-8")


def test_a_file_under_the_workflows_folder_is_a_workflow_file(tmp_path: Path) -> None:
    _tree(tmp_path)
    config = default_config(tmp_path)
    files, _ = discover(default_paths(config))
    loaded = {job.rel: job for job in iter_jobs(files, config)}
    assert set(loaded) == {"jobs/zendesk/tickets.yaml", "workflows/w0.yaml"}
    wf, job = loaded["workflows/w0.yaml"], loaded["jobs/zendesk/tickets.yaml"]
    assert (wf.kind, wf.layout, wf.key) == (WORKFLOW, ("w0.yaml",), "workflow:w0")
    assert (job.kind, job.layout, job.key) == (
        SYNC_JOB,
        ("zendesk", "tickets.yaml"),
        "zendesk/tickets",
    )


def test_with_no_path_both_folders_are_checked_and_jobs_alone_still_work(tmp_path: Path) -> None:
    config = default_config(tmp_path)
    (tmp_path / "jobs").mkdir()
    assert default_paths(config) == [tmp_path / "jobs"]  # no workflows folder: jobs only
    _tree(tmp_path)
    assert default_paths(config) == [tmp_path / "jobs", tmp_path / "workflows"]
    assert validate_paths(default_paths(config), config).files_checked == 2


def test_job_rules_skip_workflow_files_and_workflow_rules_skip_job_files(tmp_path: Path) -> None:
    _tree(tmp_path)
    # a workflow with a job's mistakes (SJ005 layout, SJ006 label, SJ702) and a job in
    # workflows/ clothing: neither kind's rules may judge the other's files
    (tmp_path / "workflows" / "w0.yaml").write_text(
        WORKFLOW_FILE.replace(
            "config: {sync_job: zendesk/tickets}", "config: {sync_job: zendesk/none}"
        ),
        encoding="utf-8",
    )
    config = default_config(tmp_path)
    report = validate_paths(default_paths(config), config)
    assert [(f.file, f.rule) for f in report.findings] == [("workflows/w0.yaml", "SJ901")]
    kinds = {info.id: info.kinds for info in all_rules().rules.values()}
    assert kinds["SJ005"] == kinds["SJ006"] == frozenset({"sync_job"})
    assert kinds["SJ906"] == frozenset({"workflow"})
    assert kinds["SJ001"] == kinds["SJ010"] == kinds["SJ803"] == frozenset({"sync_job", "workflow"})


def test_one_workflow_file_is_judged_with_the_jobs_on_disk(tmp_path: Path) -> None:
    _tree(tmp_path)
    config = default_config(tmp_path)
    assert validate_paths([tmp_path / "workflows" / "w0.yaml"], config).findings == ()
    broken = tmp_path / "workflows" / "w0.yaml"
    broken.write_text(WORKFLOW_FILE.replace("tickets}", "tikets}"), encoding="utf-8")
    (finding,) = validate_paths([broken], config).findings
    assert (finding.file, finding.line, finding.column, finding.rule) == (
        "workflows/w0.yaml",
        7,
        26,
        "SJ901",
    )
    assert finding.hint == "did you mean 'zendesk/tickets'?"


def test_a_configured_workflows_folder_is_the_one_read(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / "workflows").rename(tmp_path / "flows")
    toml = tmp_path / "syncctl.toml"
    toml.write_text('[tool.syncctl]\nworkflows_dir = "flows"\n', encoding="utf-8")
    from syncctl.config import load_config

    config = load_config(toml)
    files, _ = discover(default_paths(config))
    assert [job.kind.name for job in iter_jobs(files, config)] == ["workflow", "sync_job"]


@pytest.mark.skipif(sys.platform != "linux", reason="the pool forks on Linux only")
def test_the_pool_gives_the_same_findings_and_kinds_as_one_process(tmp_path: Path) -> None:
    _tree(tmp_path, workflows=40, jobs=40)
    for i in range(0, 40, 3):  # a third of the workflows: an unknown job and a bad cron
        path = tmp_path / "workflows" / f"w{i}.yaml"
        text = WORKFLOW_FILE.replace("0 * * * *", "0 * * * 9").replace("tickets}", "ticket}")
        path.write_text(text, encoding="utf-8")
    (tmp_path / "workflows" / "w1.yaml").write_text("trigger_name: [\n", encoding="utf-8")
    config = default_config(tmp_path)
    paths = default_paths(config)
    one_jobs, one = validate_tree(paths, config, workers=1)
    pool_jobs, pooled = validate_tree(paths, config, workers=3)
    assert pooled.findings == one.findings
    assert {f.rule for f in one.findings} == {"SJ001", "SJ901", "SJ902"}
    assert [(j.rel, j.kind, j.key) for j in pool_jobs] == [(j.rel, j.kind, j.key) for j in one_jobs]
