"""Where a character of a YAML string value stands in the file.

A rule that finds a problem *inside* a string (a JSONata syntax error, a call of an unknown
function) knows an offset in the value; the author needs the line and column in the file. The
value differs from what was typed by the scalar's style: quotes, ``''`` and backslash escapes,
line folding (a line break read as a space, leading whitespace of continuation lines dropped),
and the header and indentation of block scalars (``|``, ``>``). ``source_index`` walks the
value and the typed text side by side; ``file_position`` turns the result into a line and
column, and falls back to the start of the scalar whenever the walk is not certain (an escape
it does not know, an explicit block indentation indicator, text that does not line up).
"""

from __future__ import annotations

import yaml

from syncctl.findings import JsonPath
from syncctl.loader import Document

_SPACE = " \t\r\n"
_DOUBLE_QUOTED_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def _escape(source: str, i: int) -> tuple[str, int] | None:
    """The character the escape at ``source[i]`` (a backslash) stands for, and its width."""
    letter = source[i + 1 : i + 2]
    if letter in _DOUBLE_QUOTED_ESCAPES:
        return _DOUBLE_QUOTED_ESCAPES[letter], 2
    width = _HEX_ESCAPES.get(letter)
    if width is None:
        return None
    digits = source[i + 2 : i + 2 + width]
    try:
        return chr(int(digits, 16)), 2 + width
    except ValueError:
        return None


def _body(source: str, style: str | None) -> tuple[int, int, int | None] | None:
    """Where the value's text starts and ends in ``source``, and a block scalar's indentation."""
    if style in ('"', "'"):
        return 1, len(source) - 1, None
    if style in ("|", ">"):
        header_end = source.find("\n")
        if header_end < 0 or any(c.isdigit() for c in source[:header_end]):
            return None  # no content, or an explicit indentation indicator
        start = header_end + 1
        for line in source[start:].split("\n"):
            if line.strip():
                return start, len(source), len(line) - len(line.lstrip(" "))
        return None
    return 0, len(source), None


def source_index(source: str, style: str | None, value: str, offset: int) -> int | None:
    """The index in ``source`` (the scalar as typed) of ``value[offset]``, or ``None``.

    ``style`` is the node's style: ``None`` (plain), ``'``, ``"``, ``|`` or ``>``.
    """
    if not 0 <= offset < len(value):
        return None
    body = _body(source, style)
    if body is None:
        return None
    i, end, indent = body
    line_start = indent is not None
    found = -1
    for k in range(offset + 1):
        char = value[k]
        while True:
            if line_start and indent is not None:
                skip = 0
                while skip < indent and source[i + skip : i + skip + 1] == " ":
                    skip += 1
                i += skip
            line_start = False
            if i >= end:
                return None
            typed = source[i]
            if style == '"' and typed == "\\":
                if source[i + 1 : i + 2] in ("\n", "\r"):
                    i += 2  # an escaped line break joins the lines
                    while i < end and source[i] in _SPACE:
                        i += 1
                    continue
                decoded = _escape(source, i)
                if decoded is None or decoded[0] != char:
                    return None
                found, i = i, i + decoded[1]
                break
            if style == "'" and typed == "'":
                if char != "'" or source[i + 1 : i + 2] != "'":
                    return None
                found, i = i, i + 2
                break
            if typed == char or (char in " \n" and typed in _SPACE):
                found, i = i, i + 1  # the character itself, or a line break folded into it
                line_start = typed == "\n"
                break
            if typed in _SPACE:
                i += 1  # whitespace the value does not keep
                line_start = typed == "\n"
                continue
            return None
    return found


def file_position(text: str, node: yaml.ScalarNode, offset: int) -> tuple[int, int]:
    """1-based (line, column) in the file of ``node.value[offset]``; the scalar's start when
    the place is not certain."""
    start = node.start_mark
    source = text[start.index : node.end_mark.index]
    index = source_index(source, node.style, node.value, offset)
    if index is None:
        return start.line + 1, start.column + 1
    before = source[:index]
    breaks = before.count("\n")
    if breaks == 0:
        return start.line + 1, start.column + index + 1
    return start.line + breaks + 1, index - before.rfind("\n")


def place_in_document(doc: Document, path: JsonPath, offset: int) -> tuple[int, int]:
    """1-based (line, column) of character ``offset`` of the string at ``path`` in ``doc``;
    the start of the value when it cannot be placed more exactly."""
    node = doc.node_at(path)
    if isinstance(node, yaml.ScalarNode) and doc.text is not None:
        return file_position(doc.text, node, offset)
    return doc.locate(path)
