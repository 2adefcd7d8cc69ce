"""``fmt``: rewrite job and workflow files in the canonical layout, keeping their comments.

The layout is the one ``syncctl import`` writes (``syncctl.canonical``): canonical key order at
the top level (the kind's table) and inside (a job's resource entries, runtime 4 nodes in node
order with ``config`` last; a workflow's ``config``, steps and step configs), every string
holding a placeholder (``{{``) double-quoted, 2-space indentation with sequences
indented under their key, ``null`` spelled out, one final newline. The rewrite is a
ruamel.yaml round trip, so comments stay: an own-line comment travels with the key (or list
item) below it and is indented as that key (``_Comments``); an end-of-line comment stays on
its line.

Formatting never changes data. A file the shared loader reports errors for (SJ001-SJ003) is not
touched; every rewrite is loaded again with the shared loader and compared, type for type, with
the original data — a difference leaves the file untouched and is reported as a bug. Writes are
atomic (temporary file + ``os.replace``). A file's kind is its folder, as for ``validate``: a
file under the workflows folder is a workflow file, any other a job file. Results are values;
the CLI renders them.
"""

from __future__ import annotations

import difflib
import io
import math
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
)
from ruamel.yaml.tokens import CommentToken

from syncctl.canonical import key_orders
from syncctl.config import Config
from syncctl.discovery import JOB_SUFFIX, discover
from syncctl.errors import UsageError
from syncctl.findings import Finding, Severity
from syncctl.kinds import SYNC_JOB, WORKFLOW, Kind
from syncctl.loader import load_file, load_text

_KEPT_STYLES = (DoubleQuotedScalarString, LiteralScalarString, FoldedScalarString)
_BLOCK_SCALARS = (LiteralScalarString, FoldedScalarString)
_KEEP_CHOMPING = re.compile(r"[|>][1-9]?\+")
_TRAILING_BLANKS = re.compile(r"\r?\n[ \t\r\n]*\Z")
WIDTH = 4096  # never re-wrap a long line: the author's line breaks are kept


class Status(StrEnum):
    UNCHANGED = "unchanged"
    REFORMATTED = "reformatted"  # written
    WOULD_REFORMAT = "would_reformat"  # --check: would be written
    INVALID = "invalid"  # the loader reports errors: not touched
    UNSAFE = "unsafe"  # the rewrite would change the data (a bug): not touched


@dataclass(frozen=True, slots=True)
class FileResult:
    """What ``fmt`` did (or would do) to one file."""

    file: str
    status: Status
    findings: tuple[Finding, ...] = ()
    message: str | None = None
    diff: str | None = None  # --diff: what would change, as a unified diff

    @property
    def failed(self) -> bool:
        return self.status in (Status.INVALID, Status.UNSAFE)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "file": self.file,
            "status": self.status.value,
            "findings": [f.to_dict() for f in self.findings],
            "message": self.message,
        }
        return out if self.diff is None else out | {"diff": self.diff}


@dataclass(frozen=True, slots=True)
class FormatReport:
    """One result per file, in path order."""

    check: bool
    results: tuple[FileResult, ...] = field(default_factory=tuple)

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status is status)

    @property
    def failed(self) -> bool:
        """Exit 1: a file could not be formatted, or (``--check``) a file would change."""
        return any(r.failed for r in self.results) or self.count(Status.WOULD_REFORMAT) > 0

    def summary(self) -> dict[str, int]:
        return {status.value: self.count(status) for status in Status} | {
            "files": len(self.results)
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": 1,
            "check": self.check,
            "results": [r.to_dict() for r in self.results],
            "summary": self.summary(),
        }


class _Representer(RoundTripRepresenter):
    """Round-trip representer that spells ``null`` out (ruamel writes an empty value)."""

    def represent_none(self, data: Any) -> Any:
        return self.represent_scalar("tag:yaml.org,2002:null", "null")


_Representer.add_representer(type(None), _Representer.represent_none)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")  # YAML 1.2: ``no`` stays the string it is
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = WIDTH
    return yaml


