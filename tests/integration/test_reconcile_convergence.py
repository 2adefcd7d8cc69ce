"""Property: whatever the files ask and whatever happened out of band, one apply converges.

Each example writes a random set of job files, applies it, then changes things out of band
(edits and deletes of managed live jobs, new unmanaged jobs) and rewrites the files (edits,
removals, renames, additions), and applies again with ``--prune``. After each apply the next
plan is empty, the managed live jobs equal the files' payloads, the state maps exactly the
files, and the unmanaged jobs are untouched.

For speed the emulator runs in process (a fresh in-memory database per example) behind the
client's ``EmbeddedTransport``; files, validation, plan, executor, state and client are the
real ones. Examples are derandomised so every run checks the same cases.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from reconcile_helpers import FAST_RETRY, Observer, expected_payload, mismatches

from syncctl.client.api import SyncJobClient
from syncctl.config import load_config
from syncctl.connect import EMBEDDED_BASE_URL
from syncctl.emulator.handler import Emulator, EmulatorSettings
from syncctl.emulator.transport import EmbeddedTransport
from syncctl.reconcile.apply import Executor
from syncctl.reconcile.session import Session, build_plan
from syncctl.reconcile.state import StateStore

TOKEN = "property-token"
INTEGRATIONS = ("zendesk", "hubspot", "jira")
NAMES = ("a", "b", "c", "d", "e")
KEYS = tuple(f"{i}/{n}" for i in INTEGRATIONS for n in NAMES)
LABELS = ("Tickets", "Contacts", "Nightly feed", "yes", "Sync 1", "Sync 2")
RESOURCES = (
    {"resource": "ticketing/tickets", "method": "list"},
    {"resource": "crm/contacts", "method": "list", "query": {"page_size": "50"}},
    {"resource": "ticketing/users", "method": "get", "id": "{{args.since}}"},
    {"resource": "hris/employees", "method": "list", "query": {"since": "{{args.since}}"}},
)
ARGS = {"type": "object", "properties": {"since": {"type": "string", "required": True}}}
CONFIG = """\
jobs_dir = "jobs"
state_dir = "state"
[environments.local]
url = "http://127.0.0.1:9"  # never dialled: the session is handed an in-process client
token_env = "SYNCCTL_PROPERTY_UNUSED_TOKEN"
"""


@st.composite
def job_data(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {}
    label = draw(st.none() | st.sampled_from(LABELS))
    if label is not None:
        data["label"] = label
    version = draw(st.sampled_from([None, 1, 2, 3]))
    if version is not None:
        data["default_runtime_version"] = version
    for name in ("mutex_key", "state_key"):
        value = draw(st.none() | st.sampled_from(["k1", "k-{{args.since}}", "nightly"]))
        if value is not None:
            data[name] = value
    picked = st.lists(st.sampled_from(range(len(RESOURCES))), min_size=1, max_size=3, unique=True)
    resources = draw(picked)
    data["resources"] = [dict(RESOURCES[i]) for i in resources]
    if "args." in str(data):
        data["args_schema"] = ARGS
    return data


def unique_labels(files: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Drop a label another file already uses (SJ006): the file falls back to its key."""
    seen: set[str] = set()
    out = {}
    for key in sorted(files):
        data = dict(files[key])
        if data.get("label") in seen:
            del data["label"]
        seen.add(data.get("label", key))
        out[key] = data
    return out


desired_sets = st.dictionaries(st.sampled_from(KEYS), job_data(), min_size=1, max_size=6).map(
    unique_labels
)

edits = st.sampled_from(
    [
        {"label": "edited out of band"},
        {"mutex_key": "oob"},
        {"resources": []},
        {"default_runtime_version": 1},
        {"args_schema": None, "state_key": "x"},
    ]
)
out_of_band = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.integers(0, 20), edits),
        st.tuples(st.just("delete"), st.integers(0, 20), st.none()),
        st.tuples(st.just("add"), st.integers(0, 2), st.none()),
    ),
    max_size=5,
)


