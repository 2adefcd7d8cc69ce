"""``syncctl environments [--remote] [--format text|json]`` through the CLI.

The listing reads the configuration only; ``--remote`` is checked against a real
``syncctl emulator serve`` subprocess with one good and one wrong token. A canary token must
never appear in any output, at any verbosity.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from cli_helpers import run

CANARY = "canary-0f3e9c2b7d4a4e1f8a6b5c3d2e1f0a9b"
GOOD = "good-token-of-env-a"
INTEGRATION = Path(__file__).resolve().parents[1] / "integration"

THREE = (
    '[environments.staging]\nurl = "https://staging.example.com"\n'
    '[environments.local]\nurl = "embedded:.syncctl/local.sqlite3"\n'
    '[environments.production]\nurl = "https://api.example.com"\n'
    'token_env = "PROD_TOKEN"\nstate_path = "live/prod.json"\n'
)


def write_config(root: Path, text: str) -> Path:
    (root / "syncctl.toml").write_text(text, encoding="utf-8")
    return root


def listing(
    root: Path, monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, dict[str, Any], str]:
    code, out, err = run(root, "environments", "--format", "json", *args, monkeypatch=monkeypatch)
    return code, json.loads(out), err


@pytest.fixture(autouse=True)
def _no_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("SYNCCTL_STAGING_TOKEN", "SYNCCTL_LOCAL_TOKEN", "PROD_TOKEN", "GOOD_TOKEN"):
        monkeypatch.delenv(var, raising=False)


# -- the listing -------------------------------------------------------------------------------


def test_json_lists_every_environment_in_configuration_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_config(tmp_path, THREE)
    monkeypatch.setenv("PROD_TOKEN", CANARY)
    code, data, err = listing(root, monkeypatch)
    assert (code, err) == (0, "")
    assert data == {
        "format_version": 1,
        "environments": [
            {
                "name": "staging",
                "url": "https://staging.example.com",
                "token_env": "SYNCCTL_STAGING_TOKEN",
                "token_set": False,
                "state_path": "state/staging.json",
                "embedded": False,
            },
            {
                "name": "local",
                "url": "embedded:.syncctl/local.sqlite3",
                "token_env": "SYNCCTL_LOCAL_TOKEN",
                "token_set": False,
                "state_path": "state/local.json",
                "embedded": True,
            },
            {
                "name": "production",
                "url": "https://api.example.com",
                "token_env": "PROD_TOKEN",
                "token_set": True,
                "state_path": "live/prod.json",
                "embedded": False,
            },
        ],
        "default": "local",  # no default_environment: local, as every command would choose
    }
    assert not (root / ".syncctl").exists(), "a listing opens no database"
    assert not (root / "state").exists()


def test_an_empty_token_variable_counts_as_not_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_config(tmp_path, THREE)
    monkeypatch.setenv("PROD_TOKEN", "")
    monkeypatch.setenv("SYNCCTL_STAGING_TOKEN", "x")
    _, data, _ = listing(root, monkeypatch)
    assert [e["token_set"] for e in data["environments"]] == [True, False, False]


def test_default_environment_is_marked_and_none_when_nothing_is_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, 'default_environment = "production"\n' + THREE)
    _, data, _ = listing(tmp_path, monkeypatch)
    assert data["default"] == "production"
    code, out, _ = run(tmp_path, "environments", monkeypatch=monkeypatch)
    assert code == 0
    marked = [ln.split()[1] for ln in out.splitlines() if ln.startswith("*")]
    assert marked == ["production"]

    remote_only = THREE.split("[environments.local]")[0]
    write_config(tmp_path, remote_only)
    _, data, _ = listing(tmp_path, monkeypatch)
    assert data["default"] is None  # every command needs --env: nothing is marked
    code, out, _ = run(tmp_path, "environments", monkeypatch=monkeypatch)
    assert code == 0
    assert not any(ln.startswith("*") for ln in out.splitlines())


def test_text_is_one_aligned_line_per_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_config(tmp_path, THREE)
    monkeypatch.setenv("PROD_TOKEN", CANARY)
    code, out, err = run(root, "environments", monkeypatch=monkeypatch)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert [ln.split()[0] for ln in lines] == ["staging", "*", "production"]
    assert lines[1].split() == [
        "*",
        "local",
        "embedded:.syncctl/local.sqlite3",
        "SYNCCTL_LOCAL_TOKEN",
        "(unset)",
        "state/local.json",
        "embedded",
    ]
    assert "PROD_TOKEN (set)" in lines[2]
    # Each column starts at the same offset on every line.
    starts = {ln.index(url) for ln, url in zip(lines, ("https", "embedded:", "https"), strict=True)}
    assert len(starts) == 1
    tokens = {
        ln.index(var) for ln, var in zip(lines, ("SYNCCTL_S", "SYNCCTL_L", "PROD_"), strict=True)
    }
    assert len(tokens) == 1
    assert CANARY not in out


def test_state_path_outside_the_root_is_shown_as_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere" / "s.json"
    root = tmp_path / "repo"
    root.mkdir()
    write_config(
        root, f'[environments.x]\nurl = "https://x.example.com"\nstate_path = "{elsewhere}"\n'
    )
    _, data, _ = listing(root, monkeypatch)
    assert data["environments"][0]["state_path"] == elsewhere.as_posix()


def test_without_configuration_the_local_default_is_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "jobs").mkdir()
    code, data, _ = listing(tmp_path, monkeypatch)
    assert code == 0
    assert [e["name"] for e in data["environments"]] == ["local"]
    assert data["default"] == "local"
    assert data["environments"][0]["state_path"] == ".syncctl/state/local.json"


def test_a_broken_configuration_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, '[environments.staging]\nurl = "http://example.com"\n')
    code, out, err = run(tmp_path, "environments", monkeypatch=monkeypatch)
    assert code == 2
    assert out == ""
    assert err.startswith("syncctl: error: ")
    assert "refusing plain http://" in err
    assert len(err.splitlines()) == 1


def test_the_command_is_listed_in_help(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(tmp_path, "--help", monkeypatch=monkeypatch)
    assert code == 0
    assert re.search(r"^\s+environments\s+List the configured environments", out, re.MULTILINE)


# -- --remote against `syncctl emulator serve` ----------------------------------------------------


def socket_tests() -> ModuleType:
    """tests/integration/served.py, the one start of ``syncctl emulator serve`` the socket tests
    share. Run alone, tests/acceptance has only its own folder on sys.path, so the integration
    folder is added after it, as pytest itself does when both folders run together."""
    if str(INTEGRATION) not in sys.path:
        sys.path.append(str(INTEGRATION))
    return importlib.import_module("served")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """The URL of ``syncctl emulator serve`` accepting only ``GOOD`` (environment env-a)."""
    with socket_tests().serve(tmp_path, "--token", f"{GOOD}=env-a") as emulator:
        yield emulator.url


def remote_project(root: Path, url: str) -> Path:
    root.mkdir(exist_ok=True)
    return write_config(
        root,
        f'[environments.good]\nurl = "{url}"\ntoken_env = "GOOD_TOKEN"\n'
        f'[environments.bad]\nurl = "{url}"\ntoken_env = "PROD_TOKEN"\n'
        f'[environments.missing]\nurl = "{url}"\ntoken_env = "SYNCCTL_STAGING_TOKEN"\n',
    )


def test_remote_reports_each_environment_and_exits_1_when_one_fails(
    served: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = remote_project(tmp_path / "repo", served)
    monkeypatch.setenv("GOOD_TOKEN", GOOD)
    monkeypatch.setenv("PROD_TOKEN", CANARY)  # a wrong token
    code, data, err = listing(root, monkeypatch, "--remote")
    assert code == 1
    good, bad, missing = data["environments"]
    assert good["remote"] == {"ok": True, "error": None}
    assert bad["remote"]["ok"] is False
    assert "401" in bad["remote"]["error"]
    assert "PROD_TOKEN" in bad["remote"]["error"]  # the hint names the variable
    assert missing["remote"] == {
        "ok": False,
        "error": "environment 'missing': no API token (hint: set the variable "
        "SYNCCTL_STAGING_TOKEN (the token is read from the environment only))",
    }
    assert missing["token_set"] is False
    assert CANARY not in json.dumps(data) + err

    code, out, _ = run(root, "environments", "--remote", monkeypatch=monkeypatch)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].rstrip().endswith("  ok")
    assert "  error: " in lines[1]
    assert "  error: environment 'missing': no API token" in lines[2]


def test_remote_exits_0_when_every_environment_answers(
    served: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_config(
        tmp_path,
        f'[environments.good]\nurl = "{served}"\ntoken_env = "GOOD_TOKEN"\n'
        '[environments.local]\nurl = "embedded:.syncctl/local.sqlite3"\n',
    )
    monkeypatch.setenv("GOOD_TOKEN", GOOD)
    code, data, err = listing(root, monkeypatch, "--remote")
    assert (code, err) == (0, "")
    assert [e["remote"] for e in data["environments"]] == [{"ok": True, "error": None}] * 2


def test_without_remote_no_request_is_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Port 9 (discard) on loopback: a request would fail, so ok/err would show it.
    write_config(tmp_path, '[environments.x]\nurl = "http://127.0.0.1:9"\n')
    code, data, _ = listing(tmp_path, monkeypatch)
    assert code == 0
    assert "remote" not in data["environments"][0]


def test_an_unreachable_environment_is_reported_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, '[environments.x]\nurl = "http://127.0.0.1:9"\n')
    monkeypatch.setenv("SYNCCTL_X_TOKEN", CANARY)
    code, data, err = listing(tmp_path, monkeypatch, "--remote")
    assert code == 1
    remote = data["environments"][0]["remote"]
    assert remote["ok"] is False
    assert "127.0.0.1:9" in remote["error"]
    assert CANARY not in json.dumps(data) + err


# -- the canary: never a token, at any verbosity --------------------------------------------------


@pytest.mark.parametrize("verbosity", [[], ["-v"], ["-vv"], ["-vvv"]])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_canary_token_never_appears_in_process(
    served: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    verbosity: list[str],
    fmt: str,
) -> None:
    root = remote_project(tmp_path / "repo", served)
    monkeypatch.setenv("GOOD_TOKEN", GOOD)
    monkeypatch.setenv("PROD_TOKEN", CANARY)
    caplog.set_level(logging.DEBUG)
    args = [*verbosity, "environments", "--remote", "--format", fmt]
    code, out, err = run(root, *args, monkeypatch=monkeypatch)
    assert code == 1
    assert "PROD_TOKEN" in out  # the variable is named...
    assert CANARY not in out + err + caplog.text  # ...its value never
    assert GOOD not in out + err + caplog.text


@pytest.mark.parametrize("verbosity", ["-v", "-vv"])
def test_the_canary_token_never_appears_from_the_real_process(
    served: str, tmp_path: Path, verbosity: str
) -> None:
    root = remote_project(tmp_path / "repo", served)
    env = {**os.environ, "GOOD_TOKEN": CANARY + "-good", "PROD_TOKEN": CANARY}
    env.pop("SYNCCTL_STAGING_TOKEN", None)
    result = subprocess.run(
        [sys.executable, "-m", "syncctl", verbosity, "environments", "--remote"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert CANARY not in result.stdout + result.stderr
    assert len(result.stdout.splitlines()) == 3
