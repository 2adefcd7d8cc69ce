"""Where the configuration and the project root are (design §4), and which environment is used."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncctl.config import (
    LOCAL_URL,
    Config,
    Environment,
    did_you_mean,
    load_config,
    project_root,
    work_dir,
)
from syncctl.errors import ConfigError

LOCAL = f'[environments.local]\nurl = "{LOCAL_URL}"\n'


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _config(*names: str, default: str | None = None) -> Config:
    envs = {n: Environment(n, "https://x.test", "V", Path(f"{n}.json")) for n in names}
    return Config(Path("/p"), Path("/p/syncctl.toml"), Path("/p/jobs"), Path("/p/s"), default, envs,
                  table="")  # fmt: skip


def test_env_then_default_then_local() -> None:
    config = _config("production", "local", "staging", default="staging")
    assert config.environment("production").name == "production"
    assert config.environment(None).name == "staging"
    assert _config("production", "local").environment(None).name == "local"


def test_never_the_first_configured() -> None:
    with pytest.raises(ConfigError, match=r"no environment chosen \(configured: a, production\)"):
        _config("production", "a").environment(None)


def test_a_single_non_local_environment_is_not_chosen_silently() -> None:
    with pytest.raises(ConfigError, match="pass --env NAME"):
        _config("production").environment(None)


@pytest.mark.parametrize(
    ("word", "choices", "expected"),
    [
        ("prod", ["production", "staging"], " (did you mean 'production'?)"),
        ("stagign", ["production", "staging"], " (did you mean 'staging'?)"),
        ("job_dir", ["jobs_dir", "state_dir"], " (did you mean 'jobs_dir'?)"),
        ("zzz", ["production"], ""),
    ],
)
def test_did_you_mean(word: str, choices: list[str], expected: str) -> None:
    assert did_you_mean(word, choices) == expected


def test_search_skips_a_pyproject_without_the_table(tmp_path: Path) -> None:
    outer = _write(
        tmp_path / "pyproject.toml", "[tool.syncctl]\n" + LOCAL.replace("[e", "[tool.syncctl.e")
    )
    _write(tmp_path / "pkg" / "pyproject.toml", '[project]\nname = "pkg"\n')
    config = load_config(cwd=tmp_path / "pkg")
    assert config.source == outer
    assert config.root == tmp_path.resolve()
    assert config.table == "tool.syncctl"


def test_an_empty_syncctl_table_is_a_config(tmp_path: Path) -> None:
    here = _write(tmp_path / "pyproject.toml", "[tool.syncctl]\n")
    config = load_config(cwd=tmp_path)
    assert config.source == here
    assert config.environment(None).url == LOCAL_URL


def test_syncctl_toml_wins_over_pyproject_in_one_folder(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.syncctl]\njobs_dir = "a"\n')
    _write(tmp_path / "syncctl.toml", 'jobs_dir = "b"\n')
    config = load_config(cwd=tmp_path)
    assert config.jobs_dir == tmp_path.resolve() / "b"
    assert config.table == ""


def test_syncctl_toml_with_the_tool_header_keeps_it_in_hints(tmp_path: Path) -> None:
    _write(tmp_path / "syncctl.toml", "[tool.syncctl]\n" + LOCAL.replace("[e", "[tool.syncctl.e"))
    with pytest.raises(ConfigError, match=r"add \[tool\.syncctl\.environments\.x\]"):
        load_config(cwd=tmp_path).environment("x")


def test_zero_config_root_is_the_folder_holding_jobs(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "repo" / "jobs" / "zendesk").mkdir(parents=True)
    inside = tmp_path / "repo" / "jobs" / "zendesk"
    assert project_root(inside) == tmp_path / "repo"
    config = load_config(cwd=inside)
    assert config.source is None
    assert config.jobs_dir == (tmp_path / "repo" / "jobs").resolve()


def test_zero_config_root_is_the_git_root_else_the_folder_itself(tmp_path: Path) -> None:
    deep = tmp_path / "repo" / "a" / "b"
    deep.mkdir(parents=True)
    assert project_root(deep) == deep
    (tmp_path / "repo" / ".git").write_text("gitdir: elsewhere\n")  # a worktree's .git file
    assert project_root(deep) == tmp_path / "repo"


def test_default_environment_must_be_configured(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "syncctl.toml",
        'default_environment = "stagin"\n[environments.staging]\nurl = "https://x.test"\n',
    )
    with pytest.raises(
        ConfigError, match=r"'stagin' is not configured \(did you mean 'staging'\?\)"
    ):
        load_config(path)


def test_work_dir_ignores_itself(tmp_path: Path) -> None:
    folder = work_dir(tmp_path / ".syncctl")
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    other = work_dir(tmp_path / "state")
    assert not (other / ".gitignore").exists()
