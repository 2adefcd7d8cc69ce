"""The one YAML loader that validate, plan and apply share.

It composes the document with PyYAML's C parser when present (a node tree that keeps the line
and column of every key and value), then builds plain JSON-compatible data itself, so that:

* booleans follow YAML 1.2 (``true``/``false`` only); ``yes/no/on/off/y/n`` stay strings (SJ004);
* duplicate keys (SJ002), non-string keys, custom tags and alias bombs are findings, never crashes;
* an unquoted placeholder (``id: {{args.x}}`` is a mapping inside a mapping) is SJ003, and the
  value is read back as the string the author meant so one mistake gives one finding;
* input size, encoding and nesting are bounded.

Nothing here raises for bad input: a ``Document`` always comes back, with findings.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from syncctl.findings import Finding, JsonPath, Severity, format_path

try:  # the C parser when libyaml is present, the pure-Python one otherwise
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - exercised only where libyaml is missing
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


MAX_BYTES = 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_ScalarNode, _SequenceNode = yaml.ScalarNode, yaml.SequenceNode
_YAML11_BOOLS = frozenset(
    {"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"}
    | {"y", "Y", "n", "N"}
)


_IMPLICIT: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {}


def _implicit(tag: str, pattern: str, first: str) -> None:
    regexp = re.compile(pattern)
    for char in first:
        _IMPLICIT[char] = (*_IMPLICIT.get(char, ()), (tag, regexp))


# Implicit typing of the YAML 1.2 core schema: no 1.1 booleans, sexagesimals or timestamps.
_implicit(_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_implicit(_INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789")
_implicit(
    _FLOAT,
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
    "-+.0123456789",
)
_IMPLICIT[""] = ((_NULL, re.compile(r"^$")),)
_implicit(_NULL, r"^(?:~|null|Null|NULL)$", "~nN")


class _Resolver12:
    """The resolver the composer calls: a lean YAML 1.2 core schema, no path resolvers."""

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is _ScalarNode:
            if implicit[0]:
                tag = _PLAIN_TAGS.get(value)
                if tag is None:
                    tag = _plain_tag(value)
                    if len(value) <= _PLAIN_CACHED_LENGTH and len(_PLAIN_TAGS) < _PLAIN_CACHE_SIZE:
                        _PLAIN_TAGS[value] = tag
                return tag
            return _STR
        return _SEQ if kind is _SequenceNode else _MAP


def _plain_tag(value: str) -> str:
    for tag, regexp in _IMPLICIT.get(value[:1], ()):
        if regexp.match(value):
            return tag
    return _STR


# The composer asks for the tag of every plain scalar, and job files repeat most of them (keys,
# methods, resources): a bounded cache of short values saves the slice and the regex matches.
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_CACHED_LENGTH = 64
_PLAIN_CACHE_SIZE = 20_000


class _Composer(_Parser, _Resolver12):
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)


class _TooBig(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node


@dataclass(frozen=True, slots=True)
class Document:
    """A loaded job file: its data, its node tree for locations, and the loader's findings.

    ``data`` is JSON-compatible (dict/list/str/int/float/bool/None); it is ``None`` both for an
    empty document and when the file could not be parsed (then ``root`` is ``None`` and
    ``findings`` says why).
    """

    file: str
    data: Any
    root: yaml.Node | None
    findings: tuple[Finding, ...]
    text: str | None = None  # kept so a document without its tree can still place findings

    def without_tree(self) -> Document:
        """The same document holding its text instead of its node tree (a tree is about 30
        times the size of the text). Locations are then found by composing the text again,
        which is right for the rare finding placed after the file rules have run."""
        if self.root is None or self.text is None:
            return self
        return Document(self.file, self.data, None, self.findings, self.text)  # replace() is slow

    def _tree(self) -> yaml.Node | None:
        if self.root is not None or self.text is None:
            return self.root
        composer = _Composer(self.text)
        try:
            return composer.get_single_node()
        finally:
            composer.dispose()

    def node_at(self, path: JsonPath, *, key: bool = False) -> yaml.Node | None:
        """The node at ``path`` (its key node when ``key``), or the nearest existing ancestor."""
        node = self._tree()
        if node is None:
            return None
        for index, part in enumerate(path):
            last = index == len(path) - 1
            child: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                for key_node, value_node in reversed(node.value):
                    if _key_text(key_node) == part:
                        child = key_node if (last and key) else value_node
                        break
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                child = node.value[part]
            if child is None:
                return node
            node = child
        return node

    def locate(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``path`` (or of its key)."""
        node = self.node_at(path, key=key)
        if node is None:
            return (1, 1)
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def finding(
        self,
        rule: str,
        severity: Severity,
        message: str,
        path: JsonPath = (),
        *,
        key: bool = False,
        hint: str | None = None,
    ) -> Finding:
        """A finding placed at the value (or key) that ``path`` names."""
        line, column = self.locate(path, key=key)
        return Finding(
            file=self.file,
            line=line,
            column=column,
            rule=rule,
            severity=severity,
            message=message,
            path=format_path(path),
            hint=hint,
        )


