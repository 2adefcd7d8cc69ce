"""Kinds: the sync-job table agrees with its schema, and a new field is one line plus the schema.

The round trip copies the sync-job kind with one more field line and the schema with one more
property, and follows a job through loader + schema, canonical form, emulator, the normaliser's
diff and the plan (create, update, noop): no other module needs a change.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from syncctl.canonical import TOP_ORDER, canonical_job, dump_job
from syncctl.client.models import LiveJob
from syncctl.config import default_config
from syncctl.emulator.jobs import Invalid, check_fields, create_defaults, merged, new_job, ordered
from syncctl.emulator.store import Store
from syncctl.errors import InvalidJobError
from syncctl.kinds import KINDS, NO_DEFAULT, SYNC_JOB, WORKFLOW, Access, Field, Kind
from syncctl.loader import load_text
from syncctl.model import JobSpec, TrustedJob
from syncctl.reconcile.normalise import changed_fields, content_hash, diff, normalise
from syncctl.reconcile.plan import Create, DesiredJob, Noop, Update, make_plan
from syncctl.reconcile.state import Entry, State
from syncctl.rules.base import JobFile
from syncctl.syncjob import LOCAL_KEYS, READ_ONLY_FIELDS, WRITABLE_FIELDS
from syncctl.validate import validate_paths

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"


def _schema(kind: Kind) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / kind.schema_file).read_text("utf-8"))
    return loaded


def _disagreements(kind: Kind, schema: dict[str, Any]) -> list[str]:
    """Where ``kind``'s table and the top level of its ``schema`` disagree (empty: they agree)."""
    props: dict[str, Any] = schema["properties"]
    out = []
    for line in kind.fields:
        prop = props.get(line.name)
        if line.access is Access.READ_ONLY:
            if prop is not None:
                out.append(f"{line.name}: read-only, yet a property of the file")
            continue
        if prop is None:
            out.append(f"{line.name}: no property of the schema")
            continue
        declared = prop.get("type")
        types = {declared} if isinstance(declared, str) else set(declared or ())
        if types != set(line.types):
            out.append(f"{line.name}: table types {sorted(line.types)}, schema {sorted(types)}")
        if (prop.get("minimum"), prop.get("maximum")) != (line.minimum, line.maximum):
            out.append(f"{line.name}: table and schema bound it differently")
    out.extend(f"{name}: no line of the table" for name in props if kind.line(name) is None)
    if schema.get("additionalProperties") is not False:
        out.append("the schema lets a file hold keys the table does not know")
    return out


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_table_field_is_in_the_schema_and_nothing_else(kind: Kind) -> None:
    assert _disagreements(kind, _schema(kind)) == []


def test_the_pin_notices_a_field_missing_on_either_side() -> None:
    schema = _schema(SYNC_JOB)
    extra_property = copy.deepcopy(schema)
    extra_property["properties"]["priority"] = {"type": "integer"}
    assert _disagreements(SYNC_JOB, extra_property) == ["priority: no line of the table"]
    fewer = dataclasses.replace(
        SYNC_JOB, fields=tuple(f for f in SYNC_JOB.fields if f.name != "mutex_key")
    )
    assert _disagreements(fewer, schema) == ["mutex_key: no line of the table"]
    assert _disagreements(with_priority(), schema) == ["priority: no property of the schema"]
    retyped = copy.deepcopy(schema)
    retyped["properties"]["label"]["type"] = ["string", "null"]
    assert _disagreements(SYNC_JOB, retyped) == [
        "label: table types ['string'], schema ['null', 'string']"
    ]


