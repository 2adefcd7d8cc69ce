"""SJ007, and the suppressions it watches over (design §3).

Suppressions are applied once, after every file and cross-file rule has run, to all findings
together (so a cross-file finding such as SJ006 can be silenced too, and the outcome is the same
with one process or a pool):

* ``# syncctl: ignore[SJ501,SJ402]`` at the end of a line silences those rules' findings placed
  on that line; ``# syncctl: ignore-file[SJ501]`` on a line of its own silences them in the file;
* ``[tool.syncctl.rules]`` sets a rule ``"off"`` (its findings are suppressed), ``"warning"`` or
  ``"error"`` (its findings take that severity).

Syntax errors (SJ001-SJ003) cannot be suppressed. A suppressed finding is kept, marked (JSON and
SARIF show it; text and GitHub output and the exit code ignore it). A suppression comment that
silenced nothing, or that names no rule or a rule that cannot be suppressed, is SJ007: a stale
``ignore`` would otherwise hide the next real finding on its line without anyone noticing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence

from syncctl.config import Config
from syncctl.errors import ConfigError
from syncctl.findings import (
    SUPPRESSED_BY_CONFIG,
    SUPPRESSED_IN_SOURCE,
    Finding,
    Severity,
)
from syncctl.loader import SUPPRESSION_MARK, Suppression, find_suppressions
from syncctl.rules.base import EVERY_KIND, JobFile, RuleInfo, registry

RULE = RuleInfo("SJ007", Severity.WARNING, "a suppression that silenced nothing", EVERY_KIND)
registry.add(RULE)  # no check of its own: ``apply_suppressions`` reports it, last

UNSUPPRESSIBLE = frozenset({"SJ001", "SJ002", "SJ003"})
"""Syntax errors: what they hide is not a job at all."""

_Used = set[tuple[int, str]]  # (index of the comment in its file, rule id) that silenced something


def check_rule_levels(config: Config, known: Iterable[str]) -> None:
    """``[tool.syncctl.rules]`` names only rules that exist and may be changed."""
    where = f"{config.source}: " if config.source is not None else ""
    table = f"[{config.table}.rules]" if config.table else "[rules]"
    known_ids = set(known)
    for rule, level in config.rules.items():
        if rule in UNSUPPRESSIBLE:
            raise ConfigError(
                f"{where}{table}: {rule} = {level!r}: syntax errors (SJ001-SJ003) cannot be"
                " turned off or changed",
                hint="fix the file instead; see docs/rules.md",
            )
        if rule not in known_ids:
            raise ConfigError(
                f"{where}{table}: {rule} is not a rule of this syncctl",
                hint="the rule ids are listed in docs/rules.md",
            )


def apply_suppressions(
    findings: Sequence[Finding], jobs: Sequence[JobFile], config: Config
) -> list[Finding]:
    """``findings`` with the suppressed ones marked and the configured severities applied,
    plus SJ007 for each suppression comment that silenced nothing."""
    comments = _comments(jobs)
    if not comments and not config.rules:
        return list(findings)
    out, used = _silence(findings, comments)
    # SJ007 findings may be silenced in turn (``ignore-file[SJ007]``); a comment's own SJ007
    # entry is judged once that is known.
    stale, used_by_stale = _silence(_stale(comments, used), comments)
    out.extend(stale)
    out.extend(_stale_sj007(comments, used | used_by_stale))
    return [_configured(f, config.rules) for f in out]


def _comments(jobs: Sequence[JobFile]) -> dict[str, tuple[Suppression, ...]]:
    """Each file's suppression comments (only files whose text mentions ``syncctl:``)."""
    out = {}
    for job in jobs:
        text = job.doc.text
        if text is not None and SUPPRESSION_MARK in text:
            found = find_suppressions(job.doc)
            if found:
                out[job.doc.file] = found
    return out


