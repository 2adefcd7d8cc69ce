"""The docs stay true to the code: docs/cli.md is current, every command, option and rule is
documented, and no document names a command or rule that does not exist."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import click
import pytest
from click.testing import CliRunner

from syncctl.cli.main import cli
from syncctl.rules import all_rules

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "gen_cli_docs.py"
CLI_MD = ROOT / "docs" / "cli.md"
RULES_MD = ROOT / "docs" / "rules.md"
README = ROOT / "README.md"

# Options known to lack help text, as (command path, option name). Each entry must still be
# missing its help (test_known_undocumented_options_are_still_undocumented), so fixing one
# forces its removal here: the list only shrinks.
KNOWN_UNDOCUMENTED: set[tuple[str, str]] = set()


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_cli_docs", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


gen = _load_generator()
COMMANDS: list[tuple[tuple[str, ...], click.Command, click.Context]] = list(gen.walk())
PATHS = [" ".join(path) for path, _, _ in COMMANDS]  # "" is the root


def _path_id(path: str) -> str:
    return path or "syncctl"


# ---- docs/cli.md ---------------------------------------------------------------------------


def test_cli_md_is_current() -> None:
    expected = gen.render()
    assert CLI_MD.read_text(encoding="utf-8") == expected, (
        "docs/cli.md is stale: run `python scripts/gen_cli_docs.py` and commit it"
    )


def test_walk_finds_every_registered_command_and_subcommand() -> None:
    from syncctl.cli.main import COMMANDS as REGISTERED

    top = {path[0] for path, _, _ in COMMANDS if len(path) == 1}
    assert top == set(REGISTERED)
    assert {"state list", "state show", "state mv", "state rm", "emulator serve"} <= set(PATHS)


@pytest.mark.parametrize("path", PATHS, ids=_path_id)
def test_generated_page_is_what_help_prints(path: str) -> None:
    """The generator renders exactly what `syncctl <path> --help` prints at the same width."""
    page = next(page for page in gen.iter_pages() if " ".join(page.path) == path)
    result = CliRunner().invoke(
        cli,
        [*path.split(), "--help"],
        prog_name="syncctl",
        catch_exceptions=False,
        color=False,
        terminal_width=gen.WIDTH,
        max_content_width=gen.WIDTH,
    )
    assert result.exit_code == 0, result.output
    assert result.output == page.text
    assert f"\n## {page.title}\n\n```text\n{page.text}```\n" in gen.render()


def test_render_does_not_depend_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = gen.render()
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert gen.render() == expected
    assert "\x1b[" not in expected


def test_check_mode_fails_on_a_stale_file_and_passes_after_regenerating(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "docs" / "cli.md"
    assert gen.main(["--check", "--output", str(out)]) == 1  # missing
    out.parent.mkdir()
    out.write_text(gen.render().replace("--prune", "--prune-all", 1), encoding="utf-8")
    assert gen.main(["--check", "--output", str(out)]) == 1  # an option renamed in the docs only
    assert "is stale" in capsys.readouterr().err
    assert gen.main(["--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == gen.render()
    assert gen.main(["--check", "--output", str(out)]) == 0
    assert [p.name for p in out.parent.iterdir()] == ["cli.md"]  # no temporary file left


def test_cli_md_has_a_heading_per_command() -> None:
    headings = re.findall(r"^## (syncctl.*)$", CLI_MD.read_text(encoding="utf-8"), re.M)
    assert headings == [" ".join(("syncctl", *path)) for path, _, _ in COMMANDS]


# ---- help text -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS, ids=_path_id)
def test_command_has_help(path: str) -> None:
    _, command, _ = COMMANDS[PATHS.index(path)]
    assert (command.help or "").strip(), f"syncctl {path}: no help text (docstring)"
    assert command.get_short_help_str().strip(), f"syncctl {path}: no short help"


def _undocumented_options() -> set[tuple[str, str]]:
    missing = set()
    for (_, command, _), name in zip(COMMANDS, PATHS, strict=True):
        for param in command.params:
            if isinstance(param, click.Option) and not (param.help or "").strip():
                missing.add((name, max(param.opts, key=len)))
    return missing


def test_every_option_has_help() -> None:
    missing = _undocumented_options() - KNOWN_UNDOCUMENTED
    assert not missing, f"options without help text: {sorted(missing)}"


def test_known_undocumented_options_are_still_undocumented() -> None:
    fixed = KNOWN_UNDOCUMENTED - _undocumented_options()
    assert not fixed, f"these now have help: remove them from KNOWN_UNDOCUMENTED: {sorted(fixed)}"


# ---- rules ---------------------------------------------------------------------------------


def test_every_rule_has_one_section_in_rules_md_and_no_stale_ids() -> None:
    rules = all_rules().rules
    text = RULES_MD.read_text(encoding="utf-8")
    headings = re.findall(r"^## (SJ\d{3}) — ", text, re.M)
    assert sorted(headings) == sorted(rules), "each rule id needs exactly one '## SJnnn — ' section"
    assert len(headings) == len(set(headings))
    mentioned = set(re.findall(r"\bSJ\d{3}\b", text))
    assert mentioned <= set(rules), f"docs/rules.md names unknown rules: {mentioned - set(rules)}"


def test_rule_sections_and_index_agree_with_the_registry() -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    for rule in all_rules().rules.values():
        anchor = rule.id.lower()
        row = f"| [{rule.id}](#{anchor}) | {rule.severity.value} | {rule.summary} |"
        assert row in text.splitlines(), f"index row for {rule.id} should read: {row}"
        section = re.search(
            rf'^<a id="{anchor}"></a>\n\n## {rule.id} — .*\n\n\*\*Severity:\*\* (\w+)\.$',
            text,
            re.M,
        )
        assert section is not None, f"{rule.id}: anchor, heading and severity line not found"
        assert section.group(1) == rule.severity.value


# ---- README --------------------------------------------------------------------------------


def _readme_command_table() -> set[str]:
    """The command paths in README's '## Commands' table: `syncctl state list|show` → both."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    paths = set()
    for cell in re.findall(r"^\| `syncctl ([^`]*)` \|", section, re.M):
        words = cell.replace("\\|", "|").split()
        if len(words) > 1 and re.fullmatch(r"[a-z][a-z-]*(\|[a-z][a-z-]*)*", words[1]):
            paths.update(f"{words[0]} {sub}" for sub in words[1].split("|"))
        else:
            paths.add(words[0])
    return paths


def test_readme_command_table_lists_every_command_and_no_other() -> None:
    table = _readme_command_table()
    groups = {path[0] for path, _, _ in COMMANDS if len(path) > 1}
    # A group is listed through its subcommands; every other command by itself.
    wanted = {name for name in PATHS if name and name not in groups}
    assert wanted - table == set(), f"README's command table misses: {sorted(wanted - table)}"
    assert table - wanted == set(), f"README's command table names unknown: {table - wanted}"
