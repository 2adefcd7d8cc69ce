"""The configuration: ``[tool.syncctl]`` read through the pydantic models, one line per error."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from syncctl.config import LOCAL_URL, default_config, load_config
from syncctl.errors import ConfigError

STAGING = '[tool.syncctl.environments.staging]\nurl = "https://api.truto.one"\n'


def _write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def _error(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "\n" not in str(caught.value)
    return caught.value


def test_no_file_and_an_empty_table_give_the_defaults(tmp_path: Path) -> None:
    assert load_config(cwd=tmp_path) == default_config(tmp_path)
    source = _write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    loaded = load_config(source)
    assert loaded == default_config(tmp_path)
    local = loaded.environment(None)
    assert (local.name, local.url, local.is_embedded) == ("local", LOCAL_URL, True)
    assert local.state_path == tmp_path / ".syncctl" / "state" / "local.json"


def test_every_key_is_read_and_paths_are_under_the_config_folder(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        "pyproject.toml",
        """\
        [tool.syncctl]
        jobs_dir = "defs"
        state_dir = "st"
        default_environment = "prod"

        [tool.syncctl.environments.staging-eu]
        url = "https://staging.example"

        [tool.syncctl.environments.prod]
        url = "https://api.truto.one"
        token_env = "TRUTO_TOKEN"
        state_path = "committed/prod.json"
        rate = 5
        concurrency = 4
        mass_delete_ratio = 1
        page_size = 250
        """,
    )
    config = load_config(source)
    assert (config.root, config.source) == (tmp_path, source)
    assert (config.jobs_dir, config.state_dir) == (tmp_path / "defs", tmp_path / "st")
    assert config.default_environment == "prod"
    prod = config.environment(None)
    assert (prod.token_env, prod.state_path) == ("TRUTO_TOKEN", tmp_path / "committed/prod.json")
    assert (prod.rate, prod.concurrency, prod.mass_delete_ratio, prod.page_size) == (
        5.0,
        4,
        1.0,
        250,
    )
    assert isinstance(prod.rate, float)
    staging = config.environment("staging-eu")
    assert staging.token_env == "SYNCCTL_STAGING_EU_TOKEN"
    assert staging.state_path == tmp_path / "st" / "staging-eu.json"
    assert (staging.rate, staging.concurrency, staging.mass_delete_ratio, staging.page_size) == (
        None,
        8,
        0.5,
        100,
    )


def test_without_default_environment_the_first_configured_one_is_used(tmp_path: Path) -> None:
    body = STAGING + '[tool.syncctl.environments.prod]\nurl = "https://x.test"\n'
    config = load_config(_write(tmp_path, "pyproject.toml", body))
    assert config.default_environment == "staging"


def test_without_environments_the_local_one_is_kept(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, "pyproject.toml", '[tool.syncctl]\njobs_dir = "j"\n'))
    assert list(config.environments) == ["local"]
    assert config.jobs_dir == tmp_path / "j"


def test_a_syncctl_toml_may_hold_the_keys_at_its_top_level(tmp_path: Path) -> None:
    body = 'jobs_dir = "j"\n[environments.staging]\nurl = "https://x.test"\n'
    config = load_config(_write(tmp_path, "syncctl.toml", body))
    assert (config.jobs_dir, list(config.environments)) == (tmp_path / "j", ["staging"])
    error = _error(_write(tmp_path, "syncctl.toml", "jobs_dir = 3\n"))
    assert error.message == f"{tmp_path / 'syncctl.toml'}: jobs_dir: expected a string"


def test_the_token_comes_from_the_variable_only(tmp_path: Path, monkeypatch) -> None:
    body = STAGING + 'token_env = "SYNCCTL_TEST_CONFIG_TOKEN"\n'
    env = load_config(_write(tmp_path, "pyproject.toml", body)).environment("staging")
    monkeypatch.delenv("SYNCCTL_TEST_CONFIG_TOKEN", raising=False)
    assert env.token() is None
    monkeypatch.setenv("SYNCCTL_TEST_CONFIG_TOKEN", "s3cret")
    assert env.token() == "s3cret"
    error = _error(_write(tmp_path, "pyproject.toml", STAGING + 'token = "s3cret"\n'))
    assert "tool.syncctl.environments.staging.token: unknown key" in error.message
    assert "s3cret" not in str(error)


@pytest.mark.parametrize(
    ("extra", "message", "hint"),
    [
        ("rate = 0\n", "rate: expected a number > 0", "requests per second, e.g. rate = 10"),
        ('rate = "10"\n', "rate: expected a number", "requests per second, e.g. rate = 10"),
        ("rate = true\n", "rate: expected a number", "requests per second, e.g. rate = 10"),
        (
            "concurrency = 0\n",
            "concurrency: expected a number >= 1",
            "requests in flight, 1 to 256",
        ),
        (
            "concurrency = 257\n",
            "concurrency: expected a number <= 256",
            "requests in flight, 1 to 256",
        ),
        ("concurrency = 8.0\n", "concurrency: expected an integer", "requests in flight, 1 to 256"),
        (
            "concurrency = true\n",
            "concurrency: expected an integer",
            "requests in flight, 1 to 256",
        ),
        ("mass_delete_ratio = 0\n", "mass_delete_ratio: expected a number > 0", None),
        ("mass_delete_ratio = 1.5\n", "mass_delete_ratio: expected a number <= 1", None),
        ("page_size = 1001\n", "page_size: expected a number <= 1000", None),
        ('token_env = ""\n', "token_env: expected a non-empty string", None),
        ("state_path = 1\n", "state_path: expected a string", None),
        ("rat = 1\n", "rat: unknown key (did you mean rate?)", None),
        ("colour = 1\n", "colour: unknown key", None),
    ],
)
def test_a_wrong_environment_value_names_its_key_path(
    tmp_path: Path, extra: str, message: str, hint: str | None
) -> None:
    source = _write(tmp_path, "pyproject.toml", STAGING + extra)
    error = _error(source)
    assert error.message == f"{source}: tool.syncctl.environments.staging.{message}"
    if hint is not None:
        assert error.hint == hint


@pytest.mark.parametrize(
    ("body", "message", "hint"),
    [
        ("[tool.syncctl]\nenvironments = {}\n", "environments: expected at least one entry", "one"),
        ("[tool.syncctl]\nenvironments = 1\n", "environments: expected a table", "one table"),
        ("[tool.syncctl.environments]\nprod = 1\n", "environments.prod: expected a table", "one"),
        ("[tool.syncctl.environments.prod]\nrate = 1\n", "environments.prod.url: missing", "https"),
        ('[tool.syncctl]\nstate_dir = " "\n', "state_dir: expected a non-empty string", "state"),
        (
            '[tool.syncctl]\njobs_dirs = "j"\n',
            "jobs_dirs: unknown key (did you mean jobs_dir?)",
            None,
        ),
        (
            "[tool.syncctl]\ndefault_environment = 1\n",
            "default_environment: expected a string",
            None,
        ),
    ],
)
def test_a_wrong_table_value_names_its_key_path(
    tmp_path: Path, body: str, message: str, hint: str | None
) -> None:
    source = _write(tmp_path, "pyproject.toml", body)
    error = _error(source)
    assert error.message == f"{source}: tool.syncctl.{message}"
    if hint is None:
        assert error.hint is None
    else:
        assert hint in (error.hint or "")


def test_several_errors_report_the_first_and_count_the_others(tmp_path: Path) -> None:
    source = _write(tmp_path, "pyproject.toml", STAGING + "rate = 0\npage_size = 0\nfoo = 1\n")
    assert _error(source).message == (
        f"{source}: tool.syncctl.environments.staging.rate: expected a number > 0"
        " (and 2 more error(s))"
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://api.truto.one", "refusing plain http:// to api.truto.one"),
        ("ftp://127.0.0.1", "unsupported URL 'ftp://127.0.0.1'"),
        ("embedded:", "embedded: URL needs a database path"),
    ],
)
def test_an_unsafe_or_unknown_url_is_refused_with_its_key_path(
    tmp_path: Path, url: str, message: str
) -> None:
    body = f'[tool.syncctl.environments.prod]\nurl = "{url}"\n'
    source = _write(tmp_path, "pyproject.toml", body)
    assert _error(source).message == f"{source}: tool.syncctl.environments.prod.url: {message}"


@pytest.mark.parametrize("url", ["http://localhost:8080", "http://127.0.0.2", "embedded:x.db"])
def test_loopback_http_and_embedded_urls_are_accepted(tmp_path: Path, url: str) -> None:
    body = f'[tool.syncctl.environments.dev]\nurl = "{url}"\n'
    assert load_config(_write(tmp_path, "pyproject.toml", body)).environment("dev").url == url


def test_an_unconfigured_default_environment_lists_the_choices(tmp_path: Path) -> None:
    body = '[tool.syncctl]\ndefault_environment = "prod"\n' + STAGING
    source = _write(tmp_path, "pyproject.toml", body)
    error = _error(source)
    assert error.message == (
        f"{source}: tool.syncctl.default_environment: 'prod' is not configured"
        " (configured: staging)"
    )
    assert error.hint == "add [tool.syncctl.environments.prod] or pick one of those"
    with pytest.raises(ConfigError, match=r"unknown environment 'qa' \(configured: staging\)"):
        load_config(_write(tmp_path, "pyproject.toml", STAGING)).environment("qa")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("tool = 1\n", "tool: expected a table"),
        ("[tool]\nsyncctl = 1\n", "tool.syncctl: expected a table"),
        ("[tool.syncctl\n", "invalid TOML: "),
    ],
)
def test_a_file_that_is_not_a_table_is_one_error(tmp_path: Path, body: str, message: str) -> None:
    source = _write(tmp_path, "pyproject.toml", body)
    assert _error(source).message.startswith(f"{source}: {message}")


def test_a_missing_file_named_on_the_command_line_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    assert _error(missing).message == f"{missing}: configuration file not found"


def _imports_pydantic(tmp_path: Path, body: str) -> bool:
    source = _write(tmp_path, "pyproject.toml", body)
    script = (
        "import sys; from pathlib import Path; from syncctl.config import load_config;"
        f"load_config(Path({str(source)!r})); print('pydantic' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return done.stdout.strip() == "True"


def test_pydantic_is_imported_only_when_a_table_is_parsed(tmp_path: Path) -> None:
    assert not _imports_pydantic(tmp_path, '[project]\nname = "x"\n')
    assert _imports_pydantic(tmp_path, STAGING)
