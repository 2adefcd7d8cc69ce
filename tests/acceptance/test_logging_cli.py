"""``-v``/``-vv``/``-q``: what the CLI logs on stderr, and that the token is never in it.

In process (``CliRunner``) on the embedded environment for the levels; as a user runs it (two
processes: ``syncctl emulator serve`` answering 429 with ``Retry-After``, and ``syncctl -vv``
against it) for the retry path and the canary token.
"""

from __future__ import annotations

import logging
import os
import re
import selectors
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent

import pytest
from click.testing import CliRunner

from syncctl.cli.main import cli
from syncctl.client import RateLimiter

CANARY = "canary-tok-5d1e9b7f3a"
JOB = dedent(
    """\
    label: Job {n}
    default_runtime_version: 3
    resources:
      - resource: ticketing/tickets
        method: list
    """
)
REQUEST_LINE = re.compile(r"^syncctl: POST /sync-job -> 201 \(\d+ ms\)$", re.MULTILINE)


def project(root: Path, url: str = "embedded:.syncctl/local.sqlite3", jobs: int = 3) -> Path:
    for n in range(1, jobs + 1):
        path = root / "jobs" / "zendesk" / f"t{n:02}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(JOB.format(n=n), encoding="utf-8")
    toml = f'[environments.local]\nurl = "{url}"\ntoken_env = "CANARY_TOKEN"\n'
    (root / "syncctl.toml").write_text(toml, encoding="utf-8")
    return root


def run(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    monkeypatch.setenv("CANARY_TOKEN", CANARY)
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_v_logs_pages_and_state_writes_but_not_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(project(tmp_path), monkeypatch, "-v", "apply", "--yes")
    assert code == 0, err
    assert "syncctl: fetched /sync-job page 1: 0 objects\n" in err
    assert "syncctl: fetched /workflow page 1: 0 objects\n" in err
    state = tmp_path / "state" / "local.json"
    serials = [
        int(s)
        for s in re.findall(rf"wrote state file {re.escape(str(state))} \(serial (\d+)\)", err)
    ]
    assert serials
    assert serials == sorted(serials)
    assert f'"serial": {serials[-1]},' in state.read_text()  # the last one logged is on disk
    assert "[3/3] " in err  # apply's own -v lines are still there
    assert not REQUEST_LINE.search(err)
    assert CANARY not in out + err


def test_vv_adds_every_request_line_with_status_and_milliseconds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(project(tmp_path), monkeypatch, "-vv", "apply", "--yes")
    assert code == 0, err
    assert re.search(r"^syncctl: GET /sync-job\?limit=100 -> 200 \(\d+ ms\)$", err, re.MULTILINE)
    assert len(REQUEST_LINE.findall(err)) == 3  # one per job created
    assert "syncctl: fetched /sync-job page 1" in err
    assert CANARY not in out + err


@pytest.mark.parametrize("flags", [[], ["-q"]])
def test_default_and_quiet_log_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: list[str]
) -> None:
    code, _out, err = run(project(tmp_path), monkeypatch, *flags, "apply", "--yes")
    assert code == 0, err
    assert "fetched" not in err
    assert "wrote state file" not in err
    assert " ms)" not in err
    assert "[1/3]" not in err


def test_the_handler_is_the_clis_and_leaves_with_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = logging.getLogger("syncctl")
    assert library.handlers == []  # importing the library configured nothing
    before = library.level
    code, _out, err = run(project(tmp_path), monkeypatch, "-vv", "plan")
    assert code == 0, err
    assert "syncctl: GET /sync-job?limit=100 -> 200" in err
    assert library.handlers == []
    assert library.level == before
    code, _out, err = run(tmp_path, monkeypatch, "plan")
    assert "syncctl: GET" not in err


def test_a_thread_held_by_another_threads_429_says_why_it_waits(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The thread whose 429 began the pause logged its retry (with Retry-After) already: only
    the others log their wait at INFO, so ``-v`` never shows one wait twice."""
    caplog.set_level(logging.DEBUG, logger="syncctl")
    now = [0.0]
    limiter = RateLimiter(
        None, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s)
    )
    other = threading.Thread(target=limiter.pause, args=(2.0,))
    other.start()
    other.join()
    limiter.acquire()
    limiter.pause(1.0)
    limiter.acquire()
    waits = [(r.levelname, r.getMessage()) for r in caplog.records if r.name.endswith("ratelimit")]
    assert waits == [
        ("INFO", "waiting 2.0s: another request got a 429, every request is paused"),
        ("DEBUG", "waiting 1.000s: the 429 this request got paused every request"),
    ]


# -- as a user runs it: a served emulator answering 429, and syncctl -vv in its own process ------

URL = re.compile(r"serving (http://127\.0\.0\.1:\d+)")


def _environ() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCCTL_")}
    env["PYTHONUNBUFFERED"] = "1"
    env["CANARY_TOKEN"] = CANARY
    return env


def _first_url(process: subprocess.Popen[bytes], seconds: float = 30) -> str:
    """Read the emulator's stdout (byte by byte: nothing left buffered) up to its URL."""
    assert process.stdout is not None
    deadline, text = time.monotonic() + seconds, b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout.fileno(), selectors.EVENT_READ)
        while not (text.endswith(b"\n") and (match := URL.search(text.decode(errors="replace")))):
            assert selector.select(max(0.0, deadline - time.monotonic())), "no URL in time"
            byte = os.read(process.stdout.fileno(), 1)
            assert byte, "the emulator exited early"
            text += byte
    return match.group(1)


@pytest.fixture
def served_429(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``syncctl emulator serve`` accepting only the canary, refusing its next request with 429
    and ``Retry-After: 1``."""
    command = [sys.executable, "-m", "syncctl", "emulator", "serve", "--port", "0"]
    command += ["--db", str(tmp_path / "emulator.sqlite3"), "--token-env", "CANARY_TOKEN"]
    command += ["--burst-429", "next:1", "--retry-after", "1", "--seed", "1"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_environ(), cwd=tmp_path
    )
    try:
        yield _first_url(process), process
    finally:
        process.kill()
        process.communicate(timeout=30)


def test_vv_through_a_real_429_retry_shows_the_wait_and_never_the_token(
    tmp_path: Path, served_429: tuple[str, subprocess.Popen[bytes]]
) -> None:
    url, _server = served_429
    root = project(tmp_path / "repo", url, jobs=2)
    done = subprocess.run(
        [sys.executable, "-m", "syncctl", "-vv", "apply", "--yes"],
        capture_output=True,
        env=_environ(),
        cwd=root,
        timeout=120,
    )
    out, err = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0, err
    listing = re.escape(f"{url}/sync-job?limit=100")
    assert re.search(rf"^syncctl: GET {listing} -> 429 \(\d+ ms\)$", err, re.MULTILINE), err
    retry = (
        f"syncctl: retrying GET {url}/sync-job?limit=100: 429 Too Many Requests; "
        "retry 1 of 4 in 1.000s (Retry-After 1)\n"
    )
    assert retry in err
    assert re.search(rf"^syncctl: GET {listing} -> 200 \(\d+ ms\)$", err, re.MULTILINE)
    assert re.search(rf"^syncctl: POST {re.escape(url)}/sync-job -> 201 \(\d+ ms\)$", err, re.M)
    assert "syncctl: fetched /sync-job page 1: 0 objects" in err
    assert "wrote state file" in err
    assert CANARY not in out + err
    assert CANARY not in (root / "state" / "local.json").read_text()
