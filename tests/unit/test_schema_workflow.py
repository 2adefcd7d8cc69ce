"""The workflow schema: shipped like the job schema, fully described, checked fast and exactly."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncctl.cli.main import cli
from syncctl.kinds import SYNC_JOB, WORKFLOW
from syncctl.schema import _fast_check, _never, is_surely_valid, kind_schema, schema_text, validator

ROOT = Path(__file__).resolve().parents[2]
REPO_SCHEMA = ROOT / "schemas" / "workflow.schema.json"

GOOD: dict[str, Any] = {
    "trigger_name": "integrated_account:active",
    "config": {
        "run_if": 'integrated_account.integration.name = "zendesk"',
        "steps": [
            {"type": "run", "action": "run_sync_job", "config": {"sync_job": "zendesk/users"}},
            {
                "type": "run",
                "action": "run_sync_job",
                "cron_expression": "0 */6 * * *",
                "config": {"sync_job_id": "9c1f", "args": {"full": True}},
            },
            {"type": "run", "action": "run_sync_job", "config": '{"sync_job_id": "x"}'},
        ],
    },
}


def test_the_shipped_schema_is_the_repository_file() -> None:
    assert schema_text(WORKFLOW).encode("utf-8") == REPO_SCHEMA.read_bytes()
    assert kind_schema(WORKFLOW)["$id"].endswith("/workflow.schema.json")
    assert schema_text() == schema_text(SYNC_JOB)  # the job schema stays the default


def _undescribed(schema: Any, where: str = "$") -> list[str]:
    """Every property (at any depth, through $defs) whose schema has no description."""
    out: list[str] = []
    if isinstance(schema, dict):
        for name, prop in schema.get("properties", {}).items():
            if not isinstance(prop, dict) or not prop.get("description"):
                out.append(f"{where}.{name}")
            out.extend(_undescribed(prop, f"{where}.{name}"))
        for key in ("items", "then"):
            out.extend(_undescribed(schema.get(key), f"{where}[{key}]"))
        for name, sub in schema.get("$defs", {}).items():
            out.extend(_undescribed(sub, f"$defs.{name}"))
    return out


def test_every_field_is_described() -> None:
    assert _undescribed(kind_schema(WORKFLOW)) == []
    assert _undescribed({"properties": {"x": {"type": "string"}}}) == ["$.x"]  # the walk works


def test_the_fast_check_compiles_the_workflow_schema() -> None:
    assert _fast_check(WORKFLOW) is not _never
    assert is_surely_valid(GOOD, WORKFLOW)
    assert validator(WORKFLOW).is_valid(GOOD)
    assert not is_surely_valid(GOOD)  # against the job schema it is no job


def _with_step_config(config: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    data["config"]["steps"][0]["config"] = config
    return data


@pytest.mark.parametrize(
    ("config", "valid"),
    [
        ({"sync_job": "a/b"}, True),
        ({"sync_job_id": "x", "args": {}}, True),
        ({"sync_job": "a/b", "sync_job_id": "x"}, False),  # both: oneOf holds twice
        ({"args": {}}, False),  # neither
        ({"sync_job": ""}, False),
        ({"sync_job": 3}, False),
        ("$merge([{}, {'sync_job_id': 'x'}])", True),
        ("", False),
        (["a/b"], False),
        (None, False),
    ],
)
def test_fast_and_slow_agree_on_step_configs(config: Any, valid: bool) -> None:
    data = _with_step_config(config)
    assert validator(WORKFLOW).is_valid(data) is valid
    assert is_surely_valid(data, WORKFLOW) is valid


_text = st.text(alphabet="ab:/ $", max_size=4)
_value = st.one_of(st.none(), st.booleans(), st.integers(-1, 1), _text)
_step_config = st.one_of(
    _text,
    st.fixed_dictionaries(
        {},
        optional={"sync_job": _value, "sync_job_id": _value, "args": _value},
    ),
    _value,
)
_step = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["run", "call", 1]),
        "action": st.sampled_from(["run_sync_job", "run"]),
        "config": _step_config,
        "run_if": _value,
        "cron_expression": _value,
        "crn": _value,
    },
)
_workflow = st.fixed_dictionaries(
    {},
    optional={
        "trigger_name": _value,
        "description": _value,
        "environments": st.lists(_text, max_size=2),
        "config": st.one_of(
            _value,
            st.fixed_dictionaries(
                {}, optional={"steps": st.lists(_step, max_size=2), "run_if": _value}
            ),
        ),
    },
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_workflow)
def test_the_fast_check_never_calls_an_invalid_workflow_valid(data: dict[str, Any]) -> None:
    truth = validator(WORKFLOW).is_valid(data)
    fast = is_surely_valid(data, WORKFLOW)
    if fast:
        assert truth
    elif truth:  # unsure only about a list that repeats an environment or mixes types
        assert data.get("environments"), data


def test_syncctl_schema_prints_the_workflow_schema() -> None:
    result = CliRunner().invoke(cli, ["schema", "--kind", "workflow"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads(REPO_SCHEMA.read_text("utf-8"))
    wrong = CliRunner().invoke(cli, ["schema", "--kind", "webhook"])
    assert wrong.exit_code == 2
    assert "'sync_job', 'workflow'" in wrong.output
