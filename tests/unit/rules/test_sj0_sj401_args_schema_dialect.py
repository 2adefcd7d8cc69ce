"""SJ401: args_schema in Truto's dialect (both shapes)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from syncctl.config import default_config
from syncctl.findings import Finding
from syncctl.validate import validate_paths

HEAD = "label: Args\ndefault_runtime_version: 3\nresources:\n  - {resource: a, method: list}\n"


def _sj401(tmp_path: Path, args: str) -> list[Finding]:
    path = tmp_path / "jobs" / "circleci" / "args.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        HEAD + "args_schema:\n" + textwrap.indent(textwrap.dedent(args), "  "), encoding="utf-8"
    )
    config = default_config(tmp_path)
    return [f for f in validate_paths([config.jobs_dir], config).findings if f.rule == "SJ401"]


@pytest.mark.parametrize(
    "args",
    [
        "type: object\nproperties:\n  slug: {type: string, required: true, format: date}\n",
        "type: object\n",
        "type: object\nrequired: false\nproperties: {}\n",
        "slug: {type: string, required: false}\nids: {type: array, items: {type: string}}\n",
        "type: {type: string, description: an argument named type}\n",
        "properties: {type: string, required: true}\n",  # flat map: an argument named properties
        "slug: {type: string, x-ui: picker, enum: [a, b]}\n",  # unknown keywords stay quiet
    ],
)
def test_dialect_shapes_are_accepted(tmp_path: Path, args: str) -> None:
    assert _sj401(tmp_path, args) == []


@pytest.mark.parametrize(
    ("args", "where", "text"),
    [
        (
            "type: object\nrequired: [slug]\nproperties:\n  slug: {type: string}\n",
            (7, 13),
            "args_schema: required: [..] lists are not Truto's dialect",
        ),
        (
            "type: object\nproperties:\n  slug: {type: string, required: [slug]}\n",
            (8, 36),
            "argument 'slug': required: [..] lists",
        ),
        (
            "type: object\nproperties:\n  slug: {type: string, required: 'true'}\n",
            (8, 36),
            "argument 'slug': required must be true or false, not 'true'",
        ),
        ("type: string\n", (6, 9), "args_schema type is 'string'"),
        ("properties:\n  slug: {type: string}\n", (6, 3), "args_schema has properties but no type"),
        ("type: object\nproperties: [slug]\n", (7, 15), "args_schema properties must be a mapping"),
        ("slug: string\n", (6, 9), "argument 'slug' must be a mapping of keywords"),
        (
            "type: object\nproperties:\n  filter:\n    type: object\n    properties:\n"
            "      since: {type: string, required: 1}\n",
            (11, 41),
            "argument 'since': required must",
        ),
    ],
)
def test_dialect_mistakes_are_placed_exactly(
    tmp_path: Path, args: str, where: tuple[int, int], text: str
) -> None:
    found = _sj401(tmp_path, args)
    assert [(f.line, f.column) for f in found] == [where]
    assert found[0].message.startswith(text)


def test_wrong_json_types_are_left_to_the_schema(tmp_path: Path) -> None:
    assert _sj401(tmp_path, "[a, b]\n") == []
    assert _sj401(tmp_path, "null\n") == []
