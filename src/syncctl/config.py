"""Project configuration: ``[tool.syncctl]`` in pyproject.toml, or a ``syncctl.toml``.

With no configuration at all the defaults apply: jobs in ``jobs/``, workflows in ``workflows/``,
state in ``state/``, the one known trigger ``integrated_account:active``, and one environment
``local`` served by the bundled emulator in process (``embedded:`` URL).

Discovery (design §4): the configuration is the first ``syncctl.toml``, or ``pyproject.toml``
holding a ``[tool.syncctl]`` table, found upwards from the current folder; a pyproject.toml of
some other tool does not stop the search. With none, the project root is the nearest folder
upwards holding ``jobs/``, else the git root, else the current folder, so working inside
``jobs/zendesk`` never makes ``jobs/zendesk`` the root.

The environment used (``Config.environment``) is ``--env``, else ``default_environment``, else
``local`` when configured, else an error listing the choices: never silently the first one
configured, which may well be production.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from syncctl.errors import ConfigError

LOCAL_URL = "embedded:.syncctl/local.sqlite3"
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
_ENV_KEYS = frozenset(
    {"url", "token_env", "state_path", "rate", "concurrency", "mass_delete_ratio", "page_size"}
)
_TOP_KEYS = frozenset(
    {
        "jobs_dir",
        "workflows_dir",
        "state_dir",
        "default_environment",
        "environments",
        "known_triggers",
        "rules",
    }
)
_TOKEN_KEYS = frozenset({"token", "api_token", "api_key", "secret"})
"""Keys people write for a token; the hint says to use ``token_env`` (design §4: never a file)."""
RULE_LEVELS = ("off", "warning", "error")
"""What ``[tool.syncctl.rules]`` may set a rule to (design §3)."""
DEFAULT_TRIGGERS: tuple[str, ...] = ("integrated_account:active",)
"""Trigger names a workflow may use without a warning (SJ904) when none are configured."""


@dataclass(frozen=True, slots=True)
class Environment:
    """One target account of the sync-job API."""

    name: str
    url: str
    token_env: str
    state_path: Path
    rate: float | None = None  # requests per second, client side; None = unlimited
    concurrency: int = 8
    mass_delete_ratio: float = 0.5
    page_size: int = 100  # the ``limit`` of each listing page

    @property
    def is_embedded(self) -> bool:
        return self.url.startswith("embedded:")

    def token(self) -> str | None:
        """The API token, read from the environment variable only (never from a file)."""
        value = os.environ.get(self.token_env)
        return value or None


@dataclass(frozen=True, slots=True)
class Config:
    root: Path
    source: Path | None
    jobs_dir: Path
    state_dir: Path
    default_environment: str | None
    """``default_environment`` as configured; None when it is not set (``environment``)."""
    environments: Mapping[str, Environment] = field(default_factory=dict)
    workflows_dir: Path = Path("workflows")
    """Folder of the workflow files; a relative one is taken under ``root``."""
    known_triggers: tuple[str, ...] = DEFAULT_TRIGGERS
    """Trigger names that exist on the server (SJ904, the embedded emulator)."""
    rules: Mapping[str, str] = field(default_factory=dict)
    """Rule id -> ``off``, ``warning`` or ``error`` (``[tool.syncctl.rules]``; design §3)."""
    table: str = "tool.syncctl"
    """How the configuration file names its own table: ``tool.syncctl`` in pyproject.toml (and
    a syncctl.toml that uses the header), empty in a bare syncctl.toml. Hints use it, so a
    table they show can be pasted into the file they name."""

    def __post_init__(self) -> None:
        if not self.workflows_dir.is_absolute():
            object.__setattr__(self, "workflows_dir", self.root / self.workflows_dir)

    def environment(self, name: str | None) -> Environment:
        """The environment to use (design §4): ``name`` (``--env``), else ``default_environment``,
        else ``local`` when it is configured, else an error listing the choices."""
        if name is None:
            name = self.default_environment
        if name is None:
            if "local" in self.environments:
                return self.environments["local"]
            raise ConfigError(
                f"no environment chosen (configured: {self._known()})",
                hint="pass --env NAME, or set default_environment in " + self._file(),
            )
        try:
            return self.environments[name]
        except KeyError:
            raise ConfigError(
                f"unknown environment {name!r}{did_you_mean(name, self.environments)} "
                f"(configured: {self._known()})",
                hint=f"add [{self.table_name('environments', name)}] with a url to " + self._file(),
            ) from None

    def table_name(self, *parts: str) -> str:
        """``tool.syncctl.environments.prod`` or ``environments.prod``, as this file writes it."""
        return ".".join(p for p in (self.table, *parts) if p)

    def _known(self) -> str:
        return ", ".join(sorted(self.environments)) or "none"

    def _file(self) -> str:
        if self.source is None:
            return f"a syncctl.toml in {self.root}"
        return str(self.source)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'jobs_dir'?)`` for the closest of ``choices``, or an empty string.

    A prefix counts (``prod`` -> ``production``): difflib alone rates that pair too low."""
    options = sorted(choices)
    prefixed = [c for c in options if c.startswith(word) or word.startswith(c)]
    close = prefixed or difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _unknown_keys(
    unknown: set[str], known: Iterable[str], where: str, token_var: str | None = None
) -> ConfigError:
    """One error for keys that are not allowed: each with a did-you-mean, and for a token key
    the hint to use ``token_env`` (``token_var``: the environment's default variable)."""
    choices = sorted(known)
    listed = ", ".join(f"{k}{did_you_mean(k, choices)}" for k in sorted(unknown))
    if token_var is not None and unknown & _TOKEN_KEYS:
        hint = (
            "tokens are never read from files: set token_env to the name of the environment "
            f'variable that holds it, e.g. token_env = "{token_var}", and export that variable'
        )
    else:
        hint = "allowed keys: " + ", ".join(choices)
    return ConfigError(f"{where}: unknown key(s) {listed}", hint=hint)


