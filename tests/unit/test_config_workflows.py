"""Configuration of the workflow kind: ``workflows_dir`` and ``known_triggers``."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncctl.config import DEFAULT_TRIGGERS, Config, default_config, load_config
from syncctl.errors import ConfigError


def _load(tmp_path: Path, body: str) -> Config:
    toml = tmp_path / "syncctl.toml"
    toml.write_text("[tool.syncctl]\n" + body, encoding="utf-8")
    return load_config(toml)


def test_the_defaults_are_workflows_and_the_account_trigger(tmp_path: Path) -> None:
    config = default_config(tmp_path)
    assert config.workflows_dir == tmp_path / "workflows"
    assert config.known_triggers == DEFAULT_TRIGGERS == ("integrated_account:active",)
    loaded = _load(tmp_path, 'jobs_dir = "jobs"\n')
    assert (loaded.workflows_dir, loaded.known_triggers) == (
        tmp_path / "workflows",
        DEFAULT_TRIGGERS,
    )


def test_both_keys_are_read_with_or_without_environments(tmp_path: Path) -> None:
    body = 'workflows_dir = "flows"\nknown_triggers = ["a:b", "c:d", "a:b"]\n'
    plain = _load(tmp_path, body)
    assert plain.workflows_dir == tmp_path / "flows"
    assert plain.known_triggers == ("a:b", "c:d")  # a repeated name counts once
    envs = _load(tmp_path, body + '[tool.syncctl.environments.prod]\nurl = "https://x.test"\n')
    assert (envs.workflows_dir, envs.known_triggers) == (tmp_path / "flows", ("a:b", "c:d"))
    assert _load(tmp_path, "known_triggers = []\n").known_triggers == ()


def test_a_config_built_by_hand_puts_workflows_under_its_root(tmp_path: Path) -> None:
    config = Config(tmp_path, None, tmp_path / "jobs", tmp_path / "state", "local")
    assert config.workflows_dir == tmp_path / "workflows"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("workflows_dir = 3\n", "workflows_dir must be a folder path (a non-empty string)"),
        ('workflows_dir = ""\n', "workflows_dir must be a folder path (a non-empty string)"),
        (
            'known_triggers = "integrated_account:active"\n',
            "known_triggers must be a list of trigger names (strings)",
        ),
        ('known_triggers = ["a", 1]\n', "known_triggers must be a list of trigger names"),
        ('known_triggers = ["a", " "]\n', "known_triggers must be a list of trigger names"),
        ('known_trigger = ["a"]\n', "unknown key(s) known_trigger"),
    ],
)
def test_a_wrong_value_is_one_clear_error(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, body)
    assert message in str(caught.value)
    assert "syncctl.toml: [tool.syncctl]" in str(caught.value)
    assert "\n" not in str(caught.value)
