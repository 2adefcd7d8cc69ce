"""Fidelity check: the official Python SDK (``truto-python-sdk``) against the emulator.

Usage: .venv/bin/python scripts/sdk_fidelity.py [--venv DIR] [--version V]

1. Makes (once) a virtual environment ``.venv-sdk`` (git-ignored) and installs the SDK with
   ``pip install --ignore-requires-python truto-python-sdk==V``: the SDK declares Python >= 3.12
   and this project runs on 3.11, which the SDK's sync-job calls work on.
2. Starts the emulator's real HTTP server on a free loopback port, recording each request line.
3. Runs ``sdk_fidelity_driver.py`` in the SDK's environment: create, list with pagination
   (limit=2 over 5 jobs), get, update, delete, 404 after delete, 401 for a bad token.
4. Prints each step with PASS/FAIL, then what the SDK sent on the wire; exits 1 on any FAIL.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import venv
from collections.abc import Mapping
from pathlib import Path

from syncctl.emulator.handler import Emulator, EmulatorSettings, Response
from syncctl.emulator.server import running_server
from syncctl.emulator.store import Store

ROOT = Path(__file__).resolve().parent.parent
DRIVER = Path(__file__).resolve().parent / "sdk_fidelity_driver.py"
SDK_VERSION = "0.1.6"
TOKEN = "sdk-fidelity-token"


class RecordingEmulator(Emulator):
    """Remembers method, path and status of each request (never the headers)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.seen: list[tuple[str, str, int]] = []

    def handle(
        self, method: str, raw_path_with_query: str, headers: Mapping[str, str], body: bytes
    ) -> Response:
        response = super().handle(method, raw_path_with_query, headers, body)
        self.seen.append((method, raw_path_with_query, response.status))
        return response


def sdk_python(venv_dir: Path, version: str) -> Path:
    python = venv_dir / "bin" / "python"
    marker = venv_dir / f".truto-python-sdk-{version}"
    if marker.is_file() and python.is_file():
        return python
    print(f"setting up {venv_dir} with truto-python-sdk=={version} ...", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--ignore-requires-python",
            f"truto-python-sdk=={version}",
        ],
        check=True,
    )
    marker.write_text(version + "\n")
    return python


def wire_checks(seen: list[tuple[str, str, int]]) -> list[tuple[str, bool, str]]:
    """What the SDK's pagination looked like on the wire."""
    pages = [
        path
        for method, path, _ in seen
        if method == "GET" and "limit=2" in path and "integration_name=zendesk" in path
    ]
    return [
        ("wire: 3 pages for 5 jobs at limit=2", len(pages) == 3, "; ".join(pages)),
        (
            "wire: pages 2-3 carry next_cursor",
            all("next_cursor=" in p for p in pages[1:])
            and "next_cursor=" not in (pages[0] if pages else ""),
            "",
        ),
        (
            "wire: every response status as expected",
            all(status in (200, 201, 401, 404) for *_, status in seen),
            "",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv-sdk")
    parser.add_argument("--version", default=SDK_VERSION)
    args = parser.parse_args(argv)
    python = sdk_python(args.venv, args.version)
    emulator = RecordingEmulator(EmulatorSettings(tokens={TOKEN: "sdk-env"}), Store(":memory:"))
    with running_server(emulator=emulator) as url:
        print(f"emulator at {url}; SDK truto-python-sdk=={args.version} ({python})", flush=True)
        env = {**os.environ, "SDK_FIDELITY_TOKEN": TOKEN}
        result = subprocess.run(
            [str(python), str(DRIVER), url], capture_output=True, text=True, env=env, timeout=300
        )
    emulator.close()
    failures = 0
    for line in result.stdout.splitlines():
        try:
            step = json.loads(line)
        except ValueError:
            print(f"  (driver) {line}")
            continue
        failures += not step["ok"]
        detail = json.dumps(step["detail"], default=str)
        if len(detail) > 160:
            detail = detail[:157] + "..."
        print(f"{'PASS' if step['ok'] else 'FAIL'}  {step['step']}: {detail}")
    for name, ok, detail in wire_checks(emulator.seen):
        failures += not ok
        print(f"{'PASS' if ok else 'FAIL'}  {name}{': ' + detail if detail else ''}")
    if result.returncode != 0 or result.stderr.strip():
        print(result.stderr, file=sys.stderr)
    if result.returncode != 0:
        failures = max(failures, 1)
    print(f"sdk fidelity: {'FAIL' if failures else 'PASS'} ({failures} failed)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
