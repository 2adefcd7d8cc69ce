"""Run a managed sync job once: build the run request, start it, follow it to its end.

``syncctl run`` (design §7; reference §1.5) is a thin layer over this module, and so is
``apply --verify-run``:

* ``load_job_data(config, key)`` reads the job file of ``key`` (a usage error naming the
  closest key when there is none); ``remote_id(state, key)`` its id in the environment's state
  (a job never applied is an error whose hint is ``syncctl apply``).
* ``build_args(data, given, account)`` turns ``--arg K=V`` texts into the run's ``args``, typed
  by the job's ``args_schema`` (either Truto dialect: ``{type: object, properties}`` or the
  runtime 4 flat map; ``rules._args.declared_args`` reads both) and checked against it: an
  undeclared name, a value of the wrong type or outside ``enum``, and required arguments left
  out are each a ``UsageError`` (exit 2). ``MissingArgsError`` (a ``UsageError``) names the
  missing ones, so a caller can report a job as skipped instead. ``account`` also fills
  ``args.integrated_account_id`` when the job declares that argument and it was not given.
* ``request_for(...)`` puts it together as a ``RunRequest``; ``start(client, request)`` POSTs
  it (never retried once sent: the client's POST rule) and ``follow(client, run, ...)`` polls
  ``GET /sync-job-run/{id}`` until a terminal status or the timeout. Polls go through the
  client, so 429s and 5xx are retried with its backoff and Retry-After; a poll that still fails
  says that the run goes on.

Exit codes of a followed run (``Followed.exit_code``): 0 completed; 1 failed or stopped;
3 (``EXIT_TIMEOUT``) stopped waiting at the timeout (the run goes on). 2 is a usage error.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from syncctl.checks import load_jobs
from syncctl.client.api import SyncJobClient
from syncctl.client.models import LiveRun
from syncctl.config import Config
from syncctl.errors import (
    EXIT_FAILURE,
    EXIT_OK,
    ApiError,
    StateError,
    UsageError,
    ValidationFailedError,
)
from syncctl.loader import Document
from syncctl.reconcile.state import State
from syncctl.rules._args import declared_args

EXIT_TIMEOUT = 3
"""Stopped waiting at ``--timeout``; the run goes on."""
TERMINAL_EXIT: Mapping[str, int] = {
    "completed": EXIT_OK,
    "failed": EXIT_FAILURE,
    "stopped": EXIT_FAILURE,
}
"""The terminal statuses of a run (reference §1.5) and the exit code each gives."""
ACCOUNT_ARG = "integrated_account_id"
POLL_ENV = "SYNCCTL_RUN_POLL_INTERVAL"
"""Seconds between two polls of a run (a positive number), when no option says otherwise."""
DEFAULT_POLL_SECONDS = 2.0
"""Truto updates a run's counters about every 10 s; 2 s shows a status change soon enough and
costs little of the token's 500 requests per 10 s."""
_INTEGER = re.compile(r"[+-]?\d+")


class MissingArgsError(UsageError):
    """Required arguments were not given (``missing``: their names, sorted)."""

    def __init__(self, message: str, missing: Sequence[str], *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.missing = tuple(missing)


@dataclass(frozen=True, slots=True)
class RunRequest:
    """What ``POST /sync-job-run`` is sent for one job (reference §1.5)."""

    key: str
    sync_job_id: str
    integrated_account_id: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "sync_job_id": self.sync_job_id,
            "integrated_account_id": self.integrated_account_id,
        }
        if self.args:
            body["args"] = dict(self.args)
        return body


# -- the job file and its remote id ------------------------------------------------------------


def load_job_data(config: Config, key: str) -> dict[str, Any]:
    """The data of the job file whose key is ``key`` (``<integration>/<name>``)."""
    path = config.jobs_dir / f"{key}.yaml"
    found = [job for job in load_jobs([path], config) if job.key == key] if path.is_file() else []
    if not found:
        raise UsageError(
            f"no job file has the key {key!r} in {config.jobs_dir.name}/",
            hint=_key_hint(config, key),
        )
    job = found[0]
    if job.data is None:
        first = job.doc.findings[0].message if job.doc.findings else "not a mapping"
        raise ValidationFailedError(
            f"{job.rel}: {first}", hint="fix the file first: run 'syncctl validate'"
        )
    return job.data


def _key_hint(config: Config, key: str) -> str:
    keys = sorted(
        p.relative_to(config.jobs_dir).with_suffix("").as_posix()
        for p in config.jobs_dir.glob("*/*.yaml")
    )
    close = difflib.get_close_matches(key, keys, n=1)
    if close:
        return f"did you mean {close[0]}?"
    return "a job key is <integration folder>/<file name without .yaml>"


