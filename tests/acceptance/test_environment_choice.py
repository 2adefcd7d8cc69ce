"""Issue 10, through the CLI: which environment a command uses (design §4), where the project
is, what a command leaves in the tree, the portable state lock, config typos, network errors
that name the URL, and ``--color``.

Each test runs ``syncctl`` as a user would (click's runner in process, or a subprocess where a
pipe, a terminal or a second process matters) in a project written to ``tmp_path``.
"""

from __future__ import annotations

import functools
import os
import pty
import re
import socket
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest
from click.testing import CliRunner

from syncctl.cli.main import cli
from syncctl.client import api as api_module
from syncctl.client.retry import RetryPolicy

SYNCCTL = [sys.executable, "-m", "syncctl"]
LOCAL = '[environments.local]\nurl = "embedded:.syncctl/local.sqlite3"\n'
REMOTE = '[environments.{name}]\nurl = "https://{name}.example.test"\ntoken_env = "NO_SUCH_VAR"\n'
JOB = dedent(
    """\
    label: Zendesk tickets
    default_runtime_version: 3
    resources:
      - resource: ticketing/tickets
        method: list
    """
)
ANSI = "\x1b["


def _project(root: Path, toml: str | None, *, job: bool = True, name: str = "syncctl.toml") -> Path:
    if toml is not None:
        (root / name).write_text(toml, encoding="utf-8")
    if job:
        (root / "jobs" / "zendesk").mkdir(parents=True, exist_ok=True)
        (root / "jobs" / "zendesk" / "tickets.yaml").write_text(JOB, encoding="utf-8")
    return root


def _run(cwd: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("SYNCCTL_LOCAL_TOKEN", raising=False)
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _remote(*names: str) -> str:
    return "".join(REMOTE.format(name=name) for name in names)


# -- 1. environment choice (design §4) --------------------------------------------------------


def test_without_default_environment_local_is_used_not_the_first_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, _remote("production") + LOCAL)
    code, out, err = _run(tmp_path, "plan", monkeypatch=monkeypatch)
    assert code == 0, err
    assert 'environment "local"' in out
    assert "+ create zendesk/tickets" in out


def test_without_default_or_local_the_error_lists_the_choices(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, _remote("production", "staging"))
    code, out, err = _run(tmp_path, "plan", monkeypatch=monkeypatch)
    assert code == 2
    assert out == ""
    assert err.strip() == (
        "syncctl: error: no environment chosen (configured: production, staging) (hint: pass "
        f"--env NAME, or set default_environment in {tmp_path / 'syncctl.toml'})"
    )


def test_default_environment_is_used_when_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, 'default_environment = "other"\n' + LOCAL + LOCAL.replace("local", "other"))
    code, out, err = _run(tmp_path, "plan", monkeypatch=monkeypatch)
    assert code == 0, err
    assert 'environment "other"' in out


@pytest.mark.parametrize(
    "args",
    [
        ("--env", "other", "plan"),
        ("plan", "--env", "other"),
        ("plan", "--env=other"),
        ("--env", "other", "plan", "--env", "other"),
    ],
)
def test_env_is_accepted_before_or_after_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    _project(tmp_path, LOCAL + LOCAL.replace("local", "other"))
    code, out, err = _run(tmp_path, *args, monkeypatch=monkeypatch)
    assert code == 0, err
    assert 'environment "other"' in out


@pytest.mark.parametrize(
    "args",
    [
        ("state", "list", "--env", "other"),
        ("state", "--env", "other", "list"),
        ("--env", "other", "state", "list"),
    ],
)
def test_env_after_a_subcommand_of_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    _project(tmp_path, LOCAL + LOCAL.replace("local", "other"))
    code, out, err = _run(tmp_path, *args, monkeypatch=monkeypatch)
    assert code == 0, err
    assert "No managed jobs or workflows in other." in out + err
    assert "local" not in out + err


def test_apply_takes_env_after_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, LOCAL + LOCAL.replace("local", "other").replace(".sqlite3", "-o.sqlite3"))
    code, _out, err = _run(tmp_path, "apply", "--yes", "--env", "other", monkeypatch=monkeypatch)
    assert code == 0, err
    code, out, err = _run(tmp_path, "state", "list", "--env", "other", monkeypatch=monkeypatch)
    assert "zendesk/tickets" in out
    code, out, err = _run(tmp_path, "state", "list", monkeypatch=monkeypatch)
    assert "zendesk/tickets" not in out


def test_two_different_env_names_are_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, LOCAL + LOCAL.replace("local", "other"))
    code, out, err = _run(tmp_path, "--env", "local", "plan", "--env", "other", "--format", "json",
                          monkeypatch=monkeypatch)  # fmt: skip
    assert code == 2
    assert out == ""
    assert "--env given twice: 'local' and 'other'" in err


