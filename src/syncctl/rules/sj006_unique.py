"""SJ006: two files claim the same job key, or the same label in one environment.

The job key (``<integration>/<name>``) is compared case-insensitively: on a case-insensitive
file system (macOS, Windows) ``Tickets.yaml`` and ``tickets.yaml`` are one file. The label
(default: the job key) must be unique within each environment a job targets (default: every
configured environment), because plan adopts live jobs by integration and label. Every involved
file gets a finding at its ``label`` value (1:1 when the label is defaulted) naming the others.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from syncctl.findings import Finding, Severity
from syncctl.rules.base import JobFile, ProjectContext, RuleInfo, project_rule

RULE = RuleInfo(
    "SJ006", Severity.ERROR, "two files claim the same job key or the same label in one environment"
)


@project_rule(RULE)
def check_unique(ctx: ProjectContext) -> Iterable[Finding]:
    by_key: dict[str, list[JobFile]] = defaultdict(list)
    by_label: dict[tuple[str, str], list[JobFile]] = defaultdict(list)
    all_envs = tuple(ctx.config.environments)
    for job in ctx.jobs:
        data = job.data
        if data is None:
            continue
        key = job.key
        if key is not None:
            by_key[key.casefold()].append(job)
        label = _label(data, key)
        if label is None:
            continue
        for env in _environments(data, all_envs):
            by_label[(env, label)].append(job)
    findings: list[Finding] = []
    for jobs in by_key.values():
        if len(jobs) > 1:
            for job in jobs:
                named = ", ".join(o.rel for o in jobs if o is not job)
                findings.append(
                    _at_label(
                        ctx,
                        job,
                        f"job key {job.key!r} is also claimed by "
                        f"{named} (keys are compared ignoring case)",
                        "rename one of the files",
                    )
                )
    clashes: dict[int, tuple[JobFile, dict[str, list[str]]]] = {}
    for (env, _text), jobs in by_label.items():
        if len(jobs) < 2:
            continue
        for job in jobs:
            for other in jobs:
                if other is job or _same_key(job, other):
                    continue  # already reported as the same job key
                entry = clashes.setdefault(id(job), (job, {}))[1]
                entry.setdefault(other.rel, []).append(env)
    for job, sharing in clashes.values():
        label = _label(job.data or {}, job.key)
        named = "; ".join(
            f"{rel} (in {', '.join(sorted(set(envs)))})" for rel, envs in sorted(sharing.items())
        )
        findings.append(
            _at_label(
                ctx, job, f"label {label!r} is also used by {named}", "give each job its own label"
            )
        )
    return findings


def _label(data: dict[str, Any], key: str | None) -> str | None:
    """The effective label: ``label``, or the job key when it is absent."""
    label = data.get("label")
    if isinstance(label, str) and label:
        return label
    return key if label is None else None


def _environments(data: dict[str, Any], all_envs: Sequence[str]) -> Sequence[str]:
    listed = data.get("environments")
    if isinstance(listed, list):
        return list(dict.fromkeys(e for e in listed if isinstance(e, str)))
    return all_envs


def _same_key(a: JobFile, b: JobFile) -> bool:
    return a.key is not None and b.key is not None and a.key.casefold() == b.key.casefold()


def _at_label(ctx: ProjectContext, job: JobFile, message: str, hint: str) -> Finding:
    data = job.data
    if data is not None and "label" in data:
        return ctx.finding(RULE, job, ("label",), message, hint=hint)
    return Finding(job.rel, 1, 1, RULE.id, RULE.severity, message, "$", hint)
