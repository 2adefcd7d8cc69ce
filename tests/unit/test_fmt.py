"""The formatter core: layout, comments kept, data never changed, bad files left alone."""

from __future__ import annotations

import stat
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from syncctl import fmt as fmt_module
from syncctl.canonical import (
    RESOURCE_ORDER,
    STEP_CONFIG_ORDER,
    STEP_LAST,
    STEP_ORDER,
    TOP_ORDER,
)
from syncctl.config import default_config
from syncctl.errors import UsageError
from syncctl.findings import Severity
from syncctl.fmt import Status, format_file, format_paths, format_text, same_data
from syncctl.kinds import WORKFLOW
from syncctl.loader import load_text

REPO = Path(__file__).resolve().parents[2]

MESSY = dedent(
    """\
    # yaml-language-server: $schema=../../schemas/sync-job.schema.json
    # The header comment stays on top.
    resources:   # the list
    - method: list
      query: {ticket_id: '{{resources.ticketing.tickets.id}}', archived: no}
      resource: ticketing/comments    # unified resource
      depends_on: ticketing/tickets
    - resource: ticketing/tickets
      method: list
    label: Tickets {{not a placeholder position}}
    # about the description
    description: |
      Line one {{kept as a block}}
      line two
    state_key:
    default_runtime_version: 3
    mutex_key: tickets-{{args.x}}


    """
)

EXPECTED = dedent(
    """\
    # yaml-language-server: $schema=../../schemas/sync-job.schema.json
    # The header comment stays on top.
    label: "Tickets {{not a placeholder position}}"
    # about the description
    description: |
      Line one {{kept as a block}}
      line two
    default_runtime_version: 3
    mutex_key: "tickets-{{args.x}}"
    state_key: null
    resources:   # the list
      - resource: ticketing/comments  # unified resource
        method: list
        depends_on: ticketing/tickets
        query: {ticket_id: "{{resources.ticketing.tickets.id}}", archived: no}
      - resource: ticketing/tickets
        method: list
    """
)


def test_format_text_gives_the_canonical_layout_and_keeps_comments() -> None:
    assert format_text(MESSY) == EXPECTED


def test_format_text_is_idempotent_and_keeps_the_data() -> None:
    once = format_text(MESSY)
    assert format_text(once) == once
    assert same_data(load_text(once).data, load_text(MESSY).data)


def test_yaml_11_looking_strings_stay_strings() -> None:
    text = "label: x\nresources:\n  - resource: a\n    query: {a: no, b: on, c: 'yes', d: 0o17}\n"
    out = format_text(text)
    assert "a: no, b: on, c: 'yes'" in out
    assert load_text(out).data == load_text(text).data


def test_top_level_and_resource_keys_follow_canonical_order() -> None:
    job: dict[str, Any] = dict.fromkeys(reversed(TOP_ORDER), "v") | {"zz_extra": 1, "aa_extra": 2}
    job["resources"] = [dict.fromkeys(reversed(RESOURCE_ORDER), "r") | {"other": 1}]
    text = "".join(f"{k}: {v!r}\n" for k, v in job.items() if k != "resources")
    text += "resources:\n  - " + "\n    ".join(f"{k}: 'r'" for k in reversed(RESOURCE_ORDER))
    text += "\n    other: 1\n"
    data = load_text(format_text(text)).data
    assert list(data) == [*TOP_ORDER, "aa_extra", "zz_extra"]
    assert list(data["resources"][0]) == [*RESOURCE_ORDER, "other"]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ({"a": 1}, {"a": 1.0}, False),
        ({"a": True}, {"a": 1}, False),
        ([1, "x"], [1, "x"], True),
        ({"a": [float("nan")]}, {"a": [float("nan")]}, True),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, True),
        ({"a": None}, {"a": "null"}, False),
        ([1], [1, 2], False),
    ],
)
def test_same_data_compares_type_for_type(a: Any, b: Any, same: bool) -> None:
    assert same_data(a, b) is same


