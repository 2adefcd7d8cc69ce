"""The fast JSONata check says "valid" only where the reference does, with the same calls.

``quick_parse`` answers for a subset of JSONata and sends everything else to the full parser,
so the one mistake it must never make is to call an invalid expression valid. These tests hold
it to the reference's verdicts (the fixture written with npm ``jsonata``), to the full parser
(hypothesis, on token soup from the subset's alphabet and beyond), and check that it covers the
expressions job files really hold, so that a clean tree never loads the JSONata library.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncctl import jsonata
from syncctl.jsonata_fast import Quick, quick_parse
from syncctl.loader import load_file
from syncctl.rules._runtime import jsonata_sites

ROOT = Path(__file__).resolve().parents[2]
VERDICTS: list[dict[str, Any]] = json.loads(
    (ROOT / "tests" / "fixtures" / "jsonata" / "verdicts.json").read_text()
)["verdicts"]


def _full(text: str) -> tuple[jsonata.JsonataError | None, Quick | None]:
    """The full parser's verdict and, when it parses, its calls and bindings (no fast path)."""
    ast, error = jsonata._parsed(text)
    if error is not None or ast is None:
        return error, None
    calls: list[jsonata.Call] = []
    bound: set[str] = set()
    jsonata._walk(ast, text, calls, bound, set())
    ordered = sorted(calls, key=lambda c: c.offset)
    return None, Quick(tuple((c.name, c.offset) for c in ordered), frozenset(bound))


def test_accepts_only_what_the_reference_accepts_on_the_whole_fixture() -> None:
    accepted = [v for v in VERDICTS if quick_parse(v["expression"]) is not None]
    assert [v["label"] for v in accepted if v["verdict"] != "ok"] == []
    assert len(accepted) >= 60  # and it does answer for the common shapes
    for case in accepted:
        assert quick_parse(case["expression"]) == _full(case["expression"])[1], case["label"]


@pytest.mark.parametrize(
    ("text", "calls", "bound"),
    [
        ("$exists(args.webhook_id)", (("exists", 0),), set()),
        ('{"last_synced_at": resources.`read-cursor`.value}', (), set()),
        (
            '$map(resources.crm.users, function($r) { {"id": $r.id, "n": $count($r.tags)} })',
            (("map", 0), ("count", 60)),
            {"r"},
        ),
        ("($n := $count(a); $n > 2 ? $string($n) : 'few')", (("count", 7), ("string", 27)), {"n"}),
        ("sync_job_run.status = 'completed' ? sync_job_run.started_at", (), set()),
        ('a[b = "x" and c != 1].{"id": id, "k": -k}', (), set()),
        ("$f($g(1), [1, 2.5e3, null], {})", (("f", 0), ("g", 3)), set()),
        ("x.$lowercase(name) in ['a', 'b']", (("lowercase", 2),), set()),
    ],
)
def test_calls_and_bindings(text: str, calls: tuple[tuple[str, int], ...], bound: set[str]) -> None:
    assert quick_parse(text) == Quick(calls, frozenset(bound))
    assert _full(text) == (None, Quick(calls, frozenset(bound)))


@pytest.mark.parametrize(
    "text",
    [
        "2.5and$map",  # the reference reads one name "and$map" after the number
        "function(){ b }/a",  # after a lambda's brace the reference starts a regex
        "a.1",  # S0213: a number as a path step
        "true.a",
        "a.null",
        "$a.b := 1",  # S0212
        "a{ b: c }",  # a grouping
        "a[]",
        "foo(1)",  # a call on a name, not a variable
        "/* note */ a",
        "a ?: b",
        "a ?? b",
        "a ~> $f()",
        "$f(?, 1)",
        "function($a)<n:n>{ $a }",
        "function(a){ a }",  # S0208
        '"\\q"',  # S0103
        "1e999",  # S0102
        "a..b",
        "a ** 2",
        "a % 2",
        "$.a and $$.b",
        "a &&& b",
        "",
        "   ",
        "(a",
        "a)",
        "a b",
        "`unclosed",
        "[1, 2,]",
        "{'a': 1,}",
        "$x := ",
        "a ? b : c : d",
        "é",
        "(" * 50 + "1" + ")" * 50,  # deeper than the fast path goes
    ],
)
def test_unsure_outside_the_subset(text: str) -> None:
    assert quick_parse(text) is None


_ALPHABET = st.sampled_from(
    [
        "a", "b", "args", "`x-y`", '"s"', "'t'", "1", "2.5", "0", "1e3", "01", "true", "null",
        "$", "$r", "$map", "function", "and", "or", "in", ".", "+", "-", "*", "/", "=", "!=",
        "<", "<=", ">", "&", "?", ":", ":=", ",", ";", "(", ")", "[", "]", "{", "}", " ",
        "..", "%", "~>", "|", "@", "#", "\\", "'", '"', "$$",
    ]
)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(_ALPHABET, min_size=1, max_size=14).map("".join))
def test_never_calls_valid_what_the_full_parser_rejects(text: str) -> None:
    quick = quick_parse(text)
    if quick is not None:
        assert _full(text) == (None, quick)


def test_covers_the_expressions_of_the_catalog_and_the_benchmark_corpus(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import gen_jobs
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    paths = [*gen_jobs.generate(tmp_path, 300, 5, runtime=4), *(ROOT / "jobs").rglob("*.yaml")]
    texts = {site.text for p in paths for site in jsonata_sites(load_file(p))}
    quick = {text: quick_parse(text) for text in texts}
    assert sum(q is not None for q in quick.values()) >= 0.95 * len(texts)
    for text, answer in quick.items():
        if answer is not None:
            assert _full(text) == (None, answer), text


def test_a_clean_runtime_4_file_imports_no_heavy_library(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import gen_jobs
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    (path,) = gen_jobs.generate(tmp_path, 1, 3, runtime=4)
    assert jsonata_sites(load_file(path))  # the file does hold JSONata
    # neither the JSONata library, jsonschema (slow path of SJ010), httpx (the client),
    # ruamel (fmt) nor multiprocessing (the pool forks by itself)
    probe = (
        "import sys\n"
        "from syncctl.cli.main import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        "heavy = ('jsonata', 'jsonschema', 'httpx', 'ruamel', 'multiprocessing')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    config = str(tmp_path / "syncctl.toml")
    done = subprocess.run(
        [sys.executable, "-c", probe, "--config", config, "validate", "--strict", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
