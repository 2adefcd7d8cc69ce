"""Project configuration: ``[tool.syncctl]`` in pyproject.toml, or a ``syncctl.toml``.

With no configuration at all the defaults apply: jobs in ``jobs/``, workflows in ``workflows/``,
state in ``state/``, the one known trigger ``integrated_account:active``, and one environment
``local`` served by the bundled emulator in process (``embedded:`` URL). A table that is present
is checked by the pydantic models of :mod:`syncctl.config_model` (imported only then); each error
is one line naming the file and the key path.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from syncctl.errors import ConfigError

if TYPE_CHECKING:
    from syncctl.config_model import EnvironmentTable

LOCAL_URL = "embedded:.syncctl/local.sqlite3"
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
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
    default_environment: str
    environments: Mapping[str, Environment] = field(default_factory=dict)
    workflows_dir: Path = Path("workflows")
    """Folder of the workflow files; a relative one is taken under ``root``."""
    known_triggers: tuple[str, ...] = DEFAULT_TRIGGERS
    """Trigger names that exist on the server (SJ904, the embedded emulator)."""

    def __post_init__(self) -> None:
        if not self.workflows_dir.is_absolute():
            object.__setattr__(self, "workflows_dir", self.root / self.workflows_dir)

    def environment(self, name: str | None) -> Environment:
        chosen = name or self.default_environment
        try:
            return self.environments[chosen]
        except KeyError:
            known = ", ".join(sorted(self.environments)) or "none"
            raise ConfigError(
                f"unknown environment {chosen!r} (configured: {known})",
                hint="add [tool.syncctl.environments." + chosen + "] to pyproject.toml",
            ) from None


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
    for folder in (start, *start.parents):
        candidate = folder / "syncctl.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            return pyproject
    return None


def _read_table(path: Path) -> tuple[dict[str, Any], str]:
    """The syncctl table of ``path`` and its key path in the file (empty for the top level)."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: tool: expected a table")
    if path.name == "pyproject.toml" or "syncctl" in tool:
        table, prefix = tool.get("syncctl", {}), "tool.syncctl"
    else:
        table, prefix = data, ""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: tool.syncctl: expected a table")
    return table, prefix


def _environment(
    name: str, table: EnvironmentTable, root: Path, state_dir: Path, at: tuple[str, str]
) -> Environment:
    check_url(table.url, where=_at(*at, "environments", name, "url"))
    default_token = f"SYNCCTL_{name.upper().replace('-', '_')}_TOKEN"
    state_path = table.state_path or str(state_dir / f"{name}.json")
    return Environment(
        name=name,
        url=table.url,
        token_env=table.token_env or default_token,
        state_path=root / state_path,
        rate=table.rate,
        concurrency=table.concurrency,
        mass_delete_ratio=table.mass_delete_ratio,
        page_size=table.page_size,
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


def _at(where: str, prefix: str, *keys: str) -> str:
    """``pyproject.toml: tool.syncctl.environments.prod.url``: a file and a key path in it."""
    return f"{where}: " + ".".join(key for key in (prefix, *keys) if key)


def load_config(path: Path | None = None, *, cwd: Path | None = None) -> Config:
    """Read the configuration from ``path``, or find it upwards from ``cwd``."""
    start = (cwd or Path.cwd()).resolve()
    source = path if path is not None else _find_config(start)
    if source is None:
        return default_config(start)
    if not source.is_file():
        raise ConfigError(f"{source}: configuration file not found")
    table, prefix = _read_table(source)
    root = source.resolve().parent
    if not table:
        return default_config(root)
    return _config(table, root=root, source=source, prefix=prefix)


def _config(table: dict[str, Any], *, root: Path, source: Path, prefix: str) -> Config:
    from syncctl.config_model import parse_table  # pydantic only when there is a table

    where = str(source)
    parsed = parse_table(table, where=where, prefix=prefix)
    at = (where, prefix)
    state_dir = Path(parsed.state_dir)
    if parsed.environments is None:
        environments = default_config(root).environments
    else:
        environments = {
            name: _environment(name, env, root, state_dir, at)
            for name, env in parsed.environments.items()
        }
    default = parsed.default_environment or next(iter(environments))
    if default not in environments:
        known = ", ".join(sorted(environments))
        raise ConfigError(
            f"{_at(*at, 'default_environment')}: {default!r} is not configured"
            f" (configured: {known})",
            hint=f"add [{prefix or 'tool.syncctl'}.environments.{default}] or pick one of those",
        )
    return Config(
        root=root,
        source=source,
        jobs_dir=root / parsed.jobs_dir,
        state_dir=root / state_dir,
        default_environment=default,
        environments=environments,
        workflows_dir=root / parsed.workflows_dir,
        known_triggers=tuple(dict.fromkeys(parsed.known_triggers)),
    )
