"""JobSpec: the typed view of a validated job file and its API payload."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from pydantic import ValidationError

from syncctl.checks import load_jobs
from syncctl.config import default_config
from syncctl.model import InvalidJobError, JobSpec, Node, Resource
from syncctl.validate import validate_paths

FULL = """
integration_name: zendesk
label: Zendesk tickets with comments
description: Support warehouse feed
default_runtime_version: 3
environments: [local]
protected: true
args_schema:
  type: object
  properties:
    ticket_ids: {type: array, items: {type: string}, required: true}
args_validation: null
mutex_key: null
resources:
  - resource: ticketing/tickets
    method: get
    id: "{{args.ticket_ids}}"
    loop_on: args.ticket_ids
  - resource: ticketing/comments
    method: list
    depends_on: ticketing/tickets
    persist: true
    query:
      ticket_id: "{{resources.ticketing.tickets.id}}"
      updated_at: {gt: "{{previous_run_date}}"}
"""


def _spec(tmp_path: Path, text: str, rel: str = "zendesk/tickets.yaml") -> JobSpec:
    path = tmp_path / "jobs" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    config = default_config(tmp_path)
    (job,) = load_jobs([path], config)
    return JobSpec.from_job(job)


def test_full_file_gives_typed_fields(tmp_path: Path) -> None:
    spec = _spec(tmp_path, FULL)
    assert validate_paths([tmp_path / "jobs"], default_config(tmp_path)).errors == ()
    assert (spec.key, spec.integration) == ("zendesk/tickets", "zendesk")
    assert spec.environments == ("local",)
    assert spec.protected is True
    assert spec.default_runtime_version == 3
    first, second = spec.resources
    assert isinstance(first, Resource)
    assert isinstance(second, Resource)
    assert (first.method, first.id, first.loop_on) == (
        "get",
        "{{args.ticket_ids}}",
        "args.ticket_ids",
    )
    assert second.query == {
        "ticket_id": "{{resources.ticketing.tickets.id}}",
        "updated_at": {"gt": "{{previous_run_date}}"},
    }


def test_payload_drops_local_keys_and_keeps_the_rest_as_written(tmp_path: Path) -> None:
    payload = _spec(tmp_path, FULL).payload()
    assert set(payload) == {
        "integration_name",
        "label",
        "default_runtime_version",
        "args_schema",
        "args_validation",
        "mutex_key",
        "resources",
    }
    assert payload["args_validation"] is None  # present as null: sent as null
    assert "state_key" not in payload  # absent: not sent
    assert payload["resources"][1]["persist"] is True


def test_payload_fills_integration_name_and_label_defaults(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "default_runtime_version: 3\nresources:\n  - {resource: Contact, method: list}\n",
        "salesforce/contacts.yaml",
    )
    assert spec.label is None
    assert spec.effective_label == "salesforce/contacts"
    assert spec.payload() == {
        "integration_name": "salesforce",
        "label": "salesforce/contacts",
        "default_runtime_version": 3,
        "resources": [{"resource": "Contact", "method": "list"}],
    }


def test_payload_is_a_fresh_copy(tmp_path: Path) -> None:
    spec = _spec(tmp_path, FULL)
    spec.payload()["resources"][1]["query"]["ticket_id"] = "changed"
    assert spec.payload()["resources"][1]["query"]["ticket_id"] == (
        "{{resources.ticketing.tickets.id}}"
    )


def test_spec_is_frozen(tmp_path: Path) -> None:
    spec = _spec(tmp_path, FULL)
    with pytest.raises(ValidationError):
        spec.label = "other"  # type: ignore[misc]


def test_targets_defaults_to_every_environment(tmp_path: Path) -> None:
    everywhere = _spec(tmp_path, "resources:\n  - {resource: a, method: list}\n", "x/a.yaml")
    assert everywhere.targets("staging", ["staging", "production"])
    assert not everywhere.targets("qa", ["staging", "production"])
    only_local = _spec(tmp_path, FULL)
    assert only_local.targets("local", ["local", "staging"])
    assert not only_local.targets("staging", ["local", "staging"])


def test_runtime_4_nodes_keep_their_extra_fields(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        "label: G\ndefault_runtime_version: 4\nresources:\n"
        "  - {type: request, name: list-repos, resource: repos, method: list}\n",
        "github/repos.yaml",
    )
    (node,) = spec.resources
    assert isinstance(node, Node)
    assert (node.name, node.type) == ("list-repos", "request")
    assert spec.payload()["resources"] == [
        {"type": "request", "name": "list-repos", "resource": "repos", "method": "list"}
    ]


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        ("zendesk/t.yaml", "resources:\n  - {resource: a, methd: list}\n"),
        ("zendesk/t.yaml", "label: 3\nresources:\n  - {resource: a, method: list}\n"),
        ("zendesk/t.yaml", "- a list\n"),
        ("t.yaml", "resources:\n  - {resource: a, method: list}\n"),
    ],
)
def test_unvalidated_files_are_refused(tmp_path: Path, rel: str, text: str) -> None:
    with pytest.raises(InvalidJobError, match="not a valid job file"):
        _spec(tmp_path, text, rel)
