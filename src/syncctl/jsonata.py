"""JSONata, parsed (never evaluated) the way Truto's runtime parses it.

Truto evaluates ``run_if``, ``config.expression``, ``config.value_expression``,
``args_validation`` and string ``query``/``body`` with npm ``jsonata`` (through
``@truto/truto-jsonata``). This module parses them with the pure-Python ``jsonata-python`` port
and corrects it where it strays from the reference, so that its verdicts (ok, or the error code,
position and message) are the reference's: ``tests/unit/test_jsonata.py`` holds them to the
fixture written by ``scripts/jsonata_fixture``. The corrections (in ``_classes`` and
``_parse`` below):

* comments at the very end of an expression, and unterminated ones, crash the port (S0106);
* a vertical tab is no whitespace to the port;
* an unsupported string escape is reported as S0301 instead of S0103;
* an unknown operator (``!``) crashes the port instead of giving S0204;
* a grouping ``{`` loses its position (S0210 at 0);
* a unary minus loses its position (S0212 at 0);
* S0208 names the parameter by its value instead of its number, and lambda signatures make
  the port fail where the reference does not (``Invocation`` parses lambdas as it does);
* a string that ends in a backslash crashes the port (S0103);
* regex literals are compiled with Python's ``re``, not checked as JavaScript patterns
  (``syncctl.jsregex`` does that), and a repeated flag (``/a/ii``) is dropped, not rejected;
* messages come from the reference's own templates (the port's have typos), with tokens quoted
  as JavaScript's ``JSON.stringify`` quotes them.

The library is imported on first use, so a tree without JSONata never loads it; one parser
serves every parse, and results are cached by expression text.
"""

from __future__ import annotations

import functools
import importlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from syncctl.jsonata_fast import quick_parse
from syncctl.jsregex import regex_problem

# The reference's message templates for the errors a parse can raise (jsonata 2.2.1).
_TEMPLATES = {
    "S0101": "String literal must be terminated by a matching quote",
    "S0102": "Number out of range: {{token}}",
    "S0103": "Unsupported escape sequence: \\{{token}}",
    "S0104": "The escape sequence \\u must be followed by 4 hex digits",
    "S0105": "Quoted property name must be terminated with a backquote (`)",
    "S0106": "Comment has no closing tag",
    "S0201": "Syntax error: {{token}}",
    "S0202": "Expected {{value}}, got {{token}}",
    "S0203": "Expected {{value}} before end of expression",
    "S0204": "Unknown operator: {{token}}",
    "S0205": "Unexpected token: {{token}}",
    "S0206": "Unknown expression type: {{token}}",
    "S0207": "Unexpected end of expression",
    "S0208": "Parameter {{value}} of function definition must be a variable name (start with $)",
    "S0209": "A predicate cannot follow a grouping expression in a step",
    "S0210": "Each step can only have one grouping expression",
    "S0211": "The symbol {{token}} cannot be used as a unary operator",
    "S0212": "The left side of := must be a variable name (start with $)",
    "S0213": "The literal value {{value}} cannot be used as a step within a path expression",
    "S0214": "The right side of {{token}} must be a variable name (start with $)",
    "S0215": "A context variable binding must precede any predicates on a step",
    "S0216": "A context variable binding must precede the 'order-by' clause on a step",
    "S0217": "The object representing the 'parent' cannot be derived from this expression",
    "S0301": "Empty regular expressions are not allowed",
    "S0302": "No terminating / in regular expression",
    "S0401": "Type parameters can only be applied to functions and arrays",
    "S0402": "Choice groups containing parameterized types are not supported",
}
# Errors whose position is the offending character itself, not the one after the token.
_AT_THE_CHARACTER = frozenset({None, "S0102", "S0103", "S0104", "S0106"})
_PLACEHOLDER = re.compile(r"\{\{\w+\}\}")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?")


@dataclass(frozen=True, slots=True)
class JsonataError:
    """A syntax error: the reference's ``code`` (``None`` for an invalid regular expression,
    which JavaScript reports without one), its one-line ``message``, and ``position``, the
    0-based offset in the expression the parser points at (``None`` when it gives none).

    The reference's position is where its tokenizer stood: for most errors just *after* the
    offending token, for a few (bad number, escape or comment; an invalid regex) *at* it.
    ``at`` is the offset of the character to show a person, inside the expression.
    """

    code: str | None
    message: str
    position: int | None

    def at(self, length: int) -> int:
        """The offset of the offending character in an expression of ``length`` characters."""
        if self.position is None or length <= 0:
            return 0
        offset = self.position if self.code in _AT_THE_CHARACTER else self.position - 1
        return max(0, min(offset, length - 1))