def test_the_sync_job_table_gives_the_lists_everyone_reads() -> None:
    assert (
        SYNC_JOB.sent
        == WRITABLE_FIELDS
        == (
            "integration_name",
            "label",
            "default_runtime_version",
            "args_schema",
            "args_validation",
            "mutex_key",
            "state_key",
            "resources",
        )
    )
    assert (
        SYNC_JOB.read_only
        == READ_ONLY_FIELDS
        == (
            "id",
            "environment_id",
            "created_at",
            "updated_at",
        )
    )
    assert SYNC_JOB.local == LOCAL_KEYS == {"description", "environments", "protected"}
    assert SYNC_JOB.file_order == TOP_ORDER
    assert SYNC_JOB.file_order[:3] == ("integration_name", "label", "description")
    assert SYNC_JOB.api_order == (
        "id",
        "environment_id",
        *SYNC_JOB.sent,
        "created_at",
        "updated_at",
    )
    assert SYNC_JOB.server_defaulted == {"default_runtime_version"}
    assert (SYNC_JOB.api_path, SYNC_JOB.folder_key, SYNC_JOB.folder_default) == (
        "/sync-job",
        "jobs_dir",
        "jobs",
    )
    assert (SYNC_JOB.key_prefix, SYNC_JOB.references) == ("", ())
    assert "integration_name + label" in SYNC_JOB.identity


def test_the_workflow_table_gives_its_fields_folder_and_references() -> None:
    assert WORKFLOW.sent == ("trigger_name", "config")
    assert WORKFLOW.read_only == ("id", "environment_id", "created_at", "updated_at")
    assert WORKFLOW.local == {"description", "environments"}
    assert WORKFLOW.file_order == ("description", "environments", "trigger_name", "config")
    assert WORKFLOW.api_order == (
        "id",
        "environment_id",
        "trigger_name",
        "config",
        "created_at",
        "updated_at",
    )
    assert [f.name for f in WORKFLOW.fields if f.required] == ["trigger_name", "config"]
    assert WORKFLOW.server_defaulted == frozenset()
    assert WORKFLOW.numeric == ()
    assert (
        WORKFLOW.api_path,
        WORKFLOW.folder_key,
        WORKFLOW.folder_default,
        WORKFLOW.key_prefix,
        WORKFLOW.schema_file,
    ) == ("/workflow", "workflows_dir", "workflows", "workflow:", "workflow.schema.json")
    assert WORKFLOW.references == ("sync_job",)
    assert "state file" in WORKFLOW.identity
    assert "trigger_name and resolved config" in WORKFLOW.identity
    assert KINDS == (SYNC_JOB, WORKFLOW)  # jobs are applied before the workflows naming them


WORKFLOW_EXAMPLE = """\
description: Full directory at once, tickets every six hours
environments: [staging, production]
trigger_name: integrated_account:active
config:
  run_if: integrated_account.integration.name = "zendesk"
  steps:
    - type: run
      action: run_sync_job
      config: {sync_job: zendesk/support-directory}
    - type: run
      action: run_sync_job
      cron_expression: "0 */6 * * *"
      config: {sync_job: zendesk/tickets-with-comments, args: {full: true}}
    - type: run
      action: run_sync_job
      run_if: "$exists(integrated_account.context.webhook_id)"
      config: '{"sync_job_id": integrated_account.context.job_id}'
"""


def _workflow_errors(text: str) -> list[str]:
    data = load_text(text, "workflows/zendesk-onboarding.yaml").data
    validator = Draft202012Validator(_schema(WORKFLOW))
    return sorted(e.message for e in validator.iter_errors(data))


