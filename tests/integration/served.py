"""``syncctl emulator serve`` as a real subprocess on a free loopback port, for the tests that
talk to it over a socket as a user's tools would; and the project and the ``syncctl`` process
that such a test points at it."""

from __future__ import annotations

import os
import re
import selectors
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

URL = re.compile(r"serving (http://127\.0\.0\.1:\d+)")


@dataclass
class Served:
    """The running emulator, its URL, and the stdout lines read up to the URL."""

    process: subprocess.Popen[bytes]
    url: str
    stdout: list[str] = field(default_factory=list)


def child_env(**extra: str) -> dict[str, str]:
    """This environment for a child process: unbuffered, without ``SYNCCTL_LOCAL_TOKEN`` (so the
    emulator's default token is what a fresh shell gets), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != "SYNCCTL_LOCAL_TOKEN"}
    env.update(PYTHONUNBUFFERED="1", **extra)
    return env


def read_line(process: subprocess.Popen[bytes], deadline: float) -> str:
    """One line of stdout, read byte by byte so nothing is left in a buffer for later, and a
    silent process fails the test at ``deadline`` (``time.monotonic``) instead of hanging."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    line = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while not line.endswith(b"\n"):
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                raise AssertionError("the process printed nothing in time")
            byte = os.read(fd, 1)
            if not byte:
                break
            line += byte
    return line.decode()


@contextmanager
def serve(folder: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    """``syncctl emulator serve --port 0 ARGS`` in ``folder`` over ``folder/emulator.sqlite3``,
    once it prints its URL; killed (unless already stopped) and reaped on exit."""
    command = [sys.executable, "-m", "syncctl", "emulator", "serve", "--port", "0"]
    command += ["--db", str(folder / "emulator.sqlite3"), *args]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        bufsize=0,
        env=child_env() if env is None else env,
        cwd=folder,
    )
    try:
        deadline = time.monotonic() + 30
        lines: list[str] = []
        while True:
            line = read_line(process, deadline)
            errors = process.stderr.read().decode(errors="replace") if not line else ""
            assert line, f"the emulator exited early: {errors}"
            lines.append(line)
            match = URL.search(line)
            if match:
                break
        yield Served(process, match.group(1), lines)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)  # reaps it and closes both pipes


def write_files(root: Path, files: Mapping[str, str]) -> None:
    """Each ``relative path -> text`` of ``files`` under ``root``, folders made as needed."""
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def write_project(root: Path, url: str, token_env: str, files: Mapping[str, str]) -> Path:
    """A project at ``root`` holding ``files``, whose one environment, ``local``, is the emulator
    at ``url`` with its token read from the variable ``token_env``, as a user would set it up."""
    root.mkdir(parents=True, exist_ok=True)
    write_files(root, files)
    (root / "syncctl.toml").write_text(
        f'[environments.local]\nurl = "{url}"\ntoken_env = "{token_env}"\n', encoding="utf-8"
    )
    return root


def cli(
    root: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``syncctl ARGS`` as a user runs it: its own process in ``root``, with ``env`` (by default
    ``child_env()``); a hung command fails the test after ``timeout`` seconds."""
    return subprocess.run(
        [sys.executable, "-m", "syncctl", *args],
        cwd=root,
        env=child_env() if env is None else env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