WORK_DIR = ".syncctl"
"""The folder, under the project root, of syncctl's working data: the embedded database, the
``local`` state, locks and backups. Never committed (``work_dir``)."""


def work_dir(folder: Path) -> Path:
    """Create ``folder``; a ``.syncctl`` folder gets a ``.gitignore`` of ``*`` as well, so its
    contents stay out of git even in a repository whose own .gitignore does not list it (the
    way a virtualenv or .pytest_cache ignores itself)."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if folder.name == WORK_DIR and not ignore.exists():
        with contextlib.suppress(OSError):
            ignore.write_text("# syncctl working data: never committed\n*\n", encoding="utf-8")
    return folder


def check_url(url: str, *, where: str) -> None:
    """Refuse anything but https://, embedded: and http:// to a loopback host."""
    if url.startswith("embedded:"):
        if not url.removeprefix("embedded:"):
            raise ConfigError(f"{where}: embedded: URL needs a database path")
        return
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname:
        if parts.hostname in LOOPBACK_HOSTS or parts.hostname.startswith("127."):
            return
        raise ConfigError(
            f"{where}: refusing plain http:// to {parts.hostname}",
            hint="use https://; http:// is allowed only for loopback hosts",
        )
    raise ConfigError(f"{where}: unsupported URL {url!r}", hint="use https://host or embedded:PATH")


def _find_config(start: Path) -> Path | None:
    """The first syncctl.toml, or pyproject.toml with ``[tool.syncctl]``, upwards from ``start``.

    A pyproject.toml without the table belongs to some other tool (a Python package inside the
    jobs repository, say) and does not end the search."""
    for folder in (start, *start.parents):
        candidate = folder / "syncctl.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_syncctl_table(pyproject):
            return pyproject
    return None


