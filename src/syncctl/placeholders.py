"""Truto placeholder strings: ``"{{args.user_id}}"``, ``"id-{{resources.crm.contacts.id}}"``.

A faithful reading of ``@truto/replace-placeholders`` (reference §4), as values:

* a placeholder is ``{{`` + one or more characters of ``[\\w-./|:?\\s]`` + ``}}`` (``\\w`` is
  ASCII, ``\\s`` is JavaScript's whitespace); matches are leftmost and never overlap;
* its text splits once on ``?:`` into alternatives and a literal default (only the text between
  the first and a second ``?:`` is the default, as the runtime does);
* alternatives split on ``|``; each is ``path[:cast]...`` where a cast starts at a ``:`` followed by
  a word or space character; paths and alternative casts are trimmed, default casts are not
  (the runtime does not trim them either, so ``"{{a?:1: int}}"`` fails there);
* a space inside a path is a union of paths (``"a b"`` = first of ``a``, ``b``);
* the placeholder is *whole* when it is the entire string; only then can a cast change the type.

Anything that looks like a placeholder but will never be substituted (bad characters, unbalanced
braces, empty paths) is a ``Problem``. ``parse`` never raises, for any text.

Offsets (``start``/``end``) are positions in the string. Findings are placed at the string's YAML
scalar (its line and column), not at the offset inside it: for a quoted scalar, escapes and
folding make the in-text offset differ from the column, so the scalar's own column is the one
reported and the offending placeholder is named in the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

# JavaScript's \s (ECMAScript WhiteSpace + LineTerminator).
_JS_SPACE = "\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_INNER_CLASS = f"A-Za-z0-9_\\-./|:?{_JS_SPACE}"
_PLACEHOLDER = re.compile(f"\\{{\\{{([{_INNER_CLASS}]+)\\}}\\}}")
_TYPE_SPLIT = re.compile(f":(?=[A-Za-z0-9_{_JS_SPACE}])")
_OUTSIDE_CLASS = re.compile(f"[^{_INNER_CLASS}]")
_PATH_BAD = re.compile(r"[:?]")
_SPACE = re.compile(f"[{_JS_SPACE}]+")

CASTS = frozenset(
    {"str", "int", "num", "bool", "json", "any", "null", "undefined", "ignore-empty-str"}
)
"""The casts the runtime knows; any other name makes it throw ``Unsupported type``."""

_CACHE_MAX_LEN = 512


@dataclass(frozen=True, slots=True)
class Alternative:
    """One ``|``-separated alternative: a (trimmed) path and its casts."""

    path: str
    casts: tuple[str, ...] = ()
    # derived once (parses are cached, rules read these many times)
    valid: bool = field(init=False, compare=False, repr=False)
    """False for an empty path or one holding ``:``/``?`` (reported as a ``Problem``)."""
    queries: tuple[tuple[str, ...], ...] = field(init=False, compare=False, repr=False)
    """The dot-separated paths of this alternative (a space separates a union of paths)."""

    def __post_init__(self) -> None:
        valid = bool(self.path) and _PATH_BAD.search(self.path) is None
        object.__setattr__(self, "valid", valid)
        queries = tuple(tuple(q.split(".")) for q in _SPACE.split(self.path) if q) if valid else ()
        object.__setattr__(self, "queries", queries)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "casts": list(self.casts)}


@dataclass(frozen=True, slots=True)
class Placeholder:
    """One substituted ``{{...}}``; ``text[start:end]`` of the parsed string is ``raw``."""

    raw: str
    start: int
    end: int
    whole: bool
    alternatives: tuple[Alternative, ...]
    default: str | None = None
    default_casts: tuple[str, ...] = ()
    casts: tuple[str, ...] = field(init=False, compare=False, repr=False)
    """Every cast named in the placeholder, alternatives first, then the default's."""
    queries: tuple[tuple[str, ...], ...] = field(init=False, compare=False, repr=False)
    """Every path this placeholder may read, as segment tuples, in order."""

    def __post_init__(self) -> None:
        casts = [c for alt in self.alternatives for c in alt.casts]
        object.__setattr__(self, "casts", (*casts, *self.default_casts))
        object.__setattr__(self, "queries", tuple(q for a in self.alternatives for q in a.queries))

    def to_dict(self) -> dict[str, Any]:
        return {
            "raw": self.raw,
            "start": self.start,
            "end": self.end,
            "whole": self.whole,
            "alternatives": [a.to_dict() for a in self.alternatives],
            "default": self.default,
            "default_casts": list(self.default_casts),
        }


@dataclass(frozen=True, slots=True)
class Problem:
    """Text that looks like a placeholder but will never be substituted as meant."""

    raw: str
    start: int
    end: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"raw": self.raw, "start": self.start, "end": self.end, "reason": self.reason}


Read = tuple[Placeholder, tuple[str, ...]]
"""A path one placeholder reads, as segments: ``(holder, ("args", "user_id"))``."""


