"""Spread the file rules of a large tree over forked worker processes.

``syncctl.validate.validate_tree`` asks :func:`pool_size` how many processes to use and, when
more than one, calls :func:`check_in_pool`: the file list is cut into contiguous chunks; the
parent checks the first chunk itself while each forked child loads and checks one other chunk
(``syncctl.checks``: ``iter_jobs``, then ``check_files``) and sends back, over a pipe, its
findings and its jobs without their node tree (``Document.without_tree``). The parent then has
exactly what one process would have had, in file order, and ``validate_tree`` runs the
cross-file rules once. ``Report.build`` sorts the findings, so the report is the same either way.

Children are forked (Linux only: cheap, and they inherit the loaded rules and the compiled
schema), only from a process without other threads (a lock held by another thread at fork time
would stay held in the child forever), and leave with ``os._exit`` so that nothing of the
parent (buffers, ``atexit``) runs twice. A child that dies is a ``SyncctlError`` naming how; an
exception raised by a rule in a child is raised again in the parent, as one process would.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from syncctl.checks import check_files, iter_jobs
from syncctl.errors import UsageError, WorkerDiedError
from syncctl.kinds import KINDS
from syncctl.loader import Document
from syncctl.rules import JobFile

if TYPE_CHECKING:
    from syncctl.config import Config
    from syncctl.findings import Finding

WORKERS_ENV = "SYNCCTL_WORKERS"
# Below this many files a second process costs more (fork, sending results) than it saves.
MIN_FILES = 400
_READ_SIZE = 1 << 20


def cpu_count() -> int:
    """CPUs this process may run on (its affinity mask where the platform has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - Linux has sched_getaffinity


def workers_from_env() -> int | None:
    """``SYNCCTL_WORKERS`` as a count (``None``: unset or empty); anything else is a usage error."""
    raw = os.environ.get(WORKERS_ENV, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise UsageError(
            f"{WORKERS_ENV} must be a whole number >= 1, not {raw!r}",
            hint=f"set {WORKERS_ENV}=1 to validate in one process, or unset it",
        )
    return int(raw)


def can_fork() -> bool:
    """Forking is cheap and safe here: Linux, and no thread besides this one."""
    threading = sys.modules.get("threading")  # not imported: no Python thread was started
    alone = threading is None or threading.active_count() == 1
    return sys.platform == "linux" and alone


def pool_size(files: int, requested: int | None = None) -> int:
    """How many processes check ``files`` files: 1 means no pool.

    ``requested`` (``--workers``), else ``SYNCCTL_WORKERS``, forces the count (never more than one
    per file); without either, the pool is used for ``MIN_FILES`` files or more when this process
    may run on several CPUs, one process per CPU. One file is always checked in this process.
    """
    wanted = requested if requested is not None else workers_from_env()
    if files < 2 or not can_fork():
        return 1
    if wanted is not None:
        return min(wanted, files)
    if files < MIN_FILES:
        return 1
    return max(1, min(cpu_count(), files // (MIN_FILES // 2)))


def chunks(count: int, parts: int) -> list[range]:
    """``range(count)`` cut into ``parts`` contiguous slices whose sizes differ by one at most."""
    size, extra = divmod(count, parts)
    out = []
    start = 0
    for index in range(parts):
        stop = start + size + (1 if index < extra else 0)
        out.append(range(start, stop))
        start = stop
    return out


class _Child:
    """A forked worker: its pid, the read end of its pipe (-1 once closed), the files it
    checks, and whether it has been waited for."""

    __slots__ = ("part", "pid", "read_fd", "waited")

    def __init__(self, pid: int, read_fd: int, part: range) -> None:
        self.pid = pid
        self.read_fd = read_fd
        self.part = part
        self.waited = False

    def close(self) -> None:
        if self.read_fd >= 0:
            os.close(self.read_fd)
            self.read_fd = -1


def check_in_pool(
    files: Sequence[Path], config: Config, workers: int
) -> tuple[list[Finding], list[JobFile]]:
    """The file rules' findings and the jobs (in file order), checked by ``workers`` processes."""
    own, *others = chunks(len(files), workers)
    sys.stdout.flush()
    sys.stderr.flush()
    children: list[_Child] = []
    try:
        children.extend(_fork(files, config, part) for part in others)
    except OSError:  # no process or pipe to be had (limits, memory): check them all here
        for child in children:
            _reap(child)
        return check_files(iter_jobs(files, config), config)
    try:
        findings, kept = check_files(iter_jobs([files[i] for i in own], config), config)
        for child in children:
            child_findings, jobs = decode(
                _receive(child), child.pid, [files[i] for i in child.part]
            )
            findings.extend(child_findings)
            kept.extend(jobs)
    finally:
        for child in children:
            _reap(child)
    return findings, kept


def _fork(files: Sequence[Path], config: Config, part: range) -> _Child:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's lines are not traced by coverage
        os.close(read_fd)
        _run_child(files, config, part, write_fd)
    os.close(write_fd)
    return _Child(pid, read_fd, part)


def _run_child(
    files: Sequence[Path], config: Config, part: range, write_fd: int
) -> None:  # pragma: no cover - runs in the forked child
    code = 1
    try:
        try:
            payload = encode(*check_files(iter_jobs([files[i] for i in part], config), config))
        except BaseException as exc:  # sent to the parent, raised there
            payload = encode_error(exc)
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(payload)
        code = 0
    finally:
        os._exit(code)


# What a child sends: an 8-byte length, then a pickled head (an error, or the findings and the
# jobs that are not plain: a loader finding, or a node tree kept), then the plain jobs as
# ``marshal`` data, (rel, layout, file, data, text, kind name) each (None where the head has the
# job).
# marshal writes the JSON-like data some four times faster than pickle.
_Plain = tuple[str, tuple[str, ...] | None, str, Any, str | None, str]
_KINDS = {kind.name: kind for kind in KINDS}
_HEAD = 8


def encode(findings: list[Finding], jobs: list[JobFile]) -> bytes:
    """A worker's results as bytes for :func:`decode`."""
    import marshal
    import pickle

    plain: list[_Plain | None] = []
    odd: dict[int, tuple[str, tuple[str, ...] | None, Document, str]] = {}
    for index, job in enumerate(jobs):
        doc = job.doc
        if doc.root is None and not doc.findings:
            plain.append((job.rel, job.layout, doc.file, doc.data, doc.text, job.kind.name))
        else:
            plain.append(None)
            odd[index] = (job.rel, job.layout, doc, job.kind.name)
    try:
        body = marshal.dumps(plain)
    except ValueError:  # data marshal cannot write: send every job in the head
        body = marshal.dumps([None] * len(jobs))
        odd = {i: (job.rel, job.layout, job.doc, job.kind.name) for i, job in enumerate(jobs)}
    head = pickle.dumps((None, findings, odd), pickle.HIGHEST_PROTOCOL)
    return len(head).to_bytes(_HEAD, "big") + head + body


def encode_error(exc: BaseException) -> bytes:
    """An exception raised in a worker, for :func:`decode` to raise again."""
    import pickle
    import traceback

    text = "".join(traceback.format_exception(exc))
    try:
        head = pickle.dumps((text, exc, None), pickle.HIGHEST_PROTOCOL)
    except Exception:  # one that does not pickle: send its text
        head = pickle.dumps((text, None, None), pickle.HIGHEST_PROTOCOL)
    return len(head).to_bytes(_HEAD, "big") + head


def decode(payload: bytes, pid: int, paths: Sequence[Path]) -> tuple[list[Finding], list[JobFile]]:
    """The findings and jobs a worker sent for ``paths``; a worker's exception is raised."""
    import marshal
    import pickle

    size = int.from_bytes(payload[:_HEAD], "big")
    error_text, findings, odd = pickle.loads(payload[_HEAD : _HEAD + size])  # our child's
    if error_text is not None:
        if isinstance(findings, BaseException):
            findings.add_note(f"raised in validation worker {pid}:\n{error_text}")
            raise findings
        raise RuntimeError(f"validation worker {pid} failed:\n{error_text}")
    plain: list[_Plain | None] = marshal.loads(payload[_HEAD + size :])
    jobs = []
    for index, (path, item) in enumerate(zip(paths, plain, strict=True)):
        if item is None:
            rel, layout, doc, kind = odd[index]
        else:
            rel, layout, file, data, text, kind = item
            doc = Document(file, data, None, (), text)
        jobs.append(JobFile(path, rel, doc, layout, _KINDS[kind]))
    return findings, jobs


def _receive(child: _Child) -> bytes:
    """Everything the child wrote, once it has exited; a child that died is an error."""
    blocks = []
    while block := os.read(child.read_fd, _READ_SIZE):
        blocks.append(block)
    child.close()
    _pid, status = os.waitpid(child.pid, 0)
    child.waited = True
    if not blocks or os.waitstatus_to_exitcode(status) != 0:
        raise _died(child, status)
    return b"".join(blocks)


def _died(child: _Child, status: int) -> WorkerDiedError:
    import signal

    code = os.waitstatus_to_exitcode(status)
    how = f"was killed by {signal.Signals(-code).name}" if code < 0 else f"exited with {code}"
    return WorkerDiedError(
        f"validation worker {child.pid} (files {child.part.start + 1}-{child.part.stop}) {how}"
        " before sending its results",
        hint=f"rerun in one process with {WORKERS_ENV}=1 (or validate --workers 1)",
    )


def _reap(child: _Child) -> None:
    """Close the pipe and, after an error, stop a child still at work and wait for it."""
    import signal

    child.close()
    if child.waited:
        return
    child.waited = True
    with contextlib.suppress(ChildProcessError):
        if os.waitpid(child.pid, os.WNOHANG) == (0, 0):
            os.kill(child.pid, signal.SIGKILL)
            os.waitpid(child.pid, 0)
