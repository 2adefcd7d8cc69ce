"""``syncctl emulator serve`` as a user runs it: a real subprocess on a free port."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from served import Served, child_env, serve

CANARY = "canary-5d41402abc4b2a76b9719d911017c592"


def stop(served: Served, sig: signal.Signals) -> tuple[int, str, str]:
    served.process.send_signal(sig)
    out, err = served.process.communicate(timeout=30)
    return served.process.returncode, "".join(served.stdout) + out.decode(), err.decode()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_prints_url_serves_and_stops_cleanly(tmp_path: Path, sig: signal.Signals) -> None:
    with serve(tmp_path) as served:
        headers = {"Authorization": "Bearer local-dev-token"}
        created = httpx.post(
            f"{served.url}/sync-job", json={"integration_name": "z"}, headers=headers
        )
        assert created.status_code == 201
        assert created.json()["environment_id"] == "local"
        code, out, err = stop(served, sig)
    assert code == 0, err
    assert "SYNCCTL_LOCAL_TOKEN is not set" in out
    assert "local-dev-token" not in out + err
    assert "stopped" in err
    assert "Traceback" not in err


def test_tokens_from_options_and_the_canary_never_leaks(tmp_path: Path) -> None:
    env = child_env()
    env["CANARY_VAR"] = CANARY + "-env"
    with serve(
        tmp_path,
        "--token",
        f"{CANARY}=env-x",
        "--token-env",
        "CANARY_VAR=env-y",
        "--log-requests",
        "--error-rate",
        "0.5",
        "--seed",
        "3",
        env=env,
    ) as served:
        for token in (CANARY, CANARY + "-env", "wrong-" + CANARY):
            headers = {"Authorization": f"Bearer {token}"}
            for _ in range(4):
                httpx.get(f"{served.url}/sync-job?label={token[:3]}", headers=headers)
            httpx.post(f"{served.url}/sync-job", content=b"{bad", headers=headers)
        good = httpx.post(
            f"{served.url}/sync-job",
            json={"integration_name": "z"},
            headers={"Authorization": f"Bearer {CANARY}"},
        )
        assert good.status_code in (201, 500)
        code, out, err = stop(served, signal.SIGTERM)
    assert code == 0
    assert "GET /sync-job" in err  # the request log is on
    assert "$CANARY_VAR for environment 'env-y'" in out
    assert CANARY not in out
    assert CANARY not in err


def test_token_from_syncctl_local_token(tmp_path: Path) -> None:
    env = child_env()
    env["SYNCCTL_LOCAL_TOKEN"] = CANARY
    with serve(tmp_path, env=env) as served:
        ok = httpx.get(f"{served.url}/sync-job", headers={"Authorization": f"Bearer {CANARY}"})
        dev = httpx.get(
            f"{served.url}/sync-job", headers={"Authorization": "Bearer local-dev-token"}
        )
        code, out, err = stop(served, signal.SIGTERM)
    assert ok.status_code == 200
    assert dev.status_code == 401
    assert code == 0
    assert "$SYNCCTL_LOCAL_TOKEN" in out
    assert CANARY not in out + err


def test_serve_trigger_adds_known_triggers(tmp_path: Path) -> None:
    headers = {"Authorization": "Bearer local-dev-token"}
    with serve(tmp_path, "--trigger", "custom:event", "--trigger", "custom:event") as served:
        url = f"{served.url}/workflow"
        answers = {
            name: httpx.post(url, json={"trigger_name": name, "config": {}}, headers=headers)
            for name in ("custom:event", "integrated_account:active", "custom:other")
        }
        code, out, err = stop(served, signal.SIGTERM)
    assert code == 0, err
    assert [answer.status_code for answer in answers.values()] == [201, 201, 404]
    assert answers["custom:other"].json()["message"] == (
        "Trigger custom:other not found (known triggers: integrated_account:active, custom:event)"
    )
    assert "workflow triggers integrated_account:active, custom:event\n" in out
    with serve(tmp_path) as served:  # without --trigger: the default list only
        refused = httpx.post(
            f"{served.url}/workflow",
            json={"trigger_name": "custom:event", "config": {}},
            headers=headers,
        )
        listed = httpx.get(f"{served.url}/workflow", headers=headers).json()
        stop(served, signal.SIGTERM)
    assert refused.status_code == 404
    assert [flow["trigger_name"] for flow in listed["result"]] == [
        "custom:event",
        "integrated_account:active",
    ]  # and what the first run stored is still there


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--host", "0.0.0.0"], "refusing to listen on non-loopback host"),
        (["--rate-limit", "lots"], "is not N/SECONDS"),
        (["--burst-429", "always"], "is not every:N or next:K"),
        (["--page-size-default", "50", "--page-size-max", "10"], "must not exceed"),
        (["--token-env", "SURELY_UNSET_VARIABLE"], "SURELY_UNSET_VARIABLE is not set"),
        (["--error-rate", "2"], "2"),
        (["--trigger", " "], "--trigger needs a trigger name"),
    ],
)
def test_bad_options_exit_2_without_traceback(
    tmp_path: Path, args: list[str], message: str
) -> None:
    command = [sys.executable, "-m", "syncctl", "emulator", "serve", "--port", "0", *args]
    result = subprocess.run(
        command, capture_output=True, text=True, env=child_env(), cwd=tmp_path, timeout=60
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_port_in_use_is_a_clean_error(tmp_path: Path) -> None:
    with serve(tmp_path) as served:
        port = served.url.rsplit(":", 1)[1]
        command = [sys.executable, "-m", "syncctl", "emulator", "serve", "--port", port]
        command += ["--db", str(tmp_path / "other.sqlite3")]
        result = subprocess.run(
            command, capture_output=True, text=True, env=child_env(), cwd=tmp_path, timeout=60
        )
        stop(served, signal.SIGTERM)
    assert result.returncode == 1
    assert "cannot listen on 127.0.0.1:" in result.stderr
    assert "Traceback" not in result.stderr
