"""Offsets inside a YAML string value, placed in the file for every scalar style."""

from __future__ import annotations

import pytest
import yaml

from syncctl.loader import load_text
from syncctl.rules._scalar_offsets import file_position, source_index


def _place(text: str, offset: int) -> tuple[int, int]:
    doc = load_text(text)
    node = doc.node_at(("x",))
    assert isinstance(node, yaml.ScalarNode)
    return file_position(text, node, offset)


def _char_at(text: str, line: int, column: int) -> str:
    return text.splitlines()[line - 1][column - 1]


def test_plain_one_line() -> None:
    text = "x: $exists(args.a) and b\n"
    assert _place(text, 2) == (1, 6)
    assert _char_at(text, 1, 6) == "x"


def test_plain_folded_over_lines() -> None:
    text = "x: a and\n  $f(b)\n"
    assert load_text(text).data == {"x": "a and $f(b)"}
    assert _place(text, 6) == (2, 3)  # the "$"
    assert _place(text, 5) == (1, 9)  # the folded line break


def test_single_quoted_with_doubled_quote() -> None:
    text = "x: 'it''s '' & `a-b`.c'\n"
    value = load_text(text).data["x"]
    assert value == "it's ' & `a-b`.c"
    offset = value.index("`")
    line, column = _place(text, offset)
    assert _char_at(text, line, column) == "`"
    assert _place(text, 2) == (1, 7)  # the "'" of it's stands at the first of the pair


def test_double_quoted_with_escapes() -> None:
    text = 'x: "a\\t\\"b\\" \\u00e9 $g()"\n'
    value = load_text(text).data["x"]
    assert value == 'a\t"b" é $g()'
    assert _place(text, value.index("$")) == (1, 1 + text.index("$"))
    assert _place(text, value.index("é")) == (1, 1 + text.index("\\u00e9"))


def test_double_quoted_escaped_line_break_and_folding() -> None:
    text = 'x: "ab\\\n   cd\n   ef"\n'
    value = load_text(text).data["x"]
    assert value == "abcd ef"
    assert _place(text, 2) == (2, 4)  # c
    assert _place(text, 5) == (3, 4)  # e


def test_literal_block() -> None:
    text = 'x: |\n  {\n    "a": 1\n  }\n'
    value = load_text(text).data["x"]
    assert value == '{\n  "a": 1\n}\n'
    assert _place(text, value.index('"')) == (3, 5)
    assert _place(text, value.index("}")) == (4, 3)


def test_folded_block_and_strip_chomping() -> None:
    text = "x: >-\n  sync_job_run.status = 'completed' ?\n  $dtFromIso(x)\n"
    value = load_text(text).data["x"]
    assert value == "sync_job_run.status = 'completed' ? $dtFromIso(x)"
    assert _place(text, value.index("$")) == (3, 3)


def test_folded_block_keeps_empty_lines_and_more_indented_lines() -> None:
    text = "x: >\n  a\n\n  b\n    c\n  d\n"
    value = load_text(text).data["x"]
    assert value == "a\nb\n  c\nd\n"
    for offset, char in enumerate(value):
        if char.strip():
            line, column = _place(text, offset)
            assert _char_at(text, line, column) == char


def test_explicit_indentation_indicator_falls_back_to_the_scalar_start() -> None:
    text = "x: |2\n    a\n"
    assert _place(text, 2) == (1, 4)


def test_text_that_does_not_line_up_is_uncertain() -> None:
    assert source_index("abc", None, "abx", 2) is None
    assert source_index('"a\\qb"', '"', "aqb", 2) is None  # an escape YAML does not know


def test_offset_outside_the_value_is_uncertain() -> None:
    assert source_index("abc", None, "abc", 3) is None
    assert source_index("abc", None, "abc", -1) is None


VALUES = [
    '{"last_synced_at": resources.`read-cursor`.value}',
    "sync_job_run.status = 'completed' ? $dtFromIso(sync_job_run.started_at).toISO()",
    '$match(s, /\\d+"x"/) & "tab\there" & \'q\'',
    "a\nb  c\n\n  d # not a comment\n",
    "élan $f(ü) 😀 $g()",
]


@pytest.mark.parametrize("style", [None, "'", '"', "|", ">"])
@pytest.mark.parametrize("value", VALUES)
def test_every_visible_character_lands_on_itself(style: str | None, value: str) -> None:
    text = yaml.dump({"x": value}, default_style=style, allow_unicode=True, width=30)
    assert load_text(text).data == {"x": value}
    node = load_text(text).node_at(("x",))
    assert isinstance(node, yaml.ScalarNode)
    for offset, char in enumerate(value):
        if not char.strip():
            continue
        index = source_index(
            text[node.start_mark.index : node.end_mark.index], node.style, node.value, offset
        )
        assert index is not None, (offset, char)
        typed = text[node.start_mark.index + index]
        assert typed == char or (node.style == '"' and typed == "\\"), (offset, char)
        line, column = file_position(text, node, offset)
        assert text.splitlines()[line - 1][column - 1] == typed