@st.composite
def second_sets(draw: st.DrawFn, first: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The files rewritten: each kept, edited, removed or renamed; some added."""
    files: dict[str, dict[str, Any]] = {}
    for key, data in first.items():
        what = draw(st.sampled_from(["keep", "edit", "remove", "rename"]))
        if what == "keep":
            files[key] = data
        elif what == "edit":
            files[key] = draw(job_data())
        elif what == "rename":
            free = [k for k in KEYS if k.split("/")[0] == key.split("/")[0] and k not in first]
            if free:
                files[draw(st.sampled_from(free))] = data
    added = draw(st.dictionaries(st.sampled_from(KEYS), job_data(), max_size=3))
    return unique_labels({**added, **files})


class World:
    """One example's project folder and in-process emulator."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True)
        (root / "syncctl.toml").write_text(CONFIG, encoding="utf-8")
        self.config = load_config(root / "syncctl.toml")
        self.env = self.config.environment(None)
        self.emulator = Emulator(EmulatorSettings(tokens={TOKEN: "env-p"}))
        self.live = Observer(self.emulator, TOKEN)

    def write(self, files: dict[str, dict[str, Any]]) -> None:
        for path in (self.root / "jobs").glob("*/*.yaml"):
            path.unlink()
        for key, data in files.items():
            path = self.root / "jobs" / f"{key}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    def apply(self) -> bool:
        """Plan with --prune and apply; True when the plan had changes."""
        store = StateStore(self.env.state_path, self.env.name)
        transport = EmbeddedTransport(self.emulator)
        with SyncJobClient(EMBEDDED_BASE_URL, TOKEN, transport=transport, retry=FAST_RETRY) as api:
            session = Session(self.config, self.env, api, store)
            plan = build_plan(session, store.load(), prune=True)
            result = Executor(api, store, concurrency=4).run(plan)
        assert result.failed == (), result.to_dict()
        return plan.has_changes

    def state_ids(self) -> dict[str, str]:
        store = StateStore(self.env.state_path, self.env.name)
        state = store.load()
        assert dict(state.pending) == {}
        return {key: entry.id for key, entry in state.jobs.items()}

    def check(self, files: dict[str, dict[str, Any]], unmanaged: list[dict[str, Any]]) -> None:
        assert not self.apply(), "the plan right after an apply is not empty"
        ids = self.state_ids()
        jobs = self.live.by_id()
        assert set(ids) == set(files)
        for key, data in files.items():
            assert mismatches(expected_payload(key, data), jobs[ids[key]]) == [], key
        assert [jobs.get(j["id"]) for j in unmanaged] == unmanaged  # untouched
        assert set(jobs) == set(ids.values()) | {j["id"] for j in unmanaged}  # nothing else


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("convergence")


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(data=st.data(), first=desired_sets, mutations=out_of_band)
def test_apply_converges_after_any_files_and_out_of_band_changes(
    worlds: Path, data: st.DataObject, first: dict[str, dict[str, Any]], mutations: list[Any]
) -> None:
    world = World(worlds / f"w{len(list(worlds.iterdir()))}")
    world.write(first)
    world.apply()
    world.check(first, [])
    second = data.draw(second_sets(first), label="second")

    state = world.state_ids()
    managed = sorted(state.values())
    unmanaged: list[dict[str, Any]] = []
    for kind, index, change in mutations:
        if kind == "add":
            payload = {
                "integration_name": INTEGRATIONS[index],
                "label": f"unmanaged {len(unmanaged)}",
                "resources": [dict(RESOURCES[0])],
            }
            unmanaged.append(world.live.create(payload))
        elif managed:
            job_id = managed[index % len(managed)]
            if job_id not in world.live.by_id():
                continue
            if kind == "edit":
                world.live.update(job_id, change)
            else:
                world.live.delete(job_id)
    # A job made by hand before its file: the new file adopts it (and fixes what differs).
    # Only for a label no earlier file used: else the file may be a renamed one (a move).
    old_labels = {d.get("label", k) for k, d in first.items()}
    new_keys = sorted(
        k for k in second if k not in state and second[k].get("label", k) not in old_labels
    )
    adopt = (
        data.draw(st.lists(st.sampled_from(new_keys), unique=True), label="adopt")
        if new_keys
        else []
    )
    for key in adopt:
        payload = expected_payload(key, second[key])
        world.live.create(payload | data.draw(st.sampled_from([{}, {"mutex_key": "by hand"}])))

    world.write(second)
    world.apply()
    world.check(second, unmanaged)
    world.emulator.close()
