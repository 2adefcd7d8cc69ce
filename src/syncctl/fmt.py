"""``fmt``: rewrite job and workflow files in the canonical layout, keeping their comments.

The layout is the one ``syncctl import`` writes (``syncctl.canonical``): canonical key order at
the top level (the kind's table) and inside (a job's resource entries, runtime 4 nodes in node
order with ``config`` last; a workflow's ``config``, steps and step configs), every string
holding a placeholder (``{{``) double-quoted, 2-space indentation with sequences
indented under their key, ``null`` spelled out, one final newline. The rewrite is a
ruamel.yaml round trip, so comments stay.

Formatting never changes data. A file the shared loader reports errors for (SJ001-SJ003) is not
touched; every rewrite is loaded again with the shared loader and compared, type for type, with
the original data — a difference leaves the file untouched and is reported as a bug. Writes are
atomic (temporary file + ``os.replace``). A file's kind is its folder, as for ``validate``: a
file under the workflows folder is a workflow file, any other a job file. Results are values;
the CLI renders them.
"""

from __future__ import annotations

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
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
)

from syncctl.canonical import key_orders
from syncctl.config import Config
from syncctl.errors import UsageError
from syncctl.findings import Finding, Severity
from syncctl.kinds import SYNC_JOB, WORKFLOW, Kind
from syncctl.loader import load_file, load_text
from syncctl.validate import JOB_SUFFIX, discover

_KEPT_STYLES = (DoubleQuotedScalarString, LiteralScalarString, FoldedScalarString)
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

    @property
    def failed(self) -> bool:
        return self.status in (Status.INVALID, Status.UNSAFE)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status.value,
            "findings": [f.to_dict() for f in self.findings],
            "message": self.message,
        }


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
        for mapping, wanted in key_orders(data, kind):
            if isinstance(mapping, CommentedMap):
                _reorder(mapping, wanted)
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


def format_file(path: Path, file: str, *, check: bool, kind: Kind = SYNC_JOB) -> FileResult:
    """Format one ``kind`` file (or, with ``check``, only say whether it would change)."""
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


def format_paths(paths: Sequence[Path], config: Config, *, check: bool) -> FormatReport:
    """Format the ``.yaml`` files among ``paths`` (folders are walked as ``validate`` does)."""
    files, missing = discover(paths)
    if missing:
        shown = ", ".join(p.as_posix() for p in missing)
        raise UsageError(f"no such file or folder: {shown}", hint="check the path")
    root = Path(os.path.abspath(config.root))  # noqa: PTH100
    workflows = config.workflows_dir.resolve()
    results = tuple(
        format_file(path, _shown(path, root), check=check, kind=_kind_of(path, workflows))
        for path in files
        if path.suffix == JOB_SUFFIX
    )
    return FormatReport(check, results)
