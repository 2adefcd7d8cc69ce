"""One-line messages for pydantic validation errors: ``<where>: <key path>: <what was expected>``.

Every place where data enters syncctl through a pydantic model (state files, saved plans, live
API objects) reports its first error the same way, e.g.
``state/production.json: jobs.zendesk/x.id: expected a string``, and counts the others.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError
from pydantic_core import ErrorDetails

EXPECTED = {
    "string_type": "expected a string",
    "string_too_short": "expected a non-empty string",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "int_type": "expected an integer",
    "int_parsing": "expected an integer",
    "int_from_float": "expected an integer",
    "greater_than_equal": "expected a number >= 0",
    "dict_type": "expected an object",
    "model_type": "expected an object",
    "model_attributes_type": "expected an object",
    "list_type": "expected a list",
    "tuple_type": "expected a list",
    "dataclass_type": "expected an object",
    "missing": "missing",
    "missing_argument": "missing",
    "extra_forbidden": "unknown key",
    "unexpected_keyword_argument": "unknown key",
}


def key_path(loc: Sequence[int | str]) -> str:
    """``("jobs", "zendesk/x", "id")`` -> ``jobs.zendesk/x.id``; ``("result", 3)`` ->
    ``result[3]``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def describe(error: ErrorDetails) -> str:
    """``jobs.zendesk/x.id: expected a string`` for one error of a ``ValidationError``."""
    what = EXPECTED.get(error["type"])
    if what is None:
        message = error["msg"]
        what = message[:1].lower() + message[1:]
    return f"{key_path(error['loc'])}: {what}"


def first_error(exc: ValidationError) -> str:
    """The first error of ``exc`` on one line, with how many more there are."""
    errors = exc.errors(include_url=False, include_input=False)
    more = len(errors) - 1
    return describe(errors[0]) + (f" (and {more} more error(s))" if more > 0 else "")
