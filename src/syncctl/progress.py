"""Progress on stderr for long work (design §7): a bar on a terminal, lines at ``-v``.

``reporter(total, verbosity=…, describe=…)`` is what a command hands its work: the callback
the work reports each finished item to (``(item, done, total)``, the shape of
``syncctl.reconcile.apply.Progress``), or ``None`` when nothing is to be shown:

* ``-v`` (verbosity > 0): one ``[n/total] …`` line per item, as apply printed before the bar
  existed — a record that survives a pipe or a CI log;
* default verbosity, stderr a terminal and more than ``BAR_THRESHOLD`` items: one line redrawn in
  place with ``\\r`` (``apply [#######---------]  7/23  + create zendesk/tickets``);
* otherwise (``-q``, a pipe, a file, a short plan): nothing.

The bar is erased before a log record is printed and drawn again under it (``echo_above``, which
the CLI's log handler calls), so a retry's warning never lands in the middle of it. The bar ends
its line when the last item is reported, or at ``finish_active`` (the CLI calls it before an
error line and when the command ends). Only stdlib and click are imported: the CLI imports this
module on every run.
"""

from __future__ import annotations

import re
import shutil
import sys
import threading
from collections.abc import Callable
from typing import TextIO, TypeVar

import click

BAR_THRESHOLD = 10
"""More items than this (design: "plans with more than 10 actions") earn a bar on a terminal."""
BAR_WIDTH = 24
FILLED, EMPTY = "#", "-"
ERASE = "\r\x1b[K"
"""Back to the line's start and erase to its end: every redraw and every erase starts so."""

_T = TypeVar("_T")
Report = Callable[[_T, int, int], None]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_active: Bar | None = None
_active_lock = threading.Lock()


class Bar:
    """One line on ``stream`` redrawn in place: label, bar, ``done/total`` and the last item's
    text, cut to the terminal's width (a line that wraps could not be redrawn with ``\\r``).
    Thread-safe: apply reports from its worker threads."""

    def __init__(self, total: int, *, label: str, stream: TextIO, columns: int | None = None):
        self.total = max(total, 0)
        self.label = label
        self.stream = stream
        self.columns = columns or shutil.get_terminal_size(fallback=(80, 24)).columns
        self.done = 0
        self.text = ""
        self.drawn = False
        self._lock = threading.RLock()

    def render(self) -> str:
        """The line without control characters: ``apply [######------]  7/23  text``."""
        filled = (
            BAR_WIDTH if self.total == 0 else BAR_WIDTH * min(self.done, self.total) // self.total
        )
        bar = FILLED * filled + EMPTY * (BAR_WIDTH - filled)
        head = f"{self.label} [{bar}] {self.done:>{len(str(self.total))}}/{self.total}"
        text = _ANSI.sub("", self.text).replace("\n", " ").strip()
        line = f"{head}  {text}" if text else head
        room = max(self.columns - 1, len(head))  # the last column would wrap on some terminals
        return line if len(line) <= room else line[: room - 1] + "…"

    def update(self, done: int, text: str = "") -> None:
        with self._lock:
            self.done, self.text = done, text
            self._draw()

    def erase(self) -> None:
        """Clear the line (a log record is about to be printed where the bar was)."""
        with self._lock:
            if self.drawn:
                self._write(ERASE)
                self.drawn = False

    def redraw(self) -> None:
        with self._lock:
            self._draw()

    def finish(self) -> None:
        """End the bar's line, leaving its last state on screen (nothing if never drawn)."""
        with self._lock:
            if self.drawn:
                self._write("\n")
                self.drawn = False

    def _draw(self) -> None:
        self._write(ERASE + self.render())
        self.drawn = True

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


def wants_bar(total: int, verbosity: int, stream: TextIO) -> bool:
    """A bar is for a person at a terminal with more than a few items, who did not ask for
    lines (``-v``) or silence (``-q``)."""
    return verbosity == 0 and total > BAR_THRESHOLD and _isatty(stream)


def reporter(
    total: int,
    *,
    verbosity: int,
    describe: Callable[[_T], str],
    label: str = "apply",
    stream: TextIO | None = None,
) -> Report[_T] | None:
    """The progress callback for ``total`` items (see the module docstring), or ``None`` when
    nothing is to be shown. ``describe`` makes an item's text (e.g. ``render.apply_text.line``);
    ``stream`` defaults to the current ``sys.stderr`` (looked up now, so a test runner's
    replacement is honoured). A bar ends its line by itself when ``done`` reaches ``total``;
    ``finish_active`` ends it earlier (the CLI calls it before an error line and at exit)."""
    out = stream if stream is not None else sys.stderr
    if verbosity > 0:

        def show_line(item: _T, done: int, count: int) -> None:
            click.echo(f"[{done}/{count}] {describe(item)}", file=out)

        return show_line
    if not wants_bar(total, verbosity, out):
        return None
    bar = Bar(total, label=label, stream=out)
    _set_active(bar)

    def show_bar(item: _T, done: int, count: int) -> None:
        bar.update(done, describe(item))
        if done >= count:
            _set_active(None, only=bar)
            bar.finish()

    return show_bar


def finish_active() -> None:
    """End the line of the bar being drawn, if any: an error or the end of the command must not
    print on the bar's line."""
    with _active_lock:
        bar = _active
    if bar is not None:
        _set_active(None, only=bar)
        bar.finish()


def _set_active(bar: Bar | None, *, only: Bar | None = None) -> None:
    """Make ``bar`` the one ``echo_above`` keeps clear of; with ``only``, only if that one is
    still the active bar (a newer bar is never unset by an older one)."""
    global _active
    with _active_lock:
        if only is None or _active is only:
            _active = bar


def echo_above(message: str, stream: TextIO | None = None) -> None:
    """Print ``message`` as a line of its own on ``stream`` (default: the current stderr): an
    active bar there is erased first and drawn again below it."""
    out = stream if stream is not None else sys.stderr
    with _active_lock:
        bar = _active if _active is not None and _active.stream is out else None
    if bar is None:
        click.echo(message, file=out)
        return
    with bar._lock:  # one writer on the line: the bar's
        bar.erase()
        click.echo(message, file=out)
        bar.redraw()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or stream-like object
        return False
