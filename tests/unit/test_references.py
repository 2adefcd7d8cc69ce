"""Workflow references: keys in files, remote ids on the API (design §9)."""

from __future__ import annotations

import copy

import pytest

from syncctl.references import UnresolvedReference, job_ids, job_keys, key_view, resolved

FILE = {
    "trigger_name": "integrated_account:active",
    "config": {
        "run_if": 'integrated_account.integration.name = "zendesk"',
        "steps": [
            {"type": "run", "action": "run_sync_job", "config": {"sync_job": "zendesk/a"}},
            {
                "type": "run",
                "action": "run_sync_job",
                "cron_expression": "0 */6 * * *",
                "config": {"sync_job": "zendesk/b", "args": {"x": 1}},
            },
            {"type": "run", "action": "run_sync_job", "config": '{"sync_job_id": "raw"}'},
            {"type": "run", "action": "run_sync_job", "config": {"sync_job": "zendesk/a"}},
        ],
    },
}


def test_resolved_swaps_each_key_for_its_id_and_keeps_the_rest() -> None:
    before = copy.deepcopy(FILE)
    sent = resolved(FILE, {"zendesk/a": "id-a", "zendesk/b": "id-b"})
    steps = sent["config"]["steps"]
    assert steps[0]["config"] == {"sync_job_id": "id-a"}
    assert steps[1]["config"] == {"sync_job_id": "id-b", "args": {"x": 1}}
    assert list(steps[1]["config"]) == ["sync_job_id", "args"]
    assert steps[2]["config"] == '{"sync_job_id": "raw"}'  # JSONata passes through
    assert steps[1]["cron_expression"] == "0 */6 * * *"
    assert sent["config"]["run_if"] == FILE["config"]["run_if"]
    assert before == FILE  # the argument is untouched


def test_resolved_names_the_first_key_without_an_id() -> None:
    with pytest.raises(UnresolvedReference) as caught:
        resolved(FILE, {"zendesk/a": "id-a"})
    assert caught.value.key == "zendesk/b"


def test_key_view_reads_ids_back_into_keys_and_keeps_unknown_ids() -> None:
    live = resolved(FILE, {"zendesk/a": "id-a", "zendesk/b": "id-b"})
    assert key_view(live, {"id-a": "zendesk/a", "id-b": "zendesk/b"}) == FILE
    partial = key_view(live, {"id-a": "zendesk/a"})
    assert partial["config"]["steps"][1]["config"]["sync_job_id"] == "id-b"
    assert partial != FILE


def test_keys_and_ids_are_listed_once_in_step_order() -> None:
    assert job_keys(FILE) == ("zendesk/a", "zendesk/b")
    assert job_ids(resolved(FILE, {"zendesk/a": "1", "zendesk/b": "2"})) == ("1", "2")
    assert job_keys({"trigger_name": "t", "config": {"steps": "not a list"}}) == ()
    assert job_ids({"config": None}) == ()
