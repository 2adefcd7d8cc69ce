"""``syncctl fmt --diff`` and comments, as a user runs it (issue 10, item 5): the diff on
stdout, nothing written, exit 1 when anything would change; comments move with their key."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from textwrap import dedent

import pytest
from cli_helpers import project, run
from click.testing import CliRunner

from syncctl.cli.main import cli

MESSY = dedent(
    """\
    # Zendesk tickets, nightly.
    resources:
      - resource: ticketing/tickets
        method: list
    # The label is shown in the Truto dashboard
    label: Zendesk tickets
    """
)
FORMATTED = dedent(
    """\
    # Zendesk tickets, nightly.
    # The label is shown in the Truto dashboard
    label: Zendesk tickets
    resources:
      - resource: ticketing/tickets
        method: list
    """
)
DIFF = dedent(
    """\
    --- a/jobs/zendesk/tickets.yaml
    +++ b/jobs/zendesk/tickets.yaml
    @@ -1,6 +1,6 @@
     # Zendesk tickets, nightly.
    +# The label is shown in the Truto dashboard
    +label: Zendesk tickets
     resources:
       - resource: ticketing/tickets
         method: list
    -# The label is shown in the Truto dashboard
    -label: Zendesk tickets
    """
)


@pytest.mark.parametrize("flags", [("--check", "--diff"), ("--diff",)])
def test_diff_prints_the_change_writes_nothing_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: tuple[str, ...]
) -> None:
    root = project(
        tmp_path, {"jobs/zendesk/tickets.yaml": MESSY, "jobs/zendesk/done.yaml": FORMATTED}
    )
    code, out, err = run(root, "fmt", *flags, monkeypatch=monkeypatch)
    assert code == 1
    assert out == DIFF  # stdout is only the patch
    assert err == "1 file would be reformatted, 1 file would be left unchanged\n"
    assert (root / "jobs/zendesk/tickets.yaml").read_text() == MESSY


def test_diff_of_formatted_files_is_empty_and_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": FORMATTED})
    assert run(root, "fmt", "--check", "--diff", monkeypatch=monkeypatch) == (
        0,
        "",
        "1 file would be left unchanged\n",
    )


def test_diff_names_a_missing_final_newline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": "label: x\nresources: []"})
    code, out, _ = run(root, "fmt", "--diff", monkeypatch=monkeypatch)
    assert code == 1
    assert out.endswith("-resources: []\n\\ No newline at end of file\n+resources: []\n")


def test_git_apply_of_the_diff_gives_what_fmt_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": MESSY, "jobs/a/b.yaml": MESSY})
    _, out, _ = run(root, "fmt", "--diff", monkeypatch=monkeypatch)
    subprocess.run(["git", "apply", "-"], input=out, text=True, cwd=root, check=True)
    assert (root / "jobs/zendesk/tickets.yaml").read_text() == FORMATTED
    assert (root / "jobs/a/b.yaml").read_text() == FORMATTED
    assert run(root, "fmt", "--check", monkeypatch=monkeypatch)[0] == 0


def test_json_results_carry_the_diff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, {"jobs/zendesk/tickets.yaml": MESSY})
    code, out, _ = run(root, "fmt", "--diff", "--format", "json", monkeypatch=monkeypatch)
    assert code == 1
    report = json.loads(out)
    assert report["check"] is True
    assert report["results"] == [
        {
            "file": "jobs/zendesk/tickets.yaml",
            "status": "would_reformat",
            "findings": [],
            "message": None,
            "diff": DIFF,
        }
    ]


def test_fmt_moves_a_comment_with_the_key_below_it_and_reindents_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    messy = dedent(
        """\
        resources:
        - resource: jira/issues
          method: list
          query:
                      # Jira project key
                      project: ABC
        # The label is shown in the Truto dashboard
        label: Jira issues
        """
    )
    root = project(tmp_path, {"jobs/jira/issues.yaml": messy})
    assert run(root, "fmt", monkeypatch=monkeypatch)[:2] == (
        0,
        "reformatted jobs/jira/issues.yaml\n1 file reformatted\n",
    )
    assert (root / "jobs/jira/issues.yaml").read_text() == dedent(
        """\
        # The label is shown in the Truto dashboard
        label: Jira issues
        resources:
          - resource: jira/issues
            method: list
            query:
              # Jira project key
              project: ABC
        """
    )
    assert run(root, "fmt", "--check", monkeypatch=monkeypatch)[0] == 0


def test_help_documents_diff() -> None:
    out = CliRunner().invoke(cli, ["fmt", "--help"]).output
    assert "--diff" in out
    assert "writes nothing, with or without --check" in " ".join(out.split())