def _reorder(mapping: CommentedMap, wanted: list[Any]) -> None:
    """Put ``mapping``'s keys in the order ``wanted`` (``syncctl.canonical``'s order)."""
    if wanted != list(mapping):
        for key in wanted:  # move_to_end keeps each key's comments (they are keyed by key)
            mapping.move_to_end(key)


_Collection = CommentedMap | CommentedSeq
_Place = tuple[int, Any]
"""Where own-line comments sit: above the key (mapping) or item (sequence) ``[1]`` of the
collection whose ``id`` is ``[0]``."""
_Carrier = tuple[_Collection, Any] | None
"""The comment slot emitted right after the key or item ``[1]`` of ``[0]`` (after its value, or
after ``key:`` when the value is a block collection); ``None``: the file's header."""
_INDENT = 2  # a block value's keys, or a block sequence's dashes, sit 2 columns in


def _block(node: Any) -> bool:
    """A non-empty block (not flow) mapping or sequence: its children sit on lines of their own."""
    return isinstance(node, _Collection) and len(node) > 0 and not node.fa.flow_style()


def _children(node: _Collection) -> list[tuple[Any, Any]]:
    """Keys (or indexes) and values in document order; merged keys are not written, so skipped."""
    if isinstance(node, CommentedMap):
        return list(node.non_merged_items())
    return list(enumerate(node))


def _own_lines(text: str) -> list[str]:
    """Comment lines without their indentation (``""`` for a blank line)."""
    return [line.strip() for line in text.splitlines()]


def _split(value: str) -> tuple[str | None, list[str]]:
    """A post-value comment token's end-of-line comment (``None`` if there is none) and the
    own-line comment and blank lines after it."""
    first, _, rest = value.partition("\n")
    return (first + "\n" if first.strip() else None), _own_lines(rest)


