"""fmt and comments: an own-line comment travels with the key below it, takes that key's
indentation, and formatting twice changes nothing (issue 10, item 5)."""

from __future__ import annotations

import re
from pathlib import Path
from textwrap import dedent

import pytest

from syncctl.fmt import format_text, same_data
from syncctl.kinds import SYNC_JOB, WORKFLOW, Kind
from syncctl.loader import load_text

REPO = Path(__file__).resolve().parents[2]

# (name, kind, input, expected)
CASES: list[tuple[str, Kind, str, str]] = [
    (
        "top-level keys; the header stays on top, the end of the file at the end",
        SYNC_JOB,
        """\
        # yaml-language-server: $schema=../../schemas/sync-job.schema.json
        # Tickets, nightly.
        resources:
          - resource: ticketing/tickets
            method: list
        # The label is shown in the Truto dashboard
        label: Zendesk tickets
        # where the cursor lives
        state_key: tickets
        # runtime 3: entries, not nodes
        default_runtime_version: 3
        # Nothing after this.
        """,
        """\
        # yaml-language-server: $schema=../../schemas/sync-job.schema.json
        # Tickets, nightly.
        # The label is shown in the Truto dashboard
        label: Zendesk tickets
        # runtime 3: entries, not nodes
        default_runtime_version: 3
        # where the cursor lives
        state_key: tickets
        resources:
          - resource: ticketing/tickets
            method: list
        # Nothing after this.
        """,
    ),
    (
        "a comment after a nested value goes with the next top-level key",
        SYNC_JOB,
        """\
        label: Tickets
        resources:
          - resource: ticketing/tickets
            method: list
            query:
              status: open
        # one at a time
        mutex_key: tickets
        """,
        """\
        label: Tickets
        # one at a time
        mutex_key: tickets
        resources:
          - resource: ticketing/tickets
            method: list
            query:
              status: open
        """,
    ),
    (
        "keys inside resource entries (runtime 1-3)",
        SYNC_JOB,
        """\
        label: x
        default_runtime_version: 3
        resources:
          # tickets first
          - method: list
            # the unified resource
            resource: ticketing/tickets
          - query:
              # only open ones
              status: open
            # the parent
            depends_on: ticketing/tickets
            resource: ticketing/comments
            method: list
        """,
        """\
        label: x
        default_runtime_version: 3
        resources:
          # tickets first
          # the unified resource
          - resource: ticketing/tickets
            method: list
          - resource: ticketing/comments
            method: list
            # the parent
            depends_on: ticketing/tickets
            query:
              # only open ones
              status: open
        """,
    ),
    (
        "keys inside runtime 4 nodes",
        SYNC_JOB,
        """\
        label: Events
        default_runtime_version: 4
        resources:
          - config: {key: since}
            # reads the cursor
            type: get_state
            name: read-cursor
          - name: list-events
            query: {updated_at: {gt: "{{since}}"}}
            # after the cursor
            depends_on: read-cursor
            type: request
            # every account
            method: list
        """,
        """\
        label: Events
        default_runtime_version: 4
        resources:
          - name: read-cursor
            # reads the cursor
            type: get_state
            config: {key: since}
          - name: list-events
            type: request
            # after the cursor
            depends_on: read-cursor
            # every account
            method: list
            query: {updated_at: {gt: "{{since}}"}}
        """,
    ),
    (
        "keys inside workflow steps",
        WORKFLOW,
        """\
        # yaml-language-server: $schema=../schemas/workflow.schema.json
        trigger_name: integrated_account:active
        config:
          steps:
            - config: {sync_job: zendesk/tickets}
              # every six hours, UTC
              cron_expression: 0 */6 * * *
              action: run_sync_job
              type: run
        # shown to readers only
        description: Tickets
        """,
        """\
        # yaml-language-server: $schema=../schemas/workflow.schema.json
        # shown to readers only
        description: Tickets
        trigger_name: integrated_account:active
        config:
          steps:
            - type: run
              action: run_sync_job
              # every six hours, UTC
              cron_expression: 0 */6 * * *
              config: {sync_job: zendesk/tickets}
        """,
    ),
    (
        "nested comment indentation follows the key below it",
        SYNC_JOB,
        """\
        resources:
        - resource: jira/issues
          query:
                    project: ABC
                    # the status filter
                    status: open
                 # odd, under the entry
          method: list
           # odd, at the top level
        label: x
        """,
        """\
        # odd, at the top level
        label: x
        resources:
          - resource: jira/issues
            # odd, under the entry
            method: list
            query:
              project: ABC
              # the status filter
              status: open
        """,
    ),
    (
        "after a block scalar, and a block scalar's indicator comment",
        SYNC_JOB,
        """\
        description: |  # kept on the indicator
          text
        # about the label
        label: x
        """,
        """\
        # about the label
        label: x
        description: |  # kept on the indicator
          text
        """,
    ),
    (
        "a blank line travels with the comment below it; end-of-line comments stay put",
        SYNC_JOB,
        """\
        label: x  # the name
        resources:
          - resource: a
            method: list

        # the section about runs
        default_runtime_version: 3  # on its line
        """,
        """\
        label: x  # the name

        # the section about runs
        default_runtime_version: 3  # on its line
        resources:
          - resource: a
            method: list
        """,
    ),
]


