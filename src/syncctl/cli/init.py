"""``syncctl init [DIR]``: scaffold a repository of one's own sync jobs (design §4).

Everything it writes comes from the templates shipped in ``syncctl/data/init`` and the schemas
in ``syncctl/data``. The GitHub Actions workflows there are byte-for-byte the ones this
repository runs (a test holds them equal); the only change made on the way out is the one
``SYNCCTL_SPEC`` line, which turns "install this checkout" into "install this pinned release".

A user's files are never overwritten: an existing file is skipped with a note, and ``.gitignore``
only gains the lines it lacks, so a second run changes nothing. The JSON Schemas are the one
exception: syncctl owns them (the editor modelines point at them), so each run refreshes them to
the installed version's.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import click

from syncctl import __version__
from syncctl.errors import SyncctlError, UsageError

DEFAULT_SOURCE = "https://github.com/truto/syncctl"
"""Where syncctl's releases are published: the pre-commit ``repo`` and the pip source."""
WORKFLOWS = ("pr", "apply", "drift")
SCHEMAS = ("sync-job.schema.json", "workflow.schema.json")
SPEC_LINE = re.compile(r"^  SYNCCTL_SPEC: .*$", re.MULTILINE)
"""The one line of a workflow template that differs between this repository and init's output."""
_SAFE = re.compile(r"^[^\s\"'#\\]+$")
_SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:(?!//)")
_GITIGNORE_HEADER = "# syncctl: the local environment's working data, and state-file leftovers\n"


class Action(StrEnum):
    WROTE = "wrote"
    APPENDED = "appended"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


class Mode(StrEnum):
    CREATE = "create"  # the user's file once written: never overwritten
    OWN = "own"  # syncctl's file: refreshed on every run
    LINES = "lines"  # .gitignore: only the missing lines are appended


@dataclass(frozen=True, slots=True)
class Template:
    """One file ``init`` writes: where (relative to DIR), what, and how it treats an old one."""

    path: str
    content: bytes
    mode: Mode


@dataclass(frozen=True, slots=True)
class Outcome:
    path: str
    action: Action
    note: str = ""


@dataclass(frozen=True, slots=True)
class Pin:
    """The syncctl a scaffolded repository uses: a git source and a tag or commit of it."""

    source: str  # the pre-commit ``repo:`` (a URL, or an absolute local path)
    url: str  # the same as a URL pip understands after ``git+``
    rev: str

    @property
    def pip_spec(self) -> str:
        return f"syncctl @ git+{self.url}@{self.rev}"


def make_pin(source: str | None, rev: str | None) -> Pin:
    """Check ``--source`` and ``--rev`` and derive the pip URL; a local path becomes file://."""
    source = source or DEFAULT_SOURCE
    rev = rev or f"v{__version__}"
    for name, value in (("--source", source), ("--rev", rev)):
        if not _SAFE.match(value):
            raise UsageError(
                f"{name} {value!r} holds a space, quote, '#' or backslash",
                hint="give a plain URL, path, tag or commit",
            )
    if _SCP_LIKE.match(source):
        raise UsageError(
            f"--source {source!r}: pip cannot install from a scp-like git address",
            hint="write it as ssh://user@host/path, or use https://",
        )
    if "://" in source:
        return Pin(source=source, url=source, rev=rev)
    local = Path(source).expanduser().resolve()
    return Pin(source=str(local), url=local.as_uri(), rev=rev)


def _data() -> Traversable:
    return resources.files("syncctl").joinpath("data")


def render_workflow(template: bytes, pin: Pin) -> bytes:
    """This repository's workflow with its ``SYNCCTL_SPEC`` line pinned to ``pin``."""
    text = template.decode("utf-8")
    rendered, count = SPEC_LINE.subn(f'  SYNCCTL_SPEC: "{pin.pip_spec}"', text)
    if count != 1:  # a packaging bug: tests/acceptance/test_init.py guards the templates
        raise SyncctlError(f"workflow template has {count} SYNCCTL_SPEC lines, expected 1")
    return rendered.encode("utf-8")


def templates(pin: Pin) -> list[Template]:
    """Every file ``init`` writes, in the order it reports them."""
    init = _data().joinpath("init")
    pre_commit = init.joinpath("pre-commit-config.yaml").read_text(encoding="utf-8")
    pre_commit = pre_commit.replace("@SOURCE@", pin.source).replace("@REV@", pin.rev)
    files = [
        Template("syncctl.toml", init.joinpath("syncctl.toml").read_bytes(), Mode.CREATE),
        Template(".gitignore", init.joinpath("gitignore").read_bytes(), Mode.LINES),
        Template(".pre-commit-config.yaml", pre_commit.encode("utf-8"), Mode.CREATE),
    ]
    for name in WORKFLOWS:
        raw = init.joinpath("workflows", f"{name}.yml").read_bytes()
        files.append(
            Template(f".github/workflows/{name}.yml", render_workflow(raw, pin), Mode.CREATE)
        )
    files.extend(
        Template(f"schemas/{name}", _data().joinpath(name).read_bytes(), Mode.OWN)
        for name in SCHEMAS
    )
    example = init.joinpath("jobs", "zendesk", "tickets.yaml").read_bytes()
    files.append(Template("jobs/zendesk/tickets.yaml", example, Mode.CREATE))
    return files


def _ignore_key(line: str) -> str:
    """``/.syncctl/``, ``.syncctl/`` and ``.syncctl`` ignore the same folder here."""
    return line.strip().strip("/")


def _append_lines(path: Path, wanted: bytes) -> Outcome:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    have = {_ignore_key(line) for line in old.splitlines()}
    lines = [ln for ln in wanted.decode("utf-8").splitlines() if ln.strip()]
    missing = [ln for ln in lines if _ignore_key(ln) not in have]
    rel = path.name
    if not missing:
        return Outcome(rel, Action.UNCHANGED, "has every syncctl entry")
    prefix = "" if not old or old.endswith("\n") else "\n"
    spacer = "\n" if old else ""
    added = prefix + spacer + _GITIGNORE_HEADER + "".join(f"{ln}\n" for ln in missing)
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(added)
    if not old:
        return Outcome(rel, Action.WROTE)
    return Outcome(rel, Action.APPENDED, "added " + ", ".join(missing))


def _skip_reason(root: Path, template: Template) -> str | None:
    """Why a file ``init`` would create is left alone, if it is."""
    if (root / template.path).exists():
        return "exists, left as it is"
    if template.path == "syncctl.toml" and _pyproject_configures(root / "pyproject.toml"):
        return "pyproject.toml holds [tool.syncctl] already"
    if template.path.startswith("jobs/") and any((root / "jobs").rglob("*.yaml")):
        return "jobs/ holds job files already; no example needed"
    return None


def _pyproject_configures(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "syncctl" in data["tool"]


def _write(root: Path, template: Template) -> Outcome:
    path = root / template.path
    if template.mode is Mode.LINES:
        return _append_lines(path, template.content)
    if template.mode is Mode.CREATE:
        reason = _skip_reason(root, template)
        if reason is not None:
            return Outcome(template.path, Action.SKIPPED, reason)
        action = Action.WROTE
    else:
        old = path.read_bytes() if path.is_file() else None
        if old == template.content:
            return Outcome(template.path, Action.UNCHANGED, "owned by syncctl, up to date")
        action = Action.WROTE if old is None else Action.UPDATED
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(template.content)
    return Outcome(template.path, action)


def scaffold(root: Path, pin: Pin) -> list[Outcome]:
    """Write every template under ``root`` (created if need be); one outcome per file."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        return [_write(root, template) for template in templates(pin)]
    except OSError as exc:
        where = exc.filename or root
        raise SyncctlError(
            f"{where}: cannot write: {exc.strerror}", hint="check the folder's permissions"
        ) from None


def _in_git_repository(root: Path) -> bool:
    return any((folder / ".git").exists() for folder in (root, *root.parents))


def report(root: Path, outcomes: Iterable[Outcome], pin: Pin) -> list[str]:
    """What ``init`` prints: one line per file, a count, and the next commands to run."""
    outcomes = list(outcomes)
    width = max(len(action) for action in Action)
    lines = [
        f"  {o.action.value:<{width}}  {o.path}" + (f"  ({o.note})" if o.note else "")
        for o in outcomes
    ]
    changed = sum(o.action in (Action.WROTE, Action.APPENDED, Action.UPDATED) for o in outcomes)
    skipped = sum(o.action is Action.SKIPPED for o in outcomes)
    lines.append(f"syncctl init: {changed} file(s) written, {skipped} skipped in {root}")
    lines.append(f"syncctl is pinned to {pin.pip_spec}")
    lines.append("Next:")
    if not _in_git_repository(root):
        lines.append("  git init")
    lines += [
        f'  pip install "{pin.pip_spec}"   # the pinned syncctl (or pipx install)',
        "  pre-commit install",
        "  syncctl validate --strict && syncctl plan && syncctl apply",
    ]
    return lines


@click.command()
@click.argument(
    "directory",
    metavar="[DIR]",
    required=False,
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option(
    "--source",
    metavar="URL",
    help="Git source of syncctl for the pre-commit hooks and the workflows "
    f"[default: {DEFAULT_SOURCE}].",
)
@click.option(
    "--rev",
    metavar="REV",
    help=f"Tag or commit of that source to pin [default: v{__version__}].",
)
def init(directory: Path, source: str | None, rev: str | None) -> None:
    """Scaffold a repository of sync jobs in DIR (default: the current folder).

    Writes syncctl.toml (the embedded `local` environment as the default, a commented
    production environment), .gitignore entries, .pre-commit-config.yaml with syncctl's hooks,
    the GitHub Actions workflows pr, apply and drift, the JSON Schemas the editor modelines
    point at, and one example job. Existing files are left alone (one note each); .gitignore
    only gains missing lines; the schemas are refreshed. Running it twice changes nothing.

    \b
    Examples:
      syncctl init
      syncctl init my-jobs --rev v0.1.0
      syncctl init --source https://github.com/acme/syncctl-fork --rev 3f2c1e9

    Exit codes: 0 done, 1 a file could not be written, 2 usage error.
    """
    pin = make_pin(source, rev)
    root = directory.resolve()  # click refuses an existing file (exit 2)
    for line in report(root, scaffold(root, pin), pin):
        click.echo(line)