@dataclass(frozen=True, slots=True)
class Call:
    """A call of ``$name(...)`` (or ``… ~> $name``); ``offset`` is that of the ``$``."""

    name: str
    offset: int


@dataclass(frozen=True, slots=True)
class Calls:
    """The ``$f(...)`` calls of an expression and the variable names it binds itself
    (``$x := …``, lambda parameters, ``@$x``/``#$x`` bindings)."""

    calls: tuple[Call, ...]
    bound: frozenset[str]


class _InvalidRegex(Exception):
    """A regex literal JavaScript's ``new RegExp`` rejects; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.position: int | None = None  # the offset of its opening slash, set by the tokenizer


class _Pattern(str):
    """A regex literal's pattern, standing in for the compiled regex of the reference."""

    __slots__ = ()


def _regex_engine(pattern: str, flags: Any) -> Any:
    problem = regex_problem(pattern)
    if problem is not None:
        raise _InvalidRegex(f"Invalid regular expression: /{pattern}/: {problem}")
    return _Pattern(pattern)  # parsing never matches, so the pattern itself is enough


@functools.cache
def _classes() -> tuple[Any, type[Exception]]:
    """A parser of the port (with the corrections) and its exception class, built on first use.

    Not thread-safe: syncctl parses in one thread per process.
    """
    jexception: Any = importlib.import_module("jsonata.jexception")
    parser: Any = importlib.import_module("jsonata.parser")
    tokenizer: Any = importlib.import_module("jsonata.tokenizer")

    class Tokenizer(tokenizer.Tokenizer):  # type: ignore[misc]
        path: str
        length: int
        position: int

        def next(self, prefix: bool) -> Any:
            path, length = self.path, self.length
            while self.position < length:
                char = path[self.position]
                if char in " \t\n\r":
                    self.position += 1
                elif path.startswith("/*", self.position):
                    end = path.find("*/", self.position + 2)
                    if end < 0:
                        raise jexception.JException("S0106", self.position)
                    self.position = end + 2
                else:
                    break
            if self.position >= length:
                return None
            if path[self.position] == "/" and self.position == length - 1:
                self.position += 1
                if prefix:
                    return self.create("operator", "/")
                raise jexception.JException("S0302", self.position)
            start = self.position
            try:
                token = super().next(prefix)
            except jexception.JException as exc:
                if exc.error == "S0301" and exc.current is not None:
                    raise jexception.JException("S0103", exc.location, exc.current) from None
                raise
            except _InvalidRegex as exc:
                exc.position = start  # the opening slash
                raise
            except IndexError:
                if path[start] not in "\"'":
                    raise
                # a string that ends in a backslash: the reference reads an empty escape
                raise jexception.JException("S0103", length, "") from None
            if token is not None and token.type == "regex":
                flags = path[start + len(token.value) + 2 : self.position]
                if len(set(flags)) < len(flags):  # the port drops a repeated flag
                    bad = _InvalidRegex(f"Invalid flags supplied to RegExp constructor '{flags}g'")
                    bad.position = start
                    raise bad
            return token

    class Invocation(parser.Parser.InfixFunctionInvocation):  # type: ignore[misc]
        """``f(...)`` and lambda definitions, as the reference parses them.

        The port's version numbers a bad parameter (S0208) by its value, fails to build the
        signature text when a token is a number, and hands the signature to a parser that
        raises bare errors or crashes where the reference accepts it. Signatures matter only to
        evaluation, so here the text is checked as the reference checks it and kept as text.
        """

        def led(self, left: Any) -> Any:
            p = self._outer_instance
            self.procedure = left
            self.type = "function"
            self.arguments = []
            if p.node.id != ")":
                while True:
                    if p.node.type == "operator" and p.node.id == "?":
                        self.type = "partial"  # partial application
                        self.arguments.append(p.node)
                        p.advance("?")
                    else:
                        self.arguments.append(p.expression(0))
                    if p.node.id != ",":
                        break
                    p.advance(",")
            p.advance(")", True)
            if left.type != "name" or left.value not in ("function", "\u03bb"):
                return self
            for number, arg in enumerate(self.arguments, start=1):
                if arg.type != "variable":
                    raise jexception.JException("S0208", arg.position, arg.value, number)
            self.type = "lambda"
            if p.node.id == "<":
                start = p.node.position
                depth, signature = 1, "<"
                while depth > 0 and p.node.id not in ("{", "(end)"):
                    token = p.advance()
                    if token.id == ">":
                        depth -= 1
                    elif token.id == "<":
                        depth += 1
                    signature += _js_text(token.value)
                p.advance(">")
                code, offset = _signature_problem(signature)
                if code is not None:
                    raise jexception.JException(code, start + offset)
                self.signature = signature
            p.advance("{")
            self.body = p.expression(0)
            p.advance("}")
            return self

    class Minus(parser.Parser.InfixAndPrefix):  # type: ignore[misc]
        def nud(self) -> Any:
            self.prefix.position = self.position  # the port's unary minus loses it (S0212)
            return super().nud()

    class _Table(dict[str, Any]):
        def __missing__(self, key: str) -> None:
            return None  # the port indexes it and expects None for an unknown operator

    class Parser(parser.Parser):  # type: ignore[misc]
        symbol_table: Any
        node: Any
        errors: list[Any]
        ancestry: list[Any]

        def __init__(self) -> None:
            super().__init__()
            self.symbol_table = _Table(self.symbol_table)
            self.symbol_table["("].__class__ = Invocation
            self.symbol_table["-"].__class__ = Minus
            self._previous: Any = None

        def advance(self, id: str | None = None, infix: bool = False) -> Any:
            self._previous = self.node
            return super().advance(id, infix)

        def object_parser(self, left: Any) -> Any:
            brace = self._previous
            result = super().object_parser(left)
            if brace is not None:
                result.position = brace.position
            return result

        def parse(self, jsonata: str, regex_engine: Any = _regex_engine) -> Any:
            # One parser serves every parse (building its symbol table costs ten parses), so
            # the state a parse leaves behind is reset first.
            self.node = self._previous = None
            self.errors = []
            self.ancestor_label = self.ancestor_index = 0
            self.ancestry = []
            self.source = jsonata
            self.lexer = Tokenizer(jsonata, regex_engine)
            self.advance()
            expr = self.expression(0)
            if self.node.id != "(end)":
                raise jexception.JException("S0201", self.node.position, self.node.value)
            expr = self.process_ast(expr)
            if expr.type == "parent" or expr.seeking_parent is not None:
                raise jexception.JException("S0217", expr.position, expr.type)
            return expr

    return Parser(), jexception.JException


