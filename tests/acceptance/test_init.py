"""``syncctl init [DIR]``: what it writes, what it leaves alone, and that its workflow templates
are this repository's own workflows."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from syncctl import __version__
from syncctl.cli.init import DEFAULT_SOURCE, WORKFLOWS
from syncctl.cli.main import cli
from syncctl.config import load_config

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "src" / "syncctl" / "data"
TEMPLATES = DATA / "init"
SOURCE = "https://example.invalid/acme/syncctl"
REV = "0123456789abcdef0123456789abcdef01234567"
SPEC = f"syncctl @ git+{SOURCE}@{REV}"
WRITTEN = [
    "syncctl.toml",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".github/workflows/pr.yml",
    ".github/workflows/apply.yml",
    ".github/workflows/drift.yml",
    "schemas/sync-job.schema.json",
    "schemas/workflow.schema.json",
    "jobs/zendesk/tickets.yaml",
]


def init(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["init", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def pinned(root: Path) -> tuple[int, str, str]:
    return init(root, "--source", SOURCE, "--rev", REV)


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def status_of(stdout: str) -> dict[str, str]:
    """``{path: action}`` from init's one line per file."""
    out = {}
    for line in stdout.splitlines():
        parts = line.split()
        if line.startswith("  ") and len(parts) >= 2 and parts[1] in WRITTEN:
            out[parts[1]] = parts[0]
    return out


# -- the templates are this repository's files, from one source ----------------------------


@pytest.mark.parametrize("name", WORKFLOWS)
def test_the_workflow_templates_are_this_repositorys_workflows(name: str) -> None:
    """The packaged copy must be the running workflow byte for byte (cp it after an edit)."""
    ours = (REPO / ".github" / "workflows" / f"{name}.yml").read_bytes()
    packaged = (TEMPLATES / "workflows" / f"{name}.yml").read_bytes()
    assert packaged == ours, (
        f"src/syncctl/data/init/workflows/{name}.yml differs from .github/workflows/{name}.yml: "
        "copy the workflow over it"
    )


@pytest.mark.parametrize("name", WORKFLOWS)
def test_inits_workflow_differs_from_ours_only_on_the_install_spec(
    tmp_path: Path, name: str
) -> None:
    assert pinned(tmp_path)[0] == 0
    ours = (REPO / ".github" / "workflows" / f"{name}.yml").read_text().splitlines()
    theirs = (tmp_path / ".github" / "workflows" / f"{name}.yml").read_text().splitlines()
    assert len(theirs) == len(ours)
    changed = [(a, b) for a, b in zip(ours, theirs, strict=True) if a != b]
    # One line: this checkout out, the pinned release in.
    assert changed == [("  SYNCCTL_SPEC: .", f'  SYNCCTL_SPEC: "{SPEC}"')]
    assert 'python -m pip install --quiet "$SYNCCTL_SPEC"' in "\n".join(theirs)
    workflow = yaml.safe_load("\n".join(theirs))
    assert workflow["env"] == {"SYNCCTL_SPEC": SPEC}


