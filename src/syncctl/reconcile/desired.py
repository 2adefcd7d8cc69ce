"""Desired objects: the job and workflow files that target one environment, validated by the
shared loader.

What is validated is what is applied: plan and apply load the files with the same loader and
rules as ``syncctl validate`` (both folders together, so a workflow's job keys are checked
against the jobs) and refuse to go on while any file has an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syncctl.config import Config, Environment
from syncctl.discovery import default_paths
from syncctl.errors import ValidationFailedError
from syncctl.findings import Finding
from syncctl.kinds import SYNC_JOB, WORKFLOW
from syncctl.model import TrustedJob
from syncctl.reconcile.normalise import normalise
from syncctl.reconcile.plan import DesiredJob, label_of
from syncctl.rules.base import JobFile
from syncctl.validate import validate_tree


@dataclass(frozen=True, slots=True)
class Desired:
    """What the files say of one environment: the ``objects`` desired there, the validation
    ``warnings`` (shown above the plan), and the keys of the files that exist but target
    other environments (``elsewhere``: an orphan among them is not a removed file)."""

    objects: tuple[DesiredJob, ...]
    warnings: tuple[Finding, ...] = ()
    elsewhere: frozenset[str] = frozenset()


def load_desired(config: Config, env: Environment) -> list[DesiredJob]:
    """Every job and workflow file desired in ``env``: jobs first, each kind in key order as
    the files were found."""
    return list(load_files(config, env).objects)


def load_files(config: Config, env: Environment) -> Desired:
    """Validate every file (refusing on any error) and read what ``env`` wants of them."""
    files, report = validate_tree(default_paths(config), config)
    if report.errors:
        first = report.errors[0]
        more = len(report.errors) - 1
        raise ValidationFailedError(
            f"{first.file}:{first.line}:{first.column}: {first.rule} {first.message}"
            + (f" (and {more} more error(s))" if more else ""),
            hint="fix the files first: run 'syncctl validate'",
        )
    jobs = [(f, _job(f, env, config)) for f in files if f.kind is SYNC_JOB]
    workflows = [(f, _workflow(f, env, config)) for f in files if f.kind is WORKFLOW]
    pairs = [*jobs, *workflows]
    return Desired(
        objects=tuple(d for _, d in pairs if d is not None),
        warnings=tuple(report.warnings),
        elsewhere=frozenset(f.key for f, d in pairs if d is None and f.key is not None),
    )


def _job(file: JobFile, env: Environment, config: Config) -> DesiredJob | None:
    spec = TrustedJob.of(file)  # validated just above: read without a second check
    if not spec.targets(env.name, config.environments):
        return None
    return DesiredJob(
        key=spec.key,
        integration=spec.effective_integration_name,
        label=spec.effective_label,
        payload=normalise(spec.payload()),
        protected=spec.protected,
    )


def _workflow(file: JobFile, env: Environment, config: Config) -> DesiredJob | None:
    """A workflow file as it is planned: its sent fields, steps naming jobs by key (resolved
    to remote ids only when a request is sent; ``syncctl.references``)."""
    data: dict[str, Any] = file.data if isinstance(file.data, dict) else {}
    listed = data.get("environments")
    chosen = listed if isinstance(listed, list) else config.environments
    if env.name not in chosen or file.key is None:
        return None
    payload = normalise(data, WORKFLOW)
    integration, label = label_of(payload, WORKFLOW)
    return DesiredJob(file.key, integration, label, payload, kind=WORKFLOW)
