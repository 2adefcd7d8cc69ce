"""SJ006: job keys and labels are unique (labels per environment)."""

from __future__ import annotations

from pathlib import Path

from syncctl.config import default_config, load_config
from syncctl.findings import Finding
from syncctl.validate import validate_paths

RES = "default_runtime_version: 3\nresources:\n  - {resource: a, method: list}\n"
ENVS = """
[tool.syncctl.environments.staging]
url = "https://api.truto.one"
[tool.syncctl.environments.production]
url = "https://api.truto.one"
"""


def _project(tmp_path: Path, files: dict[str, str], toml: str | None = None) -> list[Finding]:
    for rel, text in files.items():
        path = tmp_path / "jobs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if toml is not None:
        (tmp_path / "syncctl.toml").write_text(toml, encoding="utf-8")
        config = load_config(tmp_path / "syncctl.toml")
    else:
        config = default_config(tmp_path)
    return [f for f in validate_paths([config.jobs_dir], config).findings if f.rule == "SJ006"]


def test_distinct_labels_and_keys_are_fine(tmp_path: Path) -> None:
    assert (
        _project(
            tmp_path,
            {"zendesk/a.yaml": "label: A\n" + RES, "zendesk/b.yaml": RES, "hubspot/a.yaml": RES},
        )
        == []
    )


def test_keys_differing_only_in_case_collide(tmp_path: Path) -> None:
    found = _project(
        tmp_path, {"zendesk/Tickets.yaml": "label: Tickets\n" + RES, "zendesk/tickets.yaml": RES}
    )
    assert [(f.file, f.line, f.column) for f in found] == [
        ("jobs/zendesk/Tickets.yaml", 1, 8),
        ("jobs/zendesk/tickets.yaml", 1, 1),
    ]
    assert "also claimed by jobs/zendesk/tickets.yaml" in found[0].message
    assert "also claimed by jobs/zendesk/Tickets.yaml" in found[1].message


def test_same_label_in_one_environment_names_every_other_file(tmp_path: Path) -> None:
    found = _project(tmp_path, {f"zendesk/t{i}.yaml": "# c\nlabel: Same\n" + RES for i in range(3)})
    assert [(f.file, f.line, f.column) for f in found] == [
        (f"jobs/zendesk/t{i}.yaml", 2, 8) for i in range(3)
    ]
    assert found[0].message == (
        "label 'Same' is also used by jobs/zendesk/t1.yaml (in local); "
        "jobs/zendesk/t2.yaml (in local)"
    )


def test_defaulted_label_is_the_job_key(tmp_path: Path) -> None:
    found = _project(
        tmp_path, {"zendesk/a.yaml": RES, "hubspot/x.yaml": "label: zendesk/a\n" + RES}
    )
    assert [(f.file, f.line, f.column) for f in found] == [
        ("jobs/hubspot/x.yaml", 1, 8),
        ("jobs/zendesk/a.yaml", 1, 1),
    ]


def test_labels_only_clash_within_an_environment(tmp_path: Path) -> None:
    files = {
        "zendesk/a.yaml": "label: L\nenvironments: [staging]\n" + RES,
        "zendesk/b.yaml": "label: L\nenvironments: [production]\n" + RES,
    }
    assert _project(tmp_path, files, ENVS) == []
    files["zendesk/c.yaml"] = "label: L\nenvironments: [production, staging]\n" + RES
    found = _project(tmp_path, files, ENVS)
    assert [f.file for f in found] == [f"jobs/zendesk/{n}.yaml" for n in "abc"]
    assert found[2].message == (
        "label 'L' is also used by jobs/zendesk/a.yaml (in staging); "
        "jobs/zendesk/b.yaml (in production)"
    )


def test_wrong_types_and_broken_files_are_skipped(tmp_path: Path) -> None:
    files = {
        "zendesk/a.yaml": "label: [x]\nenvironments: [{a: 1}, 3]\n" + RES,
        "zendesk/b.yaml": "label: [x]\n" + RES,
        "zendesk/c.yaml": "label: 'x\n",
        "zendesk/d.yaml": "- 1\n",
    }
    assert _project(tmp_path, files) == []