def remote_id(state: State, key: str) -> str:
    """The id of ``key``'s live job in ``state``; a job never applied is an error."""
    entry = state.jobs.get(key)
    if entry is None:
        raise StateError(
            f"job {key} is not managed in environment {state.environment!r} (no id in its state)",
            hint=f"run 'syncctl apply' first (syncctl --env {state.environment} apply)",
        )
    return entry.id


# -- arguments ---------------------------------------------------------------------------------


def parse_arg_options(texts: Sequence[str]) -> list[tuple[str, str]]:
    """``K=V`` texts as (name, raw value) pairs; a text without ``=`` or a name given twice is
    a usage error."""
    pairs: list[tuple[str, str]] = []
    for text in texts:
        name, sep, value = text.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"--arg {text!r} is not NAME=VALUE", hint="e.g. --arg page_size=50")
        if any(name == seen for seen, _ in pairs):
            raise UsageError(f"--arg {name} given twice")
        pairs.append((name, value))
    return pairs


def _types_of(prop: Any) -> tuple[str, ...]:
    kind = prop.get("type") if isinstance(prop, Mapping) else None
    if isinstance(kind, str):
        return (kind,)
    if isinstance(kind, list):
        return tuple(t for t in kind if isinstance(t, str))
    return ()


def _as(kind: str, raw: str) -> tuple[bool, Any]:
    """(converted?, value) of ``raw`` as JSON type ``kind``; an unknown type keeps the text."""
    text = raw.strip()
    if kind == "integer":
        return (True, int(text)) if _INTEGER.fullmatch(text) else (False, None)
    if kind == "number":
        if _INTEGER.fullmatch(text):
            return True, int(text)
        try:
            number = float(text)
        except ValueError:
            return False, None
        return (True, number) if math.isfinite(number) else (False, None)
    if kind == "boolean":
        lowered = text.lower()
        return (lowered in ("true", "false"), lowered == "true")
    if kind == "null":
        return (text == "null", None)
    if kind in ("array", "object"):
        try:
            value = json.loads(raw)
        except ValueError:
            return False, None
        wanted = list if kind == "array" else dict
        return (isinstance(value, wanted), value)
    return True, raw  # string, or a type the dialect does not document


_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
    "array": 'a JSON array, e.g. \'["a","b"]\'',
    "object": "a JSON object, e.g. '{\"k\":1}'",
}


def convert_value(name: str, raw: str, prop: Any) -> Any:
    """``raw`` typed as the property schema ``prop`` says (the first of its types that fits),
    then checked against its ``enum``."""
    types = _types_of(prop) or ("string",)
    for kind in types:
        ok, value = _as(kind, raw)
        if ok:
            break
    else:
        wanted = " or ".join(_WORDS.get(t, t) for t in types)
        raise UsageError(
            f"--arg {name}={raw}: {name} is declared as {'/'.join(types)}; give {wanted}"
        )
    allowed = prop.get("enum") if isinstance(prop, Mapping) else None
    if isinstance(allowed, list) and value not in allowed:
        choices = ", ".join(json.dumps(v) for v in allowed)
        raise UsageError(f"--arg {name}={raw}: not one of the allowed values ({choices})")
    return value


def build_args(
    data: Mapping[str, Any], given: Sequence[tuple[str, str]], account: str, *, key: str = "job"
) -> dict[str, Any]:
    """The run's ``args`` from ``--arg`` pairs, typed and checked by ``data``'s ``args_schema``.

    ``account`` fills ``integrated_account_id`` when the job declares it and it is not given.
    """
    declared = declared_args(Document(key, dict(data), None, ()))
    if declared is None:
        raise ValidationFailedError(
            f"{key}: args_schema is not in Truto's dialect",
            hint="fix the file first: run 'syncctl validate'",
        )
    props = declared.properties
    args: dict[str, Any] = {}
    for name, raw in given:
        if name not in props and not declared.open:
            raise UsageError(
                f"--arg {name}: job {key} declares no argument {name!r}",
                hint=_declared_hint(name, props),
            )
        args[name] = convert_value(name, raw, props.get(name))
    if ACCOUNT_ARG in props and ACCOUNT_ARG not in args:
        args[ACCOUNT_ARG] = account
    missing = sorted(
        name
        for name, prop in props.items()
        if isinstance(prop, Mapping)
        and prop.get("required") is True
        and "default" not in prop
        and name not in args
    )
    if missing:
        flags = " ".join(f"--arg {name}=..." for name in missing)
        raise MissingArgsError(
            f"job {key} needs the argument(s) {', '.join(missing)}", missing, hint=f"add {flags}"
        )
    return args