@dataclass(frozen=True, slots=True)
class Parsed:
    """Every placeholder of a string and every problem, each in text order."""

    placeholders: tuple[Placeholder, ...] = ()
    problems: tuple[Problem, ...] = ()
    # what the placeholders read, grouped by root (derived once; parses are cached)
    reads_args: tuple[Read, ...] = field(init=False, compare=False, repr=False)
    """``args`` and ``args.X...`` reads."""
    reads_resources: tuple[Read, ...] = field(init=False, compare=False, repr=False)
    """``resources...`` reads."""
    reads_other: tuple[Read, ...] = field(init=False, compare=False, repr=False)
    """Reads of any other root."""

    def __post_init__(self) -> None:
        groups: dict[str, list[Read]] = {"args": [], "resources": [], "other": []}
        for holder in self.placeholders:
            for query in holder.queries:
                root = query[0] if query[0] in ("args", "resources") else "other"
                groups[root].append((holder, query))
        object.__setattr__(self, "reads_args", tuple(groups["args"]))
        object.__setattr__(self, "reads_resources", tuple(groups["resources"]))
        object.__setattr__(self, "reads_other", tuple(groups["other"]))

    def __bool__(self) -> bool:
        return bool(self.placeholders or self.problems)

    def to_dict(self) -> dict[str, Any]:
        return {
            "placeholders": [p.to_dict() for p in self.placeholders],
            "problems": [p.to_dict() for p in self.problems],
        }


EMPTY = Parsed()


def parse(text: str) -> Parsed:
    """Parse the placeholders of ``text``. Never raises; ``EMPTY`` when there are none."""
    if "{{" not in text and "}}" not in text:
        return EMPTY
    if len(text) <= _CACHE_MAX_LEN:
        return _parse_cached(text)
    return _parse(text)


def has_placeholder(text: str) -> bool:
    """Whether ``text`` holds at least one substituted placeholder."""
    return "{{" in text and _PLACEHOLDER.search(text) is not None


@lru_cache(maxsize=4096)
def _parse_cached(text: str) -> Parsed:
    return _parse(text)


def _parse(text: str) -> Parsed:
    placeholders: list[Placeholder] = []
    problems: list[Problem] = []
    gap_start = 0
    for match in _PLACEHOLDER.finditer(text):
        _scan_gap(text, gap_start, match.start(), problems)
        gap_start = match.end()
        holder = _placeholder(match.group(0), match.group(1), match.start(), text)
        placeholders.append(holder)
        for alt in holder.alternatives:
            if not alt.valid:
                problems.append(Problem(holder.raw, holder.start, holder.end, _bad_path(alt)))
                break
    _scan_gap(text, gap_start, len(text), problems)
    problems.sort(key=lambda p: p.start)
    return Parsed(tuple(placeholders), tuple(problems))


def _bad_path(alt: Alternative) -> str:
    if not alt.path:
        return "an alternative has an empty path"
    return f"path {alt.path!r} holds ':' or '?' that is neither a cast nor a default"


def _placeholder(raw: str, inner: str, start: int, text: str) -> Placeholder:
    head, sep, rest = inner.partition("?:")
    default: str | None = None
    default_casts: tuple[str, ...] = ()
    if sep:
        default_text = rest.split("?:", 1)[0]
        if default_text:  # the runtime ignores an empty default
            pieces = _TYPE_SPLIT.split(default_text)
            default, default_casts = pieces[0], tuple(pieces[1:])
    alternatives = []
    for part in head.split("|"):
        pieces = _TYPE_SPLIT.split(part)
        alternatives.append(Alternative(pieces[0].strip(), tuple(p.strip() for p in pieces[1:])))
    return Placeholder(
        raw=raw,
        start=start,
        end=start + len(raw),
        whole=len(raw) == len(text),
        alternatives=tuple(alternatives),
        default=default,
        default_casts=default_casts,
    )


def _scan_gap(text: str, start: int, end: int, problems: list[Problem]) -> None:
    """Find ``{{``/``}}`` left over between real placeholders: each one is a problem."""
    pos = start
    while pos < end:
        opener = text.find("{{", pos, end)
        closer = text.find("}}", pos, end)
        if opener == -1 and closer == -1:
            return
        if opener != -1 and (closer == -1 or opener < closer):
            if closer == -1:
                problems.append(
                    Problem(text[opener:end], opener, end, "'{{' is never closed by '}}'")
                )
                return
            # the innermost opener before this closer: "{{a {{b[0]}}" is about "{{b[0]}}"
            opener = max(opener, text.rfind("{{", opener, closer))
            inner = text[opener + 2 : closer]
            raw = text[opener : closer + 2]
            problems.append(Problem(raw, opener, closer + 2, _bad_inner(inner)))
            pos = closer + 2
            continue
        # a closer with no opener before it: "args.x}}" or "{args.x}}" (but not JSON "{"a":{}}")
        brace = text.rfind("{", pos, closer)
        if brace == -1 or (
            text[brace + 1 : closer].strip()
            and _OUTSIDE_CLASS.search(text, brace + 1, closer) is None
        ):
            begin = pos if brace == -1 else brace
            problems.append(
                Problem(text[begin : closer + 2], begin, closer + 2, "'}}' has no matching '{{'")
            )
        pos = closer + 2


def _bad_inner(inner: str) -> str:
    if not inner:
        return "the placeholder is empty"
    bad = sorted(set(_OUTSIDE_CLASS.findall(inner)))
    shown = " ".join(repr(c) for c in bad[:5])
    return f"characters outside letters, digits, '_-./|:?' and spaces: {shown}"
