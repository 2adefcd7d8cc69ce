"""Desired jobs: the job files that target one environment, validated by the shared loader.

What is validated is what is applied: plan and apply load the files with the same loader and
rules as ``syncctl validate`` and refuse to go on while any file has an error.
"""

from __future__ import annotations

from syncctl.config import Config, Environment
from syncctl.errors import ValidationFailedError
from syncctl.model import JobSpec
from syncctl.reconcile.normalise import normalise
from syncctl.reconcile.plan import DesiredJob
from syncctl.validate import validate_tree


def load_desired(config: Config, env: Environment) -> list[DesiredJob]:
    jobs, report = validate_tree([config.jobs_dir], config)
    if report.errors:
        first = report.errors[0]
        more = len(report.errors) - 1
        raise ValidationFailedError(
            f"{first.file}:{first.line}:{first.column}: {first.rule} {first.message}"
            + (f" (and {more} more error(s))" if more else ""),
            hint="fix the job files first: run 'syncctl validate'",
        )
    desired = []
    for job in jobs:
        spec = JobSpec.trusted(job)
        if not spec.targets(env.name, config.environments):
            continue
        desired.append(
            DesiredJob(
                key=spec.key,
                integration=spec.effective_integration_name,
                label=spec.effective_label,
                payload=normalise(spec.payload()),
                protected=spec.protected,
            )
        )
    return desired