@pytest.mark.parametrize("command", ["plan", "apply", "import", "state"])
def test_every_environment_command_documents_env_in_its_help(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    code, out, _err = _run(tmp_path, command, "--help", monkeypatch=monkeypatch)
    assert code == 0
    assert "--env NAME" in out
    assert "default_environment, else local" in " ".join(out.split())


def test_unknown_env_in_syncctl_toml_gets_did_you_mean_and_the_right_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, LOCAL + _remote("production"))
    code, _out, err = _run(tmp_path, "plan", "--env", "prod", monkeypatch=monkeypatch)
    assert code == 2
    assert "unknown environment 'prod' (did you mean 'production'?)" in err
    assert f"add [environments.prod] with a url to {tmp_path / 'syncctl.toml'}" in err
    assert "pyproject" not in err


def test_unknown_env_in_pyproject_names_the_tool_table_and_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml = "[tool.syncctl]\n" + (LOCAL + _remote("staging")).replace("[env", "[tool.syncctl.env")
    _project(tmp_path, toml, name="pyproject.toml")
    code, _out, err = _run(tmp_path, "--env", "stagign", "plan", monkeypatch=monkeypatch)
    assert code == 2
    assert "(did you mean 'staging'?)" in err
    assert (
        f"add [tool.syncctl.environments.stagign] with a url to {tmp_path / 'pyproject.toml'}"
        in err
    )


def test_default_environment_local_unconfigured_shows_the_local_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml = dedent(
        """\
        [tool.syncctl]
        default_environment = "local"

        [tool.syncctl.environments.production]
        url = "https://api.truto.one"
        token_env = "TRUTO_PRODUCTION_TOKEN"
        """
    )
    _project(tmp_path, toml, name="pyproject.toml")
    code, _out, err = _run(tmp_path, "validate", monkeypatch=monkeypatch)
    assert code == 2
    assert "default_environment 'local' is not configured" in err
    assert (
        'add [tool.syncctl.environments.local] with url = "embedded:.syncctl/local.sqlite3"' in err
    )


# -- 2. discovery -------------------------------------------------------------------------------


def test_search_goes_past_a_pyproject_without_a_syncctl_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, LOCAL.replace("local", "outer"))
    package = tmp_path / "tools" / "helper"
    package.mkdir(parents=True)
    (package / "pyproject.toml").write_text('[project]\nname = "helper"\n', encoding="utf-8")
    code, out, err = _run(package, "plan", "--env", "outer", monkeypatch=monkeypatch)
    assert code == 0, err
    assert 'environment "outer"' in out
    assert "+ create zendesk/tickets" in out


def test_zero_config_inside_the_jobs_tree_uses_the_folder_holding_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, None)
    (tmp_path / ".git").mkdir()
    inside = tmp_path / "jobs" / "zendesk"
    code, out, err = _run(inside, "validate", monkeypatch=monkeypatch)
    assert code == 0, err
    assert "1 file" in out + err
    code, out, err = _run(inside, "validate", "tickets.yaml", monkeypatch=monkeypatch)
    assert code == 0, out + err
    assert "SJ005" not in out + err
    code, out, err = _run(inside, "plan", monkeypatch=monkeypatch)
    assert code == 0, err
    assert "+ create zendesk/tickets" in out
    assert (tmp_path / ".syncctl" / "local.sqlite3").is_file()
    assert not (inside / ".syncctl").exists()


def test_zero_config_without_jobs_uses_the_git_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    code, _out, err = _run(deep, "validate", monkeypatch=monkeypatch)
    assert code != 0
    assert str(tmp_path / "jobs") in err
    assert str(deep / "jobs") not in err


# -- 3. nothing left in the tree -----------------------------------------------------------------


def test_a_plan_without_a_jobs_folder_creates_no_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, LOCAL, job=False)
    code, _out, err = _run(tmp_path, "plan", monkeypatch=monkeypatch)
    assert code != 0
    assert "jobs" in err
    assert not (tmp_path / ".syncctl").exists()


def test_a_plan_that_fails_validation_creates_no_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, LOCAL)
    (tmp_path / "jobs" / "zendesk" / "bad.yaml").write_text("label: [\n", encoding="utf-8")
    code, _out, err = _run(tmp_path, "plan", monkeypatch=monkeypatch)
    assert code == 1
    assert "bad.yaml" in err
    assert not (tmp_path / ".syncctl").exists()


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


def test_apply_leaves_only_committed_state_in_the_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real environment's state is committed under state/; the lock, the database and the
    rest stay under .syncctl/, which ignores itself even without a .gitignore of the user's."""
    toml = LOCAL.replace("local", "emulated")  # state in state/emulated.json
    _project(tmp_path, toml)
    _git(tmp_path, "init", "-q")
    code, _out, err = _run(tmp_path, "apply", "--yes", "--env", "emulated", monkeypatch=monkeypatch)
    assert code == 0, err
    assert (tmp_path / "state" / "emulated.json").is_file()
    assert list(tmp_path.rglob("*.lock")) == [tmp_path / ".syncctl" / "locks" / "emulated.lock"]
    untracked = _git(tmp_path, "status", "--porcelain", "--untracked-files=all").split("\n")
    assert sorted(line for line in untracked if line) == [
        "?? jobs/zendesk/tickets.yaml",
        "?? state/emulated.json",
        "?? syncctl.toml",
    ]