def _key_text(node: yaml.Node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _at(
    file: str,
    node: yaml.Node | yaml.Mark,
    rule: str,
    severity: Severity,
    message: str,
    path: JsonPath,
    hint: str | None = None,
) -> Finding:
    mark = node if isinstance(node, yaml.Mark) else node.start_mark
    return Finding(
        file, mark.line + 1, mark.column + 1, rule, severity, message, format_path(path), hint
    )


def _is_placeholder_mapping(node: yaml.MappingNode) -> bool:
    """``{{args.x}}`` unquoted composes as ``{ {args.x: null}: null }``."""
    if len(node.value) != 1 or node.flow_style is not True:
        return False
    inner, outer_value = node.value[0]
    if not (_is_empty_null(outer_value) and isinstance(inner, yaml.MappingNode)):
        return False
    if not (inner.flow_style and len(inner.value) == 1):
        return False
    key, value = inner.value[0]
    return isinstance(key, yaml.ScalarNode) and _is_empty_null(value)


def _is_empty_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL and node.value == ""


class _Builder:
    """Turns a composed node tree into JSON-compatible data, collecting findings."""

    __slots__ = ("budget", "file", "findings", "text")

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        self.findings: list[Finding] = []
        self.budget = MAX_NODES

    def build(self, node: yaml.Node, path: JsonPath, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _TooBig(
                node, f"document expands to more than {MAX_NODES:,} nodes (an alias bomb?)"
            )
        if depth > MAX_DEPTH:
            raise _TooBig(
                node,
                f"document nests deeper than {MAX_DEPTH} levels (or an alias refers to itself)",
            )
        tag = node.tag
        if node.__class__ is _ScalarNode and tag == _STR:  # the common case, inline
            value: str = node.value
            if node.style or value not in _YAML11_BOOLS:
                return value
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, tag, path)
        if isinstance(node, yaml.SequenceNode):
            if tag != _SEQ:
                self.custom_tag(node, path)
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        if tag != _MAP:
            self.custom_tag(node, path)
        if node.flow_style is True and _is_placeholder_mapping(node):
            text = self.source(node)
            self.add(
                node,
                "SJ003",
                Severity.ERROR,
                f"unquoted placeholder {text} was read as a mapping",
                path,
                hint=f'quote it: "{text}"',
            )
            return text
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is _ScalarNode and key_node.tag == _STR:
                key = key_node.value  # the common case of ``key()``, inline
            else:
                key = self.key(key_node, path)
                if key is None:
                    continue
            child = (*path, key)
            if key in out:
                self.add(
                    key_node,
                    "SJ002",
                    Severity.ERROR,
                    f"duplicate key {key!r} (the last one would silently win)",
                    child,
                    hint="remove or rename one of the keys",
                )
            out[key] = self.build(value_node, child, depth + 1)
        return out

    def key(self, node: yaml.Node, path: JsonPath) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
            return str(node.value)
        if isinstance(node, yaml.MappingNode) and _is_placeholder_mapping(node):
            text = self.source(node)
            self.add(
                node,
                "SJ003",
                Severity.ERROR,
                f"unquoted placeholder {text} was read as a mapping key",
                path,
                hint=f'quote it: "{text}"',
            )
            return None
        shown = node.value if isinstance(node, yaml.ScalarNode) else type(node).__name__
        self.add(
            node,
            "SJ001",
            Severity.ERROR,
            f"mapping key {shown!r} is not a string",
            path,
            hint=f'quote the key: "{shown}"' if isinstance(node, yaml.ScalarNode) else None,
        )
        return None

    def add(
        self,
        node: yaml.Node,
        rule: str,
        severity: Severity,
        message: str,
        path: JsonPath,
        hint: str | None = None,
    ) -> None:
        self.findings.append(_at(self.file, node, rule, severity, message, path, hint))

    def source(self, node: yaml.Node) -> str:
        """The exact text of ``node`` in the file (what the author typed)."""
        return self.text[node.start_mark.index : node.end_mark.index]

    def custom_tag(self, node: yaml.Node, path: JsonPath) -> None:
        self.add(
            node,
            "SJ001",
            Severity.ERROR,
            f"tag {node.tag!r} is not allowed in a job file",
            path,
            hint="remove the tag; only plain YAML values are accepted",
        )

    def scalar(self, node: yaml.ScalarNode, tag: str, path: JsonPath) -> Any:
        value: str = node.value
        if tag == _STR:
            if not node.style and value in _YAML11_BOOLS:
                self.add(
                    node,
                    "SJ004",
                    Severity.WARNING,
                    f"{value!r} is a string in YAML 1.2 but a boolean in YAML 1.1",
                    path,
                    hint=f'write "{value}" (quoted) for a string, or true/false for a boolean',
                )
            return value
        try:
            if tag == _NULL:
                if value not in ("", "~", "null", "Null", "NULL"):
                    raise ValueError
                return None
            if tag == _BOOL:
                lowered = value.lower()
                if lowered not in ("true", "false"):
                    raise ValueError
                return lowered == "true"
            if tag == _INT:
                if value.startswith("0o"):
                    return int(value[2:], 8)
                if value.startswith("0x"):
                    return int(value[2:], 16)
                return int(value)
            if tag == _FLOAT:
                return float(
                    value.replace(".inf", "inf")
                    .replace(".Inf", "inf")
                    .replace(".INF", "inf")
                    .replace(".nan", "nan")
                    .replace(".NaN", "nan")
                    .replace(".NAN", "nan")
                )
        except ValueError:
            self.add(
                node,
                "SJ001",
                Severity.ERROR,
                f"{value!r} is not a valid {tag.rsplit(':', 1)[-1]}",
                path,
            )
            return value
        self.custom_tag(node, path)
        return value


def _syntax_finding(file: str, text: str, exc: yaml.YAMLError) -> Finding:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    column = mark.column + 1 if mark is not None else 1
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    lines = text.splitlines()
    human = _layout_problem(lines, line, column, problem)
    if human is not None:
        where, what, advice = human
        return Finding(file, line, where, "SJ001", Severity.ERROR, what, "$", advice)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    hint = None
    if 0 < line <= len(lines) and "{{" in lines[line - 1]:
        hint = 'quote values that contain placeholders: key: "{{args.x}}"'
    elif "expected a single document" in message:
        hint = "keep one job per file: remove the extra '---' document"
    return Finding(file, line, column, "SJ001", Severity.ERROR, message, "$", hint)


# PyYAML's words for a line that does not line up with the block it belongs to.
_UNDER_INDENTED = ("did not find expected '-' indicator", "did not find expected key")
_OVER_INDENTED = "mapping values are not allowed"


def _layout_problem(
    lines: list[str], line: int, column: int, problem: str
) -> tuple[int, str, str] | None:
    """A tab or a mis-indented line, in words a person can act on: (column, message, hint).

    PyYAML reports both as parser states ("did not find expected key", "found character that
    cannot start any token"); the author needs to hear which line is off and by how much.
    ``None`` when the error is about something else."""
    if not 0 < line <= len(lines):
        return None
    text = lines[line - 1]
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    if "\t" in indent or "tab" in problem:
        tab = indent.find("\t")
        return (
            tab + 1 if tab >= 0 else column,
            "tab character used for indentation",
            "YAML indents with spaces: replace the tab with spaces",
        )
    above = _previous_content(lines, line)
    if above is None:
        return None
    depth, above_depth = _key_column(text), _key_column(lines[above - 1])
    spaces = f"{depth} space{'s' if depth != 1 else ''}"
    if problem.startswith(_UNDER_INDENTED) and depth < above_depth:
        return (
            depth + 1,
            f"bad indentation: line {line} is indented {spaces}; line {above} above it is"
            f" indented {above_depth}",
            "line a key up with its sibling keys (under a list item: with the key after its '- ')",
        )
    if problem.startswith(_OVER_INDENTED) and depth > above_depth and depth == len(indent):
        return (
            depth + 1,
            f"bad indentation: line {line} is indented {spaces}, deeper than line {above}"
            f" above it ({above_depth}), whose value is not a mapping",
            "line a key up with its sibling keys; a line indented deeper continues the value"
            " above it",
        )
    return None


def _previous_content(lines: list[str], line: int) -> int | None:
    """The 1-based number of the nearest line above ``line`` that holds more than a comment."""
    for number in range(line - 1, 0, -1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return None


def _key_column(text: str) -> int:
    """Where the key of a line starts: after its indentation and any ``- `` list markers."""
    column = len(text) - len(text.lstrip(" "))
    while text.startswith("- ", column) or text[column:].rstrip() == "-":
        column += 1
        while column < len(text) and text[column] == " ":
            column += 1
    return column


def _decode(file: str, raw: bytes) -> str | Finding:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return Finding(
            file,
            line,
            column,
            "SJ001",
            Severity.ERROR,
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            "$",
            "save the file as UTF-8",
        )


def load_text(text: str | bytes, file: str = "<string>") -> Document:
    """Load one job document from text (or raw bytes). Never raises for bad input."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            return _too_large(file, len(text))
        decoded = _decode(file, text)
        if isinstance(decoded, Finding):
            return Document(file, None, None, (decoded,))
        text = decoded
    elif len(text) > MAX_BYTES:
        return _too_large(file, len(text))
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return Document(
            file,
            None,
            None,
            (
                Finding(
                    file,
                    line,
                    1,
                    "SJ001",
                    Severity.ERROR,
                    "file contains a NUL byte (binary file?)",
                    "$",
                    "job files are UTF-8 text",
                ),
            ),
        )
    composer = _Composer(text)
    try:
        root = composer.get_single_node()
    except yaml.YAMLError as exc:
        return Document(file, None, None, (_syntax_finding(file, text, exc),))
    except RecursionError:
        return Document(
            file,
            None,
            None,
            (Finding(file, 1, 1, "SJ001", Severity.ERROR, "document nests too deeply", "$"),),
        )
    finally:
        composer.dispose()
    if root is None:
        return Document(file, None, None, ())
    builder = _Builder(file, text)
    try:
        data = builder.build(root, (), 0)
    except _TooBig as exc:
        finding = _at(
            file,
            exc.node,
            "SJ001",
            Severity.ERROR,
            str(exc),
            (),
            hint="remove anchors/aliases; job files do not need them",
        )
        return Document(file, None, root, (finding,))
    return Document(file, data, root, tuple(builder.findings), text)


def _too_large(file: str, size: int) -> Document:
    return Document(
        file,
        None,
        None,
        (
            Finding(
                file,
                1,
                1,
                "SJ001",
                Severity.ERROR,
                f"file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit",
                "$",
                "split it: one sync job per file",
            ),
        ),
    )


# Opened without blocking: a FIFO named ``x.yaml`` must not hang validate (it is refused once
# ``fstat`` says what it is); binary mode where the platform has a text mode.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_FILE_TYPES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def load_file(path: Path, file: str | None = None) -> Document:
    """Read and load one file; unreadable, oversized or non-UTF-8 files give a finding, and so
    does anything but a regular file (a FIFO or a device is never read: it could block or never
    end)."""
    shown = file if file is not None else str(path)
    try:
        raw = _read_regular(path)
    except OSError as exc:
        return _unreadable(shown, f"cannot read file: {exc.strerror or exc}", None)
    if isinstance(raw, str):
        return _unreadable(
            shown,
            f"cannot read file: it is {raw}, not a regular file",
            "only regular files are read: remove it or rename it",
        )
    if isinstance(raw, int):
        return _too_large(shown, raw)
    return load_text(raw, shown)


def _read_regular(path: Path) -> bytes | str | int:
    """The bytes of a regular file; what else it is (a str); or its size when over the limit."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        mode, size = info.st_mode, info.st_size
        if not stat.S_ISREG(mode):
            return next((what for test, what in _FILE_TYPES if test(mode)), "a special file")
        if size > MAX_BYTES:
            return size
        raw = os.read(fd, size + 1)  # one read: a regular file gives all it has
        while len(raw) > size and len(raw) <= MAX_BYTES:  # it grew while being read
            more = os.read(fd, MAX_BYTES + 1 - len(raw))
            if not more:
                break
            raw += more
        return len(raw) if len(raw) > MAX_BYTES else raw
    finally:
        os.close(fd)


def _unreadable(file: str, message: str, hint: str | None) -> Document:
    return Document(
        file, None, None, (Finding(file, 1, 1, "SJ001", Severity.ERROR, message, "$", hint),)
    )


def iter_placeholder_strings(data: Any, path: JsonPath = ()) -> Iterator[tuple[JsonPath, str]]:
    """Every string value (not key) in ``data`` with its path, depth first in document order."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from iter_placeholder_strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from iter_placeholder_strings(value, (*path, index))


# ---- suppression comments (design §3) ---------------------------------------------------------

SUPPRESSION_MARK = "syncctl:"
"""Only a file whose text holds this needs any work: a plain substring test for the rest."""

_DIRECTIVE = re.compile(r"(?:^|(?<=[ \t]))#[ \t]*syncctl:[ \t]*(?P<body>[^\r\n]*)")
_BODY = re.compile(r"(?P<verb>[A-Za-z-]+)\[(?P<ids>[^\]]*)\]")


@dataclass(frozen=True, slots=True)
class Suppression:
    """One ``# syncctl: …`` comment: where its ``#`` is (1-based), what it silences, and, when
    it is not a valid suppression, why (``problem``). ``whole_file`` is ``ignore-file[…]``."""

    line: int
    column: int
    whole_file: bool
    rules: tuple[str, ...]
    own_line: bool
    problem: str | None = None


def find_suppressions(doc: Document) -> tuple[Suppression, ...]:
    """The ``# syncctl: ignore[…]`` and ``# syncctl: ignore-file[…]`` comments of a document.

    PyYAML keeps no comments, so the raw text is scanned: only lines holding ``syncctl:``, and
    only a ``#`` that starts a comment (at the start of the line or after a blank) and lies in
    no scalar (a quoted string or a block scalar may hold the same characters as data)."""
    text = doc.text
    if text is None or SUPPRESSION_MARK not in text:
        return ()
    candidates = list(_candidates(text))
    if not candidates:
        return ()
    spans = _scalar_spans(doc._tree())
    found = []
    for line, column, own_line, body in candidates:
        if not any(start <= (line, column) < end for start, end in spans):
            found.append(_parse_directive(line, column, own_line, body))
    return tuple(found)


def _candidates(text: str) -> Iterator[tuple[int, int, bool, str]]:
    """(line, column, own line, body) of each ``# syncctl:`` comment-like text, 0-based."""
    start = 0
    while (hit := text.find(SUPPRESSION_MARK, start)) >= 0:
        line_start = text.rfind("\n", 0, hit) + 1
        line_end = text.find("\n", hit)
        line_end = len(text) if line_end < 0 else line_end
        line = text[line_start:line_end]
        number = text.count("\n", 0, line_start)
        for match in _DIRECTIVE.finditer(line):
            own = not line[: match.start()].strip()
            yield number, match.start(), own, match.group("body").rstrip()
        start = line_end + 1


def _scalar_spans(root: yaml.Node | None) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) as 0-based (line, column) of every scalar that spans more than nothing."""
    spans = []
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            start, end = node.start_mark, node.end_mark
            spans.append(((start.line, start.column), (end.line, end.column)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return spans


def _parse_directive(line: int, column: int, own_line: bool, body: str) -> Suppression:
    """``ignore[SJ501, SJ402]`` or ``ignore-file[SJ501]`` (anything after ``]`` is a note)."""
    match = _BODY.match(body)
    verb = match.group("verb") if match else None
    if match is None or verb not in ("ignore", "ignore-file"):
        return Suppression(
            line + 1,
            column + 1,
            False,
            (),
            own_line,
            f"'{body}' is not a suppression: write ignore[RULE,...] or ignore-file[RULE,...]",
        )
    rules = tuple(dict.fromkeys(r.strip().upper() for r in match.group("ids").split(",")))
    rules = tuple(r for r in rules if r)
    whole_file = verb == "ignore-file"
    problem = None
    if not rules:
        problem = f"{verb}[] names no rule"
    elif whole_file and not own_line:
        problem = "ignore-file[...] must be on a line of its own"
    return Suppression(line + 1, column + 1, whole_file, rules, own_line, problem)
