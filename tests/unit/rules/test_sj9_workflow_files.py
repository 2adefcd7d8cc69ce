"""SJ902, SJ904, SJ905, SJ906 and SJ803: the workflow rules that read one workflow file."""

from __future__ import annotations

from pathlib import Path

import pytest
from workflow_helpers import STEP, config, run_file, where, workflow

from syncctl.config import Config
from syncctl.rules.base import FileContext
from syncctl.rules.sj010_schema import check_schema
from syncctl.rules.sj803_jsonata_syntax import check as check_jsonata
from syncctl.rules.sj902_cron_expression import check_cron
from syncctl.rules.sj904_unknown_trigger import check_trigger
from syncctl.rules.sj905_literal_job_id import check_literal_id
from syncctl.rules.sj906_workflow_layout import check_workflow_layout
from syncctl.schedule import FIELDS, problem


def _cron_step(cron: str) -> str:
    return STEP + f'      cron_expression: "{cron}"\n      config: {{sync_job: zendesk/tickets}}\n'


# --- SJ902 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cron",
    ["0 */6 * * *", "*/15 9-17 * * MON-FRI", "0 0 L * *", "0 3 * JAN,JUL 1#2", "0 0 1,15 * 7"],
)
def test_a_valid_cron_expression_passes(cron: str) -> None:
    assert problem(cron) is None
    assert run_file(check_cron, _cron_step(cron)) == []


@pytest.mark.parametrize(
    ("cron", "field", "column"),
    [
        ("61 * * * *", "minute", 25),
        ("0 24 * * *", "hour", 27),
        ("0 0 32 * *", "day-of-month", 29),
        ("0 0 30 2 *", "day-of-month", 29),  # 30 February never comes
        ("0 0 * 13 *", "month", 31),
        ("0 0 * * 8", "day-of-week", 33),
        ("*/0 * * * *", "minute", 25),
        ("0 0 * * MON-FRY", "day-of-week", 33),
    ],
)
def test_a_bad_field_is_named_and_pointed_at(cron: str, field: str, column: int) -> None:
    (finding,) = run_file(check_cron, _cron_step(cron))
    assert (finding.line, finding.column, finding.rule) == (6, column, "SJ902")
    wrong = cron.split()[FIELDS.index(field)]
    assert finding.message == (
        f"step 1: cron expression {cron!r}: the {field} field {wrong!r} is not valid"
    )
    assert finding.hint is not None
    assert finding.hint.startswith(f"{field} takes ")
    assert finding.path == "$.config.steps[0].cron_expression"


@pytest.mark.parametrize(
    ("cron", "count"),
    [("0 */6 * *", "4 fields"), ("0 0 */6 * * *", "6 fields"), ("@daily", "1 field")],
)
def test_a_wrong_field_count_is_reported_at_the_start(cron: str, count: str) -> None:
    (finding,) = run_file(check_cron, _cron_step(cron))
    assert where([finding]) == [(6, 25, "SJ902")]
    assert finding.message == (
        f"step 1: cron expression {cron!r} has {count}; it takes five: "
        "minute hour day-of-month month day-of-week (UTC)"
    )


def test_cron_is_checked_on_every_step_and_skips_what_sj010_reports() -> None:
    body = (
        _cron_step("0 0 * * *")
        + _cron_step("0 0 * * 9")
        + STEP
        + "      cron_expression: 5\n      config: {sync_job: a/b}\n"
        + STEP
        + '      cron_expression: ""\n      config: {sync_job: a/b}\n'
    )
    assert [f.message.split(":")[0] for f in run_file(check_cron, body)] == ["step 2"]


# --- SJ904 -------------------------------------------------------------------------------------


def test_a_known_trigger_passes_and_an_unknown_one_is_a_warning() -> None:
    assert run_file(check_trigger, STEP + "      config: {sync_job: a/b}\n") == []
    head = "trigger_name: integrated_account:activ\nconfig:\n  steps:\n"
    (finding,) = run_file(check_trigger, STEP + "      config: {sync_job: a/b}\n", head)
    assert where([finding]) == [(1, 15, "SJ904")]
    assert finding.severity.value == "warning"
    assert finding.message == (
        "trigger 'integrated_account:activ' is not a known trigger "
        "(known: 'integrated_account:active')"
    )
    assert finding.hint == "did you mean 'integrated_account:active'?"


def test_the_known_triggers_come_from_the_configuration(tmp_path: Path) -> None:
    head = "trigger_name: record:created\nconfig:\n  steps:\n"
    body = STEP + "      config: {sync_job: a/b}\n"
    (finding,) = run_file(check_trigger, body, head)
    assert (
        finding.hint == "if the trigger exists on Truto, add it to known_triggers in [tool.syncctl]"
    )
    cfg = Config(tmp_path, None, tmp_path, tmp_path, "local", known_triggers=("record:created",))
    assert run_file(check_trigger, body, head, cfg) == []


# --- SJ905 -------------------------------------------------------------------------------------


