"""The progress bar on a real terminal: ``syncctl apply --yes`` with stderr on a pseudo-terminal.

The child gets a pty as stderr (stdout stays a pipe, as when the result is piped on); everything
written to the terminal is read back from the pty's master side, control characters included.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

JOBS = 12  # more than progress.BAR_THRESHOLD
JOB = dedent(
    """\
    label: Job {n}
    default_runtime_version: 3
    resources:
      - resource: ticketing/tickets
        method: list
    """
)
ERASE = b"\r\x1b[K"
FULL_BAR = f"apply [########################] {JOBS}/{JOBS}".encode()


def project(root: Path) -> Path:
    for n in range(1, JOBS + 1):
        path = root / "jobs" / "zendesk" / f"t{n:02}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(JOB.format(n=n), encoding="utf-8")
    (root / "syncctl.toml").write_text(
        '[environments.local]\nurl = "embedded:.syncctl/local.sqlite3"\n', encoding="utf-8"
    )
    return root


def _environ() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCCTL_")}
    env.update(PYTHONUNBUFFERED="1", COLUMNS="120", TERM="xterm", NO_COLOR="1")
    return env


def in_pty(args: list[str], cwd: Path, *, tty: bool = True) -> tuple[int, bytes, bytes]:
    """Run ``args`` with stderr on a new pseudo-terminal (or on a pipe when ``tty`` is false):
    exit code, stdout, and the bytes the terminal received."""
    if not tty:
        done = subprocess.run(args, capture_output=True, cwd=cwd, env=_environ(), timeout=120)
        return done.returncode, done.stdout, done.stderr
    master, slave = os.openpty()
    try:
        process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
            cwd=cwd, env=_environ(),
        )  # fmt: skip
    finally:
        os.close(slave)  # the child holds it now: EOF (EIO) on master once it exits
    terminal = b""
    try:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError as exc:  # Linux: EIO once the last slave fd is closed
                if exc.errno != errno.EIO:
                    raise
                break
            if not chunk:
                break
            terminal += chunk
        out, _ = process.communicate(timeout=120)  # reaps it and closes its stdout pipe
        return process.returncode, out, terminal
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)


def syncctl(*args: str) -> list[str]:
    return [sys.executable, "-m", "syncctl", *args]


def test_apply_on_a_terminal_draws_one_bar_redrawn_in_place(tmp_path: Path) -> None:
    code, out, terminal = in_pty(syncctl("apply", "--yes"), project(tmp_path))
    assert code == 0, terminal.decode(errors="replace")
    assert terminal.count(ERASE) >= JOBS  # every item redraws the line from its start
    assert FULL_BAR in terminal
    assert b"apply [##" in terminal
    assert b"[1/12]" not in terminal  # the bar replaces the lines
    # The bar's line is ended, so nothing later is printed onto it.
    assert re.search(re.escape(FULL_BAR) + rb"[^\r\n]*\r?\n", terminal)
    assert b"\r" not in out
    assert b"apply [" not in out


def test_apply_without_a_terminal_prints_no_bar_and_no_lines(tmp_path: Path) -> None:
    code, out, err = in_pty(syncctl("apply", "--yes"), project(tmp_path), tty=False)
    assert code == 0, err.decode(errors="replace")
    assert b"\r" not in err
    assert b"apply [" not in err
    assert b"[1/12]" not in err
    assert b"+ create zendesk/t01" in out  # the plan shown before applying, as today


def test_apply_v_on_a_terminal_prints_the_lines_of_today_not_a_bar(tmp_path: Path) -> None:
    code, _out, terminal = in_pty(syncctl("-v", "apply", "--yes"), project(tmp_path))
    assert code == 0, terminal.decode(errors="replace")
    assert b"apply [" not in terminal
    assert ERASE not in terminal
    for n in range(1, JOBS + 1):
        assert f"[{n}/{JOBS}] ".encode() in terminal
    assert b"syncctl: wrote state file" in terminal  # and -v's log records


def test_the_reporter_sees_a_real_terminal_and_keeps_log_lines_off_the_bar(tmp_path: Path) -> None:
    """``progress.reporter`` as apply will call it, with the CLI's log handler, on a pty."""
    script = dedent(
        """\
        import logging
        from syncctl.cli.main import setup_logging
        from syncctl.progress import reporter
        undo = setup_logging(0)
        show = reporter(12, verbosity=0, describe=lambda item: "+ create " + item)
        assert show is not None, "no bar on a terminal"
        for done in range(1, 13):
            if done == 6:
                logging.getLogger("syncctl.client").warning("POST /sync-job: outcome unknown")
            show(f"zendesk/t{done:02}", done, 12)
        undo()
        """
    )
    code, _out, terminal = in_pty([sys.executable, "-c", script], tmp_path)
    assert code == 0, terminal.decode(errors="replace")
    assert FULL_BAR + b"  + create zendesk/t12" in terminal
    # The warning replaced the bar's line, and the bar came back below it.
    warning = b"syncctl: POST /sync-job: outcome unknown"
    assert ERASE + warning + b"\r\n" + ERASE + b"apply [##########" in terminal