@dataclass
class _Comments:
    """Own-line comments moved from ruamel's model to the key below them, and back.

    ruamel keeps an own-line comment at the end of whatever precedes it (the previous key's
    value, however deep), so reordering keys would carry it off with the key above. ``harvest``
    (before reordering) detaches every own-line comment and blank line and files it under the
    next key or sequence item in document order; ``place`` (after reordering) puts each one
    back right before its key, indented as that key. The file's header (above the first
    top-level key) stays where it is; comments after the last key stay at the end of the file.
    Both walks visit the same keys in document order, so formatting twice changes nothing.
    """

    above: dict[_Place, list[str]] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)
    taken: set[int] = field(default_factory=set)
    visited: set[int] = field(default_factory=set)

    def harvest(self, data: CommentedMap) -> None:
        """Detach the own-line comments of ``data`` (the header aside)."""
        self._walk(data)
        self._take_end(data)

    def place(self, data: CommentedMap) -> None:
        """Re-attach the harvested comments before their keys in ``data``'s current order."""
        self.visited.clear()
        last = self._put(data, data, None, 0, item=False)
        lost = [line for lines in self.above.values() for line in lines]  # never drop one
        tail = lost + self.pending
        while tail and not tail[-1]:
            tail.pop()
        if tail:
            self._append(data, last, tail, 0)

    # -- harvest ------------------------------------------------------------------------------

    def _take_lines(self, token: Any) -> None:
        if token is not None and id(token) not in self.taken:
            self.taken.add(id(token))
            self.pending.extend(_own_lines(token.value))

    def _take_post(self, slots: list[Any], index: int, value: Any) -> None:
        """Keep a post-value token's end-of-line comment; move its other lines to pending.
        After a block scalar every line is an own line (the scalar ends with its newline)."""
        token = slots[index] if len(slots) > index else None
        if token is None or id(token) in self.taken:
            return
        self.taken.add(id(token))
        if isinstance(value, _BLOCK_SCALARS):
            eol, lines = None, _own_lines(token.value)
        else:
            eol, lines = _split(token.value)
        self.pending.extend(lines)
        if eol is None:
            slots[index] = None
        else:
            token.value = eol

    def _take_pre(self, slots: list[Any], index: int) -> None:
        """Move a list of own-line comment tokens to pending. Anything else stays (a block
        scalar keeps its indicator's comment, a string, in the same slot)."""
        tokens = slots[index] if len(slots) > index else None
        if not tokens or not all(isinstance(t, CommentToken) for t in tokens):
            return
        for token in tokens:
            self._take_lines(token)
        slots[index] = None

    def _take_start(self, node: _Collection) -> None:
        """A nested collection's own start comments (ruamel duplicates its parent's slots)."""
        comment = node.ca.comment
        if comment:
            for index, token in enumerate(comment):
                if index == 0:
                    self._take_lines(token)
                else:
                    for pre in token or ():
                        self._take_lines(pre)
        node.ca.comment = None

    def _take_end(self, node: _Collection) -> None:
        for token in node.ca.end or ():
            self._take_lines(token)
        node.ca.end = []

    def _walk(self, node: _Collection) -> None:
        if id(node) in self.visited:  # an alias: written as ``*name``
            return
        self.visited.add(id(node))
        is_map = isinstance(node, CommentedMap)
        for key, value in _children(node):
            slots = node.ca.items.get(key)
            if slots is not None:
                self._take_pre(slots, 1)
            if not is_map and _block(value):
                self._take_start(value)
            if self.pending:
                self.above[(id(node), key)] = self.pending
                self.pending = []
            if slots is not None and is_map:
                self._take_post(slots, 2, value)
                self._take_pre(slots, 3)
            if _block(value):
                if is_map:
                    self._take_start(value)
                self._walk(value)
                self._take_end(value)
            if slots is not None and not is_map:
                self._take_post(slots, 0, value)

    # -- place --------------------------------------------------------------------------------

    def _append(self, data: CommentedMap, carrier: _Carrier, lines: list[str], column: int) -> None:
        """Write ``lines`` into the slot ``carrier``, indented to ``column``."""
        text = "".join(f"{' ' * column}{line}\n" if line else "\n" for line in lines)
        if carrier is None:
            header = data.ca.comment if data.ca.comment else [None, None]
            header[1] = [*(header[1] or ()), CommentToken(text, CommentMark(0), None)]
            data.ca.comment = header
            return
        node, key = carrier
        slots = node.ca.items.setdefault(key, [None, None, None, None])
        index = 2 if isinstance(node, CommentedMap) else 0
        token = slots[index]
        if token is None:  # "\n" ends the value's line; a block scalar has ended its own
            start = "" if isinstance(node[key], _BLOCK_SCALARS) else "\n"
            slots[index] = CommentToken(start + text, CommentMark(0), None)
        else:
            token.value = token.value + text

    def _put(
        self, data: CommentedMap, node: _Collection, carrier: _Carrier, column: int, item: bool
    ) -> _Carrier:
        """Place the comments of ``node`` (keys at ``column``; ``item``: ``node`` is a sequence
        item, its first key on the dash's line); the slot written last."""
        if id(node) in self.visited:
            return carrier
        self.visited.add(id(node))
        is_map = isinstance(node, CommentedMap)
        for index, (key, value) in enumerate(_children(node)):
            lines = self.above.pop((id(node), key), None)
            if lines:  # above the dash when the key shares the dash's line
                self._append(data, carrier, lines, column - _INDENT * (item and index == 0))
            if is_map or not _block(value):
                carrier = (node, key)  # nothing is written between a dash and its block item
            if _block(value):
                carrier = self._put(data, value, carrier, column + _INDENT, not is_map)
        return carrier


def _quote_placeholders(node: Any) -> Any:
    """Double-quote every string value holding ``{{`` (block scalars stay as they are)."""
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            node[key] = _quote_placeholders(value)
    elif isinstance(node, CommentedSeq):
        for index, value in enumerate(node):
            node[index] = _quote_placeholders(value)
    elif isinstance(node, str) and "{{" in node and not isinstance(node, _KEPT_STYLES):
        return DoubleQuotedScalarString(node)
    return node


def _trim(text: str) -> str:
    """End with exactly one newline. Trailing blank lines would otherwise travel with the last
    key when keys are reordered; a ``|+``/``>+`` block keeps them (they are its data)."""
    if _KEEP_CHOMPING.search(text):
        return text if text.endswith("\n") else text + "\n"
    return _TRAILING_BLANKS.sub("", text) + "\n"


