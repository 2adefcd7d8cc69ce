"""The job schema: one file in two places, a valid draft 2020-12 schema, described, and the
compiled fast check never calls an invalid document valid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from syncctl.cli.main import cli
from syncctl.loader import load_file
from syncctl.rules._runtime import NODE_TYPES
from syncctl.schema import is_surely_valid, job_schema, schema_text, validator

ROOT = Path(__file__).resolve().parents[2]
REPO_SCHEMA = ROOT / "schemas" / "sync-job.schema.json"
SHIPPED = ROOT / "src" / "syncctl" / "data" / "sync-job.schema.json"

DESIGN_EXAMPLE = """
integration_name: zendesk
label: Zendesk tickets with comments
description: Support warehouse feed
default_runtime_version: 3
environments: [staging, production]
protected: true
args_schema:
  type: object
  properties:
    ticket_ids: {type: array, items: {type: string}, required: true}
args_validation: null
mutex_key: null
state_key: null
resources:
  - resource: ticketing/tickets
    method: list
  - resource: ticketing/comments
    method: list
    depends_on: ticketing/tickets
    query:
      ticket_id: "{{resources.ticketing.tickets.id}}"
"""


DESIGN_V4_EXAMPLE = """
integration_name: googlecalendar
label: Calendar events, incremental
default_runtime_version: 4
mutex_key: "{{args.integrated_account_id}}"
state_key: "{{args.integrated_account_id}}"
args_schema:
  integrated_account_id: {type: string, format: integrated_account_id, required: true}
  start_date: {type: string, format: date, required: true}
  webhook_id: {type: string, format: webhook_id}
resources:
  - name: read-cursor
    type: get_state
    config: {key: last_synced_at, default: "{{args.start_date}}"}
  - name: expose-cursor
    type: add_context
    depends_on: read-cursor
    config: {expression: '{"last_synced_at": resources.`read-cursor`.value}'}
  - name: list-events
    type: request
    depends_on: expose-cursor
    resource: calendar/events
    method: list
    integrated_account_id: "{{args.integrated_account_id}}"
    query: {updated_at: {gt: "{{last_synced_at}}"}}
  - name: to-webhook
    type: destination
    run_if: $exists(args.webhook_id)
    destination_type: webhook
    resources_to_persist: [list-events]
    config: {id: "{{args.webhook_id}}"}
  - name: on-complete
    type: event
    config: {name: complete}
  - name: advance-cursor
    type: update_state
    depends_on: on-complete
    config:
      key: last_synced_at
      value_expression: "sync_job_run.status = 'completed' ? sync_job_run.started_at"
