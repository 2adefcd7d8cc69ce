"""What a kind is: one declarative table of its top-level fields, plus where it lives.

A :class:`Kind` describes one object type of the admin API that syncctl reconciles (design §10):
its API path, the folder its files live in, the key prefix of those files, and one table of
:class:`Field` lines. The table's order is both the canonical top-level key order of a file and
the API's field order. Everything that knows about top-level fields reads it:

- ``canonical`` and ``fmt``: the file order (:attr:`Kind.file_order`);
- ``model``: the local keys, never sent (:attr:`Kind.local`);
- ``emulator.jobs``: the known, read-only and nullable fields, type checks, create defaults and
  the output order (:attr:`Kind.api_order`);
- ``reconcile.normalise`` (and through it the plan): the payload fields (:attr:`Kind.sent`) and
  the server-defaulted ones (:attr:`Kind.server_defaulted`).

Adding a top-level API field is one :class:`Field` line here plus its property in the kind's
JSON Schema (a test pins that the two agree).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any, Final, Literal

JsonType = Literal["string", "integer", "number", "boolean", "object", "array", "null"]


class Access(StrEnum):
    """Who sets a field and whether it travels to the API."""

    SENT = "sent"
    """Writable: the file sets it, it is sent, compared and hashed."""
    READ_ONLY = "read_only"
    """Set by the server: never in a file, never sent, never compared."""
    LOCAL = "local"
    """Kept by syncctl in the file: never sent to the API."""


class _NoDefault(Enum):
    TOKEN = 0


NO_DEFAULT: Final = _NoDefault.TOKEN
"""A :attr:`Field.default` meaning: a create that omits the field stores nothing for it."""

_NAMES: dict[str, str] = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


def _is(value: Any, kind: JsonType) -> bool:
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind in ("integer", "number") and isinstance(value, bool):
        return False
    if kind == "integer":
        return isinstance(value, int)
    if kind == "number":
        return isinstance(value, int | float)
    if kind == "string":
        return isinstance(value, str)
    if kind == "object":
        return isinstance(value, dict)
    return isinstance(value, list)


def as_number(value: Any) -> Any:
    """An integer field's value as the API means it: a string of digits (the TS SDK types
    ``default_runtime_version`` as a string) reads as its number; anything else is unchanged."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


@dataclass(frozen=True, slots=True)
class Field:
    """One top-level field of a kind (one line of its table).

    ``types`` are the JSON types the API accepts (the emulator's check; ``"null"`` makes the
    field nullable), ``minimum``/``maximum`` bound an integer. ``default`` is what the server
    stores when a create omits the field (a nullable field without one stores ``null``).
    ``server_defaulted``: the server fills the field in when it is omitted, so it is not
    compared when the file omits it (no perpetual diff). ``required``: a create without it is
    refused (400).
    """

    name: str
    access: Access
    types: tuple[JsonType, ...]
    minimum: int | None = None
    maximum: int | None = None
    default: Any = NO_DEFAULT
    server_defaulted: bool = False
    required: bool = False

    @property
    def nullable(self) -> bool:
        return "null" in self.types

    def accepts(self, value: Any) -> bool:
        """Whether the API takes ``value`` for this field (type, then integer bounds)."""
        if not any(_is(value, t) for t in self.types):
            return False
        if isinstance(value, int | float) and not isinstance(value, bool):
            if self.minimum is not None and value < self.minimum:
                return False
            if self.maximum is not None and value > self.maximum:
                return False
        return True

    @property
    def expected(self) -> str:
        """What ``accepts`` wants, in words: ``an integer from 1 to 4``, ``a string or null``."""
        words = []
        for kind in self.types:
            word = _NAMES[kind]
            if kind in ("integer", "number") and None not in (self.minimum, self.maximum):
                word += f" from {self.minimum} to {self.maximum}"
            words.append(word)
        return " or ".join(words)


@dataclass(frozen=True, slots=True, eq=False)
class Kind:
    """One kind of API object syncctl manages, described once (design §10).

    ``folder_key``/``folder_default`` name the configuration key of its files' folder and its
    default; ``key_prefix`` starts every key of this kind (``""`` for jobs, ``workflow:`` for
    workflows). ``identity`` says in words how a file is matched to a live object when state is
    lost (adoption). ``references`` names the kinds whose keys this kind's files refer to.
    The derived name lists (``sent``, ``file_order``…) are computed once from ``fields``, so
    ``dataclasses.replace(kind, fields=...)`` gives a consistent new kind. A kind is compared
    and hashed by identity (usable as a cache key; its lines may hold list defaults).
    """

    name: str
    api_path: str
    folder_key: str
    folder_default: str
    key_prefix: str
    schema_file: str
    identity: str
    fields: tuple[Field, ...]
    references: tuple[str, ...] = ()
    adopt_by: tuple[str, ...] = ()
    """The sent fields whose values identify a live object when state is lost (adoption and a
    create whose answer was lost); empty: the whole content (every sent field)."""
    list_filter: str | None = None
    """A sent field the API's listing filters on (``?name=value``): the lost-create look-up
    narrows its listing with it."""
    noun: str = ""
    """How messages name one object of the kind (default: the name, ``_`` as a space)."""
    sent: tuple[str, ...] = field(init=False)
    read_only: tuple[str, ...] = field(init=False)
    local: frozenset[str] = field(init=False)
    file_order: tuple[str, ...] = field(init=False)
    api_order: tuple[str, ...] = field(init=False)
    server_defaulted: frozenset[str] = field(init=False)
    numeric: tuple[str, ...] = field(init=False)
    """Sent integer fields that the API may echo as a string of digits (compared by number)."""
    by_name: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"kind {self.name}: field(s) listed twice: {', '.join(repeated)}")
        derived: dict[str, Any] = {
            "sent": self._names(Access.SENT),
            "read_only": self._names(Access.READ_ONLY),
            "local": frozenset(self._names(Access.LOCAL)),
            "file_order": tuple(f.name for f in self.fields if f.access is not Access.READ_ONLY),
            "api_order": tuple(f.name for f in self.fields if f.access is not Access.LOCAL),
            "server_defaulted": frozenset(f.name for f in self.fields if f.server_defaulted),
            "numeric": tuple(
                f.name
                for f in self.fields
                if f.access is Access.SENT and "integer" in f.types and "string" not in f.types
            ),
            "by_name": {f.name: f for f in self.fields},
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    @property
    def word(self) -> str:
        """How messages name one object of this kind: ``job``, ``workflow``."""
        return self.noun or self.name.replace("_", " ")

    def _names(self, access: Access) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.access is access)

    def line(self, name: str) -> Field | None:
        """The table line of ``name``, or ``None`` for a field the kind does not know."""
        return self.by_name.get(name)
