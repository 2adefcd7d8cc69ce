"""Property tests: the loader and ``validate`` never raise, whatever the input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncctl.config import default_config
from syncctl.findings import Report
from syncctl.loader import load_text
from syncctl.validate import validate_paths

# JSON-like values whose strings cannot be mistaken for another type in YAML 1.1 or 1.2.
safe_text = st.text(st.characters(codec="utf-8", categories=["L", "N"]), min_size=1, max_size=8)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | safe_text.map(lambda s: "s" + s),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(safe_text.map(lambda s: "k" + s), children, max_size=4)
    ),
    max_leaves=20,
)
yaml_snippets = st.lists(
    st.sampled_from(
        [
            "a:",
            " b",
            "- ",
            "{{",
            "}}",
            "&x",
            "*x",
            "!!",
            "---",
            "'",
            '"',
            "\n",
            "  ",
            ":",
            "[",
            "]",
            "{",
            "}",
            "|",
            ">",
            "#",
            "?",
            "\t",
            "\ufeff",
            "yes",
            "~",
            "%YAML 1.1",
            "\x00",
            "\\",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300) | yaml_snippets)
def test_loader_never_raises_on_any_text(text: str) -> None:
    doc = load_text(text, "t.yaml")
    for finding in doc.findings:
        assert finding.line >= 1
        assert finding.column >= 1
        assert finding.rule.startswith("SJ00")


@settings(max_examples=200)
@given(st.binary(max_size=200))
def test_loader_never_raises_on_any_bytes(raw: bytes) -> None:
    load_text(raw, "b.yaml")


@settings(max_examples=200)
@given(json_values)
def test_loader_reads_back_what_a_yaml_dumper_wrote(value: Any) -> None:
    for style in (False, True, None):
        doc = load_text(yaml.safe_dump(value, default_flow_style=style), "v.yaml")
        assert doc.findings == ()
        assert doc.data == value


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=200) | yaml_snippets, min_size=1, max_size=4))
def test_validate_never_raises_on_arbitrary_files(tmp_path: Path, texts: list[str]) -> None:
    root = tmp_path / "project"
    folder = root / "jobs" / "zendesk"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for i, text in enumerate(texts):
        (folder / f"job-{i}.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    config = default_config(root)
    report = validate_paths([config.jobs_dir], config)
    assert isinstance(report, Report)
    assert report.files_checked == len(texts)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(json_values)
def test_validate_never_raises_on_arbitrary_yaml_data(tmp_path: Path, value: Any) -> None:
    root = tmp_path / "project"
    folder = root / "jobs" / "zendesk"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "job.yaml").write_text(yaml.safe_dump(value), encoding="utf-8")
    config = default_config(root)
    report = validate_paths([config.jobs_dir], config)
    assert report.files_checked == 1
