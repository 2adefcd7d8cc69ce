"""A fast, conservative JSONata check: "surely valid" for the common shapes, else "ask the parser".

Parsing with the JSONata library costs some 0.2-0.4 ms per expression (plus ~70 ms to import
it), more than loading a whole job file, and a runtime 4 tree holds thousands of distinct
expressions. :func:`quick_parse` recognises a subset of JSONata exactly as the reference's Pratt
parser reads it (same binding powers, same token rules) and answers with the expression's
``$f(...)`` calls and bound variables only when the whole text is in that subset; anything else
(``None``) goes to ``syncctl.jsonata``'s full parser, which also gives the precise error. So
this module never reports an error, and a ``None`` costs one failed scan.

The subset: names, backtick names, string/number/``true``/``false``/``null`` literals,
variables, ``$f(...)`` calls, ``function($a, …) { … }`` lambdas (no signature), blocks
``( …; … )``, array and object constructors, predicates ``a[…]``, unary ``-``, the binary
operators ``. + - * / = != < <= > >= & and or in``, ``? :`` and ``$x := …``. Left out, hence
always sent to the full parser: regexes, comments, ``%``, ``*``/``**`` wildcards, ``..``, ``~>``,
``?:``/``??``, ``@``/``#`` bindings, groupings ``a{…}``, partial application, transforms
``| … |``, ``a[]``, calls on anything but a variable, and a literal number or
``true``/``false``/``null`` as a path step (S0213). A differential test holds it to the
reference fixture and to the full parser.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

# One token after optional whitespace; a character no token starts with is taken alone (and
# then refused by ``_tokens``), so ``findall`` skips nothing.
_SCAN = re.compile(
    r"""
    ([ \t\n\r]*)
    (
        "(?:[^"\\]|\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4}))*"
      | '(?:[^'\\]|\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4}))*'
      | `[^`]+`
      | (?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[Ee][-+]?[0-9]+)?
      | \$[A-Za-z0-9_]*
      | [A-Za-z_][A-Za-z0-9_]*
      | :=|!=|>=|<=
      | .
    )
    """,
    re.VERBOSE | re.DOTALL,
)
_OPERATORS = frozenset({":=", "!=", ">=", "<=", *".[](){},;:?+-*/=<>&"})
# The kind of a token by its first character (anything else: an operator, or refused).
_KINDS = {
    **dict.fromkeys("\"'", "str"),
    "`": "back",
    **dict.fromkeys("0123456789", "num"),
    "$": "var",
    **dict.fromkeys("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_", "name"),
}
# Characters that end a name in the reference's tokenizer (its operator characters and
# whitespace); any other character after a name is part of it there.
_ENDS_NAME = frozenset(".[]{}(),@#;:?+-*/%|=<>^&!~ \t\n\r")
_WORD_OPERATORS = frozenset({"and", "or", "in"})
_VALUES = frozenset({"true", "false", "null"})
# Binding powers of the infix operators in the subset (the reference's table).
_INFIX = {
    ".": 75, "[": 80, "(": 80, "+": 50, "-": 50, "*": 60, "/": 60, "=": 40, "!=": 40,
    "<": 40, "<=": 40, ">": 40, ">=": 40, "&": 50, "and": 30, "or": 25, "in": 40,
    "?": 20, ":=": 10,
}  # fmt: skip
_UNSUPPORTED_INFIX = frozenset("{%@#|^")
_MAX_DEPTH = 40

# Kinds of a parsed operand, as far as the subset's rules need them.
_VAR, _LITERAL, _OTHER = "var", "literal", "other"


@dataclass(frozen=True, slots=True)
class Quick:
    """What the full parser would also say about a valid expression: its ``$f(...)`` calls as
    ``(name, offset of the $)`` in text order, and the variable names it binds itself."""

    calls: tuple[tuple[str, int], ...]
    bound: frozenset[str]


class _Unsure(Exception):
    """The text leaves the subset: the full parser decides."""


# A token: (kind, value, offset); kinds: str back num var name op end.
_Token = tuple[str, str, int]


def _tokens(text: str) -> list[_Token]:
    """The tokens of ``text``. After a name, a character the reference would read as part of
    it (``a$b``, ``ab"c"``) starts an operand here, and an operand right after an operand is
    outside the subset anyway; only ``and``/``or``/``in`` need the check."""
    out: list[_Token] = []
    position = 0
    for space, token in _SCAN.findall(text.rstrip(" \t\n\r")):
        position += len(space)
        kind = _KINDS.get(token[0], "op")
        if kind == "op":
            if token not in _OPERATORS:
                raise _Unsure  # an operator outside the subset, or no token at all
        elif kind in ("str", "back"):
            if len(token) < 2:
                raise _Unsure  # unterminated, or a bad escape (S0101, S0103, S0105)
        elif kind == "num":
            if (len(token) > 300 or "e" in token or "E" in token) and not math.isfinite(
                float(token)
            ):
                raise _Unsure  # S0102
        elif kind == "name" and token in _WORD_OPERATORS:
            end = position + len(token)
            if end < len(text) and text[end] not in _ENDS_NAME:
                raise _Unsure  # the reference reads a longer name (``and$x``), no operator
            kind = "op"
        out.append((kind, token, position))
        position += len(token)
    out.append(("end", "", len(text)))
    return out