def _ids(cases: list[tuple[str, Kind, str, str]]) -> list[str]:
    return [re.sub(r"\W+", "-", name) for name, *_ in cases]


@pytest.mark.parametrize(("name", "kind", "text", "expected"), CASES, ids=_ids(CASES))
def test_an_own_line_comment_travels_with_the_key_below_it(
    name: str, kind: Kind, text: str, expected: str
) -> None:
    assert format_text(dedent(text), kind) == dedent(expected), name


@pytest.mark.parametrize(("name", "kind", "text", "expected"), CASES, ids=_ids(CASES))
def test_formatting_twice_changes_nothing_and_keeps_the_data(
    name: str, kind: Kind, text: str, expected: str
) -> None:
    once = format_text(dedent(text), kind)
    assert format_text(once, kind) == once, name
    assert same_data(load_text(once).data, load_text(dedent(text)).data)


def test_comments_of_an_unchanged_order_are_only_reindented() -> None:
    text = "label: x\nargs_schema:\n      # the project\n  project: {type: string}\n"
    assert (
        format_text(text) == "label: x\nargs_schema:\n  # the project\n  project: {type: string}\n"
    )


CATALOG = [
    *((p, SYNC_JOB) for p in sorted((REPO / "jobs").rglob("*.yaml"))),
    *((p, WORKFLOW) for p in sorted((REPO / "workflows").glob("*.yaml"))),
]
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*):")


def _header_and_keys(text: str) -> tuple[str, list[tuple[str, str]]]:
    """A catalog file's leading comment lines and its top-level keys, each with its lines."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    chunks: list[tuple[str, str]] = []
    for line in lines[start:]:
        match = _TOP_KEY.match(line)
        if match:
            chunks.append((match.group(1), line))
        else:
            key, body = chunks[-1]
            chunks[-1] = (key, body + line)
    return "".join(lines[:start]), chunks


@pytest.mark.parametrize(("path", "kind"), CATALOG, ids=[p.stem for p, _ in CATALOG])
def test_catalog_files_with_a_comment_above_every_key_survive_any_order(
    path: Path, kind: Kind
) -> None:
    """Every catalog file, its top-level keys but the first reversed and a comment above each:
    fmt puts the keys back in order, each comment still above its key, and settles."""
    text = path.read_text("utf-8")
    assert format_text(text, kind) == text  # the catalog is formatted
    header, chunks = _header_and_keys(text)
    assert len(chunks) >= 3
    commented = [f"# about {key}\n{body}" for key, body in chunks]
    shuffled = header + commented[0] + "".join(reversed(commented[1:]))
    once = format_text(shuffled, kind)
    assert once == header + "".join(commented)
    assert format_text(once, kind) == once