# -- 4. the portable state lock ------------------------------------------------------------------

HOLD = dedent(
    """\
    import os, sys
    from pathlib import Path
    from syncctl.reconcile.state import StateStore
    root = Path(sys.argv[1])
    store = StateStore.for_environment(root, root / "state" / "emulated.json", "emulated")
    with store.locked():
        print("held", flush=True)
        sys.stdin.readline()
    """
)


def test_a_second_writer_gets_one_line_naming_the_holder_and_the_lock(tmp_path: Path) -> None:
    _project(tmp_path, LOCAL.replace("local", "emulated"))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        result = subprocess.run(
            [*SYNCCTL, "--env", "emulated", "apply", "--yes"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        assert holder.stdin is not None
        assert holder.stdout is not None
        holder.stdin.close()
        holder.wait(10)
        holder.stdout.close()
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"state is locked by another syncctl process (pid {holder.pid})" in lines[0]
    assert str(tmp_path / ".syncctl" / "locks" / "emulated.lock") in lines[0]
    assert "Traceback" not in result.stderr
    # Released with its holder: the same apply now goes through.
    again = subprocess.run(
        [*SYNCCTL, "--env", "emulated", "apply", "--yes"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 0, again.stderr


def test_no_module_level_fcntl_import_in_the_package() -> None:
    """The lock is filelock's; ``import fcntl`` at module level breaks Windows (finding 49)."""
    src = Path(__file__).resolve().parents[2] / "src" / "syncctl"
    pattern = re.compile(r"^(import fcntl|from fcntl import)", re.MULTILINE)
    offenders = [p for p in src.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


# -- 5. config typos ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('job_dir = "jobs"\n' + LOCAL, "unknown key(s) job_dir (did you mean 'jobs_dir'?)"),
        (
            LOCAL + 'token = "abc123"\n',
            "environment 'local': unknown key(s) token (did you mean 'token_env'?) (hint: tokens "
            "are never read from files: set token_env to the name of the environment variable "
            'that holds it, e.g. token_env = "SYNCCTL_LOCAL_TOKEN"',
        ),
        (LOCAL.replace("url", "ulr"), "unknown key(s) ulr (did you mean 'url'?)"),
        (LOCAL + "concurency = 2\n", "unknown key(s) concurency (did you mean 'concurrency'?)"),
    ],
)
def test_config_typos_get_a_did_you_mean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, expected: str
) -> None:
    _project(tmp_path, toml)
    code, _out, err = _run(tmp_path, "validate", monkeypatch=monkeypatch)
    assert code == 2
    assert expected in err
    assert "abc123" not in err


# -- 6. network errors name the URL --------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_refused_connection_names_the_url_and_never_the_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = _free_port()
    toml = f'[environments.remote]\nurl = "http://127.0.0.1:{port}"\ntoken_env = "T_CANARY"\n'
    _project(tmp_path, toml)
    canary = "canary-token-5f2a9c"
    monkeypatch.setenv("T_CANARY", canary)
    fast = functools.partial(RetryPolicy, max_attempts=2, base_delay=0.0, jitter=False)
    monkeypatch.setattr(api_module, "RetryPolicy", fast)
    code, out, err = _run(tmp_path, "plan", "--env", "remote", monkeypatch=monkeypatch)
    assert code == 1
    assert f"(cannot connect to http://127.0.0.1:{port}/sync-job)" in err
    assert "Connection refused" in err
    assert canary not in out + err


# -- 7. colour ------------------------------------------------------------------------------------


def _plan_output(root: Path, *args: str, tty: bool, env: dict[str, str] | None = None) -> str:
    """stdout of ``syncctl ARGS plan``, through a pipe or a pseudo-terminal."""
    environ = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}}
    environ.update(env or {})
    if not tty:
        return subprocess.run(
            [*SYNCCTL, *args, "plan"], cwd=root, env=environ, capture_output=True, text=True,
            check=True, timeout=60,
        ).stdout  # fmt: skip
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [*SYNCCTL, *args, "plan"], cwd=root, env=environ, stdout=follower,
            stderr=subprocess.PIPE, check=True, timeout=60,
        )  # fmt: skip
        assert proc.returncode == 0
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other end is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode()
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)


@pytest.mark.parametrize(
    ("args", "tty", "env", "coloured"),
    [
        (("--color", "always"), False, {}, True),
        ((), False, {}, False),
        (("--color", "auto"), True, {}, True),
        (("--color", "auto"), True, {"NO_COLOR": "1"}, False),
        (("--color", "never"), True, {}, False),
        (("--color", "always"), False, {"NO_COLOR": "1"}, True),
    ],
)
def test_color_choice(
    tmp_path: Path, args: tuple[str, ...], tty: bool, env: dict[str, str], coloured: bool
) -> None:
    _project(tmp_path, LOCAL)
    out = _plan_output(tmp_path, *args, tty=tty, env=env)
    assert "+ create zendesk/tickets" in out
    assert (ANSI in out) is coloured, repr(out[:200])