def _has_syncctl_table(pyproject: Path) -> bool:
    tool = _read_toml(pyproject).get("tool")
    return isinstance(tool, dict) and "syncctl" in tool


def project_root(start: Path) -> Path:
    """The root of a project without configuration: the nearest folder upwards (``start``
    included) holding ``jobs/``, else the git root, else ``start``."""
    for folder in (start, *start.parents):
        if (folder / "jobs").is_dir() or (folder / ".git").exists():
            return folder
    return start


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def _read_table(path: Path) -> tuple[dict[str, Any], str]:
    """The syncctl table of ``path`` and how the file names it (``Config.table``)."""
    data = _read_toml(path)
    tool = data.get("tool", {})
    nested = isinstance(tool, dict) and "syncctl" in tool
    if path.name == "pyproject.toml" or nested:
        table = tool.get("syncctl", {}) if isinstance(tool, dict) else {}
        name = "tool.syncctl"
    else:
        table, name = data, ""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.syncctl] must be a table")
    return table, name


def _environment(name: str, raw: Any, root: Path, state_dir: Path, where: str) -> Environment:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: environment {name!r} must be a table")
    default_var = f"SYNCCTL_{name.upper().replace('-', '_')}_TOKEN"
    unknown = set(raw) - _ENV_KEYS
    if unknown:
        raise _unknown_keys(unknown, _ENV_KEYS, f"{where}: environment {name!r}", default_var)
    url = raw.get("url")
    if not isinstance(url, str) or not url:
        raise ConfigError(f"{where}: environment {name!r} needs a url")
    check_url(url, where=f"{where}: environment {name!r}")
    token_env = raw.get("token_env", default_var)
    if not isinstance(token_env, str) or not token_env:
        raise ConfigError(f"{where}: environment {name!r}: token_env must name a variable")
    state_path = root / str(raw.get("state_path", state_dir / f"{name}.json"))
    rate = raw.get("rate")
    if rate is not None and (not isinstance(rate, int | float) or rate <= 0):
        raise ConfigError(f"{where}: environment {name!r}: rate must be a positive number")
    concurrency = raw.get("concurrency", 8)
    if not isinstance(concurrency, int) or not 1 <= concurrency <= 256:
        raise ConfigError(f"{where}: environment {name!r}: concurrency must be 1..256")
    ratio = raw.get("mass_delete_ratio", 0.5)
    if not isinstance(ratio, int | float) or not 0 < ratio <= 1:
        raise ConfigError(f"{where}: environment {name!r}: mass_delete_ratio must be in (0, 1]")
    page_size = raw.get("page_size", 100)
    if not isinstance(page_size, int) or not 1 <= page_size <= 1000:
        raise ConfigError(f"{where}: environment {name!r}: page_size must be 1..1000")
    return Environment(
        name=name,
        url=url,
        token_env=token_env,
        state_path=state_path,
        rate=float(rate) if rate is not None else None,
        concurrency=concurrency,
        mass_delete_ratio=float(ratio),
        page_size=page_size,
    )


def default_config(root: Path) -> Config:
    local = Environment(
        name="local",
        url=LOCAL_URL,
        token_env="SYNCCTL_LOCAL_TOKEN",
        state_path=root / ".syncctl" / "state" / "local.json",
    )
    return Config(
        root=root,
        source=None,
        jobs_dir=root / "jobs",
        state_dir=root / "state",
        default_environment="local",
        environments={"local": local},
        workflows_dir=root / "workflows",
    )


