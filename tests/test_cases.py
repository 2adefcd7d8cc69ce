"""Case folders: each ``tests/cases/*/<name>/`` is a tiny project validated exactly.

``invalid/<name>/expected.json`` lists every finding as ``{"file", "line", "column", "rule"}``
(the whole set must match: nothing missing, nothing extra). ``valid/<name>/`` must give no
finding at all, warnings included. A case may carry a ``syncctl.toml``; otherwise the default
configuration rooted at the case folder applies.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from syncctl.config import Config, default_config, load_config
from syncctl.discovery import default_paths
from syncctl.validate import validate_paths

CASES = Path(__file__).parent / "cases"


def _cases(kind: str) -> list[Path]:
    return (
        sorted(p for p in (CASES / kind).iterdir() if p.is_dir()) if (CASES / kind).is_dir() else []
    )


def _config(case: Path) -> Config:
    toml = case / "syncctl.toml"
    return load_config(toml) if toml.is_file() else default_config(case.resolve())


def _findings(case: Path) -> list[dict[str, object]]:
    config = _config(case)
    report = validate_paths(default_paths(config), config)
    return [
        {"file": f.file, "line": f.line, "column": f.column, "rule": f.rule, "message": f.message}
        for f in report.findings
    ]


@pytest.mark.parametrize("case", _cases("invalid"), ids=lambda p: p.name)
def test_invalid_case_reports_exactly_the_expected_findings(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text())
    got = _findings(case)
    assert sorted((f["file"], f["line"], f["column"], f["rule"]) for f in got) == sorted(
        (e["file"], e["line"], e["column"], e["rule"]) for e in expected
    ), json.dumps(got, indent=2)


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.name)
def test_valid_case_has_no_findings(case: Path) -> None:
    assert _findings(case) == []
