"""The JSON Schema of each kind's files: the shipped copies in the package, and how to check them.

Each kind names its schema file (:attr:`Kind.schema_file`): ``schemas/sync-job.schema.json`` and
``schemas/workflow.schema.json`` in the repository are the same files (a test proves it). Every
function takes the kind and defaults to sync jobs.

Checking a clean file must be cheap (validate runs over thousands of files), and jsonschema
costs about 0.15-0.2 ms per job file — more than loading it. So :func:`is_surely_valid`
compiles the schema once into plain closures that answer "valid" only when every keyword it
meets is one it implements exactly; on ``False`` (invalid, or anything it is unsure about) the
caller runs the full :func:`validator` (jsonschema's ``Draft202012Validator``, imported lazily)
for precise errors. A differential property test keeps the two in agreement.

A ``oneOf`` is checked exactly (each branch compiled as in an ``if``): valid when exactly one
branch holds. The runtime 4 node is a union on ``type``: an ``allOf`` of ``if type is X then
shape X`` branches, which the compiler turns into one table look-up by the tag
(``_tagged_union``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from syncctl.kinds import SYNC_JOB, Kind

if TYPE_CHECKING:  # jsonschema is imported only when a file needs the slow path
    from jsonschema.protocols import Validator

SCHEMA_RESOURCE = SYNC_JOB.schema_file

Check = Callable[[Any], bool]


def schema_text(kind: Kind = SYNC_JOB) -> str:
    """The shipped schema of ``kind``'s files, as written."""
    return resources.files("syncctl").joinpath("data", kind.schema_file).read_text("utf-8")


@cache
def kind_schema(kind: Kind) -> dict[str, Any]:
    """The schema of ``kind``'s files, parsed once."""
    loaded: dict[str, Any] = json.loads(schema_text(kind))
    return loaded


def job_schema() -> dict[str, Any]:
    """The schema of a job file."""
    return kind_schema(SYNC_JOB)


@cache
def validator(kind: Kind = SYNC_JOB) -> Validator:
    """jsonschema's Draft 2020-12 validator for ``kind``'s schema, compiled once."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(kind_schema(kind))


def is_surely_valid(data: Any, kind: Kind = SYNC_JOB) -> bool:
    """``True`` only if ``data`` is valid against ``kind``'s schema; ``False``: ask jsonschema."""
    return _fast_check(kind)(data)


@cache
def _fast_check(kind: Kind) -> Check:
    schema = kind_schema(kind)
    try:
        return _Compiler(schema).compile(schema)
    except _Unsupported:  # pragma: no cover - only if the schema grows a keyword we lack
        return _never


class _Unsupported(Exception):
    """The schema uses a keyword the fast path does not implement exactly."""


def _never(_value: Any) -> bool:
    return False


# JSON Schema types -> Python check. bool is not a number in JSON Schema; 1.0 is an integer.
_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
}

# Keywords with no effect on validity.
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "title", "description", "$comment", "default", "examples", "$defs"}
)


def _plain(value: Any) -> bool:
    """Values the fast path compares with ``==`` safely (no bool/number confusion)."""
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