"""


def test_repository_schema_and_shipped_copy_are_byte_identical() -> None:
    assert REPO_SCHEMA.read_bytes() == SHIPPED.read_bytes()
    assert schema_text().encode("utf-8") == SHIPPED.read_bytes()


def test_schema_is_a_valid_draft_2020_12_schema_with_identity() -> None:
    schema = job_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("sync-job.schema.json")
    assert schema["title"]
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["resource"]["additionalProperties"] is False


def _properties(schema: Any, where: str = "$") -> list[tuple[str, Any]]:
    """Every ``properties`` entry anywhere in ``schema``, with where it is.

    Conditions (``if``) and their consequences (``then``/``else``) only narrow fields defined
    elsewhere (in ``properties`` or ``$defs``), so they are not walked.
    """
    found: list[tuple[str, Any]] = []
    if isinstance(schema, dict):
        for name, prop in schema.get("properties", {}).items():
            found.append((f"{where}.{name}", prop))
        for key, value in schema.items():
            if key not in ("if", "then", "else"):
                found.extend(_properties(value, f"{where}/{key}"))
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            found.extend(_properties(value, f"{where}/{index}"))
    return found


def _described(prop: Any, schema: dict[str, Any]) -> bool:
    if not isinstance(prop, dict):
        return False
    if prop.get("description"):
        return True
    ref = prop.get("$ref", "")
    return bool(ref) and bool(schema["$defs"][ref.removeprefix("#/$defs/")].get("description"))


def test_every_property_has_a_description() -> None:
    schema = job_schema()
    top = schema["properties"]
    assert set(top) == {
        "integration_name",
        "label",
        "description",
        "default_runtime_version",
        "environments",
        "protected",
        "args_schema",
        "args_validation",
        "mutex_key",
        "state_key",
        "resources",
    }
    assert set(schema["$defs"]["resource"]["properties"]) == {
        "resource",
        "method",
        "id",
        "query",
        "loop_on",
        "depends_on",
        "persist",
    }
    everything = _properties(schema)
    reached = {where for where, _ in everything}
    assert {  # the walk reaches the node shapes and what is nested in them
        "$/$defs/request_node/properties/recurse.if",
        "$/$defs/destination_node/properties/config.id",
        "$/$defs/update_state_node/properties/config.value_expression",
    } <= reached
    assert [where for where, prop in everything if not _described(prop, schema)] == []
    assert all(d.get("description") for d in schema["$defs"].values())


COMMON = {"name", "type", "depends_on", "run_if", "debug"}
# Node type -> (required fields, optional fields), reference §3.2.
NODE_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    "request": (
        {"resource", "method", "integrated_account_id"},
        {"id", "query", "body", "loop_on", "recurse", "delete_tracking", "delete_tracking_query"},
    ),
    "transform": ({"config"}, set()),
    "spool": (set(), {"config"}),
    "add_context": ({"config"}, set()),
    "destination": (
        {"destination_type", "config", "resources_to_persist"},
        {"loop_on", "method"},
    ),
    "event": ({"config"}, set()),
    "get_state": ({"config"}, set()),
    "update_state": ({"config"}, set()),
    "delete_state": ({"config"}, set()),
}
# Node type -> (required config keys, optional config keys, config closed?).
CONFIG_FIELDS: dict[str, tuple[set[str], set[str], bool]] = {
    "transform": ({"expression"}, set(), True),
    "add_context": ({"expression"}, set(), True),
    "event": ({"name"}, set(), True),
    "get_state": ({"key"}, {"default"}, True),
    "update_state": ({"key"}, {"value", "value_expression"}, True),
    "delete_state": ({"key"}, set(), True),
    "destination": ({"id"}, {"config"}, False),
}


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    return schema["$defs"][ref.removeprefix("#/$defs/")] if ref else node


def test_node_union_has_one_closed_shape_per_type_with_the_reference_fields() -> None:
    schema = job_schema()
    node = schema["$defs"]["node_v4"]
    assert node["required"] == ["name", "type"]
    assert _resolve(schema, node["properties"]["type"])["enum"] == list(NODE_FIELDS)
    assert set(NODE_TYPES) == set(NODE_FIELDS)
    union = {b["if"]["properties"]["type"]["const"]: b["then"] for b in node["allOf"]}
    assert list(union) == list(NODE_FIELDS)
    for kind, (required, optional) in NODE_FIELDS.items():
        shape = _resolve(schema, union[kind])
        assert shape["additionalProperties"] is False, kind
        assert set(shape["properties"]) == COMMON | required | optional, kind
        assert set(shape.get("required", [])) == required, kind
        assert shape["properties"]["type"]["const"] == kind
        if kind in CONFIG_FIELDS:
            wanted, allowed, closed = CONFIG_FIELDS[kind]
            config = shape["properties"]["config"]
            assert set(config["required"]) == wanted, kind
            assert set(config["properties"]) == wanted | allowed, kind
            assert (config.get("additionalProperties") is False) is closed, kind


def test_design_example_is_valid_both_ways() -> None:
    data = yaml.safe_load(DESIGN_EXAMPLE)
    assert validator().is_valid(data)
    assert is_surely_valid(data)


def test_design_runtime_4_example_is_valid_both_ways() -> None:
    data = yaml.safe_load(DESIGN_V4_EXAMPLE)
    assert [n["type"] for n in data["resources"]] == [
        "get_state",
        "add_context",
        "request",
        "destination",
        "event",
        "update_state",
    ]
    assert validator().is_valid(data)
    assert is_surely_valid(data)


def _job_files() -> list[Path]:
    catalog = sorted((ROOT / "jobs").rglob("*.yaml"))
    cases = sorted((ROOT / "tests" / "cases" / "valid").glob("*/jobs/**/*.yaml"))
    return catalog + cases


def test_every_catalog_job_and_valid_case_takes_the_fast_path() -> None:
    files = _job_files()
    data = {path.relative_to(ROOT).as_posix(): load_file(path).data for path in files}
    assert any(isinstance(d, dict) and d.get("default_runtime_version") == 4 for d in data.values())
    slow = [name for name, d in data.items() if not is_surely_valid(d)]
    assert slow == []


@pytest.mark.parametrize(
    ("change", "valid"),
    [
        ({"default_runtime_version": 4.0, "resources": [{"type": "spool", "name": "s"}]}, True),
        ({"default_runtime_version": 4, "resources": [{"resource": "a", "method": "list"}]}, False),
        ({"default_runtime_version": 3, "resources": [{"type": "request", "name": "n"}]}, False),
        ({"default_runtime_version": True}, False),
        ({"default_runtime_version": 3.0}, True),
        ({"environments": ["a", "a"]}, False),
        ({"environments": []}, True),
        ({"label": ""}, False),
        ({"args_schema": None, "args_validation": None}, True),
        ({"resources": []}, False),
        ({"resources": [{"resource": "a", "method": "get", "id": 7}]}, True),
        ({"resources": [{"resource": "a", "method": "get", "id": True}]}, False),
        ({"resources": [{"resource": "a", "method": "list", "query": {"a": {"b": [1]}}}]}, True),
        ({"protected": "yes"}, False),
        ({"extra": 1}, False),
    ],
)
def test_fast_check_agrees_with_jsonschema_on_edge_cases(
    change: dict[str, Any], valid: bool
) -> None:
    data = {**yaml.safe_load(DESIGN_EXAMPLE), **change}
    assert validator().is_valid(data) is valid
    assert is_surely_valid(data) is valid


REQUEST = {"type": "request", "name": "n", "resource": "a/b", "method": "list"}
REQUEST["integrated_account_id"] = "{{args.integrated_account_id}}"
DESTINATION = {"type": "destination", "name": "d", "destination_type": "webhook"}
DESTINATION |= {"config": {"id": "{{args.webhook_id}}"}, "resources_to_persist": ["n"]}


def _with(base: dict[str, Any], **change: Any) -> dict[str, Any]:
    return {**base, **change}


def _without(base: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in base.items() if k != key}


def _state(kind: str, config: Any) -> dict[str, Any]:
    return {"type": kind, "name": "s", "config": config}


@pytest.mark.parametrize(
    ("node", "valid"),
    [
        (REQUEST, True),
        (_with(REQUEST, x=1), False),
        (_with(REQUEST, metod="get"), False),
        (_without(REQUEST, "integrated_account_id"), False),
        (_without(REQUEST, "name"), False),
        (_with(REQUEST, id=7, query="$merge([{}])", body={"a": "{{args.b}}"}), True),
        (_with(REQUEST, id=True), False),
        (_with(REQUEST, query=["a"]), False),
        (_with(REQUEST, integrated_account_id=""), False),
        (_with(REQUEST, loop_on="resources.ticketing.tickets", debug=True, run_if="a"), True),
        (_with(REQUEST, debug="true"), False),
        (_with(REQUEST, run_if=""), False),
        (_with(REQUEST, depends_on=3), False),
        (_with(REQUEST, recurse={"if": "{{resources.a.b.c:bool}}", "config": {"query": {}}}), True),
        (_with(REQUEST, recurse={"config": {}}), False),
        (_with(REQUEST, recurse={"if": "x", "extra": 1}), False),
        (_with(REQUEST, delete_tracking="soft", delete_tracking_query={"a": 1}), True),
        (_with(REQUEST, delete_tracking="full"), False),
        (_with(REQUEST, type="reqest"), False),
        (_with(REQUEST, type=4), False),
        ({"name": "n"}, False),
        ({"type": "sink", "name": "n"}, False),
        ("request", False),
        ([REQUEST], False),
        ({"type": "spool", "name": "s"}, True),
        ({"type": "spool", "name": "s", "config": {"anything": 1}}, True),
        ({"type": "spool", "name": "s", "resource": "a/b"}, False),
        ({"type": "spool", "name": ""}, False),
        ({"type": "transform", "name": "t", "config": {"expression": "$"}}, True),
        ({"type": "transform", "name": "t"}, False),
        ({"type": "transform", "name": "t", "config": {"expression": ""}}, False),
        ({"type": "transform", "name": "t", "config": {"expresion": "$"}}, False),
        ({"type": "add_context", "name": "c", "config": {"expression": "{}"}}, True),
        ({"type": "add_context", "name": "c", "config": {"expression": 1}}, False),
        (DESTINATION, True),
        (_with(DESTINATION, config={"id": "x", "config": {"a": 1}, "other": 1}), True),
        (_with(DESTINATION, loop_on="payload.records", method="insertMany"), True),
        (_with(DESTINATION, method=""), False),
        (_with(DESTINATION, config={"config": {}}), False),
        (_with(DESTINATION, config={"id": "x", "config": []}), False),
        (_with(DESTINATION, destination_type="web"), False),
        (_with(DESTINATION, resources_to_persist=[]), False),
        (_with(DESTINATION, resources_to_persist=["n", "n"]), False),
        (_with(DESTINATION, resources_to_persist=[1]), False),
        (_without(DESTINATION, "resources_to_persist"), False),
        (_without(DESTINATION, "config"), False),
        (_state("event", {"name": "complete"}), True),
        (_state("event", {"name": "done"}), False),
        (_state("event", {}), False),
        (_state("get_state", {"key": "k", "default": [1]}), True),
        (_state("get_state", {}), False),
        (_state("get_state", "k"), False),
        (_state("update_state", {"key": "k", "value": None}), True),
        (_state("update_state", {"key": "k", "value_expression": "a ? b"}), True),
        (_state("update_state", {"key": "k", "value_expression": 1}), False),
        (_state("delete_state", {"key": "k"}), True),
        (_state("delete_state", {"key": "k", "default": 1}), False),
        (_state("delete_state", {"key": ""}), False),
    ],
)
def test_fast_check_agrees_with_jsonschema_on_v4_nodes(node: Any, valid: bool) -> None:
    data = {"label": "x", "default_runtime_version": 4, "resources": [node]}
    assert validator().is_valid(data) is valid
    assert is_surely_valid(data) is valid


def _branch(tag: str, value: Any, then: dict[str, Any]) -> dict[str, Any]:
    return {"if": {"required": [tag], "properties": {tag: {"const": value}}}, "then": then}


_A = {"required": ["a"]}
_B = {"properties": {"b": {"type": "integer"}}}
SMALL_SCHEMAS = {
    "tagged": {"allOf": [_branch("t", "x", _A), _branch("t", "y", _B)]},
    "two-tags": {"allOf": [_branch("t", "x", _A), _branch("u", "y", _B)]},
    "same-value": {"allOf": [_branch("t", "x", _A), _branch("t", "x", _B)]},
    "number-tag": {"allOf": [_branch("t", 1, _A), _branch("t", "y", _B)]},
    "with-else": {"allOf": [{**_branch("t", "x", _A), "else": _B}]},
    "plain": {"allOf": [_A, _B]},
}
SMALL_VALUES = [
    {"t": "x", "a": 1},
    {"t": "x"},
    {"t": "y", "b": "s"},
    {"t": "y", "b": 2},
    {"u": "y", "b": "s"},
    {"t": 1},
    {"t": 1.0, "a": 0},
    {"t": True},
    {"t": ["x"]},
    {"b": "s"},
    {},
    "x",
    [1],
    None,
]


@pytest.mark.parametrize("name", list(SMALL_SCHEMAS))
def test_compiled_all_of_agrees_with_jsonschema(name: str) -> None:
    from syncctl.schema import _Compiler, _tagged_union

    schema = SMALL_SCHEMAS[name]
    assert (_tagged_union(schema["allOf"]) is not None) is (name == "tagged")
    check = _Compiler(schema).compile(schema)
    truth = Draft202012Validator(schema)
    assert [check(v) for v in SMALL_VALUES] == [truth.is_valid(v) for v in SMALL_VALUES]


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 6),
    st.floats(allow_nan=False),
    st.sampled_from(["", "list", "a/b", "staging", "request", "x"]),
)
_json = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["a", "type", "b"]), inner, max_size=3),
    ),
    max_leaves=6,
)
_text = st.sampled_from(["list", "ticketing/tickets", "staging", "production", "x"])


def _mostly(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Usually a well-typed value, sometimes anything."""
    return st.one_of(good, good, good, _json)