def test_a_literal_job_id_is_a_warning_at_the_id() -> None:
    body = (
        STEP
        + "      config: {sync_job_id: 4f0c-11, args: {full: true}}\n"
        + STEP
        + "      config: {sync_job: zendesk/tickets}\n"
        + STEP
        + "      config: {sync_job: a/b, sync_job_id: x}\n"  # both: SJ010's
        + STEP
        + "      config: '{\"sync_job_id\": $x}'\n"  # JSONata: passed through
    )
    (finding,) = run_file(check_literal_id, body)
    assert where([finding]) == [(6, 29, "SJ905")]
    assert finding.message == (
        "step 1 runs the job with remote id '4f0c-11', which this repository does not manage "
        "(the id differs per environment)"
    )
    assert finding.hint == "name a job of jobs/ by key instead: sync_job: <integration>/<job>"


# --- SJ906 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "message", "hint"),
    [
        ("workflows/onboarding.yaml", None, None),
        ("workflows/zendesk_2-hourly.yaml", None, None),
        (
            "workflows/Onboarding.yaml",
            "workflow name 'Onboarding' must match ^[a-z0-9][a-z0-9_-]*$",
            "use lower-case letters, digits, '-' and '_' (not first)",
        ),
        (
            "workflows/-x.yaml",
            "workflow name '-x' must match ^[a-z0-9][a-z0-9_-]*$",
            "use lower-case letters, digits, '-' and '_' (not first)",
        ),
        (
            "workflows/zendesk/onboarding.yaml",
            "file is nested in workflows/ (workflows/zendesk/onboarding.yaml); workflow files "
            "live at workflows/<name>.yaml",
            "move it to workflows/onboarding.yaml",
        ),
        (
            "workflows/onboarding.yml",
            "workflow files end in .yaml (this one: .yml)",
            "rename it to onboarding.yaml",
        ),
        (
            "workflows/notes.txt",
            "workflow files end in .yaml (this one: .txt)",
            "only .yaml files belong in the workflows folder",
        ),
    ],
)
def test_the_workflow_layout(file: str, message: str | None, hint: str | None) -> None:
    wf = workflow("trigger_name: x\n", file)
    findings = list(check_workflow_layout(FileContext(wf, config())))
    if message is None:
        assert findings == []
        return
    (finding,) = findings
    assert (finding.file, finding.line, finding.column, finding.rule) == (file, 1, 1, "SJ906")
    assert (finding.message, finding.hint) == (message, hint)


def test_a_workflow_key_is_prefixed_and_only_a_flat_file_has_one() -> None:
    assert workflow("x: 1\n").key == "workflow:onboarding"
    assert workflow("x: 1\n").integration is None
    assert workflow("x: 1\n", "workflows/a/b.yaml").key is None
    assert workflow("x: 1\n", "workflows/b.yml").key is None


# --- SJ803 on workflow files -------------------------------------------------------------------


def test_run_if_and_a_jsonata_step_config_go_through_sj803() -> None:
    head = 'trigger_name: integrated_account:active\nconfig:\n  run_if: "a = "\n  steps:\n'
    body = (
        STEP
        + "      run_if: $exists(integrated_account.id\n"
        + "      config: {sync_job: a/b}\n"
        + STEP
        + "      config: '{\"sync_job_id\": 1 +}'\n"
        + STEP
        + "      run_if: integrated_account.context.hourly = true\n"
        + "      config: {sync_job: a/b}\n"
    )
    findings = run_file(check_jsonata, body, head)
    assert [(f.line, f.rule, f.path) for f in findings] == [
        (3, "SJ803", "$.config.run_if"),
        (7, "SJ803", "$.config.steps[0].run_if"),
        (11, "SJ803", "$.config.steps[1].config"),
    ]
    assert all(f.message.startswith("JSONata syntax error") for f in findings)
    clean = body.replace("integrated_account.id\n", "integrated_account.id)\n").replace(" +}", "}")
    assert run_file(check_jsonata, clean) == []


# --- SJ010 on workflow files -------------------------------------------------------------------


def test_sj010_judges_a_workflow_file_by_the_workflow_schema() -> None:
    head = "environment: [staging]\nconfig:\n  steps:\n"
    body = (
        STEP.replace("type: run", "type: call")
        + "      config: {sync_job: a/b, sync_job_id: x}\n"
        + STEP
        + "      config: {args: {}}\n"
    )
    findings = run_file(check_schema, body, head)
    assert [(f.line, f.column, f.message, f.hint) for f in findings] == [
        (
            1,
            1,
            "unknown key 'environment' at the top level (did you mean 'environments'?)",
            "rename it to environments",
        ),
        (
            1,
            1,
            "the workflow file is missing the required key 'trigger_name'",
            "required keys: trigger_name, config",
        ),
        (4, 13, "config.steps[0].type is the string 'call'; allowed: run", "set it to run"),
        (
            6,
            15,
            "config.steps[0].config sets both 'sync_job' and 'sync_job_id'; set only one",
            "keep 'sync_job' or 'sync_job_id', not both",
        ),
        (
            9,
            15,
            "config.steps[1].config must set 'sync_job' or 'sync_job_id'",
            "name the job with sync_job",
        ),
    ]
    assert run_file(check_schema, STEP + "      config: {sync_job: a/b}\n") == []


def test_sj010_says_what_a_workflow_file_starts_from() -> None:
    wf = workflow("- trigger_name: x\n")
    (finding,) = check_schema(FileContext(wf, config()))
    assert finding.message == "a workflow file must be a mapping (this one is a list)"
    assert finding.hint == "start from: trigger_name and a config with a steps list"
