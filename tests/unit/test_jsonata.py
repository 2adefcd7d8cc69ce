"""The JSONata wrapper: verdicts equal to the reference's, calls and bindings, lazy import."""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from syncctl import jsonata
from syncctl.jsonata import Call, called_functions, syntax_error
from syncctl.jsregex import regex_problem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "jsonata"
VERDICTS: list[dict[str, Any]] = json.loads((FIXTURES / "verdicts.json").read_text())["verdicts"]


@pytest.mark.parametrize("case", VERDICTS, ids=[v["label"] for v in VERDICTS])
def test_verdict_matches_the_reference(case: dict[str, Any]) -> None:
    error = syntax_error(case["expression"])
    if case["verdict"] == "ok":
        assert error is None, error
        return
    assert error is not None, "the reference rejects this expression"
    assert (error.code or "error") == case["verdict"]
    if "position" in case:
        assert error.position == case["position"]
    if error.code is not None:  # JavaScript's own regex messages are not reproduced
        assert error.message == case["message"]


def test_mutants_agree_with_the_reference() -> None:
    """1500 seeded mutations of the corpus, judged by the reference: every verdict agrees."""
    mutants = json.loads((FIXTURES / "mutants.json").read_text())["verdicts"]
    assert len(mutants) == 1500
    disagreements = []
    for case in mutants:
        error = syntax_error(case["expression"])
        got: tuple[object, ...] = ("ok",) if error is None else (error.code or "error",)
        want: tuple[object, ...] = (case["verdict"],)
        if error is not None and "position" in case:
            got, want = (*got, error.position), (*want, case["position"])
        if error is not None and error.code is not None:
            got, want = (*got, error.message), (*want, case["message"])
        if got != want:
            disagreements.append((case["expression"], want, got))
    assert disagreements == []


def test_corpus_is_large_and_covers_both_verdicts() -> None:
    errors = [v for v in VERDICTS if v["verdict"] != "ok"]
    assert len(VERDICTS) >= 150
    assert len(errors) >= 60
    assert len(VERDICTS) - len(errors) >= 60
    assert len({v["expression"] for v in VERDICTS}) == len(VERDICTS)


def test_shipped_function_list_is_the_fixture() -> None:
    shipped = resources.files("syncctl").joinpath("data/jsonata-functions.json").read_text()
    fixture = (FIXTURES / "functions.json").read_text()
    assert json.loads(shipped) == json.loads(fixture)
    names = json.loads(fixture)
    assert {"exists", "count", "now", "millis"} <= set(names["builtins"])
    assert {"dtFromIso", "firstNonEmpty", "removeEmpty"} <= set(names["extensions"])


def test_error_is_a_value_with_code_message_and_position() -> None:
    error = syntax_error('{"last_synced_at": resources.`read-cursor`.value')
    assert error == jsonata.JsonataError("S0203", 'Expected "}" before end of expression', 48)
    assert error.at(48) == 47  # the last character: the reference points just after it


def test_at_points_at_the_token_or_at_the_character() -> None:
    after = syntax_error("a ++ b")  # S0211 at 4: just after the second "+"
    assert after is not None
    assert (after.position, after.at(6)) == (4, 3)
    at = syntax_error('"\\q"')  # S0103 at 2: the "q" itself
    assert at is not None
    assert (at.code, at.position, at.at(4)) == ("S0103", 2, 2)


def test_position_less_error_points_at_the_start() -> None:
    error = jsonata.JsonataError("S0217", "no parent", None)
    assert error.at(3) == 0
    assert jsonata.JsonataError("S0201", "x", 5).at(0) == 0  # an empty expression


def test_invalid_regex_has_no_code_and_points_at_the_pattern() -> None:
    error = syntax_error("$match(text, /x**/)")
    assert error is not None
    assert (error.code, error.position, error.at(19)) == (None, 13, 13)
    assert error.message.startswith("Invalid regular expression: /x**/:")


def test_results_are_cached_by_text() -> None:
    text = "$exists(args.cached_probe) and $count(x) > 0"
    assert called_functions(text) is called_functions(text)
    assert jsonata._parsed(text) is jsonata._parsed(text)


def test_called_functions_and_their_offsets() -> None:
    text = "$firstNonEmty(a, $string(b)) & $x"
    result = called_functions(text)
    assert result.calls == (Call("firstNonEmty", 0), Call("string", 17))


