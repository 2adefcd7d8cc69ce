"""A workflow's references to sync jobs: by key in a file, by remote id on the API (design §9).

A workflow step names its job in ``config``: a file writes ``{sync_job: <job key>}``, the API
holds ``{sync_job_id: <remote id>}``. The key is resolved per environment, through the state
file, only when a request is sent (``resolved``); a live workflow is read back into keys
(``key_view``) so that it compares with its file field by field. A step whose ``config`` is a
JSONata string (or anything but a mapping) passes through as written either way.

Every function returns new data and leaves its argument as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

KEY_FIELD = "sync_job"
ID_FIELD = "sync_job_id"


def _step_configs(body: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Each step ``config`` of a workflow body that is a mapping, in order."""
    config = body.get("config")
    steps = config.get("steps") if isinstance(config, dict) else None
    if not isinstance(steps, list):
        return
    for step in steps:
        inner = step.get("config") if isinstance(step, dict) else None
        if isinstance(inner, dict):
            yield inner


def job_keys(body: Mapping[str, Any]) -> tuple[str, ...]:
    """The job keys a workflow file names (``sync_job``), in step order, each once."""
    keys = (c.get(KEY_FIELD) for c in _step_configs(body))
    return tuple(dict.fromkeys(k for k in keys if isinstance(k, str) and k))


def job_ids(body: Mapping[str, Any]) -> tuple[str, ...]:
    """The remote job ids a live workflow names (``sync_job_id``), in step order, each once."""
    ids = (c.get(ID_FIELD) for c in _step_configs(body))
    return tuple(dict.fromkeys(i for i in ids if isinstance(i, str) and i))


def _rewrite(
    body: Mapping[str, Any], old: str, new: str, lookup: Callable[[str], str | None]
) -> dict[str, Any]:
    """``body`` with each step config's ``old`` field replaced by ``new`` where ``lookup`` knows
    its value (the step's other fields and their order kept); unknown values stay as they are."""
    config = body.get("config")
    steps = config.get("steps") if isinstance(config, dict) else None
    if not isinstance(config, dict) or not isinstance(steps, list):
        return dict(body)
    out_steps: list[Any] = []
    for step in steps:
        inner = step.get("config") if isinstance(step, dict) else None
        value = inner.get(old) if isinstance(inner, dict) else None
        found = lookup(value) if isinstance(value, str) else None
        if not isinstance(step, dict) or not isinstance(inner, dict) or found is None:
            out_steps.append(step)
            continue
        swapped = {(new if k == old else k): (found if k == old else v) for k, v in inner.items()}
        out_steps.append({**step, "config": swapped})
    return {**body, "config": {**config, "steps": out_steps}}


def resolved(body: Mapping[str, Any], ids_by_key: Mapping[str, str]) -> dict[str, Any]:
    """The workflow as the API takes it: each ``sync_job`` key replaced by its job's remote id
    (``sync_job_id``). ``UnresolvedReference`` names the first key ``ids_by_key`` lacks."""
    missing = [key for key in job_keys(body) if key not in ids_by_key]
    if missing:
        raise UnresolvedReference(missing[0])
    return _rewrite(body, KEY_FIELD, ID_FIELD, ids_by_key.get)


def key_view(body: Mapping[str, Any], keys_by_id: Mapping[str, str]) -> dict[str, Any]:
    """A live workflow as its file would write it: each ``sync_job_id`` of a job that a key
    owns replaced by that key (``sync_job``); an id no key owns stays an id."""
    return _rewrite(body, ID_FIELD, KEY_FIELD, keys_by_id.get)


class UnresolvedReference(LookupError):
    """A workflow names a job key that has no remote id in the environment (yet)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key
