"""The formats of ``validate`` findings: compiler-style text, JSON, GitHub annotations, SARIF."""

from __future__ import annotations

from syncctl.findings import Report
from syncctl.render import findings_github, findings_json, findings_sarif, findings_text
from syncctl.render.registry import Registry

FINDINGS: Registry[Report] = Registry(
    "findings",
    {
        "text": findings_text.render,
        "json": findings_json.render,
        "github": findings_github.render,
        "sarif": findings_sarif.render,
    },
)