def test_catalog_is_formatted() -> None:
    files = sorted((REPO / "jobs").rglob("*.yaml"))
    assert files
    unformatted = [f.name for f in files if format_text(f.read_text("utf-8")) != f.read_text()]
    assert unformatted == []


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "jobs" / "zendesk" / "tickets.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_with_loader_errors_is_not_touched(tmp_path: Path) -> None:
    text = "resources:\n- resource: x\n  id: {{args.x}}\nlabel: y\n"
    path = _write(tmp_path, text)
    result = format_file(path, "jobs/zendesk/tickets.yaml", check=False)
    assert result.status is Status.INVALID
    assert result.failed
    assert [f.rule for f in result.findings] == ["SJ003"]
    assert path.read_text() == text


def test_a_rewrite_that_changes_the_data_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, "label: 'true'\n")
    monkeypatch.setattr(fmt_module, "format_text", lambda text, kind: "label: true\n")
    result = format_file(path, "t.yaml", check=False)
    assert result.status is Status.UNSAFE
    assert result.message is not None
    assert "change the data" in result.message
    assert path.read_text() == "label: 'true'\n"


def test_check_writes_nothing_and_writing_is_atomic(tmp_path: Path) -> None:
    path = _write(tmp_path, MESSY)
    path.chmod(0o640)
    assert format_file(path, "t.yaml", check=True).status is Status.WOULD_REFORMAT
    assert path.read_text() == MESSY
    assert format_file(path, "t.yaml", check=False).status is Status.REFORMATTED
    assert path.read_text() == EXPECTED
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in path.parent.iterdir()] == ["tickets.yaml"]  # no temporary left
    assert format_file(path, "t.yaml", check=False).status is Status.UNCHANGED


def test_format_paths_walks_folders_and_reports_relative_paths(tmp_path: Path) -> None:
    _write(tmp_path, MESSY)
    (tmp_path / "jobs" / "zendesk" / "notes.txt").write_text("not: [yaml")
    (tmp_path / "jobs" / "zendesk" / "empty.yaml").write_text("")
    report = format_paths([tmp_path / "jobs"], default_config(tmp_path), check=True)
    assert [(r.file, r.status) for r in report.results] == [
        ("jobs/zendesk/empty.yaml", Status.UNCHANGED),
        ("jobs/zendesk/tickets.yaml", Status.WOULD_REFORMAT),
    ]
    assert report.failed
    assert report.to_dict()["summary"]["would_reformat"] == 1
    with pytest.raises(UsageError):
        format_paths([tmp_path / "nope"], default_config(tmp_path), check=True)


_names = st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.sampled_from(["no", "yes", "on", "null", "~", "1.5", "0x1f", "", " pad ", "a: b", "#x"]),
    st.sampled_from(["{{args.x}}", "a-{{args.y}}-b", "{{resources.a.b.id|args.z:int}}"]),
    st.text(max_size=12),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_names, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(
    top=st.dictionaries(st.sampled_from([*TOP_ORDER[:-1], "extra"]), _values, max_size=6),
    entry=st.dictionaries(st.sampled_from([*RESOURCE_ORDER, "more"]), _values, max_size=5),
)
def test_formatting_any_job_keeps_its_data_and_is_stable(
    top: dict[str, Any], entry: dict[str, Any]
) -> None:
    job = dict(reversed(list((top | {"resources": [entry]}).items())))  # not canonical
    source = yaml.safe_dump(job, sort_keys=False, allow_unicode=True)
    original = load_text(source)
    assume(all(f.severity is Severity.WARNING for f in original.findings))
    once = format_text(source)
    assert same_data(load_text(once).data, original.data)
    assert format_text(once) == once
    assert once.endswith("\n")
    assert not once.endswith("\n\n")


