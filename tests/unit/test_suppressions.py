"""Suppressions (design §3): the comments the loader finds, how validate applies them and
``[tool.syncctl.rules]``, SJ007, and how each output format shows a suppressed finding."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from syncctl.config import Config, default_config
from syncctl.errors import ConfigError
from syncctl.findings import SUPPRESSED_BY_CONFIG, SUPPRESSED_IN_SOURCE, Finding, Report
from syncctl.loader import Suppression, find_suppressions, load_text
from syncctl.render.findings import FINDINGS
from syncctl.validate import validate_tree

SEARCH = dedent(
    """\
    label: Zendesk tickets
    default_runtime_version: 3
    resources:
      - resource: ticketing/tickets
        method: search{comment}
    """
)


def _project(tmp_path: Path, files: dict[str, str], **rules: str) -> Config:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = default_config(tmp_path.resolve())
    return dataclasses.replace(config, rules=rules) if rules else config


def _report(config: Config, workers: int = 1) -> Report:
    return validate_tree([config.jobs_dir], config, workers=workers)[1]


def _rules(findings: tuple[Finding, ...]) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in findings]


# ---- the comments the loader finds ------------------------------------------------------


def test_loader_finds_trailing_and_own_line_comments() -> None:
    doc = load_text(
        "label: x  # syncctl: ignore[SJ501, sj402] a note\n"
        "# syncctl: ignore-file[SJ702]\n"
        "default_runtime_version: 3\n"
    )
    assert find_suppressions(doc) == (
        Suppression(1, 11, False, ("SJ501", "SJ402"), own_line=False),
        Suppression(2, 1, True, ("SJ702",), own_line=True),
    )


def test_a_comment_inside_a_quoted_or_block_scalar_is_data_not_a_suppression() -> None:
    doc = load_text(
        'label: "a # syncctl: ignore[SJ501]"\n'
        "description: |\n"
        "  # syncctl: ignore-file[SJ501]\n"
        "  more text # syncctl: ignore[SJ501]\n"
        "default_runtime_version: 3\n"
    )
    assert doc.data["label"] == "a # syncctl: ignore[SJ501]"
    assert find_suppressions(doc) == ()


def test_a_file_without_the_mark_costs_nothing_and_has_none() -> None:
    assert find_suppressions(load_text("label: x  # ignore[SJ501]\n")) == ()


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("label: x  # syncctl: disable[SJ501]\n", "is not a suppression"),
        ("label: x  # syncctl: ignore[]\n", "names no rule"),
        ("label: x  # syncctl: ignore-file[SJ501]\n", "must be on a line of its own"),
    ],
)
def test_a_malformed_comment_says_what_is_wrong(line: str, problem: str) -> None:
    (found,) = find_suppressions(load_text(line))
    assert found.problem is not None
    assert problem in found.problem


# ---- applied by validate ----------------------------------------------------------------


def test_a_trailing_ignore_silences_that_rule_on_that_line_only(tmp_path: Path) -> None:
    text = SEARCH.format(comment="   # syncctl: ignore[SJ501]") + (
        "  - resource: ticketing/users\n    method: search\n"
    )
    report = _report(_project(tmp_path, {"jobs/zendesk/tickets.yaml": text}))
    assert _rules(report.findings) == [(7, "SJ501")]
    (silenced,) = report.suppressed
    assert (silenced.line, silenced.rule, silenced.suppressed) == (5, "SJ501", SUPPRESSED_IN_SOURCE)
    assert not report.failed(strict=False)


def test_ignore_file_silences_the_rule_everywhere_in_the_file(tmp_path: Path) -> None:
    text = (
        "# syncctl: ignore-file[SJ501]\n"
        + SEARCH.format(comment="")
        + ("  - resource: ticketing/users\n    method: search\n")
    )
    report = _report(_project(tmp_path, {"jobs/zendesk/tickets.yaml": text}))
    assert report.findings == ()
    assert _rules(report.suppressed) == [(6, "SJ501"), (8, "SJ501")]
    assert not report.failed(strict=True)


def test_a_suppressed_warning_no_longer_fails_strict(tmp_path: Path) -> None:
    loud = _report(_project(tmp_path / "a", {"jobs/zendesk/t.yaml": SEARCH.format(comment="")}))
    assert loud.failed(strict=True)
    quiet = _report(
        _project(
            tmp_path / "b",
            {"jobs/zendesk/t.yaml": SEARCH.format(comment="  # syncctl: ignore[SJ501]")},
        )
    )
    assert not quiet.failed(strict=True)
    assert quiet.summary()["suppressed"] == 1


def test_syntax_errors_cannot_be_suppressed(tmp_path: Path) -> None:
    text = "label: x\nlabel: y  # syncctl: ignore[SJ002]\ndefault_runtime_version: 3\n"
    report = _report(_project(tmp_path, {"jobs/zendesk/t.yaml": text}))
    assert ("SJ002", 2) in {(f.rule, f.line) for f in report.errors}
    (stale,) = [f for f in report.findings if f.rule == "SJ007"]
    assert "SJ002: syntax errors cannot be suppressed" in stale.message


def test_sj007_names_the_rule_ids_that_silenced_nothing(tmp_path: Path) -> None:
    text = SEARCH.format(comment="  # syncctl: ignore[SJ501,SJ402,SJ5O1]")
    report = _report(_project(tmp_path, {"jobs/zendesk/t.yaml": text}))
    (stale,) = report.findings
    assert (stale.rule, stale.line, stale.column, str(stale.severity)) == (
        "SJ007",
        5,
        21,
        "warning",
    )
    assert "SJ402 silenced nothing" in stale.message
    assert "SJ5O1 is no rule" in stale.message
    assert "SJ501" not in stale.message


def test_an_own_line_ignore_is_stale_and_the_hint_says_where_it_goes(tmp_path: Path) -> None:
    text = SEARCH.format(comment="").replace(
        "    method: search", "    # syncctl: ignore[SJ501]\n    method: search"
    )
    report = _report(_project(tmp_path, {"jobs/zendesk/t.yaml": text}))
    assert _rules(report.findings) == [(5, "SJ007"), (6, "SJ501")]
    assert "end of the line" in (report.findings[0].hint or "")


def test_sj007_itself_can_be_silenced_and_stale_sj007_is_reported(tmp_path: Path) -> None:
    silenced = "# syncctl: ignore-file[SJ007]\n" + SEARCH.format(
        comment="  # syncctl: ignore[SJ402]"
    )
    report = _report(_project(tmp_path / "a", {"jobs/zendesk/t.yaml": silenced}))
    assert _rules(report.findings) == [(6, "SJ501")]
    assert _rules(report.suppressed) == [(6, "SJ007")]
    idle = "# syncctl: ignore-file[SJ007]\n" + SEARCH.format(comment="")
    report = _report(_project(tmp_path / "b", {"jobs/zendesk/t.yaml": idle}))
    assert _rules(report.findings) == [(1, "SJ007"), (6, "SJ501")]


def test_a_cross_file_finding_can_be_suppressed(tmp_path: Path) -> None:
    one = "label: Same  # syncctl: ignore[SJ006]\ndefault_runtime_version: 3\n" + (
        "resources:\n  - resource: ticketing/tickets\n    method: list\n"
    )
    two = one.replace("  # syncctl: ignore[SJ006]", "")
    config = _project(tmp_path, {"jobs/zendesk/a.yaml": one, "jobs/zendesk/b.yaml": two})
    report = _report(config)
    assert [(f.file, f.rule) for f in report.findings] == [("jobs/zendesk/b.yaml", "SJ006")]
    assert [(f.file, f.rule) for f in report.suppressed] == [("jobs/zendesk/a.yaml", "SJ006")]


def test_findings_are_the_same_with_one_process_and_a_pool(tmp_path: Path) -> None:
    if sys.platform != "linux":
        pytest.skip("the pool forks on Linux only")
    files = {
        f"jobs/zendesk/job-{i}.yaml": SEARCH.format(
            comment="  # syncctl: ignore[SJ501]" if i % 2 else "  # syncctl: ignore[SJ402]"
        ).replace("Zendesk tickets", f"Job {i}")
        for i in range(6)
    }
    config = _project(tmp_path, files)
    one, two = _report(config, workers=1), _report(config, workers=2)
    assert one == two
    assert len(one.suppressed) == 3
    assert len(one.findings) == 6  # SJ501 and SJ007 on each even job


# ---- [tool.syncctl.rules] ----------------------------------------------------------------


def test_config_turns_a_rule_off_or_changes_its_severity(tmp_path: Path) -> None:
    files = {"jobs/zendesk/t.yaml": SEARCH.format(comment="")}
    off = _report(_project(tmp_path / "a", files, SJ501="off"))
    assert off.findings == ()
    assert [f.suppressed for f in off.suppressed] == [SUPPRESSED_BY_CONFIG]
    error = _report(_project(tmp_path / "b", files, SJ501="error"))
    assert [str(f.severity) for f in error.errors] == ["error"]
    assert error.failed()


def test_config_may_not_touch_syntax_errors_or_unknown_rules(tmp_path: Path) -> None:
    files = {"jobs/zendesk/t.yaml": SEARCH.format(comment="")}
    with pytest.raises(ConfigError, match="SJ002 = 'off': syntax errors"):
        _report(_project(tmp_path, files, SJ002="off"))
    with pytest.raises(ConfigError, match="SJ999 is not a rule"):
        _report(_project(tmp_path, files, SJ999="warning"))


# ---- outputs -----------------------------------------------------------------------------


def test_each_format_shows_a_suppressed_finding_as_design_says(tmp_path: Path) -> None:
    text = SEARCH.format(comment="  # syncctl: ignore[SJ501]")
    report = _report(_project(tmp_path, {"jobs/zendesk/t.yaml": text}))
    data = json.loads(FINDINGS.render("json", report))
    (finding,) = data["findings"]
    assert finding["suppressed"] is True
    assert finding["suppression"] == "in-source"
    assert data["summary"]["suppressed"] == 1
    (result,) = json.loads(FINDINGS.render("sarif", report))["runs"][0]["results"]
    assert result["suppressions"] == [{"kind": "inSource", "status": "accepted"}]
    shown = FINDINGS.render("text", report)
    assert "SJ501" not in shown
    assert shown == "1 file checked: no problems found (1 suppressed)\n"
    assert "SJ501" not in FINDINGS.render("github", report)


def test_strict_summary_says_why_it_failed(tmp_path: Path) -> None:
    report = _report(_project(tmp_path, {"jobs/zendesk/t.yaml": SEARCH.format(comment="")}))
    assert report.failure_reason() is None
    strict = report.under_strict(True)
    assert strict.failure_reason() == "failed: 1 warning under --strict"
    assert FINDINGS.render("text", strict).endswith(
        "1 file checked: 0 errors, 1 warning in 1 file(s); failed: 1 warning under --strict\n"
    )
