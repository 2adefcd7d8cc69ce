"""One environment's session: its API client and state store, and the plan they give."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from syncctl.checks import collector_paused
from syncctl.client.api import SyncJobClient
from syncctl.client.models import LiveObject
from syncctl.config import Config, Environment
from syncctl.connect import connect
from syncctl.kinds import SYNC_JOB, WORKFLOW
from syncctl.reconcile.desired import load_files
from syncctl.reconcile.plan import Plan
from syncctl.reconcile.planner import plan_environment
from syncctl.reconcile.state import State, StateStore


@dataclass(frozen=True, slots=True)
class Session:
    config: Config
    env: Environment
    api: SyncJobClient
    store: StateStore


@contextlib.contextmanager
def open_session(config: Config, env: Environment, *, lock: bool) -> Iterator[Session]:
    """Connect to ``env``; with ``lock``, hold its state lock (apply, import, state edits)."""
    store = StateStore.for_environment(config.root, env.state_path, env.name)
    with contextlib.ExitStack() as stack:
        if lock:
            stack.enter_context(store.locked())
        api = stack.enter_context(connect(env, config.root, known_triggers=config.known_triggers))
        yield Session(config, env, api, store)


def build_plan(
    session: Session,
    state: State,
    *,
    prune: bool,
    target: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> Plan:
    """Validate the files, list every live job and workflow (all pages or nothing), and diff
    what ``target``/``exclude`` select (default: everything); the files' warnings travel with
    the plan (shown above it). Guards are not judged here: the command that shows or applies
    the plan does that with its flags (``guards.judge``)."""
    with collector_paused():
        desired = load_files(session.config, session.env)
        live: dict[str, list[LiveObject]] = {
            SYNC_JOB.name: list(session.api.jobs.list()),
            WORKFLOW.name: list(session.api.workflows.list()),
        }
        return plan_environment(
            session.env.name,
            desired.objects,
            state,
            live,
            prune=prune,
            warnings=desired.warnings,
            elsewhere=desired.elsewhere,
            target=target,
            exclude=exclude,
        )
