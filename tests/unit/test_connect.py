"""connect(env, root): the client of a configured environment, built outside syncctl.client."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import syncctl.client
from syncctl.config import Environment, load_config
from syncctl.connect import connect, rate_limiter_for
from syncctl.errors import AuthError, ConfigError, NotFoundError
from syncctl.reconcile.session import open_session


def _env(tmp_path: Path, url: str, **extra: object) -> Environment:
    return Environment(
        name="test",
        url=url,
        token_env="SYNCCTL_TEST_CLIENT_TOKEN",
        state_path=tmp_path / "state.json",
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture(autouse=True)
def _no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYNCCTL_TEST_CLIENT_TOKEN", raising=False)


def test_embedded_without_a_token_uses_the_built_in_local_token(tmp_path: Path) -> None:
    env = _env(tmp_path, "embedded:.syncctl/local.sqlite3")

    with connect(env, tmp_path) as client:
        created = client.create({"integration_name": "zendesk", "label": "one"})
        assert client.get(created["id"])["label"] == "one"

    assert (tmp_path / ".syncctl" / "local.sqlite3").is_file()
    with connect(env, tmp_path) as client:  # persisted: a new client sees the job
        assert [job["id"] for job in client.list()] == [created["id"]]


def test_embedded_with_a_token_variable_uses_that_token(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SYNCCTL_TEST_CLIENT_TOKEN", "my-embedded-token")
    env = _env(tmp_path, "embedded:db.sqlite3")

    with connect(env, tmp_path) as client:
        assert client._http.headers["authorization"] == "Bearer my-embedded-token"
        assert list(client.list()) == []


def test_embedded_rejects_a_token_it_was_not_opened_with(tmp_path: Path, monkeypatch) -> None:
    from syncctl.client import SyncJobClient
    from syncctl.emulator.transport import open_embedded

    transport = open_embedded(tmp_path / "db.sqlite3", token="right")
    with (
        SyncJobClient("https://embedded.invalid", "wrong", transport=transport) as client,
        pytest.raises(AuthError, match="401"),
    ):
        client.get("x")


def test_https_without_a_token_names_the_variable(tmp_path: Path) -> None:
    env = _env(tmp_path, "https://api.truto.one")

    with pytest.raises(ConfigError, match="SYNCCTL_TEST_CLIENT_TOKEN") as caught:
        connect(env, tmp_path)

    assert caught.value.exit_code == 2


def test_https_with_a_token_builds_a_client_without_touching_the_network(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("SYNCCTL_TEST_CLIENT_TOKEN", "secret-value-123")
    env = _env(tmp_path, "https://api.truto.one", rate=25.0)

    with connect(env, tmp_path) as client:
        assert client.base_url == "https://api.truto.one"
        assert "secret-value-123" not in repr(client)
        assert client.rate_limiter.rate_per_s == 25.0
        assert client.rate_limiter.burst == 1  # no burst: the server bucket has no slack


@pytest.mark.parametrize("url", ["http://api.truto.one", "http://192.168.1.10:8000"])
def test_plain_http_to_a_remote_host_is_refused(tmp_path: Path, monkeypatch, url) -> None:
    monkeypatch.setenv("SYNCCTL_TEST_CLIENT_TOKEN", "t")

    with pytest.raises(ConfigError, match="refusing plain http"):
        connect(_env(tmp_path, url), tmp_path)


def test_plain_http_to_loopback_is_accepted(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SYNCCTL_TEST_CLIENT_TOKEN", "t")

    with connect(_env(tmp_path, "http://127.0.0.1:9"), tmp_path) as client:
        assert client.base_url == "http://127.0.0.1:9"


def test_rate_limiter_only_when_a_rate_is_configured(tmp_path: Path) -> None:
    assert rate_limiter_for(_env(tmp_path, "https://x.test")) is None
    slow = rate_limiter_for(_env(tmp_path, "https://x.test", rate=0.5))
    assert slow is not None
    assert (slow.rate_per_s, slow.burst) == (0.5, 1)


@pytest.mark.parametrize("page_size", [7, 250])
def test_page_size_comes_from_the_environment(tmp_path: Path, monkeypatch, page_size) -> None:
    monkeypatch.setenv("SYNCCTL_TEST_CLIENT_TOKEN", "t")
    env = _env(tmp_path, "https://x.test", page_size=page_size)

    with connect(env, tmp_path) as client:
        assert client.page_size == page_size
    with connect(_env(tmp_path, "embedded:db.sqlite3", page_size=page_size), tmp_path) as client:
        assert client.page_size == page_size


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names.add(node.module)
    return names


def test_no_module_of_the_client_imports_the_emulator() -> None:
    folder = Path(syncctl.client.__file__).parent
    sources = sorted(folder.glob("*.py"))
    assert len(sources) >= 5  # the package itself, not an empty glob
    offenders = {
        f"{path.name}: {name}"
        for path in sources
        for name in _imported_modules(path)
        if name == "syncctl.emulator" or name.startswith("syncctl.emulator.")
    }
    assert offenders == set()


def test_importing_the_client_loads_no_emulator_module() -> None:
    code = (
        "import sys, syncctl.client, syncctl.client.api, syncctl.client.failures;"
        "print(sorted(m for m in sys.modules if m.startswith('syncctl.emulator')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


ACTIVE = "integrated_account:active"


def _flow(trigger: str) -> dict[str, object]:
    return {"trigger_name": trigger, "config": {"steps": []}}


def test_embedded_accepts_workflows_on_the_given_known_triggers(tmp_path: Path) -> None:
    env = _env(tmp_path, "embedded:db.sqlite3")

    with connect(env, tmp_path, known_triggers=("custom:event", ACTIVE)) as client:
        created = client.workflows.create(_flow("custom:event"))
        assert client.workflows.create(_flow(ACTIVE)).trigger_name == ACTIVE
        with pytest.raises(NotFoundError, match=r"Trigger other:event not found \(known trig"):
            client.workflows.create(_flow("other:event"))
        assert [flow.id for flow in client.workflows.list(trigger_name="custom:event")] == [
            created.id
        ]


def test_embedded_defaults_to_the_default_known_triggers(tmp_path: Path) -> None:
    with connect(_env(tmp_path, "embedded:db.sqlite3"), tmp_path) as client:
        assert client.workflows.create(_flow(ACTIVE)).trigger_name == ACTIVE
        with pytest.raises(NotFoundError, match="Trigger custom:event not found"):
            client.workflows.create(_flow("custom:event"))


def test_the_projects_known_triggers_reach_the_embedded_emulator(tmp_path: Path) -> None:
    (tmp_path / "syncctl.toml").write_text(
        'known_triggers = ["custom:event"]\n'
        "[environments.local]\n"
        'url = "embedded:.syncctl/db.sqlite3"\n'
        'token_env = "SYNCCTL_TEST_CLIENT_TOKEN"\n',
        encoding="utf-8",
    )
    config = load_config(cwd=tmp_path)
    env = config.environment(None)

    with open_session(config, env, lock=False) as session:
        assert session.api.workflows.create(_flow("custom:event")).trigger_name == "custom:event"
        with pytest.raises(NotFoundError, match=f"Trigger {ACTIVE} not found"):
            session.api.workflows.create(_flow(ACTIVE))


def test_known_triggers_leave_a_network_environment_alone(tmp_path: Path) -> None:
    code = (
        "import os, sys, pathlib;"
        "os.environ['SYNCCTL_TEST_CLIENT_TOKEN'] = 't';"
        "from syncctl.config import Environment;"
        "from syncctl.connect import connect;"
        "env = Environment('test', 'https://x.test', 'SYNCCTL_TEST_CLIENT_TOKEN',"
        " pathlib.Path('s.json'), page_size=9);"
        "client = connect(env, pathlib.Path('.'), known_triggers=('custom:event',));"
        "print(client.base_url, client.page_size,"
        " sorted(m for m in sys.modules if m.startswith('syncctl.emulator')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    ).stdout
    assert out.strip() == "https://x.test 9 []"