def test_the_workflow_schema_takes_the_design_example() -> None:
    Draft202012Validator.check_schema(_schema(WORKFLOW))
    assert _workflow_errors(WORKFLOW_EXAMPLE) == []
    shipped = ROOT / "src" / "syncctl" / "data" / WORKFLOW.schema_file
    assert shipped.read_bytes() == (SCHEMAS / WORKFLOW.schema_file).read_bytes()


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("trigger_name: integrated_account:active\n", "", "'trigger_name' is a required property"),
        (
            "type: run\n      action: run_sync_job\n      config: {sync_job: zendesk/support",
            "type: call\n      action: run_sync_job\n      config: {sync_job: zendesk/support",
            "'run' was expected",
        ),
        (
            "action: run_sync_job\n      config: {sync_job: zendesk/support",
            "action: run_job\n      config: {sync_job: zendesk/support",
            "'run_sync_job' was expected",
        ),
        (
            "{sync_job: zendesk/support-directory}",
            "{sync_job: zendesk/support-directory, sync_job_id: j1}",
            "is valid under each of",
        ),
        (
            "{sync_job: zendesk/support-directory}",
            "{args: {}}",
            "is not valid under any of the given schemas",
        ),
        (
            "cron_expression:",
            "cron:",
            "Additional properties are not allowed ('cron' was unexpected)",
        ),
        ("  steps:\n", "  step:\n", "'steps' is a required property"),
    ],
)
def test_the_workflow_schema_refuses_a_malformed_file(old: str, new: str, error: str) -> None:
    assert old in WORKFLOW_EXAMPLE
    errors = _workflow_errors(WORKFLOW_EXAMPLE.replace(old, new, 1))
    assert any(error in e for e in errors), errors


def test_the_typed_job_model_names_only_table_fields() -> None:
    typed = set(JobSpec.model_fields) - {"key", "integration", "source"}
    assert typed <= set(SYNC_JOB.file_order)


def test_a_kind_is_a_cache_key() -> None:
    cache = {SYNC_JOB: "jobs", with_priority(): "copy"}  # its lines hold a list default
    assert cache[SYNC_JOB] == "jobs"
    assert len(cache) == 2


def test_a_field_listed_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="listed twice: label"):
        dataclasses.replace(SYNC_JOB, fields=(*SYNC_JOB.fields, Field("label", Access.SENT, ())))


@pytest.mark.parametrize(
    ("line", "good", "bad", "expected"),
    [
        (
            Field("v", Access.SENT, ("integer",), minimum=1, maximum=4),
            [1, 4],
            [0, 5, True, 2.0, "2", None],
            "an integer from 1 to 4",
        ),
        (
            Field("s", Access.SENT, ("string", "null")),
            ["", "x", None],
            [1, [], {}],
            "a string or null",
        ),
        (Field("o", Access.SENT, ("object", "null")), [{}, None], [[], "x"], "an object or null"),
        (Field("a", Access.SENT, ("array",)), [[], [1]], [{}, None, "x"], "an array"),
        (Field("b", Access.LOCAL, ("boolean",)), [True, False], [0, 1, None], "a boolean"),
        (Field("n", Access.SENT, ("number",)), [1, 1.5], [True, "1"], "a number"),
    ],
)
def test_a_line_checks_types_as_the_api_does(
    line: Field, good: list[Any], bad: list[Any], expected: str
) -> None:
    assert all(line.accepts(v) for v in good)
    assert not any(line.accepts(v) for v in bad)
    assert line.expected == expected
    assert line.nullable is (None in good)


def test_create_defaults_come_from_the_table() -> None:
    assert create_defaults() == {
        "label": "Untitled",
        "default_runtime_version": 3,
        "args_schema": None,
        "args_validation": None,
        "mutex_key": None,
        "state_key": None,
        "resources": [],
    }
    first = create_defaults()
    first["resources"].append("x")
    assert create_defaults()["resources"] == []  # the table's default is never shared


# --- one more field: the table line and the schema property, nothing else ---------------------

PRIORITY = Field("priority", Access.SENT, ("integer", "null"))


def with_priority() -> Kind:
    """The sync-job kind with ``priority: integer|null`` between ``state_key`` and ``resources``."""
    fields = list(SYNC_JOB.fields)
    fields.insert([f.name for f in fields].index("resources"), PRIORITY)
    return dataclasses.replace(SYNC_JOB, fields=tuple(fields))


def schema_with_priority() -> dict[str, Any]:
    schema = copy.deepcopy(_schema(SYNC_JOB))
    schema["properties"]["priority"] = {"description": "Run order.", "type": ["integer", "null"]}
    return schema


