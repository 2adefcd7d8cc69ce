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
    maps = {"$": top, **{name: d["properties"] for name, d in schema["$defs"].items()}}
    assert set(maps["resource"]) == {
        "resource",
        "method",
        "id",
        "query",
        "loop_on",
        "depends_on",
        "persist",
    }
    undescribed = [
        f"{where}.{name}"
        for where, props in maps.items()
        for name, prop in props.items()
        if not prop.get("description")
    ]
    assert undescribed == []
    assert all(d.get("description") for d in schema["$defs"].values())


def test_design_example_is_valid_both_ways() -> None:
    data = yaml.safe_load(DESIGN_EXAMPLE)
    assert validator().is_valid(data)
    assert is_surely_valid(data)


@pytest.mark.parametrize(
    ("change", "valid"),
    [
        (
            {"default_runtime_version": 4, "resources": [{"type": "request", "name": "n", "x": 1}]},
            True,
        ),
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


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_document)
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
