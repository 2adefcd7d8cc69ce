"""``[tool.syncctl.rules]``: a rule set to off, warning or error (design §3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncctl.config import load_config
from syncctl.errors import ConfigError


def test_rules_table_sets_levels(tmp_path: Path) -> None:
    path = tmp_path / "syncctl.toml"
    path.write_text('[rules]\nSJ501 = "off"\nSJ402 = "error"\n', encoding="utf-8")
    assert dict(load_config(path).rules) == {"SJ501": "off", "SJ402": "error"}
    path.write_text('jobs_dir = "jobs"\n', encoding="utf-8")
    assert dict(load_config(path).rules) == {}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[rules]\nSJ5 = "off"\n', "'SJ5' is not a rule id"),
        ('[rules]\nSJ501 = "quiet"\n', "SJ501 = 'quiet': must be one of"),
        ('rules = ["SJ501"]\n', r"\[tool.syncctl.rules\] must be a table"),
    ],
)
def test_rules_table_refuses_bad_ids_and_levels(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "syncctl.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path)