def test_every_template_ships_as_package_data() -> None:
    """setuptools' globs skip dot files, so no template may be one; every file must match."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    globs = pyproject["tool"]["setuptools"]["package-data"]["syncctl"]
    package = REPO / "src" / "syncctl"
    shipped = {p for pattern in globs for p in package.glob(pattern) if p.is_file()}
    templates = {p for p in TEMPLATES.rglob("*") if p.is_file()}
    assert templates, "no templates found"
    assert templates <= shipped
    assert not [p for p in templates if p.name.startswith(".")]


# -- what it writes --------------------------------------------------------------------------


def test_init_writes_a_working_repository(tmp_path: Path) -> None:
    code, out, err = pinned(tmp_path)
    assert (code, err) == (0, "")
    assert status_of(out) == dict.fromkeys(WRITTEN, "wrote")
    assert f"syncctl init: 9 file(s) written, 0 skipped in {tmp_path}" in out
    assert f'pip install "{SPEC}"' in out
    assert set(tree(tmp_path)) == set(WRITTEN)

    config = load_config(cwd=tmp_path)
    assert config.source == tmp_path / "syncctl.toml"
    assert config.default_environment == "local"
    assert list(config.environments) == ["local"]
    local = config.environment(None)
    assert local.url == "embedded:.syncctl/local.sqlite3"
    assert local.state_path == tmp_path / ".syncctl" / "state" / "local.json"
    assert config.jobs_dir == tmp_path / "jobs"

    ignored = (tmp_path / ".gitignore").read_text().splitlines()
    assert {".syncctl/", "state/*.lock", "state/.*.tmp"} <= set(ignored)

    for name in ("sync-job.schema.json", "workflow.schema.json"):
        assert (tmp_path / "schemas" / name).read_bytes() == (DATA / name).read_bytes()

    job = (tmp_path / "jobs/zendesk/tickets.yaml").read_text()
    assert job.startswith("# yaml-language-server: $schema=../../schemas/sync-job.schema.json\n")
    assert (tmp_path / "jobs/zendesk" / "../../schemas/sync-job.schema.json").is_file()


def test_the_commented_production_environment_works_once_uncommented(tmp_path: Path) -> None:
    assert pinned(tmp_path)[0] == 0
    text = (tmp_path / "syncctl.toml").read_text()
    assert "# [environments.production]" in text
    uncommented = text.replace("# [environments.production]", "[environments.production]")
    for key in ("url", "token_env", "state_path"):
        uncommented = uncommented.replace(f"# {key} = ", f"{key} = ")
    (tmp_path / "syncctl.toml").write_text(uncommented)
    config = load_config(cwd=tmp_path)
    production = config.environment("production")
    assert (production.url, production.token_env) == (
        "https://api.truto.one",
        "TRUTO_PRODUCTION_TOKEN",
    )
    assert production.state_path == tmp_path / "state" / "production.json"
    assert config.default_environment == "local"  # adding production never makes it the default


def test_the_pre_commit_config_uses_the_published_hooks_at_the_pinned_rev(tmp_path: Path) -> None:
    assert pinned(tmp_path)[0] == 0
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    (repo,) = config["repos"]
    assert (repo["repo"], repo["rev"]) == (SOURCE, REV)
    published = {h["id"] for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert [h["id"] for h in repo["hooks"]] == ["syncctl-validate", "syncctl-fmt"]
    assert {h["id"] for h in repo["hooks"]} <= published


def test_the_example_job_passes_strict_validation_and_is_formatted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pinned(tmp_path)[0] == 0
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    strict = runner.invoke(cli, ["validate", "--strict"], catch_exceptions=False)
    assert (strict.exit_code, strict.stdout) == (0, "1 file checked: no problems found\n")
    fmt = runner.invoke(cli, ["fmt", "--check"], catch_exceptions=False)
    assert fmt.exit_code == 0, fmt.stdout + fmt.stderr


def test_the_default_pin_is_this_version_of_this_repository(tmp_path: Path) -> None:
    code, _, _ = init(tmp_path)
    assert code == 0
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())
    assert (config["repos"][0]["repo"], config["repos"][0]["rev"]) == (
        DEFAULT_SOURCE,
        f"v{__version__}",
    )
    pr = yaml.safe_load((tmp_path / ".github/workflows/pr.yml").read_text())
    assert pr["env"]["SYNCCTL_SPEC"] == f"syncctl @ git+{DEFAULT_SOURCE}@v{__version__}"


def test_a_local_source_is_pinned_by_absolute_path_and_file_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = tmp_path / "clone"
    clone.mkdir()
    target = tmp_path / "repo"
    monkeypatch.chdir(tmp_path)
    code, _, _ = init(target, "--source", "clone", "--rev", "abc123")
    assert code == 0
    config = yaml.safe_load((target / ".pre-commit-config.yaml").read_text())
    assert config["repos"][0]["repo"] == str(clone)
    drift = yaml.safe_load((target / ".github/workflows/drift.yml").read_text())
    assert drift["env"]["SYNCCTL_SPEC"] == f"syncctl @ git+{clone.as_uri()}@abc123"


# -- what it leaves alone ----------------------------------------------------------------------


def test_running_it_twice_changes_nothing(tmp_path: Path) -> None:
    assert pinned(tmp_path)[0] == 0
    before = tree(tmp_path)
    code, out, err = pinned(tmp_path)
    assert (code, err) == (0, "")
    assert tree(tmp_path) == before
    assert status_of(out) == {
        **dict.fromkeys(WRITTEN, "skipped"),
        ".gitignore": "unchanged",
        "schemas/sync-job.schema.json": "unchanged",
        "schemas/workflow.schema.json": "unchanged",
    }
    assert "  skipped    syncctl.toml  (exists, left as it is)" in out.splitlines()
    assert "syncctl init: 0 file(s) written, 6 skipped" in out


def test_existing_files_are_kept_but_the_schemas_are_refreshed(tmp_path: Path) -> None:
    assert pinned(tmp_path)[0] == 0
    mine = '[environments.local]\nurl = "embedded:.syncctl/mine.sqlite3"\n'
    (tmp_path / "syncctl.toml").write_text(mine)
    (tmp_path / ".github/workflows/pr.yml").write_text("# my own pr workflow\n")
    (tmp_path / "schemas/sync-job.schema.json").write_text("{}\n")  # an old syncctl's schema
    code, out, _ = pinned(tmp_path)
    assert code == 0
    assert (tmp_path / "syncctl.toml").read_text() == mine
    assert (tmp_path / ".github/workflows/pr.yml").read_text() == "# my own pr workflow\n"
    schema = (tmp_path / "schemas/sync-job.schema.json").read_bytes()
    assert schema == (DATA / "sync-job.schema.json").read_bytes()
    assert status_of(out)["schemas/sync-job.schema.json"] == "updated"
    assert status_of(out)["schemas/workflow.schema.json"] == "unchanged"


def test_gitignore_gains_only_the_missing_lines(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("node_modules/\n/.syncctl\nstate/*.lock")  # no final \n
    code, out, _ = pinned(tmp_path)
    assert code == 0
    text = (tmp_path / ".gitignore").read_text()
    assert text.startswith("node_modules/\n/.syncctl\nstate/*.lock\n\n# syncctl")
    assert text.endswith("\nstate/.*.tmp\n")
    assert text.count(".syncctl") == 1  # the user's /.syncctl covers .syncctl/
    assert text.count("state/*.lock") == 1
    assert "  appended   .gitignore  (added state/.*.tmp)" in out.splitlines()
    assert pinned(tmp_path)[0] == 0
    assert (tmp_path / ".gitignore").read_text() == text


def test_a_pyproject_configuration_is_not_shadowed_by_a_new_syncctl_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.syncctl]\njobs_dir = "jobs"\n\n[tool.syncctl.environments.local]\n'
        'url = "embedded:.syncctl/local.sqlite3"\n'
    )
    code, out, _ = pinned(tmp_path)
    assert code == 0
    assert not (tmp_path / "syncctl.toml").exists()
    assert "(pyproject.toml holds [tool.syncctl] already)" in out


def test_no_example_job_next_to_existing_jobs(tmp_path: Path) -> None:
    mine = tmp_path / "jobs" / "hubspot" / "contacts.yaml"
    mine.parent.mkdir(parents=True)
    mine.write_text("label: Contacts\n")
    code, out, _ = pinned(tmp_path)
    assert code == 0
    assert not (tmp_path / "jobs/zendesk/tickets.yaml").exists()
    assert "jobs/ holds job files already" in out


def test_init_creates_the_folder_it_is_given(tmp_path: Path) -> None:
    target = tmp_path / "new" / "jobs-repo"
    assert pinned(target)[0] == 0
    assert (target / "syncctl.toml").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rev", "v1 2"], "--rev 'v1 2' holds a space"),
        (["--source", 'https://x/"y'], "--source"),
        (["--source", "git@github.com:acme/syncctl"], "scp-like"),
    ],
)
def test_bad_pins_are_one_line_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    code, _, err = init(tmp_path / "repo", *args)
    assert code == 2
    assert err.startswith("syncctl: error: ")
    assert message in err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "repo").exists()


def test_a_file_as_dir_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("")
    code, _, err = init(target)
    assert code == 2
    assert f"Directory '{target}' is a file." in err
    assert "Traceback" not in err