JOB = """\
priority: 5
label: Tickets
default_runtime_version: 3
mutex_key: tickets
resources:
  - {resource: ticketing/tickets, method: list}
"""


def test_the_copied_kind_and_schema_agree() -> None:
    assert _disagreements(with_priority(), schema_with_priority()) == []
    assert with_priority().sent[-2:] == ("priority", "resources")
    assert SYNC_JOB.line("priority") is None  # the copy left the real table alone
    assert PRIORITY.default is NO_DEFAULT


def test_the_new_field_passes_loader_and_schema(tmp_path: Path) -> None:
    doc = load_text(JOB, "jobs/zendesk/tickets.yaml")
    assert doc.findings == ()
    assert isinstance(doc.data, dict)
    assert doc.data["priority"] == 5
    assert list(Draft202012Validator(schema_with_priority()).iter_errors(doc.data)) == []
    # the schema is the gate: the shipped one (without the property) reports the key (SJ010)
    (tmp_path / "jobs" / "zendesk").mkdir(parents=True)
    (tmp_path / "jobs" / "zendesk" / "tickets.yaml").write_text(JOB, encoding="utf-8")
    report = validate_paths([tmp_path / "jobs"], default_config(tmp_path))
    assert [(f.rule, f.line, f.message) for f in report.errors] == [
        ("SJ010", 1, "unknown key 'priority' at the top level")
    ]


def test_the_new_field_takes_its_table_position_in_the_canonical_form() -> None:
    data = load_text(JOB).data
    assert isinstance(data, dict)
    kind = with_priority()
    canonical = canonical_job(data, kind)
    assert list(canonical) == [
        "label",
        "default_runtime_version",
        "mutex_key",
        "priority",
        "resources",
    ]
    text = dump_job(data, kind)
    assert text.index("priority: 5") < text.index("resources:")
    assert load_text(text).data == canonical
    # without the line, the key is one the table does not know: sorted after the known ones
    assert list(canonical_job(data))[-1] == "priority"


def _create(fields: dict[str, Any], job_id: str, kind: Kind) -> dict[str, Any]:
    return new_job(
        fields,
        job_id=job_id,
        environment_id="env",
        now="2026-01-01T00:00:00Z",
        default_runtime_version=4,
        kind=kind,
    )


def test_the_new_field_is_typed_stored_and_returned_by_the_emulator() -> None:
    kind = with_priority()
    body = {"integration_name": "zendesk", "label": "Tickets", "priority": 5}
    fields = check_fields(body, {}, unknown="reject", read_only="reject", kind=kind)
    assert fields == body
    with pytest.raises(Invalid, match=r"^'priority' must be an integer or null$"):
        check_fields({"priority": "high"}, {}, unknown="reject", read_only="reject", kind=kind)
    with pytest.raises(Invalid, match=r"^'priority' is not an allowed field$"):
        check_fields(body, {}, unknown="reject", read_only="reject")  # the real table
    created = _create(fields, "j1", kind)
    assert list(created) == ["id", *kind.api_order[1:]]  # every field, in table order
    assert (created["priority"], created["default_runtime_version"]) == (5, 4)
    unset = _create({"integration_name": "zendesk"}, "j2", kind)
    assert unset["priority"] is None  # nullable: stored as null
    with Store(":memory:") as store:
        store.insert(created)
        stored = store.get("env", "j1")
        assert stored == created
        assert stored is not None
        patched = merged(stored, {"priority": 9}, now="2026-01-02T00:00:00Z", kind=kind)
        store.replace("env", patched)
        returned = store.get("env", "j1")
    assert returned is not None
    assert returned["priority"] == 9
    assert list(ordered(returned, kind)) == list(created)


