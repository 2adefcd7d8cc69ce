"""SJ010: the file does not match the JSON Schema of its kind (a job file, a workflow file).

A clean file costs one pass of the compiled fast check (``syncctl.schema.is_surely_valid``);
only a file that fails it is run through jsonschema for precise errors. Each error is placed
where the user must look: an unknown key at that key, a wrong value at the value, a missing key
at the key of the mapping that lacks it (1:1 for the top level). One mistake gives one finding:
a misspelt key is reported as unknown ("did you mean …?"), not also as a missing required key,
and a mistake that a dedicated rule reports (entries of the other runtime's shape, a request
without ``integrated_account_id``, a destination with nothing to persist) is left to that rule
(``_schema_precedence``). A runtime 4 node whose ``type`` is unknown gets one finding, at the
type: the schema picks the node's shape by its type, so no other field is judged. A workflow
step's config that names both or neither of ``sync_job`` and ``sync_job_id`` gets one finding
saying so. A YAML 1.1 boolean where the schema wants another type (``persist: yes``) is one
finding: SJ010 (an error: the value is wrong) with SJ004's advice, and SJ004 stays silent there
(``absorbed_yaml11``).
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from syncctl.findings import Finding, JsonPath, Severity, format_path
from syncctl.kinds import SYNC_JOB, WORKFLOW
from syncctl.loader import Document
from syncctl.rules._schema_precedence import deferred_keys, defers_error
from syncctl.rules.base import EVERY_KIND, FileContext, RuleInfo, file_rule
from syncctl.schema import is_surely_valid, validator

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

RULE = RuleInfo("SJ010", Severity.ERROR, "JSON Schema violation", EVERY_KIND)

# Per kind: what its file is called, and what a file of it starts from.
_FILE = {SYNC_JOB.name: "job file", WORKFLOW.name: "workflow file"}
_START_FROM = {
    SYNC_JOB.name: "start from: label, default_runtime_version and a resources list",
    WORKFLOW.name: "start from: trigger_name and a config with a steps list",
}

_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


class _Checked(NamedTuple):
    findings: tuple[Finding, ...]
    absorbed: frozenset[str]
    """JSON paths of the SJ004 findings that a finding here reports (see ``absorbed_yaml11``)."""


# The last document checked and its outcome: SJ004's check (which runs first) and this rule's
# share one run of the schema, and no more than one document is kept alive.
_LAST: list[tuple[Document, _Checked]] = []


def _checked(ctx: FileContext) -> _Checked:
    if _LAST and _LAST[0][0] is ctx.doc:
        return _LAST[0][1]
    result = _check(ctx)
    _LAST[:] = [(ctx.doc, result)]
    return result


@file_rule(RULE)
def check_schema(ctx: FileContext) -> Iterable[Finding]:
    return _checked(ctx).findings


def absorbed_yaml11(ctx: FileContext) -> frozenset[str]:
    """The JSON paths where a YAML 1.1 boolean-looking value breaks the schema: SJ010 reports
    it there (with SJ004's advice), so SJ004 does not report it a second time."""
    return _checked(ctx).absorbed


def _check(ctx: FileContext) -> _Checked:
    job = ctx.job
    if job.path.suffix != ".yaml":
        return _NOTHING  # not read at all: SJ005 says "job files end in .yaml"
    data = job.doc.data
    if isinstance(data, dict):
        if is_surely_valid(data, job.kind):
            return _NOTHING
        absorbed: set[str] = set()
        return _Checked(tuple(_findings(ctx, data, absorbed)), frozenset(absorbed))
    if data is None and job.doc.findings:
        return _NOTHING  # unreadable: the loader's SJ001 says why
    kind = _kind(data)
    shown = "empty" if data is None else f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"
    finding = Finding(
        job.rel,
        1,
        1,
        RULE.id,
        RULE.severity,
        f"a {_file(ctx)} must be a mapping (this one is {shown})",
        "$",
        _START_FROM.get(job.kind.name),
    )
    return _Checked((finding,), frozenset())


_NOTHING = _Checked((), frozenset())


def _file(ctx: FileContext) -> str:
    """What the file is called: ``job file``, ``workflow file`` (another kind: by its name)."""
    name = ctx.job.kind.name
    return _FILE.get(name, f"{name.replace('_', ' ')} file")


def _findings(ctx: FileContext, data: dict[str, Any], absorbed: set[str]) -> list[Finding]:
    jobs = ctx.job.kind is SYNC_JOB  # the dedicated rules SJ010 defers to are about jobs
    errors = [
        leaf
        for leaf in map(_leaf, validator(ctx.job.kind).iter_errors(data))
        if not (jobs and defers_error(ctx.doc, tuple(leaf.absolute_path), leaf.instance))
    ]
    typos: dict[JsonPath, set[str]] = {}
    out: list[Finding] = []
    for error in errors:
        if error.validator == "additionalProperties":
            out.extend(_unknown_keys(ctx, error, typos))
    yaml11 = {f.path: f for f in ctx.doc.findings if f.rule == "SJ004"}
    for error in errors:
        if error.validator == "required":
            out.extend(_missing_keys(ctx, error, typos))
        elif error.validator != "additionalProperties":
            finding = _value_error(ctx, error)
            sj004 = yaml11.get(finding.path)
            if sj004 is not None:
                absorbed.add(finding.path)
                finding = dataclasses.replace(finding, hint=_yaml11_hint(error, sj004))
            out.append(finding)
    return out


def _yaml11_hint(error: ValidationError, sj004: Finding) -> str | None:
    """SJ004's advice for a YAML 1.1 boolean that breaks the schema: for a boolean field,
    write true or false; otherwise SJ004's own hint."""
    wanted = error.validator_value if error.validator == "type" else None
    names = [wanted] if isinstance(wanted, str) else wanted if isinstance(wanted, list) else []
    if "boolean" in names:
        return f"write true or false: {error.instance!r} is a boolean only in YAML 1.1"
    return sj004.hint


def _leaf(error: ValidationError) -> ValidationError:
    """For anyOf/oneOf, the most relevant branch error (jsonschema's ``best_match``); a
    choice between required keys is kept whole (``_choice`` names the keys)."""
    from jsonschema.exceptions import best_match

    while error.context and _choice(error) is None:
        best = best_match(error.context)
        if best is None:  # pragma: no cover - context is never empty here
            break
        error = best
    return error


def _where(path: Sequence[str | int]) -> str:
    return "the top level" if not path else format_path(path)[2:].lstrip(".")


def _in(path: Sequence[str | int]) -> str:
    return f"in {_where(path)}" if path else "at the top level"


def _unknown_keys(
    ctx: FileContext, error: ValidationError, typos: dict[JsonPath, set[str]]
) -> Iterator[Finding]:
    path = tuple(error.absolute_path)
    instance = error.instance if isinstance(error.instance, dict) else {}
    known = sorted(error.schema.get("properties", {})) if isinstance(error.schema, dict) else []
    for key in instance:
        if key in known:
            continue
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        if close and close[0] not in instance:
            typos.setdefault(path, set()).add(close[0])
            message = f"unknown key {key!r} {_in(path)} (did you mean {close[0]!r}?)"
            hint = f"rename it to {close[0]}"
        else:
            message = f"unknown key {key!r} {_in(path)}"
            hint = "allowed keys: " + ", ".join(known)
        yield ctx.finding(RULE, (*path, key), message, key=True, hint=hint)


def _missing_keys(
    ctx: FileContext, error: ValidationError, typos: dict[JsonPath, set[str]]
) -> Iterator[Finding]:
    path = tuple(error.absolute_path)
    if not isinstance(error.instance, dict):  # pragma: no cover - jsonschema checks objects only
        return
    required: list[str] = list(error.validator_value)  # type: ignore[arg-type]
    skip = typos.get(path, set())
    if ctx.job.kind is SYNC_JOB:
        skip |= deferred_keys(ctx.doc, path)
    missing = [k for k in required if k not in error.instance and k not in skip]
    if not missing:
        return
    names = ", ".join(repr(k) for k in missing)
    plural = "s" if len(missing) > 1 else ""
    where = _where(path) if path else f"the {_file(ctx)}"
    message = f"{where} is missing the required key{plural} {names}"
    hint = _renames(missing, required, error) or "required keys: " + ", ".join(required)
    if not path:
        yield Finding(ctx.job.rel, 1, 1, RULE.id, RULE.severity, message, "$", hint)
    else:
        yield ctx.finding(RULE, path, message, key=True, hint=hint)


def _renames(missing: list[str], required: list[str], error: ValidationError) -> str | None:
    """ "rename 'tpye' to 'type'" for a missing key that a key of the mapping misspells.

    Needed where the mapping's schema is open, so the misspelling was not reported as an
    unknown key: a runtime 4 node whose shape is not chosen yet because ``type`` is missing.
    """
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = {*schema.get("properties", {}), *required}
    strays = [k for k in error.instance if k not in known]  # type: ignore[union-attr]
    renames = []
    for key in missing:
        close = difflib.get_close_matches(key, strays, n=1, cutoff=0.6)
        if close:
            strays.remove(close[0])
            renames.append(f"rename {close[0]!r} to {key!r}")
    return "; ".join(renames) or None


def _value_error(ctx: FileContext, error: ValidationError) -> Finding:
    path = tuple(error.absolute_path)
    message, hint = _describe(error, path)
    if error.validator == "uniqueItems" and isinstance(error.instance, list):
        index = _first_repeat(error.instance)
        if index is not None:
            path = (*path, index)
    return ctx.finding(RULE, path, message, hint=hint)


def _describe(error: ValidationError, path: JsonPath) -> tuple[str, str | None]:
    where, value = _where(path), error.instance
    arg: Any = error.validator_value
    keyword = error.validator
    if keyword == "type":
        names = [arg] if isinstance(arg, str) else arg
        allowed = " or ".join(_TYPE_NAMES.get(t, t) for t in names)
        return f"{where} must be {allowed}, not {_shown(value)}", None
    if keyword == "const":
        near = difflib.get_close_matches(str(value), [str(arg)], n=1)
        fix = f"did you mean {arg!r}?" if near else f"set it to {arg}"
        return f"{where} is {_shown(value)}; allowed: {arg}", fix
    choice = _choice(error)
    if choice is not None:
        given = [k for k in choice if isinstance(value, dict) and k in value]
        either = " or ".join(repr(k) for k in choice)
        if len(given) > 1:
            both = " and ".join(repr(k) for k in given)
            return f"{where} sets both {both}; set only one", f"keep {either}, not both"
        return f"{where} must set {either}", f"name the job with {choice[0]}"
    if keyword == "enum":
        choices = ", ".join(map(str, arg))
        close = difflib.get_close_matches(str(value), [str(a) for a in arg], n=1)
        hint = f"did you mean {close[0]!r}?" if close else None
        return f"{where} is {value!r}; allowed: {choices}", hint
    if keyword == "minLength":
        return f"{where} must not be empty", None
    if keyword in ("minimum", "maximum"):
        low = error.schema.get("minimum", "…") if isinstance(error.schema, dict) else "…"
        high = error.schema.get("maximum", "…") if isinstance(error.schema, dict) else "…"
        return f"{where} is {value!r}; allowed: {low} to {high}", None
    if keyword == "minItems":
        return f"{where} must list at least {arg} entr{'y' if arg == 1 else 'ies'}", None
    if keyword == "uniqueItems":
        return f"{where} lists the same value twice", "remove the repeated entry"
    return f"{where}: {error.message}", None


def _choice(error: ValidationError) -> tuple[str, ...] | None:
    """The keys of a ``oneOf`` whose branches each require one key (exactly one of them must
    be set), or ``None`` for any other error."""
    branches = error.validator_value if error.validator == "oneOf" else None
    if not isinstance(branches, list):
        return None
    keys: list[str] = []
    for branch in branches:
        required = branch.get("required") if isinstance(branch, dict) else None
        if set(branch) != {"required"} or not isinstance(required, list) or len(required) != 1:
            return None
        keys.append(required[0])
    return tuple(keys)


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return f"the {_kind(value)} {value!r}"
    return f"a {_kind(value)}"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "list" if isinstance(value, list) else "mapping"


def _first_repeat(items: list[Any]) -> int | None:
    seen: list[Any] = []
    for index, item in enumerate(items):
        if item in seen:
            return index
        seen.append(item)
    return None
