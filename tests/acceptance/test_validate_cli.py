"""``syncctl validate`` as a user runs it: exit codes, every output format, the GitHub caps."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest
from cli_helpers import project, run
from user_repo import GOOD_JOB

DUPLICATE = GOOD_JOB + "label: again\n"  # SJ002 at line 6
YES = GOOD_JOB.replace("method: list", "method: list\n    query:\n      archived: no")


def test_clean_tree_exits_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": GOOD_JOB})
    code, out, _ = run(root, "validate", monkeypatch=monkeypatch)
    assert (code, out) == (0, "1 file checked: no problems found\n")


def test_error_exits_1_with_a_compiler_style_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": DUPLICATE})
    code, out, _ = run(root, "validate", monkeypatch=monkeypatch)
    assert code == 1
    assert out.splitlines()[0] == (
        "jobs/zendesk/tickets.yaml:6:1: SJ002 error: duplicate key 'label' "
        "(the last one would silently win) (hint: remove or rename one of the keys)"
    )


def test_warning_passes_unless_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": YES})
    code, out, _ = run(root, "validate", monkeypatch=monkeypatch)
    assert code == 0
    assert "jobs/zendesk/tickets.yaml:7:17: SJ004 warning" in out
    code, _, _ = run(root, "validate", "--strict", monkeypatch=monkeypatch)
    assert code == 1


def test_missing_path_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": GOOD_JOB})
    code, out, err = run(root, "validate", "jobs/nope.yaml", monkeypatch=monkeypatch)
    assert code == 2
    assert out == ""
    assert err == "syncctl: error: no such file or folder: jobs/nope.yaml (hint: check the path)\n"


def test_unknown_format_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": GOOD_JOB})
    code, _, err = run(root, "validate", "--format", "xml", monkeypatch=monkeypatch)
    assert code == 2
    assert "Invalid value for '--format'" in err


def test_json_output_has_the_documented_shape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": DUPLICATE})
    code, out, _ = run(root, "validate", "--format", "json", monkeypatch=monkeypatch)
    assert code == 1
    data = json.loads(out)
    assert data["format_version"] == 1
    assert data["findings"] == [
        {
            "file": "jobs/zendesk/tickets.yaml",
            "line": 6,
            "column": 1,
            "rule": "SJ002",
            "severity": "error",
            "message": "duplicate key 'label' (the last one would silently win)",
            "path": "$.label",
            "hint": "remove or rename one of the keys",
        }
    ]
    assert data["summary"] == {
        "files_checked": 1,
        "files_with_findings": 1,
        "errors": 1,
        "warnings": 0,
    }


def test_github_output_respects_the_annotation_caps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Labels differ per file so that no other rule (SJ006: same label) joins in.
    files = {
        f"jobs/zendesk/job-{i:02}.yaml": DUPLICATE.replace("label: again", f"label: z{i}")
        for i in range(15)
    }
    files.update(
        {f"jobs/hubspot/job-{i:02}.yaml": YES.replace("tickets", f"h{i}") for i in range(12)}
    )
    root = project(tmp_path, files)
    code, out, _ = run(root, "validate", "--format", "github", monkeypatch=monkeypatch)
    assert code == 1
    lines = out.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    notices = [line for line in lines if line.startswith("::notice ")]
    assert len(errors) == 10
    assert len(warnings) == 10
    assert notices == [
        "::notice title=syncctl::7 more finding(s) not annotated (GitHub shows 10 per kind); "
        "all are listed in the log below"
    ]
    # Errors come first, and every annotation names the file, line and column.
    assert lines.index(errors[-1]) < lines.index(warnings[0])
    assert errors[0].startswith("::error file=jobs/zendesk/job-00.yaml,line=6,col=1,title=SJ002::")
    # Every finding still appears as a plain log line.
    assert sum(1 for line in lines if ": SJ00" in line and not line.startswith("::")) == 27


def test_github_escapes_workflow_command_data() -> None:
    from syncctl.findings import Finding, Severity
    from syncctl.render.findings_github import annotation

    finding = Finding("a,b:c.yaml", 1, 2, "SJ001", Severity.ERROR, "50% bad\nnext")
    assert (
        annotation(finding)
        == "::error file=a%2Cb%3Ac.yaml,line=1,col=2,title=SJ001::50%25 bad%0Anext"
    )


def test_sarif_output_names_rules_and_locations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": DUPLICATE})
    code, _, _ = run(
        root, "validate", "--format", "sarif", "--output", "out.sarif", monkeypatch=monkeypatch
    )
    assert code == 1
    sarif = json.loads((root / "out.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    rule_ids = [rule["id"] for rule in run_["tool"]["driver"]["rules"]]
    assert {"SJ001", "SJ002", "SJ003", "SJ004"} <= set(rule_ids)
    (result,) = run_["results"]
    assert result["ruleId"] == "SJ002"
    assert rule_ids[result["ruleIndex"]] == "SJ002"
    assert result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "jobs/zendesk/tickets.yaml"
    assert location["region"] == {"startLine": 6, "startColumn": 1}


def test_one_broken_file_never_hides_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(
        tmp_path,
        {
            "jobs/zendesk/a.yaml": "label: [unclosed\n",
            "jobs/zendesk/b.yaml": DUPLICATE,
            "jobs/zendesk/c.yaml": "\x00\x01binary",
        },
    )
    code, out, _ = run(root, "validate", "--format", "json", monkeypatch=monkeypatch)
    assert code == 1
    by_file = {f["file"]: f["rule"] for f in json.loads(out)["findings"] if f["rule"] < "SJ005"}
    assert by_file == {
        "jobs/zendesk/a.yaml": "SJ001",
        "jobs/zendesk/b.yaml": "SJ002",
        "jobs/zendesk/c.yaml": "SJ001",
    }


def test_validate_path_does_not_import_the_http_client(tmp_path: Path) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": GOOD_JOB})
    script = dedent(
        """\
        import sys
        from syncctl.cli.main import main
        try:
            main(["validate"])
        except SystemExit as exit:
            heavy = sorted(m for m in sys.modules if m.split(".")[0] in {"httpx", "sqlite3"})
            print("exit", exit.code, "heavy", heavy)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-1] == "exit 0 heavy []"