_resource = st.fixed_dictionaries(
    {"resource": _mostly(_text), "method": _mostly(_text)},
    optional={
        "id": _mostly(st.one_of(_text, st.integers())),
        "query": _mostly(st.dictionaries(_text, _json, max_size=3)),
        "loop_on": _mostly(_text),
        "depends_on": _mostly(_text),
        "persist": _mostly(st.booleans()),
    },
)
_node = st.fixed_dictionaries(
    {"name": _mostly(_text), "type": _mostly(st.sampled_from(["request", "spool", "event"]))},
    optional={"depends_on": _mostly(_text), "run_if": _mostly(_text), "anything": _json},
)


_GOOD = st.sampled_from([True] * 7 + [False])  # one_of would merge repeated strategies


def _often(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Nearly always a well-typed value (a node has many fields), sometimes anything."""
    return _GOOD.flatmap(lambda ok: good if ok else _json)


_expr = st.sampled_from(["$exists(args.x)", "a ? b", "$", ""])
_mapping = st.dictionaries(_text, _json, max_size=2)
_COMMON_OPTIONAL = {
    "depends_on": _often(_text),
    "run_if": _often(_expr),
    "debug": _often(st.booleans()),
}


def _config(
    required: dict[str, st.SearchStrategy[Any]],
    optional: dict[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[Any]:
    return _often(st.fixed_dictionaries(required, optional=optional or {}))


def _typed(
    kind: str,
    required: dict[str, st.SearchStrategy[Any]],
    optional: dict[str, st.SearchStrategy[Any]],
) -> st.SearchStrategy[Any]:
    """A node of ``kind``: sometimes of another type, missing a field, or with a stray key."""
    node = st.fixed_dictionaries(
        {"name": _often(_text), "type": _often(st.just(kind)), **required},
        optional={**_COMMON_OPTIONAL, **optional},
    )
    stray = st.dictionaries(st.sampled_from(["x", "resource", "config", "key"]), _json, max_size=1)
    extra = _GOOD.flatmap(lambda ok: st.just({}) if ok else stray)
    drop = _GOOD.flatmap(lambda ok: st.none() if ok else st.sampled_from(["name", "config"]))
    return st.builds(
        lambda n, e, d: {k: v for k, v in {**n, **e}.items() if k != d}, node, extra, drop
    )


_key = {"key": _often(_text)}
_nodes_v4 = st.one_of(
    _typed(
        "request",
        {
            "resource": _often(_text),
            "method": _often(_text),
            "integrated_account_id": _often(_text),
        },
        {
            "id": _often(st.one_of(_text, st.integers())),
            "query": _often(st.one_of(_mapping, _expr)),
            "body": _often(st.one_of(_mapping, _expr)),
            "loop_on": _often(_text),
            "recurse": _config({"if": _often(_text)}, {"config": _often(_mapping)}),
            "delete_tracking": _often(st.sampled_from(["hard", "soft", "full"])),
            "delete_tracking_query": _often(_mapping),
        },
    ),
    _typed("transform", {"config": _config({"expression": _often(_expr)})}, {}),
    _typed("add_context", {"config": _config({"expression": _often(_expr)})}, {}),
    _typed("spool", {}, {"config": _often(_mapping)}),
    _typed(
        "destination",
        {
            "destination_type": _often(st.sampled_from(["webhook", "datastore", "superquery"])),
            "config": _config({"id": _often(_text)}, {"config": _often(_mapping), "x": _json}),
            "resources_to_persist": _often(st.lists(_text, max_size=3)),
        },
        {"loop_on": _often(_text), "method": _often(_text)},
    ),
    _typed(
        "event",
        {"config": _config({"name": _often(st.sampled_from(["start", "complete", "error"]))})},
        {},
    ),
    _typed("get_state", {"config": _config(_key, {"default": _json})}, {}),
    _typed(
        "update_state",
        {"config": _config(_key, {"value": _json, "value_expression": _often(_expr)})},
        {},
    ),
    _typed("delete_state", {"config": _config(_key)}, {}),
)
_document_v4 = st.fixed_dictionaries(
    {
        "default_runtime_version": _often(st.just(4)),
        "resources": _often(
            st.lists(
                _GOOD.flatmap(lambda ok: _nodes_v4 if ok else _resource), min_size=1, max_size=4
            )
        ),
    },
    optional={"label": _often(_text), "state_key": _often(st.one_of(st.none(), _text))},
)
_document = st.fixed_dictionaries(
    {"resources": _mostly(st.lists(st.one_of(_resource, _node), min_size=1, max_size=3))},
    optional={
        "label": _mostly(_text),
        "integration_name": _mostly(_text),
        "description": _mostly(_text),
        "default_runtime_version": _mostly(st.integers(1, 4)),
        "environments": _mostly(st.lists(_text, max_size=3)),
        "protected": _mostly(st.booleans()),
        "args_schema": _mostly(st.one_of(st.none(), st.dictionaries(_text, _json))),
        "args_validation": _mostly(st.one_of(st.none(), _text)),
        "mutex_key": _mostly(st.one_of(st.none(), _text)),
        "state_key": _mostly(st.one_of(st.none(), _text)),
    },
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_document, _document_v4))
def test_fast_check_never_calls_an_invalid_document_valid(data: dict[str, Any]) -> None:
    truth = validator().is_valid(data)
    fast = is_surely_valid(data)
    if fast:
        assert truth
    elif truth:  # the fast check may only be unsure about lists mixing types
        assert any(not isinstance(e, str) for e in data.get("environments", []) or []), data


def test_syncctl_schema_prints_the_schema() -> None:
    result = CliRunner().invoke(cli, ["schema"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads(REPO_SCHEMA.read_text("utf-8"))