class _Compiler:
    """Compiles the subset of draft 2020-12 the job schema uses into closures."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}
        self.exact = False  # inside ``if``: every check must answer exactly, both ways

    def ref(self, target: str) -> Check:
        if target not in self.refs:
            prefix = "#/$defs/"
            if not target.startswith(prefix) or "/" in target[len(prefix) :]:
                raise _Unsupported(target)
            cell: list[Check] = []
            self.refs[target] = lambda v: cell[0](v)
            cell.append(self.compile(self.root["$defs"][target[len(prefix) :]]))
        return self.refs[target]

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda v: True
        if not isinstance(schema, dict):
            raise _Unsupported(repr(schema))
        checks: list[Check] = []
        for keyword, arg in schema.items():
            if keyword in _ANNOTATIONS or keyword in ("then", "else", "items"):
                continue
            if keyword == "type":
                names = [arg] if isinstance(arg, str) else list(arg)
                tests = [_TYPES[n] for n in names]
                checks.append(tests[0] if len(tests) == 1 else _any_of(tests))
            elif keyword == "required":
                checks.append(_required(tuple(arg)))
            elif keyword == "properties":
                props = {k: self.compile(s) for k, s in arg.items()}
                closed = schema.get("additionalProperties") is False
                checks.append(self._properties(props, closed))
            elif keyword == "additionalProperties":
                if arg is not False or "patternProperties" in schema:
                    raise _Unsupported(keyword)
            elif keyword == "minLength":
                checks.append(_bound(str, arg, len, low=True))
            elif keyword == "minimum":
                checks.append(_bound((int, float), arg, _number, low=True))
            elif keyword == "maximum":
                checks.append(_bound((int, float), arg, _number, low=False))
            elif keyword == "minItems":
                checks.append(_bound(list, arg, len, low=True))
            elif keyword == "uniqueItems":
                if self.exact:
                    raise _Unsupported(keyword)
                if arg is True:
                    checks.append(_unique)
            elif keyword in ("enum", "const"):
                allowed = tuple(arg) if keyword == "enum" else (arg,)
                if not all(_plain(a) for a in allowed):
                    raise _Unsupported(keyword)
                checks.append(_one_of_values(allowed))
            elif keyword == "$ref":
                if self.exact:
                    raise _Unsupported(keyword)
                checks.append(self.ref(arg))
            elif keyword == "if":
                checks.append(self._conditional(arg, schema.get("then"), schema.get("else")))
            elif keyword == "allOf":
                checks.append(self._all_of(arg))
            elif keyword == "oneOf":
                checks.append(self._one_of(arg))
            else:
                raise _Unsupported(keyword)
        if "items" in schema:
            checks.append(_each(self.compile(schema["items"])))
        if "additionalProperties" in schema and "properties" not in schema:
            checks.append(lambda v: not isinstance(v, dict) or not v)
        return checks[0] if len(checks) == 1 else _all_of(checks)

    def _properties(self, props: dict[str, Check], closed: bool) -> Check:
        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for key, item in value.items():
                test = props.get(key)
                if test is None:
                    if closed:
                        return False
                elif not test(item):
                    return False
            return True

        return check

    def _all_of(self, schemas: list[Any]) -> Check:
        """Every subschema; a union of ``if``-on-a-tag branches becomes one table look-up."""
        union = _tagged_union(schemas)
        if union is None:
            return _all_of([self.compile(s) for s in schemas])
        tag, branches = union
        table = {value: self.compile(then) for value, then in branches.items()}
        every = _all_of(list(table.values()))

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return every(value)  # each ``if`` holds vacuously for a non-object
            chosen = value.get(tag)
            branch = table.get(chosen) if isinstance(chosen, str) else None
            return branch is None or branch(value)

        return check

    def _one_of(self, schemas: list[Any]) -> Check:
        """Exactly one subschema holds; each is compiled exactly, so the count is right."""
        outer, self.exact = self.exact, True
        try:
            branches = [self.compile(s) for s in schemas]
        finally:
            self.exact = outer

        def check(value: Any) -> bool:
            return sum(1 for branch in branches if branch(value)) == 1

        return check

    def _conditional(self, if_schema: Any, then_schema: Any, else_schema: Any) -> Check:
        outer, self.exact = self.exact, True
        try:
            test = self.compile(if_schema)
        finally:
            self.exact = outer
        then = self.compile(then_schema) if then_schema is not None else None
        other = self.compile(else_schema) if else_schema is not None else None
        # ``test`` was compiled exactly (no "unsure" answers), so it picks the same branch as
        # jsonschema would.
        return lambda v: (then is None or then(v)) if test(v) else (other is None or other(v))


def _tagged_union(schemas: list[Any]) -> tuple[str, dict[str, Any]] | None:
    """``(tag, {value: then})`` when every schema is ``{"if": {"required": [tag],
    "properties": {tag: {"const": value}}}, "then": ...}``, with one tag and distinct string
    values; else ``None``.

    Such an ``allOf`` is a discriminated union: an object whose ``tag`` is the string ``value``
    must match that ``then``; an object with another tag or none matches no ``if``; a value
    that is not an object matches every ``if`` (``required`` and ``properties`` constrain only
    objects), so it must match every ``then``.
    """
    tag: str | None = None
    branches: dict[str, Any] = {}
    for schema in schemas:
        branch = _tagged_branch(schema)
        if branch is None or tag not in (None, branch[0]) or branch[1] in branches:
            return None
        tag, value, then = branch
        branches[value] = then
    return None if tag is None else (tag, branches)


def _tagged_branch(schema: Any) -> tuple[str, str, Any] | None:
    """``(tag, value, then)`` of one ``if``-on-a-tag branch, else ``None``."""
    if not isinstance(schema, dict) or set(schema) != {"if", "then"}:
        return None
    test = schema["if"]
    if not isinstance(test, dict) or set(test) != {"required", "properties"}:
        return None
    required, properties = test["required"], test["properties"]
    if not isinstance(required, list) or len(required) != 1 or not isinstance(required[0], str):
        return None
    tag = required[0]
    if not isinstance(properties, dict) or set(properties) != {tag}:
        return None
    const = properties[tag]
    if (
        not isinstance(const, dict)
        or set(const) != {"const"}
        or not isinstance(const["const"], str)
    ):
        return None
    return tag, const["const"], schema["then"]


def _any_of(checks: list[Check]) -> Check:
    def check(value: Any) -> bool:
        for test in checks:  # noqa: SIM110 - a plain loop is faster than any() here
            if test(value):
                return True
        return False

    return check


def _all_of(checks: list[Check]) -> Check:
    def check(value: Any) -> bool:
        for test in checks:  # noqa: SIM110 - a plain loop is faster than all() here
            if not test(value):
                return False
        return True

    return check


def _each(item: Check) -> Check:
    def check(value: Any) -> bool:
        if isinstance(value, list):
            for element in value:
                if not item(element):
                    return False
        return True

    return check


def _required(keys: tuple[str, ...]) -> Check:
    def check(value: Any) -> bool:
        return not isinstance(value, dict) or all(k in value for k in keys)

    return check


def _number(value: Any) -> Any:
    return None if isinstance(value, bool) else value


def _bound(
    kind: type | tuple[type, ...], limit: Any, measure: Callable[[Any], Any], *, low: bool
) -> Check:
    """``measure(value) >= limit`` (or ``<=``) for values of ``kind``; other values pass."""

    def check(value: Any) -> bool:
        if not isinstance(value, kind):
            return True
        size = measure(value)
        if size is None:
            return True
        return bool(size >= limit) if low else bool(size <= limit)

    return check


def _one_of_values(allowed: tuple[Any, ...]) -> Check:
    """JSON equality with one of ``allowed`` (strings and integers): set look-ups, since a
    node's ``type`` is checked against nine names on every node."""
    texts = frozenset(a for a in allowed if isinstance(a, str))
    numbers = frozenset(a for a in allowed if not isinstance(a, str))

    def check(value: Any) -> bool:
        if isinstance(value, str):
            return value in texts
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return value in numbers  # 4.0 == 4 and hash(4.0) == hash(4)

    return check


def _unique(value: Any) -> bool:
    if not isinstance(value, list):
        return True
    if not all(isinstance(x, str) for x in value):
        return False  # leave mixed lists (1 vs true vs 1.0) to jsonschema
    return len(set(value)) == len(value)