@pytest.mark.parametrize(
    "text",
    [
        "label: x\ndescription: |+\n  kept trailing lines\n\n\n",  # keep chomping: data
        "label: x\ndescription: |\n  trailing spaces   \n\n\n",  # spaces inside a block
        "label: x\r\nstate_key: '{{args.a}}'\r\n",  # CRLF, single-quoted placeholder
        "---\nlabel: x\n...\n",  # document markers
        "label: &a x\nmutex_key: *a\n",  # an alias
        "\ufefflabel: x\nprotected: true\ndefault_runtime_version: 3.0\n",  # BOM, a float
    ],
)
def test_edge_cases_keep_their_data_and_settle(text: str) -> None:
    once = format_text(text)
    assert same_data(load_text(once).data, load_text(text).data)
    assert format_text(once) == once


V4_MESSY = dedent(
    """\
    default_runtime_version: 4
    label: Events
    resources:
      # the cursor comes first
      - config: {key: since}   # where we left off
        type: get_state
        name: read-cursor
      - integrated_account_id: '{{args.integrated_account_id}}'
        method: list
        resource: calendar/events
        depends_on: read-cursor  # after the cursor
        name: list-events
        type: request
        query: {updated_at: {gt: '{{since}}'}}
      - config:
          id: '{{args.webhook_id}}'
        resources_to_persist: [list-events]
        x-note: kept, sorted before config
        run_if: $exists(args.webhook_id)
        destination_type: webhook
        type: destination
        name: to-webhook
    """
)
V4_EXPECTED = dedent(
    """\
    label: Events
    default_runtime_version: 4
    resources:
      # the cursor comes first
      - name: read-cursor
        type: get_state
        config: {key: since}   # where we left off
      - name: list-events
        type: request
        depends_on: read-cursor  # after the cursor
        resource: calendar/events
        method: list
        integrated_account_id: "{{args.integrated_account_id}}"
        query: {updated_at: {gt: "{{since}}"}}
      - name: to-webhook
        type: destination
        run_if: $exists(args.webhook_id)
        destination_type: webhook
        resources_to_persist: [list-events]
        x-note: kept, sorted before config
        config:
          id: "{{args.webhook_id}}"
    """
)


def test_v4_nodes_follow_node_order_and_keep_their_comments() -> None:
    out = format_text(V4_MESSY)
    assert out == V4_EXPECTED
    assert format_text(out) == out
    assert same_data(load_text(out).data, load_text(V4_MESSY).data)


WORKFLOW_MESSY = dedent(
    """\
    # yaml-language-server: $schema=../schemas/workflow.schema.json
    config:
      steps:   # one after another
      - config: {args: {full: true}, sync_job: zendesk/tickets}
        cron_expression: 0 */6 * * *
        action: run_sync_job   # the only action
        type: run
        run_if: integrated_account.region = "eu"
      - config:
          sync_job_id: '{{args.job}}'
          args: {a: 1}
        type: run
        action: run_sync_job
      run_if: integrated_account.integration.name = "zendesk"
    trigger_name: integrated_account:active
    environments: [staging]  # where it runs
    description: Tickets every six hours
    """
)
WORKFLOW_EXPECTED = dedent(
    """\
    # yaml-language-server: $schema=../schemas/workflow.schema.json
    description: Tickets every six hours
    environments: [staging]  # where it runs
    trigger_name: integrated_account:active
    config:
      run_if: integrated_account.integration.name = "zendesk"
      steps:   # one after another
        - type: run
          action: run_sync_job # the only action
          run_if: integrated_account.region = "eu"
          cron_expression: 0 */6 * * *
          config: {sync_job: zendesk/tickets, args: {full: true}}
        - type: run
          action: run_sync_job
          config:
            sync_job_id: "{{args.job}}"
            args: {a: 1}
    """
)


def test_workflow_files_get_their_own_canonical_layout_and_keep_comments() -> None:
    out = format_text(WORKFLOW_MESSY, WORKFLOW)
    assert out == WORKFLOW_EXPECTED
    assert format_text(out, WORKFLOW) == out
    assert same_data(load_text(out).data, load_text(WORKFLOW_MESSY).data)


