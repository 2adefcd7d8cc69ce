"""The rule registry: every rule id lives in its own module under ``syncctl.rules``.

A rule module defines ``RULE = RuleInfo(...)`` and one check function decorated with
``@file_rule(RULE)`` (runs once per job file) or ``@project_rule(RULE)`` (runs once over all
files, for cross-file rules). ``all_rules()`` imports every module listed in ``RULE_MODULES``.
"""

from __future__ import annotations

import importlib

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

RULE_MODULES: tuple[str, ...] = (
    "loader_rules",  # SJ001-SJ004
)


def all_rules() -> Registry:
    """Import every rule module once and return the filled registry."""
    for name in RULE_MODULES:
        importlib.import_module(f"syncctl.rules.{name}")
    return registry


__all__ = [
    "RULE_MODULES",
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
]
