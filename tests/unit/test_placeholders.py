"""The placeholder parser: a faithful reading of Truto's replace-placeholders, as values."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncctl.placeholders import CASTS, EMPTY, Alternative, Parsed, has_placeholder, parse


def _one(text: str):
    parsed = parse(text)
    assert parsed.problems == (), parsed.problems
    assert len(parsed.placeholders) == 1, parsed.placeholders
    return parsed.placeholders[0]


def test_text_without_braces_is_the_shared_empty_result() -> None:
    assert parse("ticketing/tickets") is EMPTY
    assert not parse("a { single } brace")
    assert not EMPTY


def test_whole_string_placeholder() -> None:
    holder = _one("{{args.user_id}}")
    assert holder.whole
    assert (holder.start, holder.end) == (0, 16)
    assert holder.alternatives == (Alternative("args.user_id"),)
    assert holder.queries == (("args", "user_id"),)
    assert holder.default is None


def test_embedded_placeholders_carry_their_offsets() -> None:
    text = "id-{{args.n:int}} and {{resources.crm.contacts.id}}"
    parsed = parse(text)
    assert [(p.start, p.end, p.whole) for p in parsed.placeholders] == [
        (3, 17, False),
        (22, 51, False),
    ]
    for holder in parsed.placeholders:
        assert text[holder.start : holder.end] == holder.raw
    assert parsed.placeholders[0].casts == ("int",)
    assert parsed.placeholders[1].queries == (("resources", "crm", "contacts", "id"),)


def test_a_space_around_the_placeholder_makes_it_embedded() -> None:
    assert not _one(" {{args.n:int}}").whole


def test_spaces_inside_are_trimmed() -> None:
    holder = _one("{{ args.n }}")
    assert holder.whole
    assert holder.alternatives == (Alternative("args.n"),)


def test_fallbacks_default_and_default_cast() -> None:
    holder = _one("{{args.a|args.b?:x:int}}")
    assert [a.path for a in holder.alternatives] == ["args.a", "args.b"]
    assert holder.default == "x"
    assert holder.default_casts == ("int",)
    assert holder.casts == ("int",)
    assert holder.queries == (("args", "a"), ("args", "b"))


def test_default_may_hold_a_url() -> None:
    holder = _one("{{args.base?:https://api.example.com/v2}}")
    assert holder.default == "https://api.example.com/v2"
    assert holder.default_casts == ()


def test_a_colon_followed_by_a_word_character_in_a_default_starts_a_cast() -> None:
    # the runtime splits here too, and then throws "Unsupported type: 8080"
    holder = _one("{{args.host?:localhost:8080}}")
    assert (holder.default, holder.default_casts) == ("localhost", ("8080",))


def test_default_cast_is_not_trimmed_but_alternative_casts_are() -> None:
    holder = _one("{{ args.n : int |args.m?:1: int}}")
    assert holder.alternatives == (Alternative("args.n", ("int",)), Alternative("args.m"))
    assert holder.default_casts == (" int",)


def test_only_the_text_between_the_first_two_default_markers_is_the_default() -> None:
    assert _one("{{a?:b?:c}}").default == "b"


def test_an_empty_default_is_no_default() -> None:
    assert _one("{{args.key?:}}").default is None


def test_spaces_in_a_path_make_a_union() -> None:
    holder = _one("{{args.a args.b}}")
    assert holder.queries == (("args", "a"), ("args", "b"))


def test_several_casts_are_all_kept() -> None:
    assert _one("{{args.a:int:str}}").alternatives[0].casts == ("int", "str")
    assert _one("{{args.a:ignore-empty-str|args.b}}").casts == ("ignore-empty-str",)


@pytest.mark.parametrize(
    ("text", "raw", "reason"),
    [
        ("{{args.x}", "{{args.x}", "never closed"),
        ("{{args.x", "{{args.x", "never closed"),
        ("args.x}}", "args.x}}", "no matching"),
        ("{args.x}}", "{args.x}}", "no matching"),
        ("{{foo.bar[0].baz}}", "{{foo.bar[0].baz}}", "'[' ']'"),
        ("{{ $now }}", "{{ $now }}", "'$'"),
        ("x {{a {{b[0]}} y", "{{b[0]}}", "'['"),
        ("{{}}", "{{}}", "empty"),
        ("{{ }}", "{{ }}", "empty path"),
        ("{{a||b}}", "{{a||b}}", "empty path"),
        ("{{args.x:}}", "{{args.x:}}", "':' or '?'"),
        ("{{args.x?y}}", "{{args.x?y}}", "':' or '?'"),
    ],
)
def test_problems(text: str, raw: str, reason: str) -> None:
    parsed = parse(text)
    assert len(parsed.problems) == 1, parsed.problems
    problem = parsed.problems[0]
    assert problem.raw == raw
    assert text[problem.start : problem.end] == raw
    assert reason in problem.reason


@pytest.mark.parametrize(
    "text",
    [
        '{"ticket": {"id": 1}}',
        "{sla}",
        "{{{args.x}}}",
        '{"a": {}}',
        '{"a": {"b": [1]}}',
    ],
)
def test_braces_that_are_not_placeholders_are_no_problem(text: str) -> None:
    assert parse(text).problems == ()


def test_triple_braces_hold_one_embedded_placeholder() -> None:
    holder = _one("{{{args.x}}}")
    assert (holder.start, holder.raw, holder.whole) == (1, "{{args.x}}", False)


def test_good_and_bad_placeholders_in_one_string() -> None:
    parsed = parse("{{args.a}}-{{args.b")
    assert [p.raw for p in parsed.placeholders] == ["{{args.a}}"]
    assert [p.raw for p in parsed.problems] == ["{{args.b"]


def test_has_placeholder() -> None:
    assert has_placeholder("Bearer {{args.token}}")
    assert not has_placeholder("{{args[0]}}")
    assert not has_placeholder("plain")


def test_results_are_json_serialisable_values() -> None:
    parsed = parse("x{{args.a|b:int?:1:num}}y{{bad")
    data = json.loads(json.dumps(parsed.to_dict()))
    assert data["placeholders"][0]["alternatives"] == [
        {"path": "args.a", "casts": []},
        {"path": "b", "casts": ["int"]},
    ]
    assert data["placeholders"][0]["default_casts"] == ["num"]
    assert data["problems"][0]["reason"] == "'{{' is never closed by '}}'"


def test_long_strings_are_parsed_without_the_cache() -> None:
    text = "x" * 2000 + "{{args.a}}"
    assert parse(text).placeholders[0].start == 2000


def test_known_casts() -> None:
    assert {
        "str",
        "int",
        "num",
        "bool",
        "json",
        "any",
        "null",
        "undefined",
        "ignore-empty-str",
    } == CASTS


# -- properties ----------------------------------------------------------------------------

_PLACEHOLDERISH = st.text(alphabet='{}|:?.- _/\t\nargsx0[]$"é', max_size=60)


def _check_invariants(text: str, parsed: Parsed) -> None:
    previous_end = 0
    for holder in parsed.placeholders:
        assert text[holder.start : holder.end] == holder.raw
        assert holder.raw.startswith("{{")
        assert holder.raw.endswith("}}")
        assert holder.whole == (holder.raw == text)
        assert holder.start >= previous_end  # leftmost, never overlapping
        previous_end = holder.end
        assert holder.alternatives
    for problem in parsed.problems:
        assert 0 <= problem.start < problem.end <= len(text)
        assert text[problem.start : problem.end] == problem.raw
        assert problem.reason
    json.dumps(parsed.to_dict())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_parser_never_raises_on_any_text(text: str) -> None:
    _check_invariants(text, parse(text))


@settings(max_examples=500, deadline=None)
@given(_PLACEHOLDERISH)
def test_parser_never_raises_on_placeholder_like_text(text: str) -> None:
    parsed = parse(text)
    _check_invariants(text, parsed)
    if "{{" not in text and "}}" not in text:
        assert parsed is EMPTY


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"\A[a-z_]{1,8}(\.[a-z0-9_-]{1,8}){0,3}\Z"), st.sampled_from(sorted(CASTS)))
def test_a_well_formed_placeholder_round_trips(path: str, cast: str) -> None:
    holder = _one(f"{{{{{path}:{cast}}}}}")
    assert holder.alternatives == (Alternative(path, (cast,)),)
    assert holder.queries == (tuple(path.split(".")),)
