"""The example catalog in ``jobs/`` and the runtime 4 examples of ``docs/format.md``.

The catalog is what ``make demo`` validates (``--strict``), plans and applies, and what the
README and docs/format.md point new users to: it must stay clean, carry its editor modeline, and
keep one runtime 4 job per pattern that Truto documents (issue 8). The complete runtime 4 jobs
shown in docs/format.md must validate clean too, so the documentation never teaches a mistake.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_helpers import project, run

REPO = Path(__file__).resolve().parents[2]
JOBS = REPO / "jobs"
FORMAT_MD = REPO / "docs" / "format.md"
MODELINE = "# yaml-language-server: $schema=../../schemas/sync-job.schema.json"

Job = Mapping[str, Any]


def _catalog() -> dict[str, Job]:
    jobs: dict[str, Job] = {}
    for path in sorted(JOBS.glob("*/*.yaml")):
        key = path.relative_to(JOBS).with_suffix("").as_posix()
        jobs[key] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return jobs


CATALOG = _catalog()
V4 = {key: job for key, job in CATALOG.items() if job.get("default_runtime_version") == 4}


def test_the_catalog_validates_clean_under_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first step of ``make demo``: no finding at all, warnings included."""
    code, out, err = run(REPO, "validate", "--strict", "--format", "json", monkeypatch=monkeypatch)
    report = json.loads(out)
    assert report["findings"] == [], out
    assert (code, err) == (0, "")
    workflows = len(list((REPO / "workflows").glob("*.yaml")))  # checked with the jobs
    assert report["summary"]["files_checked"] == len(CATALOG) + workflows