def format_text(text: str, kind: Kind = SYNC_JOB) -> str:
    """The canonical text of one ``kind`` document. Raises ruamel's ``YAMLError`` if it can't
    read it."""
    yaml = _yaml()
    data = yaml.load(_trim(text))
    if isinstance(data, CommentedMap):
        comments = _Comments()
        comments.harvest(data)
        for mapping, wanted in key_orders(data, kind):
            if isinstance(mapping, CommentedMap):
                _reorder(mapping, wanted)
        comments.place(data)
    data = _quote_placeholders(data)
    out = io.StringIO()
    yaml.dump(data, out)
    return _trim(out.getvalue())


def same_data(a: Any, b: Any) -> bool:
    """Equal data, type for type (``1``, ``1.0`` and ``true`` differ; NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_data(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step, keeping its permission bits."""
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(temporary, mode)  # noqa: PTH101
        os.replace(temporary, path)  # noqa: PTH105
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def unified_diff(before: str, after: str, file: str) -> str:
    """What formatting changes in ``file``, with ``a/``/``b/`` headers so that ``git apply``
    (run at the root the path is relative to) can apply it."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        f"a/{file}",
        f"b/{file}",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def format_file(
    path: Path, file: str, *, check: bool, kind: Kind = SYNC_JOB, diff: bool = False
) -> FileResult:
    """Format one ``kind`` file (or, with ``check``, only say whether it would change; with
    ``diff``, also how: a unified diff, nothing written)."""
    doc = load_file(path, file)
    errors = tuple(f for f in doc.findings if f.severity is Severity.ERROR)
    if errors:
        return FileResult(file, Status.INVALID, errors, "not formatted: fix the errors first")
    if doc.text is None:  # an empty document: nothing to format
        return FileResult(file, Status.UNCHANGED)
    try:
        formatted = format_text(doc.text, kind)
    except RuamelError as exc:
        message = f"not formatted: the formatter cannot read it ({str(exc).splitlines()[0]})"
        return FileResult(file, Status.UNSAFE, (), message)
    if formatted == doc.text:
        return FileResult(file, Status.UNCHANGED)
    again = load_text(formatted, file)
    if any(f.severity is Severity.ERROR for f in again.findings) or not same_data(
        again.data, doc.data
    ):
        message = "not formatted: the result would change the data (a bug in syncctl fmt)"
        return FileResult(file, Status.UNSAFE, (), message)
    if diff:
        return FileResult(file, Status.WOULD_REFORMAT, diff=unified_diff(doc.text, formatted, file))
    if check:
        return FileResult(file, Status.WOULD_REFORMAT)
    write_atomic(path, formatted)
    return FileResult(file, Status.REFORMATTED)


def _shown(path: Path, root: Path) -> str:
    absolute = Path(os.path.abspath(path))  # noqa: PTH100
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _kind_of(path: Path, workflows: Path) -> Kind:
    """A file under the workflows folder (absolute, resolved) is a workflow file, any other a
    job file: the rule ``validate`` applies."""
    absolute = Path(os.path.abspath(path))  # noqa: PTH100
    return WORKFLOW if absolute.is_relative_to(workflows) else SYNC_JOB


def format_paths(
    paths: Sequence[Path], config: Config, *, check: bool, diff: bool = False
) -> FormatReport:
    """Format the ``.yaml`` files among ``paths`` (folders are walked as ``validate`` does).
    ``diff`` implies ``check``: nothing is written."""
    files, missing = discover(paths)
    if missing:
        shown = ", ".join(p.as_posix() for p in missing)
        raise UsageError(f"no such file or folder: {shown}", hint="check the path")
    root = Path(os.path.abspath(config.root))  # noqa: PTH100
    workflows = config.workflows_dir.resolve()
    results = tuple(
        format_file(
            path, _shown(path, root), check=check or diff, kind=_kind_of(path, workflows), diff=diff
        )
        for path in files
        if path.suffix == JOB_SUFFIX
    )
    return FormatReport(check or diff, results)