def _silence(
    findings: Iterable[Finding], comments: Mapping[str, tuple[Suppression, ...]]
) -> tuple[list[Finding], _Used]:
    """The findings, those a comment covers marked suppressed; and which (comment, rule) did."""
    out: list[Finding] = []
    used: _Used = set()
    for finding in findings:
        own = comments.get(finding.file)
        if own and finding.rule not in UNSUPPRESSIBLE and finding.suppressed is None:
            hits = [
                index
                for index, comment in enumerate(own)
                if comment.problem is None
                and finding.rule in comment.rules
                and (comment.whole_file or comment.line == finding.line)
            ]
            if hits:
                used.update((index, finding.rule) for index in hits)
                finding = dataclasses.replace(finding, suppressed=SUPPRESSED_IN_SOURCE)
        out.append(finding)
    return out, used


def _stale(comments: Mapping[str, tuple[Suppression, ...]], used: _Used) -> list[Finding]:
    """SJ007 for every comment (or rule id in it) that silenced nothing, SJ007 itself aside."""
    out = []
    for file, own in comments.items():
        for index, comment in enumerate(own):
            finding = _judge(file, comment, index, used, skip=frozenset({RULE.id}))
            if finding is not None:
                out.append(finding)
    return out


def _stale_sj007(comments: Mapping[str, tuple[Suppression, ...]], used: _Used) -> list[Finding]:
    """SJ007 for each comment that names SJ007 where no SJ007 finding was there to silence."""
    out = []
    for file, own in comments.items():
        for index, comment in enumerate(own):
            if (
                RULE.id in comment.rules
                and comment.problem is None
                and (index, RULE.id) not in used
            ):
                out.append(_finding(file, comment, f"{RULE.id} silenced nothing", _REMOVE))
    return out


_REMOVE = "remove the rule id from the comment, or the comment"


def _judge(
    file: str, comment: Suppression, index: int, used: _Used, *, skip: frozenset[str]
) -> Finding | None:
    """The SJ007 finding a comment earns, if any (rule ids in ``skip`` are judged later)."""
    if comment.problem is not None:
        return _finding(file, comment, comment.problem, "see docs/rules.md#sj007")
    idle = [r for r in comment.rules if r not in skip and (index, r) not in used]
    if not idle:
        return None
    reasons = []
    fixed = [r for r in idle if r in UNSUPPRESSIBLE]
    unknown = [r for r in idle if r not in UNSUPPRESSIBLE and r not in registry.rules]
    quiet = [r for r in idle if r not in fixed and r not in unknown]
    if quiet:
        where = "in this file" if comment.whole_file else "on this line"
        reasons.append(f"{', '.join(quiet)} silenced nothing (no such finding {where})")
    if unknown:
        reasons.append(f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} no rule")
    if fixed:
        reasons.append(f"{', '.join(fixed)}: syntax errors cannot be suppressed")
    hint = _REMOVE
    if quiet and comment.own_line and not comment.whole_file:
        hint = (
            "ignore[...] silences findings on its own line: put it at the end of the line"
            " that has the finding, or use ignore-file[...]"
        )
    verb = "ignore-file" if comment.whole_file else "ignore"
    return _finding(file, comment, f"{verb}[...]: " + "; ".join(reasons), hint)


def _finding(file: str, comment: Suppression, message: str, hint: str) -> Finding:
    return Finding(file, comment.line, comment.column, RULE.id, RULE.severity, message, "$", hint)


def _configured(finding: Finding, levels: Mapping[str, str]) -> Finding:
    """The finding as ``[tool.syncctl.rules]`` sets its rule: off (suppressed), or a severity."""
    level = levels.get(finding.rule)
    if level is None or finding.rule in UNSUPPRESSIBLE:
        return finding
    if level == "off":
        if finding.suppressed is not None:
            return finding
        return dataclasses.replace(finding, suppressed=SUPPRESSED_BY_CONFIG)
    severity = Severity(level)
    return (
        finding if finding.severity is severity else dataclasses.replace(finding, severity=severity)
    )