@pytest.mark.parametrize("key", sorted(V4))
def test_every_runtime_4_job_starts_with_the_schema_modeline(key: str) -> None:
    first_line = (JOBS / f"{key}.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == MODELINE


# ---- one runtime 4 job per documented pattern -----------------------------------------------


def _nodes(job: Job) -> list[Mapping[str, Any]]:
    return [node for node in job["resources"] if isinstance(node, dict)]


def _of_type(job: Job, kind: str) -> list[Mapping[str, Any]]:
    return [node for node in _nodes(job) if node.get("type") == kind]


def _parent(job: Job, node: Mapping[str, Any]) -> Mapping[str, Any] | None:
    return next((n for n in _nodes(job) if n.get("name") == node.get("depends_on")), None)


def _incremental_with_state(job: Job) -> bool:
    """get_state -> add_context -> request -> destination; complete event -> update_state."""
    if not (job.get("state_key") and job.get("mutex_key")):
        return False
    for request in _of_type(job, "request"):
        context = _parent(job, request)
        state = _parent(job, context) if context else None
        if not (context and state and context["type"] == "add_context"):
            continue
        delivered = any(
            request["name"] in d["resources_to_persist"] for d in _of_type(job, "destination")
        )
        after_complete = any(
            (event := _parent(job, update)) is not None
            and event["type"] == "event"
            and event["config"]["name"] == "complete"
            for update in _of_type(job, "update_state")
        )
        if state["type"] == "get_state" and delivered and after_complete:
            return True
    return False


def _loop_on_parent_records(job: Job) -> bool:
    return any(
        str(node.get("loop_on", "")).startswith("resources.") and _parent(job, node) is not None
        for node in _of_type(job, "request")
    )


def _recursion_over_a_tree(job: Job) -> bool:
    return any("if" in node.get("recurse", {}) for node in _of_type(job, "request"))


def _spool_then_aggregate(job: Job) -> bool:
    for transform in _of_type(job, "transform"):
        spool = _parent(job, transform)
        if spool and spool["type"] == "spool":
            source = _parent(job, spool)
            if source and source["type"] == "request":
                return True
    return False


def _transform_to_a_datastore(job: Job) -> bool:
    transforms = {node["name"] for node in _of_type(job, "transform")}
    return any(
        d["destination_type"] == "datastore"
        and d.get("method")
        and d.get("loop_on") == "payload.records"
        and transforms & set(d["resources_to_persist"])
        for d in _of_type(job, "destination")
    )


def _fan_out_with_run_if(job: Job) -> bool:
    gated = [d for d in _of_type(job, "destination") if d.get("run_if")]
    return len(gated) >= 2 and len({d["destination_type"] for d in gated}) >= 2


def _superquery_with_delete_tracking(job: Job) -> bool:
    tracked = {
        node["name"]
        for node in _of_type(job, "request")
        if node.get("delete_tracking") and "/" in node["resource"]
    }
    return any(
        d["destination_type"] == "superquery" and tracked & set(d["resources_to_persist"])
        for d in _of_type(job, "destination")
    )


PATTERNS: dict[str, Callable[[Job], bool]] = {
    "incremental with state": _incremental_with_state,
    "a loop over parent records": _loop_on_parent_records,
    "recursion over a tree": _recursion_over_a_tree,
    "spool then aggregate": _spool_then_aggregate,
    "a transform to a datastore": _transform_to_a_datastore,
    "fan-out to two destinations with run_if": _fan_out_with_run_if,
    "a SuperQuery destination with delete tracking": _superquery_with_delete_tracking,
}


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
def test_the_catalog_has_a_runtime_4_job_for_each_pattern(pattern: str) -> None:
    matches = [key for key, job in V4.items() if PATTERNS[pattern](job)]
    assert matches, f"no runtime 4 job in jobs/ shows {pattern}"


def test_the_catalog_has_a_multi_integration_job() -> None:
    multi = {key: job for key, job in V4.items() if key.startswith("_multi/")}
    assert multi, "no runtime 4 job in jobs/_multi/"
    assert all(job.get("integration_name", "") == "" for job in multi.values())


PLAIN = {
    "integration_name": "zendesk",
    "default_runtime_version": 4,
    "mutex_key": "{{args.integrated_account_id}}",
    "state_key": "{{args.integrated_account_id}}",
    "resources": [
        {"name": "list", "type": "request", "resource": "ticketing/tickets", "method": "list"},
        {"name": "all", "type": "spool", "depends_on": "list"},
        {
            "name": "send",
            "type": "destination",
            "run_if": "$exists(args.webhook_id)",
            "destination_type": "webhook",
            "resources_to_persist": ["list", "all"],
            "config": {"id": "{{args.webhook_id}}"},
        },
    ],
}


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
def test_a_pattern_predicate_is_not_vacuous(pattern: str) -> None:
    """A plain request -> spool -> webhook job shows none of the patterns, and no predicate
    matches every runtime 4 job of the catalog."""
    assert not PATTERNS[pattern](PLAIN)
    assert not all(PATTERNS[pattern](job) for job in V4.values())


# ---- docs/format.md ---------------------------------------------------------------------


def _format_md_runtime_4_jobs() -> list[str]:
    """The yaml blocks of docs/format.md that are whole runtime 4 jobs (label to resources)."""
    blocks = re.findall(r"^```yaml\n(.*?)^```$", FORMAT_MD.read_text(encoding="utf-8"), re.M | re.S)
    return [
        b for b in blocks if re.search(r"^default_runtime_version: 4$", b, re.M) and "\nlabel:" in b
    ]


def test_format_md_shows_complete_runtime_4_jobs() -> None:
    assert len(_format_md_runtime_4_jobs()) >= 2


@pytest.mark.parametrize("index", range(len(_format_md_runtime_4_jobs())))
def test_runtime_4_jobs_in_format_md_validate_clean(
    index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _format_md_runtime_4_jobs()[index]
    integration = yaml.safe_load(text).get("integration_name") or "_multi"
    root = project(tmp_path, {f"jobs/{integration}/example.yaml": text})
    code, out, _ = run(root, "validate", "--strict", monkeypatch=monkeypatch)
    assert code == 0, text + out
