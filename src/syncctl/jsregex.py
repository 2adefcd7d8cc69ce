"""Is a pattern a valid JavaScript regular expression? (what JSONata's ``/…/`` literals are)

The reference JSONata parser builds ``new RegExp(pattern, flags)`` for every regex literal, so
a pattern JavaScript rejects is a syntax error of the expression. Python's ``re`` differs from
JavaScript (without the ``u`` flag, the only mode a JSONata literal gets) in both directions:

* JavaScript accepts ``(?<name>…)``, ``\\k<name>``, ``[^]``, ``[]``, identity escapes such as
  ``\\q``, incomplete ``\\x``/``\\u`` escapes, forward back-references and variable-width
  look-behind, which ``re`` rejects or reads differently, and rejects a quantified look-behind;
* ``re`` accepts inline flags ``(?i)``, ``(?P<name>…)``, ``(?#…)``, atomic groups ``(?>…)`` and
  possessive quantifiers (``a*+``), which JavaScript rejects.

``regex_problem`` rewrites those constructs into equivalents ``re`` judges the same way and
compiles the result; only validity matters, the rewritten pattern is never used to match.
"""

from __future__ import annotations

import re
import warnings

_KNOWN_ESCAPES = frozenset("bBdDfnrsStvwW0123456789")
_HEX = frozenset("0123456789abcdefABCDEF")
# JavaScript group openers and what ``re`` is given for them: a look-behind becomes a plain
# group, since JavaScript allows any width there and ``re`` only a fixed one.
_GROUP_OPENERS = {"?:": "?:", "?=": "?=", "?!": "?!", "?<=": "?:", "?<!": "?:"}
_LOOK_BEHINDS = ("?<=", "?<!")
_NAME = re.compile(r"<([A-Za-z_$][A-Za-z0-9_$]*)>")
_BRACED = re.compile(r"\{\d+(?:,\d*)?\}")


class _Bad(Exception):
    pass


def regex_problem(pattern: str) -> str | None:
    """Why JavaScript rejects ``/pattern/`` (lower-case, one line), or ``None`` when it is valid."""
    try:
        translated = _Translator(pattern).run()
    except _Bad as exc:
        return str(exc)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # re's FutureWarnings about syntax it may add
            re.compile(translated)
    except re.error as exc:
        return exc.msg
    return None


class _Translator:
    """One pass over a JavaScript pattern that writes the ``re`` pattern to compile."""

    def __init__(self, pattern: str) -> None:
        self.src = pattern
        self.i = 0
        self.out: list[str] = []
        self.names: set[str] = set()
        self.references: list[str] = []
        self.groups: list[bool] = []  # open groups: whether each is a look-behind
        # With a named group anywhere, JavaScript reads every \k as a named reference.
        self.named_mode = re.search(r"\(\?<(?![=!])", pattern) is not None

    def run(self) -> str:
        src = self.src
        while self.i < len(src):
            char = src[self.i]
            if char == "\\":
                self.escape(in_class=False)
            elif char == "[":
                self.char_class()
            elif char == "(":
                self.group()
            elif char == ")":
                self.close_group()
            elif char in "*+?}" and src[self.i + 1 : self.i + 2] == "+" and self.quantifies():
                raise _Bad("nothing to repeat")  # a possessive quantifier
            else:
                self.out.append(char)
                self.i += 1
        for name in self.references:
            if self.names and name not in self.names:
                raise _Bad(f"invalid named reference {name!r}")
        return "".join(self.out)

    def quantifies(self) -> bool:
        """Whether the ``*+?}`` at ``i`` is a quantifier (a ``}`` only when it closes ``{m,n}``)."""
        if self.src[self.i] != "}":
            return True
        return re.search(r"\{\d+(?:,\d*)?$", self.src[: self.i]) is not None

    def escape(self, *, in_class: bool) -> None:
        src = self.src
        if self.i + 1 >= len(src):
            raise _Bad("\\ at end of pattern")
        letter = src[self.i + 1]
        self.i += 2
        if letter in "123456789" and not in_class:
            while self.i < len(src) and src[self.i].isdigit():
                self.i += 1
            self.out.append("(?:)")  # a back-reference (possibly forward) or an octal escape
        elif letter == "k" and not in_class and (name := _NAME.match(src, self.i)):
            self.references.append(name.group(1))
            self.i = name.end()
            self.out.append("(?:)")
        elif letter == "k" and self.named_mode:
            raise _Bad("invalid named reference")
        elif letter == "x" and _hex_run(src, self.i, 2):
            self.out.append("\\x" + src[self.i : self.i + 2])
            self.i += 2
        elif letter == "u" and _hex_run(src, self.i, 4):
            self.out.append("\\u" + src[self.i : self.i + 4])
            self.i += 4
        elif (
            letter == "c"
            and src[self.i : self.i + 1].isascii()
            and src[self.i : self.i + 1].isalpha()
        ):
            self.out.append(re.escape(chr(ord(src[self.i]) % 32)))
            self.i += 1
        elif letter in _KNOWN_ESCAPES and letter not in "123456789":
            self.out.append("\\" + letter)
        else:
            self.out.append(re.escape(letter))  # an identity escape

    def char_class(self) -> None:
        src = self.src
        start = self.i
        self.i += 1
        if src.startswith("^]", self.i):
            self.out.append("[\\s\\S]")
            self.i += 2
            return
        if src.startswith("]", self.i):
            self.out.append("(?!)")
            self.i += 1
            return
        self.out.append("[")
        if src.startswith("^", self.i):
            self.out.append("^")
            self.i += 1
        while self.i < len(src):
            char = src[self.i]
            if char == "]":
                self.out.append("]")
                self.i += 1
                return
            if char == "\\":
                self.escape(in_class=True)
            else:
                self.out.append("\\[" if char == "[" else char)
                self.i += 1
        self.i = start
        raise _Bad("unterminated character class")

    def group(self) -> None:
        src = self.src
        if not src.startswith("?", self.i + 1):
            self.out.append("(")
            self.i += 1
            self.groups.append(False)
            return
        rest = src[self.i + 1 :]
        for opener, written in _GROUP_OPENERS.items():
            if rest.startswith(opener):
                self.out.append("(" + written)
                self.i += 1 + len(opener)
                self.groups.append(opener in _LOOK_BEHINDS)
                return
        name = _NAME.match(src, self.i + 2)
        if name is None:
            raise _Bad("invalid group")
        if name.group(1) in self.names:
            raise _Bad(f"duplicate capture group name {name.group(1)!r}")
        self.names.add(name.group(1))
        self.out.append("(")
        self.i = name.end()
        self.groups.append(False)

    def close_group(self) -> None:
        """A ``)``: a look-behind may not be quantified (a look-ahead may, in JavaScript)."""
        look_behind = self.groups.pop() if self.groups else False
        self.out.append(")")
        self.i += 1
        following = self.src[self.i : self.i + 1]
        if look_behind and (following in ("*", "+", "?") or _BRACED.match(self.src, self.i)):
            raise _Bad("invalid quantifier")


def _hex_run(text: str, start: int, count: int) -> bool:
    chunk = text[start : start + count]
    return len(chunk) == count and all(c in _HEX for c in chunk)
