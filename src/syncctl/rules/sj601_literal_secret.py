"""SJ601: a literal secret in a job file.

Two ways to find one, one finding per value at most:

* a key named like a credential (``token``, ``secret``, ``password``, ``api_key``, ``apikey``,
  ``access_token``, ``client_secret``, also as a suffix: ``x_api_key``, ``clientSecret``) whose
  value is a non-empty literal, not a placeholder;
* any string that has the shape of a known credential (Stripe/GitHub/Slack/AWS/Google keys, JWTs,
  ``Bearer ...`` headers, PEM private keys).

The message never repeats the secret: at most its first 4 characters and ``…``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from syncctl.findings import Finding, PathPart, Severity
from syncctl.rules.base import FileContext, RuleInfo, file_rule

RULE = RuleInfo(
    "SJ601",
    Severity.ERROR,
    "a literal secret in the file (token-like value, key named token/secret/password/api_key)",
)

_SECRET_NAMES = (
    "token",
    "secret",
    "password",
    "api_key",
    "apikey",
    "access_token",
    "client_secret",
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SHAPES = re.compile(
    r"(?P<stripe>\b[rs]k_(?:live|test)_[0-9A-Za-z]{10,})"
    r"|(?P<github>\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}))"
    r"|(?P<slack>\bxox[abposr]-[0-9A-Za-z-]{10,})"
    r"|(?P<aws>\b(?:AKIA|ASIA)[0-9A-Z]{16}\b)"
    r"|(?P<google>\bAIza[0-9A-Za-z_-]{35})"
    r"|(?P<jwt>\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})"
    r"|(?P<bearer>\b[Bb]earer\s+(?=[A-Za-z0-9._~+/-]*[0-9])[A-Za-z0-9._~+/-]{16,}=*)"
    r"|(?P<pem>-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----)"
)
_SHAPE_NAMES = {
    "stripe": "a Stripe secret key",
    "github": "a GitHub token",
    "slack": "a Slack token",
    "aws": "an AWS access key id",
    "google": "a Google API key",
    "jwt": "a JSON Web Token",
    "bearer": "a bearer token",
    "pem": "a private key",
}
_HINT = (
    'never commit credentials: pass them as run arguments ("{{args.api_key}}") or keep them '
    "in the integration's settings, and rotate the exposed secret"
)


# Cheap prefilter: a document whose text (lowered) holds none of these cannot hold a finding.
_NEEDLES = (
    "token",
    "secret",
    "password",
    "api_key",
    "apikey",
    "api-key",
    "k_live_",
    "k_test_",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "xox",
    "akia",
    "asia",
    "aiza",
    "eyj",
    "earer",
    "private key",
)


def _may_hold_secret(ctx: FileContext) -> bool:
    """Substring searches (in C) of the file's text: keys, values and comments, a superset of
    the data. A backslash may be a YAML escape hiding a needle, so then the data's repr is
    searched instead."""
    text = ctx.doc.text
    if text is None or "\\" in text:
        text = repr(ctx.data)
    lowered = text.lower()
    return any(needle in lowered for needle in _NEEDLES)


@lru_cache(maxsize=1024)
def _secret_key(key: str) -> bool:
    name = _CAMEL.sub("_", key).lower().replace("-", "_")
    return any(name == s or name.endswith("_" + s) for s in _SECRET_NAMES)


def _shown(secret: str) -> str:
    """At most the first 4 characters, and only of a long value."""
    return (secret[:4] if len(secret) >= 12 else "") + "…"


def _literal(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and value.strip() and "{{" not in value:
        return value.strip()
    return None


def _walk(
    value: Any, path: list[PathPart], key: str | None, out: list[tuple[tuple[PathPart, ...], str]]
) -> None:
    if isinstance(value, dict):
        for child_key, child in value.items():
            path.append(child_key)
            _walk(child, path, child_key, out)
            path.pop()
        return
    if isinstance(value, list):
        for index, child in enumerate(value):
            path.append(index)
            _walk(child, path, None, out)
            path.pop()
        return
    if key is not None and _secret_key(key):
        literal = _literal(value)
        if literal is not None:
            out.append((tuple(path), f"literal secret in {key!r}: {_shown(literal)!r}"))
            return
    if isinstance(value, str):
        match = _SHAPES.search(value)
        if match is not None and match.lastgroup is not None:
            what = _SHAPE_NAMES[match.lastgroup]
            out.append((tuple(path), f"value looks like {what}: {_shown(match.group(0))!r}"))


@file_rule(RULE)
def check(ctx: FileContext) -> Iterator[Finding]:
    data = ctx.data
    if data is None or not _may_hold_secret(ctx):
        return
    found: list[tuple[tuple[PathPart, ...], str]] = []
    _walk(data, [], None, found)
    for path, message in found:
        yield ctx.finding(RULE, path, message, hint=_HINT)
