"""Property: whatever the files ask and whatever happened out of band, one apply converges.

Each example writes a random set of job files and 0-3 workflow files (design §9: steps naming
the round's job keys, some on a cron schedule, some with ``run_if``), applies them, then changes
things out of band and rewrites the files, and applies again with ``--prune``:

- jobs: edits and deletes of managed live jobs, new unmanaged jobs; files kept, edited, removed,
  renamed or added, and live jobs made by hand before their new file (adopted);
- workflows: managed live workflows edited (``run_if``, a step dropped, a step pointed at
  another job) or deleted, new unmanaged workflows naming only jobs that survive the second
  round (pruning a job an unmanaged workflow names is refused by design, §9); files kept, with
  steps edited, removed or renamed (same content: a ``move``), or added, and every step naming a
  renamed job file follows it to its new key (as SJ901 asks); live workflows made by hand
  before their new file, with its exact resolved content, are adopted (or, when a renamed file
  of that content is a move, left untouched).

After each apply the next plan is empty; the managed live jobs equal the files' payloads and
the managed live workflows their files' payloads with each ``sync_job`` key replaced by the
job's remote id (computed here apart from syncctl); each state section maps exactly its files,
with nothing pending; the unmanaged jobs and workflows are untouched; and nothing else is live.

Deleting out of band a job that a live workflow names is generated too: the job is re-created
(or adopted) with a new id, and its workflow updated to it in the same apply
(``test_a_workflow_follows_its_job_recreated_after_an_out_of_band_delete`` pins the smallest case).

For speed the emulator runs in process (a fresh in-memory database per example) behind the
client's ``EmbeddedTransport``; files, validation, plan, executor, state and client are the
real ones. Examples are derandomised so every run checks the same cases.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from reconcile_helpers import FAST_RETRY, Observer, expected_payload, mismatches

from syncctl.client.api import SyncJobClient
from syncctl.config import load_config
from syncctl.connect import EMBEDDED_BASE_URL
from syncctl.emulator.handler import Emulator, EmulatorSettings
from syncctl.emulator.transport import EmbeddedTransport
from syncctl.kinds import WORKFLOW
from syncctl.reconcile.apply import Executor
from syncctl.reconcile.session import Session, build_plan
from syncctl.reconcile.state import State, StateStore

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

TRIGGER = "integrated_account:active"  # the emulator's (and the config's) default trigger
WORKFLOW_NAMES = ("onboarding", "nightly", "crm-sync", "tickets", "backfill")
CRONS = ("0 */6 * * *", "*/30 * * * *", "15 2 * * MON-FRI", "0 0 1 * *")
RUN_IFS = (
    'integrated_account.integration.name = "zendesk"',
    'integrated_account.integration.name in ["hubspot", "jira"]',
    "$exists(integrated_account.id)",
)

Files = dict[str, dict[str, Any]]


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


def unique_labels(files: Files) -> Files:
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
workflows_out_of_band = st.lists(
    st.tuples(
        st.sampled_from(["run_if", "drop_step", "retarget", "delete", "add"]),
        st.integers(0, 20),
        st.integers(0, 20),
    ),
    max_size=4,
)


@st.composite
def second_sets(draw: st.DrawFn, first: Files) -> tuple[Files, dict[str, str]]:
    """The files rewritten: each kept, edited, removed or renamed; some added. Also returns
    each renamed file's new key by its old one."""
    files: Files = {}
    renames: dict[str, str] = {}
    for key, data in first.items():
        what = draw(st.sampled_from(["keep", "edit", "remove", "rename"]))
        if what == "keep":
            files[key] = data
        elif what == "edit":
            files[key] = draw(job_data())
        elif what == "rename":
            free = [k for k in KEYS if k.split("/")[0] == key.split("/")[0] and k not in first]
            free = [k for k in free if k not in files]
            if free:
                renames[key] = draw(st.sampled_from(free))
                files[renames[key]] = data
    added = draw(st.dictionaries(st.sampled_from(KEYS), job_data(), max_size=3))
    return unique_labels({**added, **files}), renames


