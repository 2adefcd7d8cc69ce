"""``syncctl graph`` as a user runs it: every format, invalid files, unknown keys, the catalog."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest
from cli_helpers import project, run

REPO = Path(__file__).resolve().parents[2]

V4 = dedent(
    """\
    integration_name: zendesk
    label: Tickets to a webhook
    default_runtime_version: 4
    args_schema:
      integrated_account_id: {type: string, required: true}
      webhook_id: {type: string, required: true}
    resources:
      - name: list-tickets
        type: request
        resource: ticketing/tickets
        method: list
        integrated_account_id: "{{args.integrated_account_id}}"
      - name: "say \\"hi\\""
        type: spool
        depends_on: list-tickets
      - name: to-webhook
        type: destination
        destination_type: webhook
        resources_to_persist: [list-tickets]
        config: {id: "{{args.webhook_id}}"}
    """
)
V3 = dedent(
    """\
    label: Zendesk tickets
    default_runtime_version: 3
    resources:
      - resource: ticketing/tickets
        method: list
      - resource: ticketing/comments
        method: list
        depends_on: ticketing/tickets
    """
)
BROKEN = V3.replace("depends_on: ticketing/tickets", "depends_on: ticketing/ticket")


def test_text_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": V3})
    code, out, err = run(root, "graph", "zendesk/tickets", monkeypatch=monkeypatch)
    assert (code, err) == (0, "")
    assert out == dedent(
        """\
        zendesk/tickets (runtime 3): 2 node(s), 1 edge(s)
          list ticketing/tickets
          list ticketing/comments  <- ticketing/tickets
        """
    )


def test_mermaid_of_a_v4_job_escapes_its_labels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/to-webhook.yaml": V4})
    code, out, _ = run(
        root, "graph", "zendesk/to-webhook", "--format", "mermaid", monkeypatch=monkeypatch
    )
    assert code == 0
    assert out == dedent(
        """\
        flowchart TD
          n0["list-tickets (request)"]
          n1["say #quot;hi#quot; (spool)"]
          n2["to-webhook (destination)"]
          n0 --> n1
          n0 -. persists .-> n2
        """
    )


def test_dot_of_a_v4_job(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, {"jobs/zendesk/to-webhook.yaml": V4})
    code, out, _ = run(
        root, "graph", "zendesk/to-webhook", "--format", "dot", monkeypatch=monkeypatch
    )
    assert code == 0
    assert out.splitlines() == [
        'digraph "zendesk/to-webhook" {',
        "  node [shape=box];",
        '  n0 [label="list-tickets (request)"];',
        '  n1 [label="say \\"hi\\" (spool)"];',
        '  n2 [label="to-webhook (destination)"];',
        "  n0 -> n1;",
        '  n0 -> n2 [style=dashed, label="persists"];',
        "}",
    ]


def test_an_invalid_file_prints_its_findings_as_validate_does_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": BROKEN})
    code, out, _ = run(root, "graph", "zendesk/tickets", monkeypatch=monkeypatch)
    assert code == 1
    assert "jobs/zendesk/tickets.yaml:8:17: SJ101 error:" in out
    validated = run(root, "validate", monkeypatch=monkeypatch)
    assert validated[:2] == (1, out)


def test_another_files_errors_do_not_stop_the_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = BROKEN.replace("label: Zendesk tickets", "label: Another")
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": V3, "jobs/zendesk/bad.yaml": other})
    code, out, _ = run(root, "graph", "zendesk/tickets", monkeypatch=monkeypatch)
    assert code == 0
    assert out.startswith("zendesk/tickets (runtime 3)")
    assert run(root, "graph", "zendesk/bad", monkeypatch=monkeypatch)[0] == 1


def test_an_unknown_key_exits_2_with_a_did_you_mean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": V3})
    code, out, err = run(root, "graph", "zendesk/ticket", monkeypatch=monkeypatch)
    assert (code, out) == (2, "")
    assert err == (
        "syncctl: error: no job file has the key 'zendesk/ticket' in jobs/ "
        "(hint: did you mean zendesk/tickets?)\n"
    )


def test_an_unknown_format_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": V3})
    code, _, err = run(root, "graph", "zendesk/tickets", "--format", "svg", monkeypatch=monkeypatch)
    assert code == 2
    assert "'svg' is not one of 'text', 'mermaid', 'dot'" in err


CATALOG = sorted(
    path.relative_to(REPO / "jobs").with_suffix("").as_posix()
    for path in (REPO / "jobs").glob("*/*.yaml")
)


def test_the_catalog_is_found() -> None:
    assert len(CATALOG) >= 10


@pytest.mark.parametrize("key", CATALOG)
def test_every_catalog_job_draws_in_every_format(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for fmt in ("text", "mermaid", "dot"):
        code, out, err = run(REPO, "graph", key, "--format", fmt, monkeypatch=monkeypatch)
        assert (code, err) == (0, ""), out
        assert out.strip()
    text = run(REPO, "graph", key, monkeypatch=monkeypatch)[1]
    assert text.startswith(f"{key} (runtime ")
