"""``discover``: the files validate reads, each once, in ``Path`` order."""

from __future__ import annotations

from pathlib import Path

from syncctl.discovery import discover

NAMES = [
    "jobs/a-b/x.yaml",
    "jobs/a/b.yaml",
    "jobs/a/a-b.yaml",
    "jobs/z.yaml",
    "jobs/a/.hidden.yaml",
    "jobs/.git/config",
    "jobs/a/README.md",
    "jobs/A/c.yaml",
]


def _tree(root: Path) -> None:
    for name in NAMES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("label: x\n", encoding="utf-8")


def test_one_folder_gives_every_job_file_in_path_order(tmp_path: Path) -> None:
    _tree(tmp_path)
    files, missing = discover([tmp_path / "jobs"])
    assert missing == []
    assert files == sorted(files)  # Path's own order, which differs from the strings' order
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "jobs/A/c.yaml",
        "jobs/a/a-b.yaml",
        "jobs/a/b.yaml",
        "jobs/a-b/x.yaml",
        "jobs/z.yaml",
    ]


def test_overlapping_paths_give_each_file_once(tmp_path: Path) -> None:
    _tree(tmp_path)
    jobs = tmp_path / "jobs"
    files, missing = discover([jobs / "a" / "b.yaml", jobs, jobs / "a", jobs / "nope.yaml"])
    assert missing == [jobs / "nope.yaml"]
    assert files == discover([jobs])[0]