# --- Workflow files (design §9) ------------------------------------------------------------


@st.composite
def step_data(draw: st.DrawFn, keys: Sequence[str]) -> dict[str, Any]:
    """One step running a job of ``keys``: at once or on a cron schedule, maybe with ``run_if``."""
    step: dict[str, Any] = {"type": "run", "action": "run_sync_job"}
    cron = draw(st.none() | st.sampled_from(CRONS))
    if cron is not None:
        step["cron_expression"] = cron
    run_if = draw(st.none() | st.sampled_from(RUN_IFS))
    if run_if is not None:
        step["run_if"] = run_if
    step["config"] = {"sync_job": draw(st.sampled_from(sorted(keys)))}
    return step


@st.composite
def workflow_data(draw: st.DrawFn, keys: Sequence[str]) -> dict[str, Any]:
    """A workflow file of 1-3 steps naming ``keys`` (job keys of the same round's files)."""
    data: dict[str, Any] = {}
    if draw(st.booleans()):
        data["description"] = "local only: never sent"
    data["trigger_name"] = TRIGGER
    config: dict[str, Any] = {}
    run_if = draw(st.none() | st.sampled_from(RUN_IFS))
    if run_if is not None:
        config["run_if"] = run_if
    config["steps"] = draw(st.lists(step_data(keys), min_size=1, max_size=3))
    data["config"] = config
    return data


def workflow_sets(keys: Sequence[str]) -> st.SearchStrategy[Files]:
    """0-3 workflow files (by name) naming ``keys``; none when there is no job to name."""
    if not keys:
        return st.just({})
    return st.dictionaries(st.sampled_from(WORKFLOW_NAMES), workflow_data(keys), max_size=3)


def carried(data: Mapping[str, Any], new_key: Mapping[str, str | None]) -> dict[str, Any] | None:
    """The workflow ``data`` once its jobs' files are rewritten: each step names its job's new
    key, a step whose job file is gone is dropped; ``None`` when no step is left."""
    steps = []
    for step in data["config"]["steps"]:
        key = new_key[step["config"]["sync_job"]]
        if key is not None:
            steps.append({**step, "config": {**step["config"], "sync_job": key}})
    if not steps:
        return None
    return {**data, "config": {**data["config"], "steps": steps}}


@st.composite
def second_workflows(
    draw: st.DrawFn, first: Files, jobs: Files, new_key: Mapping[str, str | None]
) -> Files:
    """The workflow files rewritten: each kept (steps following renamed jobs), given new steps,
    removed or renamed with the same content (a move); some added. A workflow whose every job
    file is gone gets new steps."""
    files: Files = {}
    for name, data in first.items():
        what = draw(st.sampled_from(["keep", "edit", "remove", "rename", "rename"]))
        follows = carried(data, new_key)
        if what == "remove" or not jobs:
            continue
        if what == "edit" or follows is None:
            files[name] = draw(workflow_data(sorted(jobs)))
        elif what == "keep":
            files[name] = follows
        else:
            free = [n for n in WORKFLOW_NAMES if n not in first and n not in files]
            if free:
                files[draw(st.sampled_from(free))] = follows
    added = draw(workflow_sets(sorted(jobs)).map(lambda found: dict(list(found.items())[:2])))
    return {**added, **files}


def expected_workflow(data: Mapping[str, Any], job_ids: Mapping[str, str]) -> dict[str, Any]:
    """What a workflow file asks the API to hold (design §9), computed apart from syncctl:
    its ``trigger_name`` and ``config``, each step's ``sync_job`` key as ``sync_job_id``."""
    steps = []
    for step in data["config"]["steps"]:
        inner = {k: v for k, v in step["config"].items() if k != "sync_job"}
        steps.append(
            {**step, "config": {"sync_job_id": job_ids[step["config"]["sync_job"]], **inner}}
        )
    return {"trigger_name": data["trigger_name"], "config": {**data["config"], "steps": steps}}