def _folder(table: Mapping[str, Any], key: str, default: str, where: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(
            f"{where}: [tool.syncctl]: {key} must be a folder path (a non-empty string)",
            hint=f'e.g. {key} = "{default}"',
        )
    return value


def _triggers(table: Mapping[str, Any], where: str) -> tuple[str, ...]:
    value = table.get("known_triggers", list(DEFAULT_TRIGGERS))
    if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
        raise ConfigError(
            f"{where}: [tool.syncctl]: known_triggers must be a list of trigger names (strings)",
            hint='e.g. known_triggers = ["integrated_account:active"]',
        )
    return tuple(dict.fromkeys(value))


def _rules(table: Mapping[str, Any], where: str) -> dict[str, str]:
    value = table.get("rules", {})
    if not isinstance(value, dict):
        raise ConfigError(
            f"{where}: [tool.syncctl.rules] must be a table of rule ids",
            hint='e.g. [tool.syncctl.rules] then SJ501 = "off"',
        )
    out: dict[str, str] = {}
    for rule, level in value.items():
        if not (
            isinstance(rule, str) and len(rule) == 5 and rule[:2] == "SJ" and rule[2:].isdigit()
        ):
            raise ConfigError(
                f"{where}: [tool.syncctl.rules]: {rule!r} is not a rule id",
                hint="rule ids look like SJ501; see docs/rules.md",
            )
        if level not in RULE_LEVELS:
            raise ConfigError(
                f"{where}: [tool.syncctl.rules]: {rule} = {level!r}: must be one of "
                + ", ".join(f'"{v}"' for v in RULE_LEVELS)
            )
        out[rule] = level
    return out


def load_config(path: Path | None = None, *, cwd: Path | None = None) -> Config:
    """Read the configuration from ``path``, or find it upwards from ``cwd``."""
    start = (cwd or Path.cwd()).resolve()
    source = path if path is not None else _find_config(start)
    if source is None:
        return default_config(project_root(start))
    if not source.is_file():
        raise ConfigError(f"{source}: configuration file not found")
    table, table_name = _read_table(source)
    root = source.resolve().parent
    if not table:
        return replace(default_config(root), source=source, table=table_name)
    where = str(source)
    unknown = set(table) - _TOP_KEYS
    if unknown:
        raise _unknown_keys(unknown, _TOP_KEYS, f"{where}: [{table_name or 'syncctl.toml'}]")
    jobs_dir = root / str(table.get("jobs_dir", "jobs"))
    state_dir = Path(str(table.get("state_dir", "state")))
    workflows_dir = root / _folder(table, "workflows_dir", "workflows", where)
    triggers = _triggers(table, where)
    rules = _rules(table, where)
    raw_envs = table.get("environments")
    if raw_envs is None:
        environments = dict(default_config(root).environments)
    elif not isinstance(raw_envs, dict) or not raw_envs:
        raise ConfigError(f"{where}: [tool.syncctl.environments] must define at least one table")
    else:
        environments = {
            name: _environment(name, raw, root, state_dir, where) for name, raw in raw_envs.items()
        }
    config = Config(
        root,
        source,
        jobs_dir,
        root / state_dir,
        None,
        environments,
        workflows_dir,
        triggers,
        rules,
        table_name,
    )
    default = table.get("default_environment")
    if default is None:
        return config
    _check_default(config, default)
    return replace(config, default_environment=default)


def _check_default(config: Config, default: object) -> None:
    """Refuse a ``default_environment`` that names no configured environment; the hint shows the
    embedded ``local`` table, which is what a pasted snippet most often lacks."""
    where = f"{config.source}"
    if not isinstance(default, str) or not default:
        raise ConfigError(f"{where}: default_environment must name an environment")
    if default in config.environments:
        return
    guess = did_you_mean(default, config.environments)
    if default == "local":
        table = config.table_name("environments", "local")
        hint = f'add [{table}] with url = "{LOCAL_URL}" (the bundled emulator, no account needed)'
    else:
        hint = (
            f"set it to one of: {config._known()}, or add ["
            + config.table_name("environments", default)
            + "]"
        )
    raise ConfigError(
        f"{where}: default_environment {default!r} is not configured{guess} "
        f"(configured: {config._known()})",
        hint=hint,
    )