def _signature_problem(signature: str) -> tuple[str | None, int]:
    """The error the reference raises for a lambda ``signature`` (``<…>``) and its offset there.

    Its signature parser throws only for a type parameter on a type other than ``a``/``f``
    (S0401) and for a choice ``(…)`` holding a type parameter (S0402); this scans the text as
    it does, up to the return type.
    """
    previous: str | None = None  # the type of the parameter before
    position = 1
    while position < len(signature):
        symbol = signature[position]
        if symbol == ":":
            break
        if symbol in "snbloafjx":
            previous = symbol
        elif symbol == "(":
            end = _closing(signature, position, "(", ")")
            choice = signature[position + 1 : end]
            if "<" in choice:
                return "S0402", position
            previous, position = f"({choice})", end
        elif symbol == "<":
            if previous not in ("a", "f"):
                return "S0401", position
            position = _closing(signature, position, "<", ">")
        position += 1
    return None, 0


def _closing(text: str, start: int, opening: str, closing: str) -> int:
    """The position of the ``closing`` that balances ``text[start]``, or ``len(text)``."""
    depth, position = 1, start
    while position < len(text):
        position += 1
        char = text[position : position + 1]
        if char == closing:
            depth -= 1
            if depth == 0:
                break
        elif char == opening:
            depth += 1
    return position


def _js_text(value: Any) -> str:
    """A token's value as JavaScript's string concatenation writes it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _js_number(float(value))
    return str(value)


_UNDEFINED = object()
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _stringify(value: Any) -> str:
    """``JSON.stringify`` of a token as the reference's messages show it."""
    if value is _UNDEFINED:
        return "undefined"
    if isinstance(value, _Pattern):
        return "{}"  # JSON.stringify of a RegExp
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _js_number(float(value))
    if isinstance(value, str):
        # The port decodes "\\ud83d\\ude00" to two surrogates where JavaScript has one
        # character; JSON.stringify writes a surrogate left alone as an escape.
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
        text = json.dumps(value, ensure_ascii=False)
        return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return json.dumps(value, ensure_ascii=False)


