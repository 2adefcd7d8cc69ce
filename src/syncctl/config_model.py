"""The ``[tool.syncctl]`` table as pydantic models, and its errors as one line each.

Only :mod:`syncctl.config` imports this module, and only when a configuration file has a
non-empty table, so a run with no configuration never pays for pydantic. Values are checked
strictly (TOML already gives native types: ``concurrency = "8"`` or ``rate = true`` is an
error, not a coercion) and an unknown key is an error with a did-you-mean::

    pyproject.toml: tool.syncctl.environments.staging.rate: expected a number > 0
    syncctl.toml: tool.syncctl.known_trigger: unknown key (did you mean known_triggers?)
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic_core import ErrorDetails

from syncctl.config import DEFAULT_TRIGGERS
from syncctl.errors import ConfigError
from syncctl.typed_errors import describe, key_path

Text = Annotated[str, StringConstraints(pattern=r"\S")]
"""A string with at least one non-blank character."""

_STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)


class EnvironmentTable(BaseModel):
    """``[tool.syncctl.environments.<name>]``: one target account of the sync-job API."""

    model_config = _STRICT

    url: Text
    token_env: Text | None = None
    state_path: Text | None = None
    rate: float | None = Field(default=None, gt=0)
    concurrency: int = Field(default=8, ge=1, le=256)
    mass_delete_ratio: float = Field(default=0.5, gt=0, le=1)
    page_size: int = Field(default=100, ge=1, le=1000)


class SyncctlTable(BaseModel):
    """``[tool.syncctl]`` (or the top level of a ``syncctl.toml``); every path is relative."""

    model_config = _STRICT

    jobs_dir: Text = "jobs"
    workflows_dir: Text = "workflows"
    state_dir: Text = "state"
    default_environment: Text | None = None
    environments: Annotated[dict[str, EnvironmentTable], Field(min_length=1)] | None = None
    known_triggers: list[Text] = Field(default_factory=lambda: list(DEFAULT_TRIGGERS))


def parse_table(table: Mapping[str, Any], *, where: str, prefix: str) -> SyncctlTable:
    """Validate ``table``; the first error becomes one ``ConfigError`` naming file and key path.

    ``where`` is the file as the user named it; ``prefix`` is the key path of ``table`` in it
    (``tool.syncctl`` or empty for a bare ``syncctl.toml``).
    """
    try:
        return SyncctlTable.model_validate(table)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        more = len(errors) - 1
        suffix = f" (and {more} more error(s))" if more > 0 else ""
        first = errors[0]
        hint = None if first["type"] == "extra_forbidden" else _hint(first["loc"])
        raise ConfigError(f"{where}: {_describe(first, prefix)}{suffix}", hint=hint) from None


_HINTS = {
    "jobs_dir": 'a folder path, e.g. jobs_dir = "jobs"',
    "workflows_dir": 'a folder path, e.g. workflows_dir = "workflows"',
    "state_dir": 'a folder path, e.g. state_dir = "state"',
    "known_triggers": 'e.g. known_triggers = ["integrated_account:active"]',
    "environments": "one table per environment, e.g. [tool.syncctl.environments.staging]",
    "url": "use https://host or embedded:PATH",
    "token_env": 'the name of the variable that holds the token, e.g. token_env = "TRUTO_TOKEN"',
    "rate": "requests per second, e.g. rate = 10",
    "concurrency": "requests in flight, 1 to 256",
    "mass_delete_ratio": "the share of live jobs a plan may delete, above 0 and at most 1",
    "page_size": "the limit of each listing page, 1 to 1000",
}


_BOUNDS = {
    "greater_than": ("gt", ">"),
    "greater_than_equal": ("ge", ">="),
    "less_than": ("lt", "<"),
    "less_than_equal": ("le", "<="),
}
_EXPECTED = {
    "float_type": "expected a number",
    "string_pattern_mismatch": "expected a non-empty string",
    "too_short": "expected at least one entry",
    "dict_type": "expected a table",
    "model_type": "expected a table",
    "model_attributes_type": "expected a table",
}


def _describe(error: ErrorDetails, prefix: str) -> str:
    loc = ((prefix,) if prefix else ()) + tuple(error["loc"])
    kind = error["type"]
    if kind in _BOUNDS:
        name, sign = _BOUNDS[kind]
        return f"{key_path(loc)}: expected a number {sign} {_number(error.get('ctx', {})[name])}"
    if kind in _EXPECTED:
        return f"{key_path(loc)}: {_EXPECTED[kind]}"
    if kind == "extra_forbidden":
        return f"{key_path(loc)}: unknown key{_did_you_mean(error['loc'])}"
    return describe({**error, "loc": loc})


def _hint(loc: tuple[int | str, ...]) -> str | None:
    """What the key at ``loc`` takes: ``("environments", "prod", "rate")`` -> the rate hint."""
    if loc[0] == "environments" and len(loc) <= 2:
        return _HINTS["environments"]
    names = [part for part in loc if isinstance(part, str)]
    return _HINTS.get(names[-1]) if names else None


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _did_you_mean(loc: tuple[int | str, ...]) -> str:
    """`` (did you mean rate?)`` when the unknown last key of ``loc`` is close to a known one."""
    model: type[BaseModel] = EnvironmentTable if loc[0] == "environments" else SyncctlTable
    close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1)
    return f" (did you mean {close[0]}?)" if close else ""
