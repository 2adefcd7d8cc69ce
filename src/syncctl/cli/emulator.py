"""``syncctl emulator serve``: run the bundled sync-job and workflow API emulator as a real HTTP
server (sync jobs, workflows, and sync-job runs with a simulated lifecycle)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import click

from syncctl.config import LOOPBACK_HOSTS
from syncctl.emulator import LOCAL_ENVIRONMENT_ID, LOCAL_TOKEN, LOCAL_TOKEN_ENV
from syncctl.emulator.faults import FaultSettings, parse_burst, parse_rate_limit
from syncctl.emulator.handler import DEFAULT_TRIGGERS, Emulator, EmulatorSettings
from syncctl.emulator.runs import ERROR_HANDLING, RunSettings
from syncctl.emulator.server import serve
from syncctl.emulator.store import Store
from syncctl.errors import UsageError

DEFAULT_RUNS = RunSettings()


def _split(spec: str) -> tuple[str, str]:
    value, sep, env = spec.partition("=")
    return value, (env if sep else LOCAL_ENVIRONMENT_ID)


def _tokens(specs: tuple[str, ...], env_specs: tuple[str, ...]) -> tuple[dict[str, str], str]:
    """Token -> environment id, and a description of where they came from (never the values)."""
    tokens: dict[str, str] = {}
    sources: list[str] = []
    for spec in specs:
        token, env = _split(spec)
        if not token or not env:
            raise UsageError("--token needs TOKEN or TOKEN=ENV_ID (got an empty part)")
        tokens[token] = env
    if specs:
        sources.append(f"{len(specs)} from --token")
    for spec in env_specs:
        variable, env = _split(spec)
        value = os.environ.get(variable)
        if not value:
            raise UsageError(f"--token-env: variable {variable} is not set")
        tokens[value] = env
        sources.append(f"${variable} for environment {env!r}")
    if tokens:
        return tokens, ", ".join(sources)
    if os.environ.get(LOCAL_TOKEN_ENV):
        tokens[os.environ[LOCAL_TOKEN_ENV]] = LOCAL_ENVIRONMENT_ID
        return tokens, f"${LOCAL_TOKEN_ENV} for environment {LOCAL_ENVIRONMENT_ID!r}"
    tokens[LOCAL_TOKEN] = LOCAL_ENVIRONMENT_ID
    return tokens, (
        f"the built-in development token for environment {LOCAL_ENVIRONMENT_ID!r} "
        f"(${LOCAL_TOKEN_ENV} is not set)"
    )


def _triggers(extra: tuple[str, ...]) -> tuple[str, ...]:
    """The default triggers, then each ``--trigger`` not already among them, in order."""
    known = list(DEFAULT_TRIGGERS)
    for name in extra:
        if not name.strip():
            raise UsageError("--trigger needs a trigger name (e.g. integrated_account:created)")
        if name not in known:
            known.append(name)
    return tuple(known)


def _is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


@click.group()
def emulator() -> None:
    """The bundled sync-job and workflow API emulator (for local runs, tests and benchmarks).

    \b
    Examples:
      syncctl emulator serve --port 8787 --token dev-token
      syncctl emulator serve --port 0 --burst-429 next:2 --retry-after 1
    """


@emulator.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8787,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(".syncctl/emulator.sqlite3"),
    show_default=True,
    help="SQLite file holding the jobs (created if missing; ':memory:' keeps nothing).",
)
@click.option(
    "--token",
    "tokens",
    multiple=True,
    metavar="TOKEN[=ENV_ID]",
    help="Accept this bearer token for environment ENV_ID (default 'local'). "
    "Repeatable. Visible to other users in the process list: prefer --token-env.",
)
@click.option(
    "--token-env",
    "token_envs",
    multiple=True,
    metavar="VAR[=ENV_ID]",
    help="Accept the token held in variable VAR. Repeatable.",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow a non-loopback --host (the emulator speaks plain http).",
)
@click.option(
    "--latency-ms",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Added latency per request.",
)
@click.option(
    "--error-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Probability of an injected 500.",
)
@click.option(
    "--rate-limit",
    metavar="N/SECONDS",
    help="Token-bucket limit per token, e.g. 500/10 (Truto's); 429 with Retry-After.",
)
@click.option(
    "--burst-429",
    metavar="every:N|next:K",
    help="Answer 429 to every Nth request, or to the next K requests.",
)
@click.option(
    "--retry-after",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Retry-After seconds sent with --burst-429 answers.",
)
@click.option(
    "--drop-after-commit-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Probability that a write is committed but its connection cut before the answer.",
)
@click.option(
    "--page-size-default",
    type=click.IntRange(min=1),
    default=25,
    show_default=True,
    help="Page size when a list request sends no limit.",
)
@click.option(
    "--page-size-max",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="Largest page; a larger limit is clamped (or refused with --reject-over-max).",
)
@click.option("--reject-over-max", is_flag=True, help="Answer 400 to a limit above the maximum.")
@click.option(
    "--default-runtime-version",
    type=click.IntRange(1, 4),
    default=3,
    show_default=True,
    help="Stamped on created jobs that omit it.",
)
@click.option(
    "--unknown-fields",
    type=click.Choice(["store", "reject", "drop"]),
    default="store",
    show_default=True,
    help="What to do with unknown keys in a request body.",
)
@click.option(
    "--read-only-fields",
    type=click.Choice(["reject", "ignore"]),
    default="reject",
    show_default=True,
    help="What to do with a changed id/environment_id/timestamp.",
)
@click.option(
    "--trigger",
    "triggers",
    multiple=True,
    metavar="NAME",
    help="Also accept workflows on trigger NAME (integrated_account:active always is). Repeatable.",
)
@click.option(
    "--run-seconds",
    type=click.FloatRange(min=0),
    default=DEFAULT_RUNS.run_seconds,
    show_default=True,
    help="How long a sync-job run is running before it completes or fails.",
)
@click.option(
    "--run-start-seconds",
    type=click.FloatRange(min=0),
    default=DEFAULT_RUNS.start_seconds,
    show_default=True,
    help="How long a new run stays 'created' before it is running.",
)
@click.option(
    "--run-failure-rate",
    type=click.FloatRange(0, 1),
    default=DEFAULT_RUNS.failure_rate,
    show_default=True,
    help="Probability that a run ends 'failed' (drawn at create; seeded by --seed).",
)
@click.option(
    "--run-rate-limited-rate",
    type=click.FloatRange(0, 1),
    default=DEFAULT_RUNS.rate_limited_rate,
    show_default=True,
    help="Probability that a run has one 'rate_limited' spell midway.",
)
@click.option(
    "--run-rate-limited-seconds",
    type=click.FloatRange(min=0),
    default=DEFAULT_RUNS.rate_limited_seconds,
    show_default=True,
    help="Length of a 'rate_limited' spell (added to the run's duration).",
)
@click.option(
    "--run-error-handling",
    type=click.Choice(ERROR_HANDLING),
    default=DEFAULT_RUNS.error_handling,
    show_default=True,
    help="error_handling of a run created without one (the docs say ignore, Truto's skills "
    "fail_fast).",
)
@click.option("--seed", type=int, help="Seed of the fault and run RNGs (repeatable runs).")
@click.option("--log-requests", is_flag=True, help="Log each request line and status to stderr.")
def serve_command(
    host: str,
    port: int,
    db: Path,
    tokens: tuple[str, ...],
    token_envs: tuple[str, ...],
    allow_remote: bool,
    latency_ms: float,
    error_rate: float,
    rate_limit: str | None,
    burst_429: str | None,
    retry_after: int,
    drop_after_commit_rate: float,
    page_size_default: int,
    page_size_max: int,
    reject_over_max: bool,
    default_runtime_version: int,
    unknown_fields: str,
    read_only_fields: str,
    triggers: tuple[str, ...],
    run_seconds: float,
    run_start_seconds: float,
    run_failure_rate: float,
    run_rate_limited_rate: float,
    run_rate_limited_seconds: float,
    run_error_handling: str,
    seed: int | None,
    log_requests: bool,
) -> None:
    """Serve the sync-job and workflow API on http://HOST:PORT until Ctrl-C or SIGTERM.

    Exit 0 when stopped by Ctrl-C or SIGTERM, 2 usage (e.g. a non-loopback host without
    --allow-remote).

    \b
    Examples:
      syncctl emulator serve --port 8787 --token dev-token
      syncctl emulator serve --port 0 --latency-ms 50 --error-rate 0.1 --seed 7
    """
    if not _is_loopback(host) and not allow_remote:
        raise UsageError(
            f"refusing to listen on non-loopback host {host!r}",
            hint="the emulator speaks plain http; pass --allow-remote if you mean it",
        )
    if page_size_default > page_size_max:
        raise UsageError("--page-size-default must not exceed --page-size-max")
    accepted, source = _tokens(tokens, token_envs)
    every, next_k = parse_burst(burst_429) if burst_429 else (0, 0)
    faults = FaultSettings(
        latency_ms=latency_ms,
        error_rate=error_rate,
        burst_429_every=every,
        burst_429_next=next_k,
        retry_after=retry_after,
        rate_limit=parse_rate_limit(rate_limit) if rate_limit else None,
        drop_after_commit_rate=drop_after_commit_rate,
        seed=seed,
    )
    settings = EmulatorSettings(
        tokens=accepted,
        page_size_default=page_size_default,
        page_size_max=page_size_max,
        limit_over_max="reject" if reject_over_max else "clamp",
        default_runtime_version=default_runtime_version,
        unknown_fields=unknown_fields,  # type: ignore[arg-type]  # click.Choice checked it
        read_only_fields=read_only_fields,  # type: ignore[arg-type]
        known_triggers=_triggers(triggers),
        runs=RunSettings(
            start_seconds=run_start_seconds,
            run_seconds=run_seconds,
            failure_rate=run_failure_rate,
            rate_limited_rate=run_rate_limited_rate,
            rate_limited_seconds=run_rate_limited_seconds,
            seed=seed,
            error_handling=run_error_handling,  # type: ignore[arg-type]  # click.Choice checked it
        ),
    )
    if log_requests:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger = logging.getLogger("syncctl.emulator")
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        logger.propagate = False  # its own handler: not also the CLI's -v handler (twice)
    store = Store(db)
    try:

        def ready(url: str) -> None:
            click.echo(f"syncctl emulator: serving {url}  (database {db})")
            click.echo(f"syncctl emulator: accepting {source}")
            click.echo(f"syncctl emulator: workflow triggers {', '.join(settings.known_triggers)}")
            runs = settings.runs
            click.echo(
                f"syncctl emulator: runs start after {runs.start_seconds:g}s, run "
                f"{runs.run_seconds:g}s, fail at rate {runs.failure_rate:g}"
            )
            click.echo("syncctl emulator: press Ctrl-C to stop")

        serve(Emulator(settings, store, faults=faults), host, port, ready=ready)
    finally:
        store.close()
    click.echo("syncctl emulator: stopped", err=True)
