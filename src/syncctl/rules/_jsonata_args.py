"""Which arguments a JSONata expression reads: the ``args.X`` paths, found by a token scan.

Not a parser (SJ803 parses): a small lexer in the manner of the reference implementation's, so
that ``args.since`` is told apart from the same text inside a string literal, a comment or a
regex, and from a longer path (``$x.args.y``, ``myargs.z``). ``$.args.x`` and ``$$.args.x`` (the
input root, spelt out) are reads. A bare ``args`` (``$keys(args)``) or one followed by anything
but a name (``args.*``) may read every argument; ``whole`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# Single characters that end a name: the reference lexer's operators, plus whitespace.
_OPERATOR_CHARS = frozenset(".[]{}(),@#;:?+-*/%|=<>^&!~")
_SPACE = frozenset(" \t\n\r\x0b")
_NAME_END = _OPERATOR_CHARS | _SPACE
_KEYWORD_OPERATORS = frozenset({"and", "or", "in"})
_VALUES = frozenset({"true", "false", "null"})

# token kinds
_NAME, _VARIABLE, _DOT, _OPERAND, _OPERATOR = "name", "variable", "dot", "operand", "operator"
_Token = tuple[str, str]


@dataclass(frozen=True, slots=True)
class ArgReads:
    """The argument names read (each once, in text order); ``whole``: may read them all."""

    names: tuple[str, ...] = ()
    whole: bool = False


def _skip_quoted(text: str, start: int, quote: str) -> int:
    """The position after the closing ``quote`` (backslash escapes), or the end of text."""
    pos = start + 1
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == quote:
            return pos + 1
        pos += 1
    return len(text)


def _skip_regex(text: str, start: int) -> int:
    """The position after a regex literal ``/.../flags`` (brackets nest, as in the reference)."""
    pos, depth = start + 1, 0
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "/" and depth == 0:
            pos += 1
            while pos < len(text) and text[pos] in "im":
                pos += 1
            return pos
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        pos += 1
    return len(text)


def _tokens(text: str) -> list[_Token]:
    """The tokens that matter here: names, variables, dots, other operands and operators."""
    out: list[_Token] = []
    pos, length = 0, len(text)
    while pos < length:
        char = text[pos]
        if char in _SPACE:
            pos += 1
        elif text.startswith("/*", pos):
            end = text.find("*/", pos + 2)
            pos = length if end == -1 else end + 2
        elif char == "/" and (not out or out[-1][0] not in (_NAME, _VARIABLE, _OPERAND)):
            pos = _skip_regex(text, pos)
            out.append((_OPERAND, "regex"))
        elif char in "\"'":
            pos = _skip_quoted(text, pos, char)
            out.append((_OPERAND, "string"))
        elif char == "`":
            end = text.find("`", pos + 1)
            end = length if end == -1 else end
            out.append((_NAME, text[pos + 1 : end]))
            pos = end + 1
        elif text.startswith("..", pos):
            out.append((_OPERATOR, ".."))
            pos += 2
        elif char == ".":
            out.append((_DOT, "."))
            pos += 1
        elif char in _OPERATOR_CHARS:
            out.append((_OPERAND if char in ")]}" else _OPERATOR, char))
            pos += 1
        else:
            end = pos + 1
            while end < length and text[end] not in _NAME_END:
                end += 1
            word = text[pos:end]
            if word.startswith("$"):
                out.append((_VARIABLE, word[1:]))
            elif word in _KEYWORD_OPERATORS:
                out.append((_OPERATOR, word))
            elif word in _VALUES or word[0].isdigit():
                out.append((_OPERAND, word))
            else:
                out.append((_NAME, word))
            pos = end
    return out


def _is_root(tokens: list[_Token], index: int) -> bool:
    """Whether the name at ``index`` starts a path from the input (not a step of another)."""
    if index == 0 or tokens[index - 1][0] != _DOT:
        return True
    # ``$.args`` / ``$$.args``: the context or the input root, spelt out
    return index >= 2 and tokens[index - 2] in ((_VARIABLE, ""), (_VARIABLE, "$"))


@lru_cache(maxsize=2048)
def arg_reads(text: str) -> ArgReads:
    """The arguments ``text`` reads as ``args.<name>`` (see the module docstring)."""
    if "args" not in text:
        return ArgReads()
    tokens = _tokens(text)
    names: dict[str, None] = {}
    whole = False
    for index, (kind, value) in enumerate(tokens):
        if kind != _NAME or value != "args" or not _is_root(tokens, index):
            continue
        after = tokens[index + 1 : index + 3]
        if len(after) == 2 and after[0][0] == _DOT and after[1][0] == _NAME:
            names.setdefault(after[1][1])
        else:
            whole = True
    return ArgReads(tuple(names), whole)
