"""``syncctl.progress``: the bar, the ``[n/total]`` lines, and log lines printed above a bar."""

from __future__ import annotations

import io

import pytest

from syncctl import progress
from syncctl.progress import BAR_THRESHOLD, ERASE, Bar, echo_above, finish_active, reporter


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _no_bar_left() -> None:
    finish_active()  # a test that fails midway never leaves its bar to the next


def describe(item: str) -> str:
    return f"+ create {item}"


def test_the_bar_fills_in_proportion_and_shows_count_and_item() -> None:
    bar = Bar(20, label="apply", stream=Terminal(), columns=120)
    bar.update(5, "\x1b[32m+ create zendesk/tickets\x1b[0m")
    assert bar.render() == "apply [######------------------]  5/20  + create zendesk/tickets"
    bar.update(20, "")
    assert bar.render() == "apply [########################] 20/20"


def test_the_bar_is_cut_to_the_terminal_width_so_it_never_wraps() -> None:
    bar = Bar(12, label="apply", stream=Terminal(), columns=60)
    bar.update(3, "+ create " + "x" * 100)
    line = bar.render()
    assert len(line) == 59  # one column left free: the last one wraps on some terminals
    assert line.endswith("…")
    assert line.startswith("apply [######------------------]  3/12  + create x")


def test_a_terminal_and_more_than_ten_items_draw_a_bar_redrawn_with_carriage_returns() -> None:
    out = Terminal()
    show = reporter(BAR_THRESHOLD + 2, verbosity=0, describe=describe, stream=out)
    assert show is not None
    for done in range(1, 13):
        show(f"job{done}", done, 12)
    text = out.getvalue()
    assert text.count(ERASE) == 12  # one redraw per item, each from the line's start
    assert "[n/" not in text
    assert "[1/12]" not in text
    assert text.endswith("apply [########################] 12/12  + create job12\n")
    assert progress._active is None  # the last item ended the bar


@pytest.mark.parametrize(
    ("total", "verbosity", "tty"),
    [
        (BAR_THRESHOLD, 0, True),  # ten actions: not long enough for a bar
        (BAR_THRESHOLD + 1, 0, False),  # a pipe or a file
        (BAR_THRESHOLD + 1, -1, True),  # -q
    ],
)
def test_no_bar_and_no_lines_otherwise(total: int, verbosity: int, tty: bool) -> None:
    out = Terminal() if tty else io.StringIO()
    assert reporter(total, verbosity=verbosity, describe=describe, stream=out) is None
    assert out.getvalue() == ""


@pytest.mark.parametrize("tty", [True, False])
def test_verbose_prints_the_lines_of_today_even_on_a_terminal(tty: bool) -> None:
    out = Terminal() if tty else io.StringIO()
    show = reporter(3, verbosity=1, describe=describe, stream=out)
    assert show is not None
    show("zendesk/a", 1, 3)
    show("zendesk/b", 2, 3)
    assert out.getvalue() == "[1/3] + create zendesk/a\n[2/3] + create zendesk/b\n"


def test_a_log_line_is_printed_above_the_bar_which_is_drawn_again_below_it() -> None:
    out = Terminal()
    show = reporter(12, verbosity=0, describe=describe, stream=out)
    assert show is not None
    show("zendesk/a", 1, 12)
    before = out.getvalue()
    echo_above("syncctl: retrying GET /sync-job", stream=out)
    after = out.getvalue()[len(before) :]
    bar_line = "apply [##----------------------]  1/12  + create zendesk/a"
    assert after == f"{ERASE}syncctl: retrying GET /sync-job\n{ERASE}{bar_line}"


def test_without_a_bar_a_log_line_is_just_a_line() -> None:
    out = io.StringIO()
    echo_above("syncctl: wrote state file state/local.json (serial 3)", stream=out)
    assert out.getvalue() == "syncctl: wrote state file state/local.json (serial 3)\n"


def test_an_interrupted_bar_ends_its_line_before_the_error_is_printed() -> None:
    out = Terminal()
    show = reporter(30, verbosity=0, describe=describe, stream=out)
    assert show is not None
    show("zendesk/a", 1, 30)
    finish_active()
    assert out.getvalue().endswith(" 1/30  + create zendesk/a\n")
    finish_active()  # once only
    assert out.getvalue().count("\n") == 1
