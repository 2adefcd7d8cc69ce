"""Normalised payloads: what is compared, hashed and sent.

Only the sent (writable) fields of the kind's table take part (``syncctl.kinds``; for sync
jobs reference §2); read-only fields (id, environment_id, created_at, updated_at) and anything
else the server adds are ignored. An absent field equals ``null``. A field the server fills in
by default (``server_defaulted`` in the table: ``default_runtime_version``) is not compared when
the file leaves it out, so there is no perpetual diff. An integer field compares by number
(``"4"`` equals ``4``: Truto's TypeScript SDK types the runtime version as a string).

Every function takes the ``kind`` whose table it reads (default: sync jobs).

The ``resources`` list is diffed element by element: entries are matched by node name (runtime 4)
or by ``resource`` (runtime 1-3), so one inserted node is one added element, one removed node one
removed element, and a changed node descends into its fields. Each change inside the list names
its element (``resources[2] list-comments``).
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from syncctl.findings import PathPart, format_path
from syncctl.kinds import SYNC_JOB, Kind, as_number

ELEMENT_DIFFED = "resources"  # the list whose entries are matched by identity, not position

Payload = dict[str, Any]
Op = Literal["change", "add", "remove"]


def normalise(job: Mapping[str, Any], kind: Kind = SYNC_JOB) -> Payload:
    """The sent fields of ``job``, every one present (absent -> None); an integer field (the
    runtime version) written as a string of digits reads as its number."""
    payload = {name: job.get(name) for name in kind.sent}
    for name in kind.numeric:
        payload[name] = as_number(payload[name])
    return payload


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(payload: Mapping[str, Any], kind: Kind = SYNC_JOB) -> str:
    digest = hashlib.sha256(canonical_json(normalise(payload, kind)).encode()).hexdigest()
    return f"sha256:{digest}"


def fingerprint(live: Mapping[str, Any]) -> str:
    """A hash of the whole live object (``updated_at`` included): any change alters it."""
    return "sha256:" + hashlib.sha256(canonical_json(dict(live)).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One difference between live and desired: ``path`` like ``$.resources[1].query.id``.

    ``op`` is ``add`` or ``remove`` for a key (or a whole ``resources`` element) only one side
    has (``before`` or ``after`` is then ``None``), else ``change``. ``element`` names the
    ``resources`` entry a change is in or about, e.g. ``resources[2] list-comments`` (the
    desired index, or the live one for a removed entry); ``None`` outside the list."""

    field: str
    path: str
    before: Any
    after: Any
    op: Op = "change"
    element: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "path": self.path,
            "before": self.before,
            "after": self.after,
            "op": self.op,
            "element": self.element,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> FieldChange:
        """Read ``to_dict`` back (a saved plan from before ``op``/``element`` reads as changes)."""
        op = raw.get("op", "change")
        return cls(
            str(raw["field"]),
            str(raw["path"]),
            raw["before"],
            raw["after"],
            op if op in ("add", "remove") else "change",
            raw.get("element"),
        )


def compared_fields(desired: Mapping[str, Any], kind: Kind = SYNC_JOB) -> Iterator[str]:
    """The sent fields in table order, less a server-defaulted one that ``desired`` omits."""
    for name in kind.sent:
        if name in kind.server_defaulted and desired.get(name) is None:
            continue
        yield name


def diff(
    desired: Mapping[str, Any], live: Mapping[str, Any], kind: Kind = SYNC_JOB
) -> tuple[FieldChange, ...]:
    """Field-level differences, in payload field order, then document order. A key only one
    side has is ``add`` (the live object lacks it) or ``remove`` (the file lacks it), never
    ``null -> value``; a top-level field is absent when it is ``null`` (absent equals null)."""
    want, have = normalise(desired, kind), normalise(live, kind)
    changes: list[FieldChange] = []
    for name in compared_fields(want, kind):
        if want[name] == have[name]:
            continue
        before, after = have[name], want[name]
        path = format_path((name,))
        if before is None:
            changes.append(FieldChange(name, path, None, after, "add"))
        elif after is None:
            changes.append(FieldChange(name, path, before, None, "remove"))
        elif name == ELEMENT_DIFFED and isinstance(before, list) and isinstance(after, list):
            changes.extend(_elements(name, before, after))
        else:
            changes.extend(_walk(name, (name,), before, after))
    return tuple(changes)


def changed_fields(
    changes: tuple[FieldChange, ...], desired: Mapping[str, Any], kind: Kind = SYNC_JOB
) -> Payload:
    """The PATCH body: the complete desired value of every changed top-level field."""
    want = normalise(desired, kind)
    return {name: want[name] for name in dict.fromkeys(c.field for c in changes)}


