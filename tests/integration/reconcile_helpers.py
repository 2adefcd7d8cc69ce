"""Shared helpers of the reconciler's integration tests (tests/integration/test_reconcile_*.py).

* ``Project``: a temporary syncctl project (``syncctl.toml``, ``jobs/``, ``state/``) whose
  environments point at an emulator; it writes, removes and renames job files, reads the state
  file and runs the CLI in process (click's ``CliRunner``, ``catch_exceptions=False``).
* ``Observer``: reads and changes live jobs "out of band" by calling an emulator's request
  handler directly — never through the faults of the emulator under test, never through the
  client under test. Over the socket fixture it is a second emulator on the same SQLite file.
* ``RequestLog``: counts the requests the emulator under test answers (method and route).
* ``job``: a valid job document; ``FAST_RETRY``: a retry policy that never waits long.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from click.testing import CliRunner, Result

from syncctl.cli.main import cli
from syncctl.client.retry import RetryPolicy
from syncctl.emulator.handler import Emulator, EmulatorSettings, Response
from syncctl.emulator.store import Store
from syncctl.syncjob import LOCAL_KEYS, WRITABLE_FIELDS

TOKEN_ENV = "SYNCCTL_IT_TOKEN"
RESERVED = tuple(sorted(LOCAL_KEYS))
WRITABLE = WRITABLE_FIELDS

FAST_RETRY = RetryPolicy(max_attempts=6, base_delay=0.002, max_delay=0.02, max_retry_after=0.02)
"""Retries that honour the budget but never sleep more than 20 ms (tests must stay fast)."""

TICKETS = {"resource": "ticketing/tickets", "method": "list"}
COMMENTS = {
    "resource": "ticketing/comments",
    "method": "list",
    "depends_on": "ticketing/tickets",
    "query": {"ticket_id": "{{resources.ticketing.tickets.id}}"},
}


def job(label: str | None = None, **fields: Any) -> dict[str, Any]:
    """A job document that validates clean (``validate --strict``)."""
    data: dict[str, Any] = {"default_runtime_version": 3}
    if label is not None:
        data["label"] = label
    data["resources"] = [dict(TICKETS)]
    data.update(fields)
    return data


@dataclass
class Project:
    """A syncctl project in a temporary folder; environments point at emulators."""

    root: Path
    environments: dict[str, str]  # name -> url
    runner: CliRunner = field(default_factory=CliRunner)

    @property
    def config(self) -> Path:
        return self.root / "syncctl.toml"

    @property
    def jobs(self) -> Path:
        return self.root / "jobs"

    def job_path(self, key: str) -> Path:
        return self.jobs / f"{key}.yaml"

    def write_job(self, key: str, data: Mapping[str, Any]) -> Path:
        path = self.job_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "# yaml-language-server: $schema=../../schemas/sync-job.schema.json\n"
        path.write_text(text + yaml.safe_dump(dict(data), sort_keys=False), encoding="utf-8")
        return path

    def read_job(self, key: str) -> dict[str, Any]:
        data = yaml.safe_load(self.job_path(key).read_text(encoding="utf-8"))
        assert isinstance(data, dict)
        return data

    def remove_job(self, key: str) -> None:
        self.job_path(key).unlink()

    def rename_job(self, old: str, new: str) -> None:
        target = self.job_path(new)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.job_path(old).rename(target)

    def state_path(self, env: str = "local") -> Path:
        return self.root / "state" / f"{env}.json"

    def raw_state(self, env: str = "local") -> dict[str, Any]:
        """The state file as it is (``{}`` when there is none)."""
        path = self.state_path(env)
        if not path.exists():
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict)
        return data

    def state(self, env: str = "local") -> dict[str, Any]:
        """The sync jobs' part of the state file: ``serial``, ``jobs`` (key -> entry) and
        ``pending``, whichever format the file is in (1: at the top level; 2: ``sync_job``)."""
        data = self.raw_state(env)
        section = data.get("sync_job", data)
        return {
            "serial": data.get("serial", 0),
            "jobs": section.get("entries", section.get("jobs", {})),
            "pending": section.get("pending", {}),
        }

    def ids(self, env: str = "local") -> dict[str, str]:
        """Job key -> remote id, from the state file."""
        return {key: entry["id"] for key, entry in self.state(env)["jobs"].items()}

    def cli(self, *args: str, env: str | None = None) -> Result:
        argv = ["--config", str(self.config)]
        if env is not None:
            argv += ["--env", env]
        return self.runner.invoke(cli, [*argv, *args], catch_exceptions=False)

    def ok(self, *args: str, env: str | None = None, code: int = 0) -> Result:
        """Run the CLI and insist on exit ``code`` (output shown on failure)."""
        result = self.cli(*args, env=env)
        assert result.exit_code == code, (
            f"syncctl {' '.join(args)} exited {result.exit_code}, wanted {code}\n"
            f"--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
        )
        return result

    def plan(self, *args: str, env: str | None = None, code: int = 0) -> dict[str, Any]:
        """``syncctl plan --format json``, parsed."""
        result = self.ok("plan", "--format", "json", *args, env=env, code=code)
        data = json.loads(result.stdout)
        assert isinstance(data, dict)
        return data

    def apply(self, *args: str, env: str | None = None, code: int = 0) -> dict[str, Any]:
        """``syncctl apply --yes --format json`` (the plan text comes first on stdout)."""
        result = self.ok("apply", "--yes", "--format", "json", *args, env=env, code=code)
        start = result.stdout.index('{\n  "format_version"')
        data = json.loads(result.stdout[start:])
        assert isinstance(data, dict)
        return data


def make_project(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    environments: Mapping[str, tuple[str, str]],
    *,
    extra: Mapping[str, Mapping[str, Any]] | None = None,
) -> Project:
    """Write ``syncctl.toml``: ``environments`` maps name -> (url, token); the first is the
    default. Each token is put in its own variable (set with ``monkeypatch``)."""
    lines = ['jobs_dir = "jobs"', 'state_dir = "state"']
    lines.append(f'default_environment = "{next(iter(environments))}"')
    for index, (name, (url, token)) in enumerate(environments.items()):
        variable = f"{TOKEN_ENV}_{index}"
        monkeypatch.setenv(variable, token)
        lines += ["", f"[environments.{name}]", f'url = "{url}"', f'token_env = "{variable}"']
        # Small pages by default, so every listing in these tests spans several pages.
        settings = {"page_size": 7, **(extra or {}).get(name, {})}
        for key, value in settings.items():
            lines.append(f"{key} = {json.dumps(value)}")
    root.mkdir(parents=True, exist_ok=True)
    (root / "syncctl.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "jobs").mkdir(exist_ok=True)
    return Project(root, {name: url for name, (url, _token) in environments.items()})


class Observer:
    """Live jobs of one token's environment, read and changed past the code under test."""

    def __init__(self, emulator: Emulator, token: str) -> None:
        self.emulator = emulator
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def _call(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        raw = b"" if body is None else json.dumps(body).encode()
        response: Response = self.emulator.handle(method, path, self.headers, raw)
        assert response.status == status, (method, path, response.status, response.body)
        return response.json()

    def jobs(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        cursor = ""
        while True:
            page = self._call("GET", f"/sync-job?limit=100&next_cursor={quote(cursor)}")
            found.extend(page["result"])
            if not page["next_cursor"]:
                return found
            cursor = page["next_cursor"]

    def by_id(self) -> dict[str, dict[str, Any]]:
        return {str(j["id"]): j for j in self.jobs()}

    def labels(self) -> Counter[tuple[str, str]]:
        """How many live jobs carry each (integration, label): duplicates show as counts > 1."""
        return Counter((str(j["integration_name"]), str(j["label"])) for j in self.jobs())

    def get(self, job_id: str) -> dict[str, Any]:
        result = self._call("GET", f"/sync-job/{quote(job_id, safe='')}")
        assert isinstance(result, dict)
        return result

    def create(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        result = self._call("POST", "/sync-job", dict(payload), status=201)
        assert isinstance(result, dict)
        return result

    def update(self, job_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        result = self._call("PATCH", f"/sync-job/{quote(job_id, safe='')}", dict(fields))
        assert isinstance(result, dict)
        return result

    def delete(self, job_id: str) -> None:
        self._call("DELETE", f"/sync-job/{quote(job_id, safe='')}")


@contextlib.contextmanager
def observer(db_path: Path, tokens: Mapping[str, str], token: str) -> Iterator[Observer]:
    """An ``Observer`` over a second, fault-free emulator on the SQLite file ``db_path``."""
    emulator = Emulator(EmulatorSettings(tokens=dict(tokens)), Store(db_path))
    try:
        yield Observer(emulator, token)
    finally:
        emulator.close()


def _route(path: str) -> str:
    """``collection`` or ``item`` for the sync-job API, ``workflows`` or ``workflow`` for the
    workflow API."""
    parts = path.split("?")[0].strip("/").split("/")
    if parts[0] == "workflow":
        return "workflows" if len(parts) == 1 else "workflow"
    return "collection" if len(parts) == 1 else "item"


class RequestLog:
    """Records what the wrapped emulator answers: method, route, status, and whether the
    answer was dropped after commit (the client saw a cut connection)."""

    def __init__(self, emulator: Emulator) -> None:
        self.calls: list[tuple[str, str]] = []
        self.answers: list[tuple[str, str, int, bool]] = []
        self.write_arrived = threading.Event()  # set when a POST/PATCH/DELETE comes in
        self.write_done = threading.Event()  # set when one has been handled (committed)
        self._lock = threading.Lock()
        inner = emulator.handle

        def handle(method: str, path: str, headers: Mapping[str, str], body: bytes) -> Response:
            route = _route(path)
            if method.upper() != "GET":
                self.write_arrived.set()
            response = inner(method, path, headers, body)
            if method.upper() != "GET":
                self.write_done.set()
            with self._lock:
                self.calls.append((method.upper(), route))
                self.answers.append((method.upper(), route, response.status, response.drop))
            return response

        emulator.handle = handle  # type: ignore[method-assign]

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()
            self.answers.clear()

    def writes(self) -> list[tuple[str, str]]:
        with self._lock:
            return [c for c in self.calls if c[0] != "GET"]

    def faults(self) -> list[tuple[str, str, int, bool]]:
        """Answers that were errors or dropped."""
        with self._lock:
            return [a for a in self.answers if a[2] >= 400 or a[3]]


def expected_payload(key: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """What a job file asks the API to hold (design §2), computed independently of syncctl."""
    body = {k: v for k, v in data.items() if k not in RESERVED}
    body.setdefault("integration_name", key.split("/")[0])
    body.setdefault("label", key)
    return body


def mismatches(want: Mapping[str, Any], live: Mapping[str, Any]) -> list[str]:
    """Writable fields where ``live`` differs from ``want`` (absent = null; a server-defaulted
    ``default_runtime_version`` is not compared when the file leaves it out)."""
    out = []
    for name in WRITABLE:
        if name == "default_runtime_version" and want.get(name) is None:
            continue
        if want.get(name) != live.get(name):
            out.append(f"{name}: want {want.get(name)!r}, live {live.get(name)!r}")
    return out


def actions(plan: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(action, key)`` of every change that is not a noop, in plan order."""
    return [(c["action"], c["key"]) for c in plan["changes"] if c["action"] != "noop"]


def iter_keys(plan: Mapping[str, Any], action: str) -> Iterator[str]:
    return (c["key"] for c in plan["changes"] if c["action"] == action)


# --- Workflows (design §9): files, state section and live objects, next to the jobs' helpers.

WORKFLOW_TRIGGER = "integrated_account:active"


def run_job(job_key: str, cron: str | None = None) -> dict[str, Any]:
    """A workflow file's step that runs the job with key ``job_key`` (``sync_job: <key>``)."""
    step: dict[str, Any] = {"type": "run", "action": "run_sync_job"}
    if cron is not None:
        step["cron_expression"] = cron
    step["config"] = {"sync_job": job_key}
    return step


def workflow(*steps: Mapping[str, Any], run_if: str | None = None) -> dict[str, Any]:
    """A workflow file document on ``WORKFLOW_TRIGGER`` with ``steps`` (``run_job``)."""
    config: dict[str, Any] = {}
    if run_if is not None:
        config["run_if"] = run_if
    config["steps"] = [dict(step) for step in steps]
    return {"trigger_name": WORKFLOW_TRIGGER, "config": config}


def workflow_path(project: Project, name: str) -> Path:
    """``workflows/<name>.yaml``: the file of key ``workflow:<name>`` (default folder)."""
    return project.root / "workflows" / f"{name}.yaml"


def write_workflow(project: Project, name: str, data: Mapping[str, Any]) -> Path:
    path = workflow_path(project, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "# yaml-language-server: $schema=../schemas/workflow.schema.json\n"
    path.write_text(text + yaml.safe_dump(dict(data), sort_keys=False), encoding="utf-8")
    return path


def remove_workflow(project: Project, name: str) -> None:
    workflow_path(project, name).unlink()


def workflow_section(project: Project, env: str = "local") -> dict[str, Any]:
    """The state file's ``workflow`` section: ``entries`` and ``pending`` (empty when none)."""
    section = project.raw_state(env).get("workflow", {})
    assert isinstance(section, dict)
    return {"entries": section.get("entries", {}), "pending": section.get("pending", {})}


def workflow_ids(project: Project, env: str = "local") -> dict[str, str]:
    """Workflow key -> remote id, from the state file."""
    return {key: entry["id"] for key, entry in workflow_section(project, env)["entries"].items()}


def live_workflows(live: Observer) -> list[dict[str, Any]]:
    """Every live workflow of the observer's environment (all pages), past the code under test."""
    found: list[dict[str, Any]] = []
    cursor = ""
    while True:
        page = live._call("GET", f"/workflow?limit=100&next_cursor={quote(cursor)}")
        found.extend(page["result"])
        if not page["next_cursor"]:
            return found
        cursor = page["next_cursor"]


def get_workflow(live: Observer, workflow_id: str) -> dict[str, Any]:
    result = live._call("GET", f"/workflow/{quote(workflow_id, safe='')}")
    assert isinstance(result, dict)
    return result


def post_workflow(live: Observer, body: Mapping[str, Any]) -> dict[str, Any]:
    """POST /workflow past the code under test (an unmanaged workflow, as a user makes one)."""
    result = live._call("POST", "/workflow", dict(body), status=201)
    assert isinstance(result, dict)
    return result


def step_job_ids(body: Mapping[str, Any]) -> list[Any]:
    """The ``sync_job_id`` of each step of a live workflow, in order (read apart from syncctl)."""
    return [step["config"].get("sync_job_id") for step in body["config"]["steps"]]


class Gate:
    """Holds the first request with ``method`` on a path under ``prefix`` (e.g. the first
    ``POST /workflow``) until ``release`` is set, so a test can ``kill -9`` the client at that
    very request. Then the held request is carried out (``commit``: its answer goes to a client
    that is gone) or never handled (the connection is cut with nothing committed)."""

    def __init__(self, emulator: Emulator, method: str, prefix: str, *, commit: bool) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.done = threading.Event()  # the held request was carried out (or cut) after release
        self._used = False
        self._lock = threading.Lock()
        inner = emulator.handle

        def handle(verb: str, path: str, headers: Mapping[str, str], body: bytes) -> Response:
            with self._lock:
                held = not self._used and verb.upper() == method and path.startswith(prefix)
                self._used = self._used or held
            if not held:
                return inner(verb, path, headers, body)
            self.arrived.set()
            self.release.wait(timeout=60)
            try:
                return inner(verb, path, headers, body) if commit else Response(503, {}, b"", True)
            finally:
                self.done.set()

        emulator.handle = handle  # type: ignore[method-assign]