def test_bound_names_cover_assignments_lambda_parameters_and_bindings() -> None:
    text = "($f := function($g, $v) { $g($v) }; items@$it#$i.$f($uppercase, $it))"
    result = called_functions(text)
    assert {c.name for c in result.calls} == {"g", "f"}
    assert {"f", "g", "v", "it", "i"} <= result.bound


def test_chain_and_partial_calls_are_calls() -> None:
    result = called_functions("name ~> $trim() ~> $substring(?, 1) ~> $uppercse")
    assert [c.name for c in result.calls] == ["trim", "substring", "uppercse"]
    assert result.calls[-1].offset == 39


def test_calls_inside_every_kind_of_node_are_found() -> None:
    text = (
        '{ "a": [$one()], "b": x ? $two() : $three(), "c": items[$four()]^($five()), '
        '"d": | $ | { "e": $six() } | }'
    )
    names = [c.name for c in called_functions(text).calls]
    assert names == ["one", "two", "three", "four", "five", "six"]


def test_an_unparsable_expression_has_no_calls() -> None:
    result = called_functions("$f(")
    assert (result.calls, result.bound) == ((), frozenset())


def test_method_calls_without_dollar_are_not_function_calls() -> None:
    text = "$dtFromIso(x.toISOString()).minus({ 'minutes': 2 }).toISO()"
    assert [c.name for c in called_functions(text).calls] == ["dtFromIso"]


@pytest.mark.parametrize(
    ("pattern", "valid"),
    [
        ("a[^]b", True),
        ("[]", True),
        ("(?<y>\\d)\\k<y>", True),
        ("\\k<y>", True),  # no named groups: an identity escape
        ("\\u12", True),
        ("[\\]]", True),
        ("a{1}+", False),
        ("(?#c)", False),
        ("[a", False),
        ("a\\", False),
    ],
)
def test_javascript_regex_validity(pattern: str, valid: bool) -> None:
    assert (regex_problem(pattern) is None) is valid


def test_validating_a_v1_job_does_not_import_the_library(tmp_path: Path) -> None:
    job = tmp_path / "jobs" / "zendesk" / "tickets.yaml"
    job.parent.mkdir(parents=True)
    job.write_text(
        "default_runtime_version: 3\nresources:\n  - resource: ticketing/tickets\n"
        "    method: list\n"
    )
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "import syncctl.validate as v\n"
        "from syncctl.config import default_config\n"
        f"root = Path({str(tmp_path)!r})\n"
        "report = v.validate_paths([root / 'jobs'], default_config(root), workers=1)\n"
        "assert report.files_checked == 1, report\n"
        "print('jsonata' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert out.stdout.strip() == "False"


def test_cold_parse_cost_is_small() -> None:
    """Median cost of a first parse over the corpus (no cache), a guard against regressions."""
    jsonata._classes()
    costs = []
    for case in VERDICTS:
        start = time.perf_counter()
        jsonata._parse(case["expression"])
        costs.append(time.perf_counter() - start)
    assert statistics.median(costs) < 0.002  # about 40 us here


def test_one_parser_serves_every_parse_in_any_order() -> None:
    """The parser is reused; no parse may leak state into the next (errors included)."""
    texts = [v["expression"] for v in VERDICTS]
    first = [_outcome(t) for t in texts]
    shuffled = list(zip(texts, first, strict=True))
    random.Random(8).shuffle(shuffled)
    assert [_outcome(t) for t, _ in shuffled] == [outcome for _, outcome in shuffled]


def _outcome(text: str) -> tuple[object, ...]:
    tree, error = jsonata._parse(text)  # uncached
    if error is not None:
        return (error.code, error.position, error.message)
    calls: list[Call] = []
    bound: set[str] = set()
    jsonata._walk(tree, text, calls, bound, set())
    return ("ok", tree.type, tuple(calls), frozenset(bound))


def test_a_crash_of_the_port_is_no_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    class Crashing:
        def parse(self, text: str) -> None:
            raise IndexError("string index out of range")

    monkeypatch.setattr(jsonata, "_classes", lambda: (Crashing(), RuntimeError))
    assert jsonata._parse("$f(") == (None, None)


def test_nesting_deeper_than_python_recurses_is_no_verdict() -> None:
    text = "-" * 5000 + "1"  # the port recurses once per operator
    assert jsonata._parse(text) == (None, None)
    assert called_functions(text).calls == ()