def _declared_hint(name: str, props: Mapping[str, Any]) -> str:
    if not props:
        return "its args_schema declares no arguments"
    close = difflib.get_close_matches(name, list(props), n=1)
    listed = ", ".join(sorted(props))
    return f"did you mean {close[0]}? (declared: {listed})" if close else f"declared: {listed}"


def request_for(
    key: str,
    data: Mapping[str, Any],
    sync_job_id: str,
    account: str,
    arg_texts: Sequence[str] = (),
) -> RunRequest:
    """The run request of job ``key`` (its file ``data``, its live id) for ``account``.

    ``apply --verify-run`` calls this per created or updated job (catching ``MissingArgsError``
    to report the job as skipped), then ``run_once``."""
    if not account.strip():
        raise UsageError("--account needs an integrated account id")
    args = build_args(data, parse_arg_options(arg_texts), account, key=key)
    return RunRequest(key, sync_job_id, account, args)


# -- starting and following ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """One change seen while following: the run as read, ``seconds`` after the start, and
    whether its status changed (else only its counters did)."""

    run: LiveRun
    seconds: float
    status_changed: bool


@dataclass(frozen=True, slots=True)
class Followed:
    """How following a run ended: the run as last read, whether the wait stopped at the
    timeout, the seconds waited, and every status seen (with the seconds at which)."""

    run: LiveRun
    timed_out: bool
    seconds: float
    history: tuple[tuple[str, float], ...]

    @property
    def exit_code(self) -> int:
        if self.timed_out:
            return EXIT_TIMEOUT
        return TERMINAL_EXIT.get(self.run.status, EXIT_FAILURE)


def start(client: SyncJobClient, request: RunRequest) -> LiveRun:
    """POST the run (an unknown outcome is never retried: the error says how to look)."""
    return client.runs.create(request.payload())


def poll_interval(option: float | None = None) -> float:
    """Seconds between polls: ``option``, else ``$SYNCCTL_RUN_POLL_INTERVAL``, else 2."""
    if option is not None:
        value: float = option
    else:
        text = os.environ.get(POLL_ENV, "").strip()
        try:
            value = float(text) if text else DEFAULT_POLL_SECONDS
        except ValueError:
            raise UsageError(f"{POLL_ENV}={text!r} is not a number of seconds") from None
    if not (math.isfinite(value) and value > 0):
        raise UsageError(f"the poll interval must be a positive number of seconds, not {value}")
    return value


def follow(
    client: SyncJobClient,
    run: LiveRun,
    *,
    timeout: float | None,
    interval: float,
    on_change: Callable[[Change], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Followed:
    """Poll ``run`` until its status is terminal, or until ``timeout`` seconds have passed.

    ``on_change`` hears of the run as first given and of every read that differs (status or
    counters). A poll that fails after the client's retries raises, with a hint that the run
    goes on."""
    began = clock()
    history = [(run.status, 0.0)]
    if on_change is not None:
        on_change(Change(run, 0.0, True))
    while run.status not in TERMINAL_EXIT:
        waited = clock() - began
        if timeout is not None and waited >= timeout:
            return Followed(run, True, waited, tuple(history))
        pause = interval if timeout is None else min(interval, timeout - waited)
        sleep(max(0.0, pause))
        try:
            latest = client.runs.get(run.id)
        except ApiError as exc:
            exc.hint = f"run {run.id} goes on; syncctl stopped watching it" + (
                f" ({exc.hint})" if exc.hint else ""
            )
            raise
        seconds = clock() - began
        changed = latest.status != run.status
        if changed:
            history.append((latest.status, seconds))
        if on_change is not None and (changed or latest.body != run.body):
            on_change(Change(latest, seconds, changed))
        run = latest
    return Followed(run, False, clock() - began, tuple(history))


def run_once(
    client: SyncJobClient,
    request: RunRequest,
    *,
    timeout: float | None,
    interval: float | None = None,
    on_change: Callable[[Change], None] | None = None,
) -> Followed:
    """Start ``request`` and follow it (what ``apply --verify-run`` does per job)."""
    run = start(client, request)
    return follow(
        client, run, timeout=timeout, interval=poll_interval(interval), on_change=on_change
    )


def stats_text(stats: Any) -> str:
    """``resource_stats`` in one line, whatever its inner shape: ``tickets list: 12 records``."""
    if not isinstance(stats, Mapping) or not stats:
        return ""
    parts: list[str] = []
    for resource, methods in stats.items():
        if not isinstance(methods, Mapping):
            parts.append(f"{resource}: {_counts(methods)}")
            continue
        for method, value in methods.items():
            parts.append(f"{resource} {method}: {_counts(value)}")
    return "; ".join(parts)


def _counts(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{v} {k}" for k, v in value.items())
    return json.dumps(value) if not isinstance(value, str) else value