def _js_number(number: float) -> str:
    """A number as JavaScript prints it (``5e+31``, ``1e-7``, ``0.00001``, ``42``)."""
    if number.is_integer() and abs(number) < 1e21:
        return str(int(number))
    if 1e-7 <= abs(number) < 1e-4:
        return format(Decimal(repr(number)), "f")
    mantissa, _, exponent = repr(number).partition("e")
    if not exponent:
        return mantissa
    return (
        f"{mantissa}e{'-' if exponent.startswith('-') else '+'}{exponent.lstrip('+-').lstrip('0')}"
    )


def _message(code: str, args: tuple[Any, ...]) -> str:
    template = _TEMPLATES.get(code)
    if template is None:
        return f"JSONata syntax error {code}"
    values = iter(args)
    return _PLACEHOLDER.sub(lambda _: _stringify(next(values, _UNDEFINED)), template)


def _parse(text: str) -> tuple[Any, JsonataError | None]:
    parser, exception = _classes()
    try:
        # The reference counts a vertical tab as whitespace, the port does not. Outside a
        # string it is whitespace; inside one it changes no verdict and no offset.
        return parser.parse(text.replace("\v", " ")), None
    except _InvalidRegex as bad:
        return None, JsonataError(None, bad.message, bad.position)
    except exception as error:
        exc: Any = error
        code = exc.error
        args: tuple[Any, ...] = (exc.current, exc.expected)
        if code == "S0102" and (number := _NUMBER.match(text, exc.location)):
            args = (number.group(0),)
        if code == "S0208":
            args = (exc.expected,)
        if code == "S0103" and exc.location < len(text):
            args = (text[exc.location],)  # the character as written (a vertical tab, say)
        return None, JsonataError(code, _message(code, args), exc.location)
    except Exception:  # a crash of the port is no verdict on the expression
        return None, None  # judged neither way: no syntax error reported, no calls read


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple[Any, JsonataError | None]:
    return _parse(text)


def syntax_error(text: str) -> JsonataError | None:
    """The syntax error of ``text`` as the reference reports it, or ``None`` when it parses
    (or, rarely, when the port fails on it in a way no correction covers: no verdict then)."""
    if quick_parse(text) is not None:  # surely valid: the library is not needed
        return None
    return _parsed(text)[1]


@functools.lru_cache(maxsize=4096)
def called_functions(text: str) -> Calls:
    """The ``$f(...)`` calls of ``text`` and the names it binds; empty when it does not parse."""
    quick = quick_parse(text)
    if quick is not None:
        return Calls(tuple(Call(name, offset) for name, offset in quick.calls), quick.bound)
    ast, error = _parsed(text)
    if error is not None or ast is None:
        return Calls((), frozenset())
    calls: list[Call] = []
    bound: set[str] = set()
    _walk(ast, text, calls, bound, set())
    return Calls(tuple(sorted(calls, key=lambda c: c.offset)), frozenset(bound))


def _walk(node: Any, text: str, calls: list[Call], bound: set[str], seen: set[int]) -> None:
    """Visit every symbol of the parsed tree (its attributes hold symbols, lists and pairs)."""
    if id(node) in seen:
        return
    seen.add(id(node))
    kind = getattr(node, "type", None)
    if kind in ("function", "partial"):
        procedure = getattr(node, "procedure", None)
        if procedure is not None and procedure.type == "variable" and procedure.value:
            calls.append(Call(procedure.value, _dollar_offset(text, procedure)))
    elif kind == "apply":  # value ~> $f applies $f: a call without parentheses
        rhs = getattr(node, "rhs", None)
        if rhs is not None and rhs.type == "variable" and rhs.value:
            calls.append(Call(rhs.value, _dollar_offset(text, rhs)))
    elif kind == "lambda":
        bound.update(a.value for a in node.arguments or () if getattr(a, "value", None))
    elif kind == "bind" and getattr(node.lhs, "type", None) == "variable":
        bound.add(node.lhs.value)
    for name in ("focus", "index", "tuple_index"):
        value = getattr(node, name, None)
        if isinstance(value, str):
            bound.add(value)
    for value in vars(node).values() if hasattr(node, "__dict__") else ():
        _visit(value, text, calls, bound, seen)


def _visit(value: Any, text: str, calls: list[Call], bound: set[str], seen: set[int]) -> None:
    if isinstance(value, (list, tuple)):
        for item in value:
            _visit(item, text, calls, bound, seen)
    elif hasattr(value, "type") and hasattr(value, "__dict__"):
        _walk(value, text, calls, bound, seen)


def _dollar_offset(text: str, variable: Any) -> int:
    """Offset of the ``$`` of a variable token: the tokenizer records where the name ends."""
    end = int(variable.position)
    start = end - len(variable.value) - 1
    return start if text.startswith("$" + variable.value, start) else max(0, start)