def test_a_step_keeps_unknown_keys_sorted_before_its_config() -> None:
    text = "config:\n  steps:\n    - config: x\n      zz: 1\n      aa: 2\n      type: run\n"
    data = load_text(format_text(text, WORKFLOW)).data
    assert list(data["config"]["steps"][0]) == ["type", "aa", "zz", "config"]


def test_the_job_layout_does_not_reach_inside_a_workflow_and_back() -> None:
    # as a job file only the top level is ordered (by the sync-job table); as a workflow, all
    assert format_text(WORKFLOW_MESSY).startswith(
        "# yaml-language-server: $schema=../schemas/workflow.schema.json\n"
        "description: Tickets every six hours\nenvironments: [staging]  # where it runs\n"
        "config:\n  steps:   # one after another\n    - config:"
    )
    resources = "resources:\n  - method: list\n    resource: a\n"
    assert format_text(resources, WORKFLOW) == resources


def test_catalog_workflows_are_formatted() -> None:
    files = sorted((REPO / "workflows").glob("*.yaml"))
    assert len(files) >= 3
    changed = [
        f.name for f in files if format_text(f.read_text("utf-8"), WORKFLOW) != f.read_text()
    ]
    assert changed == []


def test_format_paths_formats_files_under_the_workflows_folder_as_workflows(
    tmp_path: Path,
) -> None:
    workflow = tmp_path / "workflows" / "tickets.yaml"
    workflow.parent.mkdir()
    workflow.write_text(WORKFLOW_MESSY, encoding="utf-8")
    _write(tmp_path, MESSY)
    config = default_config(tmp_path)
    report = format_paths([tmp_path / "workflows", tmp_path / "jobs"], config, check=False)
    assert [(r.file, r.status) for r in report.results] == [
        ("jobs/zendesk/tickets.yaml", Status.REFORMATTED),
        ("workflows/tickets.yaml", Status.REFORMATTED),
    ]
    assert workflow.read_text() == WORKFLOW_EXPECTED
    assert (tmp_path / "jobs" / "zendesk" / "tickets.yaml").read_text() == EXPECTED


def test_a_workflow_with_loader_errors_is_not_touched(tmp_path: Path) -> None:
    text = "config:\n  steps:\n    - config: {sync_job_id: {{args.x}}}\ntrigger_name: t\n"
    path = tmp_path / "workflows" / "bad.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    report = format_paths([path], default_config(tmp_path), check=False)
    assert [(r.file, r.status) for r in report.results] == [("workflows/bad.yaml", Status.INVALID)]
    assert path.read_text() == text


_steps = st.lists(
    st.dictionaries(
        st.sampled_from([*STEP_ORDER, *STEP_LAST, "other"]),
        st.one_of(_values, st.dictionaries(st.sampled_from([*STEP_CONFIG_ORDER, "args"]), _values)),
        max_size=6,
    ),
    max_size=3,
)


@settings(max_examples=60, deadline=None)
@given(
    top=st.dictionaries(st.sampled_from([*WORKFLOW.file_order[:-1], "extra"]), _values),
    run_if=st.one_of(st.none(), _values),
    steps=_steps,
)
def test_formatting_any_workflow_keeps_its_data_and_is_stable(
    top: dict[str, Any], run_if: Any, steps: list[dict[str, Any]]
) -> None:
    config: dict[str, Any] = {"steps": steps} | ({} if run_if is None else {"run_if": run_if})
    workflow = dict(reversed(list((top | {"config": config}).items())))  # not canonical
    source = yaml.safe_dump(workflow, sort_keys=False, allow_unicode=True)
    original = load_text(source)
    assume(all(f.severity is Severity.WARNING for f in original.findings))
    once = format_text(source, WORKFLOW)
    assert same_data(load_text(once).data, original.data)
    assert format_text(once, WORKFLOW) == once
