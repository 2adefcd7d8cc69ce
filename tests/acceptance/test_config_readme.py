"""README "Pointing it at a real account": its config block works pasted as it is (finding 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from syncctl.cli.main import cli

README = Path(__file__).resolve().parents[2] / "README.md"
HEADING = "## Pointing it at a real account"
JOB = (
    "label: Zendesk tickets\ndefault_runtime_version: 3\n"
    "resources:\n  - resource: ticketing/tickets\n    method: list\n"
)


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(HEADING + "\n")
    end = text.find("\n## ", start + len(HEADING))
    return text[start:end]


def _toml() -> str:
    found = re.findall(r"^```toml\n(.*?)^```$", _section(), re.MULTILINE | re.DOTALL)
    assert len(found) == 1
    return str(found[0])


def _run(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def pasted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new repository holding the README block as its pyproject.toml, and one job."""
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "my-jobs"\nversion = "0"\n\n' + _toml(), encoding="utf-8"
    )
    (tmp_path / "jobs" / "zendesk").mkdir(parents=True)
    (tmp_path / "jobs" / "zendesk" / "tickets.yaml").write_text(JOB, encoding="utf-8")
    for name in ("SYNCCTL_LOCAL_TOKEN", "TRUTO_PRODUCTION_TOKEN", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_the_block_pasted_as_it_is_validates_plans_and_applies_locally(
    pasted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _run(pasted, monkeypatch, "validate")[0] == 0
    code, out, err = _run(pasted, monkeypatch, "apply", "--yes")
    assert code == 0, err
    code, out, err = _run(pasted, monkeypatch, "plan")
    assert code == 0, err
    assert "No changes. 1 job(s) in local match the files." in out
    assert all(".syncctl" in p.relative_to(pasted).parts for p in pasted.rglob("*.lock"))


def test_production_is_used_only_when_asked_and_reads_its_token_variable(
    pasted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for args in (("plan", "--env", "production"), ("--env", "production", "plan")):
        code, _out, err = _run(pasted, monkeypatch, *args)
        assert code == 2
        assert "environment 'production': no API token" in err
        assert "set the variable TRUTO_PRODUCTION_TOKEN" in err


def test_the_section_says_how_to_get_syncctl_on_path() -> None:
    text = " ".join(_section().split())
    assert "source .venv/bin/activate" in text
    assert ".venv/bin/syncctl" in text
