"""Saved plans are parsed by pydantic models: every error is one line naming the plan file and
the key path, and a plan that is whole loads back into the typed changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from syncctl.errors import PlanError
from syncctl.reconcile.plan import Adopt, Create, Delete, Move, Noop, Update
from syncctl.reconcile.saved import read_plan

FIXTURE = Path(__file__).parents[2] / "fixtures" / "plans" / "every-action.json"


def _document() -> dict[str, Any]:
    document = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _index(document: dict[str, Any], action: str) -> int:
    return next(i for i, c in enumerate(document["changes"]) if c["action"] == action)


def _refused(tmp_path: Path, document: dict[str, Any]) -> str:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        read_plan(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: corrupt plan: ")
    return message


def test_every_action_loads_as_its_type() -> None:
    plan = read_plan(FIXTURE)
    assert {type(c) for c in plan.changes} == {Create, Update, Adopt, Move, Delete, Noop}
    update = next(c for c in plan.changes if isinstance(c, Update))
    assert update.diff
    assert all(d.path.startswith("$.") for d in update.diff)


def test_a_missing_top_level_key_is_named(tmp_path: Path) -> None:
    document = _document()
    del document["state_serial"]
    assert "corrupt plan: state_serial: missing (hint:" in _refused(tmp_path, document)


def test_a_wrong_type_at_the_top_level_is_named(tmp_path: Path) -> None:
    document = {**_document(), "environment": 7}
    assert "corrupt plan: environment: expected a string" in _refused(tmp_path, document)


def test_an_error_inside_a_diff_names_the_change_and_the_path(tmp_path: Path) -> None:
    document = _document()
    index = _index(document, "update")
    del document["changes"][index]["diff"][0]["path"]
    key = document["changes"][index]["key"]
    message = _refused(tmp_path, document)
    assert f"changes[{index}] (update {key}): 'diff[0].path' is missing" in message


def test_an_unknown_action_is_named(tmp_path: Path) -> None:
    document = _document()
    document["changes"][0]["action"] = "rename"
    message = _refused(tmp_path, document)
    assert "changes[0]: input tag 'rename'" in message


def test_a_listed_live_job_needs_an_id(tmp_path: Path) -> None:
    document = _document()
    document["unmanaged"] = [{"integration": "zendesk", "label": "x"}]
    assert "corrupt plan: unmanaged[0].id: missing" in _refused(tmp_path, document)


def test_several_errors_are_counted(tmp_path: Path) -> None:
    document = _document()
    del document["environment"]
    del document["state_serial"]
    assert "plan: environment: missing (and 1 more error(s))" in _refused(tmp_path, document)