def sent_part(live: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a live workflow that a file sets."""
    return {"trigger_name": live.get("trigger_name"), "config": live.get("config")}


class Workflows:
    """Live workflows of the example's environment, read and changed past the code under test
    (the emulator's request handler, called directly)."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}

    def _call(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        raw = b"" if body is None else json.dumps(body).encode()
        response = self.emulator.handle(method, path, self.headers, raw)
        assert response.status == status, (method, path, response.status, response.body)
        return response.json()

    def by_id(self) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        cursor = ""
        while True:
            page = self._call("GET", f"/workflow?limit=100&next_cursor={quote(cursor)}")
            found.update((str(w["id"]), w) for w in page["result"])
            if not page["next_cursor"]:
                return found
            cursor = page["next_cursor"]

    def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        result = self._call("POST", "/workflow", dict(body), status=201)
        assert isinstance(result, dict)
        return result

    def update(self, workflow_id: str, fields: Mapping[str, Any]) -> None:
        self._call("PATCH", f"/workflow/{quote(workflow_id, safe='')}", dict(fields))

    def delete(self, workflow_id: str) -> None:
        self._call("DELETE", f"/workflow/{quote(workflow_id, safe='')}")


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
        self.workflows = Workflows(self.emulator)

    def write(self, files: Files, workflows: Files) -> None:
        """Replace every job and workflow file by ``files`` (by job key) and ``workflows``
        (by workflow name)."""
        for path in [*self.root.glob("jobs/*/*.yaml"), *self.root.glob("workflows/*.yaml")]:
            path.unlink()
        paths = {self.root / "jobs" / f"{key}.yaml": data for key, data in files.items()}
        paths |= {self.root / "workflows" / f"{n}.yaml": data for n, data in workflows.items()}
        for path, data in paths.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    def apply(self) -> bool:
        """Plan with --prune and apply; True when the plan had changes."""
        store = StateStore(self.env.state_path, self.env.name)
        transport = EmbeddedTransport(self.emulator)
        with SyncJobClient(EMBEDDED_BASE_URL, TOKEN, transport=transport, retry=FAST_RETRY) as api:
            session = Session(self.config, self.env, api, store)
            plan = build_plan(session, store.load(), prune=True)
            executor = Executor(api, store, workflows=api.workflows, concurrency=4)
            result = executor.run(plan)
        assert result.failed == (), result.to_dict()
        for change in plan.changes if currently_in_test_context() else ():
            event(f"{change.kind} {change.action}")  # see --hypothesis-show-statistics
        return plan.has_changes

    def state(self) -> State:
        state = StateStore(self.env.state_path, self.env.name).load()
        assert dict(state.pending) == {}
        assert dict(state.section(WORKFLOW).pending) == {}
        return state

    def state_ids(self) -> dict[str, str]:
        return {key: entry.id for key, entry in self.state().jobs.items()}

    def workflow_ids(self) -> dict[str, str]:
        return {key: e.id for key, e in self.state().section(WORKFLOW).entries.items()}

    def check(
        self,
        files: Files,
        workflows: Files,
        unmanaged: list[dict[str, Any]],
        unmanaged_workflows: list[dict[str, Any]],
        by_hand: Sequence[dict[str, Any]] = (),
    ) -> None:
        assert not self.apply(), "the plan right after an apply is not empty"
        ids = self.state_ids()
        jobs = self.live.by_id()
        assert set(ids) == set(files)
        for key, data in files.items():
            assert mismatches(expected_payload(key, data), jobs[ids[key]]) == [], key
        assert [jobs.get(j["id"]) for j in unmanaged] == unmanaged  # untouched
        assert set(jobs) == set(ids.values()) | {j["id"] for j in unmanaged}  # nothing else
        self.check_workflows(workflows, ids, unmanaged_workflows, by_hand)

    def check_workflows(
        self,
        workflows: Files,
        job_ids: Mapping[str, str],
        unmanaged: list[dict[str, Any]],
        by_hand: Sequence[dict[str, Any]],
    ) -> None:
        """Managed live workflows as their files resolve, unmanaged ones untouched, each one
        made by hand either adopted or untouched, and no other live workflow."""
        ids = self.workflow_ids()
        live = self.workflows.by_id()
        assert set(ids) == {f"workflow:{name}" for name in workflows}
        for name, data in workflows.items():
            want = expected_workflow(data, job_ids)
            assert sent_part(live[ids[f"workflow:{name}"]]) == want, name
        assert [live.get(w["id"]) for w in unmanaged] == unmanaged  # untouched
        kept = [w for w in by_hand if w["id"] not in ids.values()]
        assert [live.get(w["id"]) for w in kept] == kept  # not adopted: untouched
        others = {w["id"] for w in [*unmanaged, *kept]}
        assert set(live) == set(ids.values()) | others  # nothing else


def by_key(ids: Mapping[str, str]) -> list[str]:
    """The remote ids of ``ids`` in key order: remote ids are random UUIDs, so an example that
    picks objects by position must not order them by id (it would not replay)."""
    return [ids[key] for key in sorted(ids)]


def change_jobs(world: World, mutations: list[Any]) -> list[dict[str, Any]]:
    """Edit and delete managed live jobs and add unmanaged ones; the unmanaged ones made."""
    managed = by_key(world.state_ids())
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
    return unmanaged


def change_workflows(
    world: World, mutations: list[Any], surviving: Sequence[str]
) -> list[dict[str, Any]]:
    """Edit and delete managed live workflows and add unmanaged ones; the unmanaged ones made.

    An unmanaged workflow names only ``surviving`` job ids (jobs the second apply keeps): with
    ``--prune``, deleting a job an unmanaged workflow names is refused (design §9). Its
    ``run_if`` is one no file writes, so no workflow file ever adopts it."""
    managed = by_key(world.workflow_ids())
    live_jobs = world.live.by_id()  # a gone id would meet the same bug as in change_jobs
    jobs = [i for i in by_key(world.state_ids()) if i in live_jobs] + list(surviving)
    unmanaged: list[dict[str, Any]] = []
    for what, index, other in mutations:
        if what == "add":
            if surviving:
                unmanaged.append(
                    world.workflows.create(unmanaged_workflow(len(unmanaged), surviving, other))
                )
            continue
        live = world.workflows.by_id()
        if not managed or managed[index % len(managed)] not in live:
            continue
        workflow_id = managed[index % len(managed)]
        config = live[workflow_id]["config"]
        steps = config["steps"]
        if what == "delete":
            world.workflows.delete(workflow_id)
        elif what == "run_if":
            world.workflows.update(workflow_id, {"config": {**config, "run_if": "false"}})
        elif what == "drop_step" and len(steps) > 1:
            world.workflows.update(workflow_id, {"config": {**config, "steps": steps[1:]}})
        elif what == "retarget" and jobs:
            step = {**steps[0], "config": {"sync_job_id": jobs[other % len(jobs)]}}
            new = {**config, "steps": [step, *steps[1:]]}
            world.workflows.update(workflow_id, {"config": new})
    return unmanaged


def unmanaged_workflow(number: int, job_ids: Sequence[str], pick: int) -> dict[str, Any]:
    """An unmanaged workflow running one of ``job_ids``, maybe on a schedule."""
    step: dict[str, Any] = {"type": "run", "action": "run_sync_job"}
    if pick % 2:
        step["cron_expression"] = CRONS[pick % len(CRONS)]
    step["config"] = {"sync_job_id": job_ids[pick % len(job_ids)]}
    run_if = f'integrated_account.id = "unmanaged {number}"'
    return {"trigger_name": TRIGGER, "config": {"run_if": run_if, "steps": [step]}}


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("convergence")


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(
    data=st.data(),
    first=desired_sets,
    mutations=out_of_band,
    workflow_mutations=workflows_out_of_band,
)
def test_apply_converges_after_any_files_and_out_of_band_changes(
    worlds: Path,
    data: st.DataObject,
    first: Files,
    mutations: list[Any],
    workflow_mutations: list[Any],
) -> None:
    world = World(worlds / f"w{len(list(worlds.iterdir()))}")
    first_workflows = data.draw(workflow_sets(sorted(first)), label="first workflows")
    world.write(first, first_workflows)
    world.apply()
    world.check(first, first_workflows, [], [])
    second, renames = data.draw(second_sets(first), label="second")
    new_key = {k: renames.get(k, k if k in second else None) for k in first}
    second_workflows_ = data.draw(
        second_workflows(first_workflows, second, new_key), label="second workflows"
    )

    state = world.state_ids()
    unmanaged = change_jobs(world, mutations)
    live_jobs = world.live.by_id()
    # Jobs whose live object the second apply keeps: a file kept or edited under its key.
    surviving = [state[k] for k in sorted(first) if k in second and state[k] in live_jobs]
    surviving += [j["id"] for j in unmanaged]
    unmanaged_workflows = change_workflows(world, workflow_mutations, surviving)
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

    by_hand = make_workflows_by_hand(world, data, first, second_workflows_, surviving)

    world.write(second, second_workflows_)
    world.apply()
    world.check(second, second_workflows_, unmanaged, unmanaged_workflows, by_hand)
    world.emulator.close()


def make_workflows_by_hand(
    world: World, data: st.DataObject, first: Files, workflows: Files, surviving: Sequence[str]
) -> list[dict[str, Any]]:
    """Live workflows made by hand before their new file, exactly as the file resolves (the
    only adoption rule a workflow has, design §9): each is adopted by a file of that content,
    unless a renamed file of the same content takes the file (a move), when it stays
    unmanaged and untouched. Only for files whose jobs all keep their ids, one per content (two
    identical unmanaged workflows would make adoption ambiguous: the plan stops)."""
    ids = {k: i for k, i in world.state_ids().items() if k in first and i in surviving}
    contents: dict[str, dict[str, Any]] = {}
    for name in sorted(workflows):
        keys = {step["config"]["sync_job"] for step in workflows[name]["config"]["steps"]}
        if f"workflow:{name}" not in world.workflow_ids() and keys <= ids.keys():
            body = expected_workflow(workflows[name], ids)
            contents.setdefault(json.dumps(body, sort_keys=True), body)
    if not contents:
        return []
    picked = data.draw(st.lists(st.sampled_from(sorted(contents)), unique=True), label="by hand")
    return [world.workflows.create(contents[content]) for content in picked]


def test_a_workflow_follows_its_job_recreated_after_an_out_of_band_delete(worlds: Path) -> None:
    """Found by the property above: a managed job deleted out of band is re-created with a new
    id, and the workflow naming it must be updated to that id in the same apply (the gone id
    once still read as the job's key, so the workflow was planned as a noop)."""
    world = World(worlds / "bug-recreated-job")
    files = {"zendesk/a": {"resources": [dict(RESOURCES[0])]}}
    step = {"type": "run", "action": "run_sync_job", "config": {"sync_job": "zendesk/a"}}
    workflows = {"onboarding": {"trigger_name": TRIGGER, "config": {"steps": [step]}}}
    world.write(files, workflows)
    world.apply()
    world.live.delete(world.state_ids()["zendesk/a"])
    world.apply()
    live = world.workflows.by_id()[world.workflow_ids()["workflow:onboarding"]]
    assert sent_part(live) == expected_workflow(workflows["onboarding"], world.state_ids())
    assert not world.apply(), "the plan right after an apply is not empty"
    world.emulator.close()
