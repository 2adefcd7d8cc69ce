"""The token scan that finds the ``args.X`` reads of a JSONata expression."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syncctl.rules._jsonata_args import ArgReads, arg_reads


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("args.a and args . b or args.`c-d`", ("a", "b", "c-d")),
        ("$exists(args.since) ? args.since : args.until", ("since", "until")),
        ("args.filters.ids[0]", ("filters",)),
        ("`args`.quoted_root", ("quoted_root",)),
        ("$.args.via_context and $$.args.via_root", ("via_context", "via_root")),
        ("{'key': args.in_object}", ("in_object",)),
        ("args.x-1", ("x",)),  # '-' is an operator: args.x minus 1
        ("[1..args.count]", ("count",)),  # '..' is the range operator, not a path step
        ("$count(xs) / args.per_page", ("per_page",)),  # '/' after an operand divides
        ("a and/* c */args.after_comment", ("after_comment",)),
    ],
)
def test_reads(text: str, names: tuple[str, ...]) -> None:
    assert arg_reads(text) == ArgReads(names, whole=False)


@pytest.mark.parametrize(
    "text",
    [
        '"args.in_double_quotes"',
        "'args.in_single_quotes' & 'it\\'s args.escaped'",
        "/* args.in_comment */ 1",
        "$match(s, /args.in_regex/i)",
        "$contains(s, /a(b/c)d args.in_nested_regex/)",
        "$x.args.of_a_variable",
        "$args.a_variable_not_a_path",
        "myargs.longer_name and args_2.other",
        "resources.job.args.a_field_of_a_record",
        "no arguments here",
        "'never closed args.x",
        "/* never closed args.x",
    ],
)
def test_not_reads(text: str) -> None:
    assert arg_reads(text) == ArgReads()


@pytest.mark.parametrize(
    "text",
    ["$keys(args)", "args.*", "args.**", "$count(args) > 0 and args.a", "args.($k)", "args"],
)
def test_a_read_that_may_reach_every_argument(text: str) -> None:
    assert arg_reads(text).whole


def test_each_name_once_in_text_order() -> None:
    assert arg_reads("args.b + args.a + args.b").names == ("b", "a")


@given(st.text(alphabet="args.`'\"/*$ ()[]{}\\x-", max_size=40))
def test_never_raises(text: str) -> None:
    reads = arg_reads(text)
    assert all(isinstance(name, str) for name in reads.names)