class _Parser:
    """A Pratt parser of the subset; every method raises ``_Unsure`` on leaving it."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.calls: list[tuple[str, int]] = []
        self.bound: set[str] = set()

    def advance(self, value: str | None = None) -> _Token:
        token = self.tokens[self.index]
        if token[0] == "end" or (value is not None and (token[0] != "op" or token[1] != value)):
            raise _Unsure
        self.index += 1
        return token

    def at(self, value: str) -> bool:
        kind, text, _ = self.tokens[self.index]
        return kind == "op" and text == value

    def expression(self, rbp: int) -> str:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _Unsure
        kind = self.nud(self.advance())
        tokens = self.tokens
        while True:
            token = tokens[self.index]
            if token[0] != "op":
                break  # the end, or an operand right after one (the caller finds it wrong)
            if token[1] in _UNSUPPORTED_INFIX:
                raise _Unsure
            if rbp >= _INFIX.get(token[1], 0):
                break
            self.index += 1
            kind = self.led(token[1], kind)
        self.depth -= 1
        return kind

    def nud(self, token: _Token) -> str:
        kind, value, _ = token
        if kind == "var":
            return _VAR if value != "$" else _OTHER
        if kind == "num":
            return _LITERAL
        if kind in ("str", "back"):
            return _OTHER
        if kind == "name":
            if value in _VALUES:
                return _LITERAL
            if value == "function":
                return self.lambda_()
            return _OTHER
        if value == "-":
            return _LITERAL if self.expression(70) == _LITERAL else _OTHER
        if value == "(":
            while not self.at(")"):
                self.expression(0)
                if not self.at(";"):
                    break
                self.advance(";")
            self.advance(")")
            return _OTHER
        if value == "[":
            if not self.at("]"):
                self.items()
            self.advance("]")
            return _OTHER
        if value == "{":
            if not self.at("}"):
                while True:
                    self.expression(0)
                    self.advance(":")
                    self.expression(0)
                    if not self.at(","):
                        break
                    self.advance(",")
            self.advance("}")
            return _OTHER
        raise _Unsure

    def items(self) -> None:
        while True:
            self.expression(0)
            if not self.at(","):
                return
            self.advance(",")

    def lambda_(self) -> str:
        self.advance("(")
        if not self.at(")"):
            while True:
                param = self.advance()
                if param[0] != "var" or param[1] == "$":
                    raise _Unsure  # S0208, or a parameter that is an expression
                self.bound.add(param[1][1:])
                if not self.at(","):
                    break
                self.advance(",")
        self.advance(")")
        self.advance("{")  # a signature ``<…>`` is left to the full parser
        self.expression(0)
        self.advance("}")
        if self.at("/"):
            raise _Unsure  # the reference reads a regex after a lambda's closing brace
        return _OTHER

    def led(self, op: str, left: str) -> str:
        if op == ".":
            if left == _LITERAL:
                raise _Unsure  # S0213
            kind, value, _ = self.tokens[self.index]
            if not (kind in ("name", "back", "str", "var") or self.at("(") or self.at("{")):
                raise _Unsure
            if kind == "name" and (value in _VALUES or value == "function"):
                raise _Unsure
            if self.expression(75) == _LITERAL:
                raise _Unsure  # S0213
            return _OTHER
        if op == "[":
            if self.at("]"):
                raise _Unsure  # ``a[]`` keeps a singleton array
            self.expression(0)
            self.advance("]")
            return left if left == _LITERAL else _OTHER
        if op == "(":
            if left != _VAR:
                raise _Unsure
            _, name, offset = self.tokens[self.index - 2]
            self.calls.append((name[1:], offset))
            if not self.at(")"):
                self.items()
            self.advance(")")
            return _OTHER
        if op == "?":
            self.expression(0)
            if self.at(":"):
                self.advance(":")
                self.expression(0)
            return _OTHER
        if op == ":=":
            if left != _VAR:
                raise _Unsure  # S0212
            self.bound.add(self.tokens[self.index - 2][1][1:])
            self.expression(_INFIX[":="] - 1)
            return _OTHER
        self.expression(_INFIX[op])
        return _OTHER


@functools.lru_cache(maxsize=8192)
def quick_parse(text: str) -> Quick | None:
    """The calls and bindings of ``text`` when it is surely valid JSONata; ``None``: unsure."""
    try:
        tokens = _tokens(text)
        parser = _Parser(tokens)
        parser.expression(0)
        if tokens[parser.index][0] != "end":
            raise _Unsure
    except _Unsure:
        return None
    calls = tuple(sorted(parser.calls, key=lambda call: call[1]))
    return Quick(calls, frozenset(parser.bound))