def _walk(field: str, path: tuple[PathPart, ...], before: Any, after: Any) -> Iterator[FieldChange]:
    """Descend into mappings and equally long lists; report leaves, and a key only one side
    has as ``add`` or ``remove`` (its value whole)."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in dict.fromkeys([*before, *after]):
            where = format_path((*path, key))
            if key not in before:
                yield FieldChange(field, where, None, after[key], "add")
            elif key not in after:
                yield FieldChange(field, where, before[key], None, "remove")
            elif before[key] != after[key]:
                yield from _walk(field, (*path, key), before[key], after[key])
        return
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            if old != new:
                yield from _walk(field, (*path, index), old, new)
        return
    yield FieldChange(field, format_path(path), before, after)


def identity(entry: Any) -> str | None:
    """What names a ``resources`` entry: the node name (runtime 4), else its ``resource``."""
    if isinstance(entry, dict):
        for key in ("name", "resource"):
            value = entry.get(key)
            if isinstance(value, str) and value:
                return value
    return None


def _keys(entries: Sequence[Any]) -> list[tuple[str, int]]:
    """A matching key per entry: its identity and which occurrence of it this is (an entry
    without one is matched by its whole content)."""
    seen: dict[str, int] = {}
    keys = []
    for entry in entries:
        name = identity(entry)
        key = f"={name}" if name is not None else f"#{canonical_json(entry)}"
        seen[key] = seen.get(key, 0) + 1
        keys.append((key, seen[key]))
    return keys


def element_label(field: str, index: int, entry: Any) -> str:
    """``resources[2] list-comments`` (just ``resources[2]`` for an entry with no identity)."""
    name = identity(entry)
    return f"{field}[{index}]" + (f" {name}" if name is not None else "")


def _elements(field: str, before: list[Any], after: list[Any]) -> Iterator[FieldChange]:
    """Entries matched by identity in order (longest common run first, as ``difflib`` aligns
    them); matched entries that differ descend into their fields, the rest are added/removed.
    Changes come in desired order, a removed entry where it stood among them."""
    matcher = difflib.SequenceMatcher(None, _keys(before), _keys(after), autojunk=False)
    for tag, b_start, b_end, a_start, a_end in matcher.get_opcodes():
        if tag == "equal":
            for old_index, new_index in zip(
                range(b_start, b_end), range(a_start, a_end), strict=True
            ):
                old, new = before[old_index], after[new_index]
                if old != new:
                    label = element_label(field, new_index, new)
                    for leaf in _walk(field, (field, new_index), old, new):
                        yield replace(leaf, element=label)
            continue
        for old_index in range(b_start, b_end):
            old = before[old_index]
            path = format_path((field, old_index))
            yield FieldChange(
                field, path, old, None, "remove", element_label(field, old_index, old)
            )
        for new_index in range(a_start, a_end):
            new = after[new_index]
            path = format_path((field, new_index))
            yield FieldChange(field, path, None, new, "add", element_label(field, new_index, new))


# -- risky changes ------------------------------------------------------------------------------

STATE_NODE_TYPES = frozenset({"get_state", "update_state", "delete_state"})
"""Runtime 4 node types that read or write the job's stored state under ``config.key``."""

RISKY_FIELDS: Mapping[str, Mapping[str, str]] = {
    "sync_job": {
        "state_key": (
            "state_key changes: every account's incremental cursor is orphaned (full re-sync)"
        ),
        "mutex_key": (
            "mutex_key changes: a run under the new key does not wait for one still running "
            "under the old key, and every account's runs re-key at once"
        ),
        "default_runtime_version": (
            "default_runtime_version changes: the job runs on another runtime and its stored "
            "state does not carry over (full re-sync for every account)"
        ),
    },
    "workflow": {
        "trigger_name": (
            "trigger_name changes: the workflow stops running on its old event and starts on "
            "another, for every account"
        ),
    },
}
"""By kind name: the top-level fields whose change is expensive, and why (the risky guard)."""


@dataclass(frozen=True, slots=True)
class Risk:
    """Why one change is expensive: ``field`` is what changes (a top-level field, or
    ``resources[<node>].config.key`` for a state node), ``reason`` a sentence a reviewer reads."""

    field: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "reason": self.reason}


def risks(
    changes: Sequence[FieldChange],
    desired: Mapping[str, Any],
    live: Mapping[str, Any],
    kind: Kind = SYNC_JOB,
) -> tuple[Risk, ...]:
    """The risks of turning ``live`` into ``desired``, given their ``diff``: a risky top-level
    field that changes (``RISKY_FIELDS``), and for jobs a state node's ``config.key`` that is
    renamed or removed (``state_key_risks``): stored state under the old key is orphaned."""
    table = RISKY_FIELDS.get(kind.name, {})
    found = [
        Risk(name, table[name]) for name in dict.fromkeys(c.field for c in changes) if name in table
    ]
    if kind is SYNC_JOB and any(c.field == ELEMENT_DIFFED for c in changes):
        found.extend(state_key_risks(live.get(ELEMENT_DIFFED), desired.get(ELEMENT_DIFFED)))
    return tuple(found)


def _state_keys(resources: Any) -> dict[str, Any]:
    """Node name -> ``config.key`` of every state node in a runtime 4 ``resources`` list."""
    found: dict[str, Any] = {}
    for node in resources if isinstance(resources, list) else ():
        if not isinstance(node, dict) or node.get("type") not in STATE_NODE_TYPES:
            continue
        name, config = node.get("name"), node.get("config")
        if isinstance(name, str):
            found[name] = config.get("key") if isinstance(config, dict) else None
    return found


def state_key_risks(before: Any, after: Any) -> Iterator[Risk]:
    """State nodes (compared by node name) whose ``config.key`` is renamed, or removed with
    no other state node keeping it: the state stored under the old key is no longer read."""
    old, new = _state_keys(before), _state_keys(after)
    kept = [key for key in new.values() if key is not None]
    for name, key in old.items():
        if key is None or new.get(name) == key:
            continue
        field = f"{ELEMENT_DIFFED}[{name}].config.key"
        if new.get(name) is not None:
            yield Risk(
                field,
                f"state node {name}: config.key {canonical_json(key)} renamed to "
                f"{canonical_json(new[name])}: every account's state under the old key is "
                "orphaned (full re-sync)",
            )
        elif key not in kept:
            yield Risk(
                field,
                f"state node {name}: config.key {canonical_json(key)} removed: every "
                "account's state under it is orphaned (full re-sync)",
            )
