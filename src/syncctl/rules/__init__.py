"""The rule registry: every rule id lives in its own module under ``syncctl.rules``.

A rule module is named ``sjNNN_<what>.py``; it defines ``RULE = RuleInfo(...)`` and one check
function decorated with ``@file_rule(RULE)`` (runs once per job file) or ``@project_rule(RULE)``
(runs once over all files, for cross-file rules). ``all_rules()`` imports every such module (and
``loader_rules``, which registers SJ001-SJ004), so adding a rule is adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil

from syncctl.rules.base import (
    FileCheck,
    FileContext,
    JobFile,
    ProjectCheck,
    ProjectContext,
    Registry,
    RuleInfo,
    file_rule,
    project_rule,
    registry,
)


def rule_modules() -> list[str]:
    """``loader_rules`` (SJ001-SJ004) and every ``sjNNN_*`` module of this package, sorted."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("sj"))
    return ["loader_rules", *names]


def all_rules() -> Registry:
    """Import every rule module once and return the filled registry."""
    for name in rule_modules():
        importlib.import_module(f"syncctl.rules.{name}")
    return registry


__all__ = [
    "FileCheck",
    "FileContext",
    "JobFile",
    "ProjectCheck",
    "ProjectContext",
    "Registry",
    "RuleInfo",
    "all_rules",
    "file_rule",
    "project_rule",
    "registry",
    "rule_modules",
]
