"""SJ401: ``args_schema`` is not in Truto's dialect.

Truto accepts two shapes: ``{type: object, properties: {name: {...}}}`` and (runtime 4) a flat
map ``{name: {...}}``. A property says ``required: true`` itself; a draft-4 style
``required: [a, b]`` list is the classic mistake. Properties are mappings of keywords (type,
description, required, format, items, enum, default, nested properties). Unknown keywords
are left alone: Truto's documentation does not list them all.

Values of the wrong JSON type (``args_schema: []``) are SJ010's, not reported here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from syncctl.findings import Finding, JsonPath, Severity
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ401",
    Severity.ERROR,
    "args_schema not in the Truto dialect (e.g. required: [..] array; wrong top-level shape)",
)

_ROOT: JsonPath = ("args_schema",)
_LIST_HINT = "mark each property instead: required: true"
_MAX_DEPTH = 16


@file_rule(RULE)
def check_args_schema(ctx: FileContext) -> list[Finding]:
    data = ctx.data
    schema = data.get("args_schema") if data is not None else None
    if not isinstance(schema, dict) or not schema:
        return []
    return list(_check(ctx, schema))


def _is_wrapped(schema: dict[str, Any]) -> bool:
    """The ``{type: object, properties: …}`` shape (an argument named type is a mapping)."""
    kind = schema.get("type")
    return isinstance(kind, str) or (
        "type" not in schema and "properties" in schema and not _is_property(schema["properties"])
    )


def _is_property(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and ("type" in value or "required" in value)
        and not isinstance(value.get("properties"), dict)
    )


def _check(ctx: FileContext, schema: dict[str, Any]) -> Iterator[Finding]:
    if _is_wrapped(schema):
        kind = schema.get("type")
        if kind is None:
            yield ctx.finding(
                RULE,
                (*_ROOT, "properties"),
                "args_schema has properties but no type: object",
                key=True,
                hint="add type: object beside properties",
            )
        elif kind != "object":
            yield ctx.finding(
                RULE,
                (*_ROOT, "type"),
                f"args_schema type is {kind!r}; Truto accepts only type: object at the top",
                hint="use type: object",
            )
        yield from _required_flag(ctx, schema, _ROOT, "args_schema")
        props = schema.get("properties")
        if props is not None:
            if isinstance(props, dict):
                yield from _properties(ctx, props, (*_ROOT, "properties"), 0)
            else:
                yield ctx.finding(
                    RULE,
                    (*_ROOT, "properties"),
                    "args_schema properties must be a mapping of argument name -> property",
                    hint="properties: {my_arg: {type: string, required: true}}",
                )
        return
    required = schema.get("required")
    if isinstance(required, list):
        yield _required_list(ctx, (*_ROOT, "required"), "args_schema")
        schema = {k: v for k, v in schema.items() if k != "required"}
    yield from _properties(ctx, schema, _ROOT, 0)


def _properties(
    ctx: FileContext, props: dict[str, Any], path: JsonPath, depth: int
) -> Iterator[Finding]:
    for name, prop in props.items():
        where = (*path, name)
        if not isinstance(prop, dict):
            yield ctx.finding(
                RULE,
                where,
                f"argument {name!r} must be a mapping of keywords "
                "(type, description, required, format), not a single value",
                hint=f"{name}: {{type: {prop if isinstance(prop, str) else 'string'}}}",
            )
            continue
        yield from _required_flag(ctx, prop, where, f"argument {name!r}")
        nested = prop.get("properties")
        if isinstance(nested, dict) and depth < _MAX_DEPTH:
            yield from _properties(ctx, nested, (*where, "properties"), depth + 1)


def _required_flag(
    ctx: FileContext, schema: dict[str, Any], path: JsonPath, what: str
) -> Iterator[Finding]:
    if "required" not in schema:
        return
    value = schema["required"]
    if isinstance(value, list):
        yield _required_list(ctx, (*path, "required"), what)
    elif not isinstance(value, bool):
        yield ctx.finding(
            RULE,
            (*path, "required"),
            f"{what}: required must be true or false, not {value!r}",
            hint="required: true",
        )


def _required_list(ctx: FileContext, path: JsonPath, what: str) -> Finding:
    return ctx.finding(
        RULE,
        path,
        f"{what}: required: [..] lists are not Truto's dialect; "
        "required is a boolean on each property",
        hint=_LIST_HINT,
    )
