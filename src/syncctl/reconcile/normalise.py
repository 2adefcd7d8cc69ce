"""Normalised payloads: what is compared, hashed and sent.

Only the writable fields of a sync job take part (reference §2); read-only fields (id,
environment_id, created_at, updated_at) and anything else the server adds are ignored. An
absent field equals ``null``. A field the server fills in by default (``default_runtime_version``)
is not compared when the file leaves it out, so there is no perpetual diff.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from syncctl.findings import PathPart, format_path
from syncctl.syncjob import WRITABLE_FIELDS

PAYLOAD_FIELDS = WRITABLE_FIELDS
SERVER_DEFAULTED = frozenset({"default_runtime_version"})

Payload = dict[str, Any]


def normalise(job: Mapping[str, Any]) -> Payload:
    """The writable fields of ``job``, every one present (absent -> None)."""
    return {name: job.get(name) for name in PAYLOAD_FIELDS}


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(payload: Mapping[str, Any]) -> str:
    digest = hashlib.sha256(canonical_json(normalise(payload)).encode()).hexdigest()
    return f"sha256:{digest}"


def fingerprint(live: Mapping[str, Any]) -> str:
    """A hash of the whole live object (``updated_at`` included): any change alters it."""
    return "sha256:" + hashlib.sha256(canonical_json(dict(live)).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One difference between live and desired: ``path`` like ``$.resources[1].query.id``."""

    field: str
    path: str
    before: Any
    after: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "path": self.path, "before": self.before, "after": self.after}


def compared_fields(desired: Mapping[str, Any]) -> Iterator[str]:
    for name in PAYLOAD_FIELDS:
        if name in SERVER_DEFAULTED and desired.get(name) is None:
            continue
        yield name


def diff(desired: Mapping[str, Any], live: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    """Field-level differences, in payload field order, then document order."""
    want, have = normalise(desired), normalise(live)
    changes: list[FieldChange] = []
    for name in compared_fields(want):
        if want[name] != have[name]:
            changes.extend(_walk(name, (name,), have[name], want[name]))
    return tuple(changes)


def changed_fields(changes: tuple[FieldChange, ...], desired: Mapping[str, Any]) -> Payload:
    """The PATCH body: the complete desired value of every changed top-level field."""
    want = normalise(desired)
    return {name: want[name] for name in dict.fromkeys(c.field for c in changes)}


def _walk(field: str, path: tuple[PathPart, ...], before: Any, after: Any) -> Iterator[FieldChange]:
    """Descend into mappings and equally long lists; report leaves (an absent side reads null)."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in dict.fromkeys([*before, *after]):
            if key not in before or key not in after or before[key] != after[key]:
                yield from _walk(field, (*path, key), before.get(key), after.get(key))
        return
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            if old != new:
                yield from _walk(field, (*path, index), old, new)
        return
    yield FieldChange(field, format_path(path), before, after)
