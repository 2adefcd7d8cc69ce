"""The shared loader: data, exact locations, and a finding (never an exception) for bad input."""

from __future__ import annotations

import time
from pathlib import Path
from textwrap import dedent

import pytest

from syncctl import loader
from syncctl.findings import Severity
from syncctl.loader import load_file, load_text


def rules_at(text: str) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.column) for f in load_text(dedent(text), "f.yaml").findings]


def test_locates_keys_and_values_exactly() -> None:
    doc = load_text(
        dedent(
            """\
            label: x
            resources:
              - resource: ticketing/tickets
                query:
                  ticket_id: "{{resources.a.b.id}}"
            """
        )
    )
    assert doc.locate(("resources", 0, "query", "ticket_id")) == (5, 18)
    assert doc.locate(("resources", 0, "query", "ticket_id"), key=True) == (5, 7)
    assert doc.locate(("resources", 0)) == (3, 5)
    # An absent path falls back to its nearest existing ancestor.
    assert doc.locate(("resources", 0, "method")) == (3, 5)
    assert doc.locate(("nope",)) == (1, 1)


def test_yaml12_booleans_and_yaml11_lookalikes() -> None:
    doc = load_text("a: true\nb: False\nc: yes\nd: 'on'\ne: n\n")
    assert doc.data == {"a": True, "b": False, "c": "yes", "d": "on", "e": "n"}
    assert [(f.rule, f.line, f.column, f.severity) for f in doc.findings] == [
        ("SJ004", 3, 4, Severity.WARNING),
        ("SJ004", 5, 4, Severity.WARNING),
    ]


def test_scalars_follow_the_yaml12_core_schema() -> None:
    doc = load_text("a: 010\nb: 0o17\nc: 0x1F\nd: 1.5e3\ne: ~\nf: 2024-01-01\ng: 1:20\nh: .inf\n")
    assert doc.data == {
        "a": 10,
        "b": 15,
        "c": 31,
        "d": 1500.0,
        "e": None,
        "f": "2024-01-01",
        "g": "1:20",
        "h": float("inf"),
    }
    assert doc.findings == ()


def test_duplicate_key_is_sj002_at_the_second_key() -> None:
    assert rules_at(
        """\
        label: a
        resources: []
        label: b
        """
    ) == [("SJ002", 3, 1)]


def test_unquoted_placeholder_is_sj003_and_reads_back_as_the_string() -> None:
    doc = load_text("id: {{args.user_id}}\nq:\n  x: {{ args.n }}\n")
    assert doc.data == {"id": "{{args.user_id}}", "q": {"x": "{{ args.n }}"}}
    assert [(f.rule, f.line, f.column, f.hint) for f in doc.findings] == [
        ("SJ003", 1, 5, 'quote it: "{{args.user_id}}"'),
        ("SJ003", 3, 6, 'quote it: "{{ args.n }}"'),
    ]


def test_unquoted_placeholder_as_a_key_is_sj003() -> None:
    assert rules_at("{{args.k}}: 1\n") == [("SJ003", 1, 1)]


def test_placeholder_that_breaks_the_syntax_gets_a_quoting_hint() -> None:
    doc = load_text("id: {{args.x}}-suffix\n")
    (finding,) = doc.findings
    assert (finding.rule, finding.line) == ("SJ001", 1)
    assert finding.hint is not None
    assert "quote" in finding.hint
    assert doc.data is None


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: !!python/object/apply:os.system ['true']\n", (1, 4)),
        ("a: !custom x\n", (1, 4)),
        ("a: !!binary aGVsbG8=\n", (1, 4)),
        ("a: !!set {x}\n", (1, 4)),
        ("1: x\n", (1, 1)),
        ("[a, b]: x\n", (1, 1)),
        ("a: !!int nope\n", (1, 4)),
    ],
)
def test_custom_tags_and_non_string_keys_are_sj001(text: str, where: tuple[int, int]) -> None:
    doc = load_text(text)
    assert [(f.rule, f.line, f.column) for f in doc.findings] == [("SJ001", *where)]


def test_syntax_error_is_placed_at_the_problem() -> None:
    doc = load_text("a: 1\nb: [1, 2\nc: 3\n")
    (finding,) = doc.findings
    assert finding.rule == "SJ001"
    assert finding.line == 3
    assert finding.message.startswith("YAML syntax error")


def test_several_documents_are_refused() -> None:
    (finding,) = load_text("a: 1\n---\nb: 2\n").findings
    assert finding.rule == "SJ001"
    assert finding.hint is not None
    assert "one job per file" in finding.hint


def test_billion_laughs_is_rejected_quickly() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    started = time.perf_counter()
    doc = load_text("\n".join(lines) + "\n")
    elapsed = time.perf_counter() - started
    assert [f.rule for f in doc.findings] == ["SJ001"]
    assert "alias bomb" in doc.findings[0].message
    assert doc.data is None
    assert elapsed < 1.0


def test_self_referencing_alias_is_rejected() -> None:
    doc = load_text("a: &x [1, *x]\n")
    assert [f.rule for f in doc.findings] == ["SJ001"]


def test_small_alias_use_is_fine() -> None:
    doc = load_text("q: &q {page: 1}\nr: *q\n")
    assert doc.data == {"q": {"page": 1}, "r": {"page": 1}}
    assert doc.findings == ()


def test_oversized_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (loader.MAX_BYTES + 10) + b"\n")
    doc = load_file(big, "big.yaml")
    (finding,) = doc.findings
    assert finding.rule == "SJ001"
    assert "limit" in finding.message
    assert f"{loader.MAX_BYTES + 14:,}" in finding.message


def test_invalid_utf8_is_placed_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    (finding,) = load_file(path, "bad.yaml").findings
    assert (finding.rule, finding.line, finding.column) == ("SJ001", 2, 7)
    assert "UTF-8" in finding.message


def test_nul_byte_is_refused() -> None:
    (finding,) = load_text(b"a: 1\nb: \x00\n").findings
    assert (finding.rule, finding.line) == ("SJ001", 2)


def test_unreadable_file_is_a_finding(tmp_path: Path) -> None:
    (finding,) = load_file(tmp_path, "dir.yaml").findings
    assert finding.rule == "SJ001"
    assert "cannot read" in finding.message


def test_empty_document_has_no_data_and_no_findings() -> None:
    doc = load_text("# only a comment\n")
    assert doc.data is None
    assert doc.findings == ()


def test_utf8_bom_is_accepted() -> None:
    assert load_text("\ufeffa: 1\n".encode()).data == {"a": 1}


def test_a_document_without_its_tree_still_places_findings_exactly() -> None:
    doc = load_text("label: x\nresources:\n  - resource: a\n    method: list\n", "f.yaml")
    light = doc.without_tree()
    assert light.root is None
    assert light.data == doc.data
    for path, key in [((), False), (("resources", 0, "method"), False), (("label",), True)]:
        assert light.locate(path, key=key) == doc.locate(path, key=key)
    assert light.locate(("resources", 0, "method")) == (4, 13)