def test_the_new_field_is_diffed_by_the_plan() -> None:
    kind = with_priority()
    desired = normalise({"integration_name": "zendesk", "label": "T", "priority": 7}, kind)
    live = {**desired, "id": "j1", "priority": 5, "updated_at": "x"}
    (change,) = diff(desired, live, kind)
    assert (change.field, change.path, change.before, change.after, change.op) == (
        "priority",
        "$.priority",
        5,
        7,
        "change",
    )
    assert changed_fields((change,), desired, kind) == {"priority": 7}
    assert diff(desired, {**live, "priority": 7}, kind) == ()
    assert diff(desired, {**live, "priority": "7"}, kind) == ()  # an integer compares by number
    assert content_hash(desired, kind) != content_hash({**desired, "priority": 5}, kind)
    assert diff(desired, live) == ()  # the real table does not know the field: never compared


def _job_file(text: str) -> JobFile:
    doc = load_text(text, "jobs/zendesk/tickets.yaml")
    return JobFile(Path("jobs/zendesk/tickets.yaml"), doc.file, doc, ("zendesk", "tickets.yaml"))


def test_the_plan_payload_of_a_file_carries_the_new_field() -> None:
    payload = normalise(TrustedJob.of(_job_file(JOB)).payload(), with_priority())
    assert payload["priority"] == 5
    assert list(payload) == list(with_priority().sent)


def test_the_checked_model_refuses_a_key_the_sync_job_table_lacks() -> None:
    with pytest.raises(InvalidJobError, match=r"\(priority: not a field of a sync job\)"):
        JobSpec.from_job(_job_file(JOB))
    spec = JobSpec.from_job(_job_file(JOB.replace("priority: 5", "description: d")))
    assert "description" not in spec.payload()


def _desired(priority: int | None) -> DesiredJob:
    """The job file ``JOB`` with ``priority`` as the plan gets it under the copied kind."""
    kind = with_priority()
    payload = normalise(TrustedJob.of(_job_file(JOB)).payload(), kind) | {"priority": priority}
    return DesiredJob("zendesk/tickets", "zendesk", "Tickets", payload, kind=kind)


def _planned(job: DesiredJob, *live_priority: Any) -> Any:
    """The one change of a plan for ``job``: against a managed live job holding the one
    ``live_priority`` given, else against no live job at all."""
    state, lives = State("local"), []
    if live_priority:
        (value,) = live_priority
        current = {**job.payload, "id": "j1", "priority": value, "updated_at": "2026-01-01"}
        lives = [LiveJob.model_validate(current)]
        state = State("local", 1, {job.key: Entry("j1", "h")})
    (change,) = make_plan("local", [job], state, lives, kind=job.kind).changes
    return change


def test_the_plan_patches_a_changed_new_field_alone() -> None:
    job = _desired(7)
    change = _planned(job, 5)
    assert isinstance(change, Update)
    assert [(d.field, d.path, d.before, d.after) for d in change.diff] == [
        ("priority", "$.priority", 5, 7)
    ]
    assert change.send == {"priority": 7}
    assert change.hash == content_hash(job.payload, with_priority())
    assert change.hash != _planned(_desired(5), 5).hash  # hashed: state sees the field change


def test_the_plan_leaves_an_equal_new_field_alone() -> None:
    assert isinstance(_planned(_desired(7), 7), Noop)
    assert isinstance(_planned(_desired(7), "7"), Noop)  # an integer compares by number
    assert isinstance(_planned(_desired(None), None), Noop)


def test_the_plan_creates_a_job_with_the_new_field() -> None:
    change = _planned(_desired(7))
    assert isinstance(change, Create)
    assert change.send["priority"] == 7
    assert list(change.send) == list(with_priority().sent)


def test_kind_of_key_reads_the_prefix() -> None:
    from syncctl.kinds import SYNC_JOB, WORKFLOW, kind_of_key

    assert kind_of_key("workflow:zendesk-onboarding") is WORKFLOW
    assert kind_of_key("zendesk/tickets") is SYNC_JOB
    assert kind_of_key("_multi/helpdesk") is SYNC_JOB
    assert kind_of_key("workflows/x") is SYNC_JOB  # a job folder named like the prefix
