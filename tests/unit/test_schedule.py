"""A cron schedule in words: English, in UTC, never from the clock, the library loaded lazily."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from syncctl.schedule import describe


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("0 */6 * * *", "At minute 0 past every sixth hour (UTC)"),
        ("*/30 * * * *", "Every 30th minute of every hour (UTC)"),
        ("15 2 * * MON-FRI", "At 02:15 on Monday through Friday (UTC)"),
        ("15 2 * * mon-fri", "At 02:15 on Monday through Friday (UTC)"),
        ("0 0 15 JAN-FEB *", "At 00:00 on the 15th day of January and February (UTC)"),
        ("0 0 * * 1#2", "At 00:00 on the second Monday of the month (UTC)"),
        ("  0   9 * *  *  ", "At 09:00 every day (UTC)"),
    ],
)
def test_describe_gives_the_schedule_in_words_in_utc(expression: str, words: str) -> None:
    assert describe(expression) == words


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (
            "0 */6 * *",
            "cron expression '0 */6 * *' has 4 fields; it takes five: "
            "minute hour day-of-month month day-of-week (UTC)",
        ),
        ("0 0 0 */6 * * *", "cron expression '0 0 0 */6 * * *' has 7 fields;"),
        ("@daily", "cron expression '@daily' has 1 field;"),
        ("61 * * * *", "cron expression '61 * * * *': the minute field '61' is not valid"),
        ("0 0 31 2 *", "the day-of-month field '31' is not valid"),
        ("0 0 * 13 *", "the month field '13' is not valid"),
        ("0 0 * * MON#9", "the day-of-week field 'MON#9' is not valid"),
        ("0\n0 * * x", "cron expression '0\\n0 * * x': the day-of-week field 'x' is not valid"),
    ],
)
def test_an_invalid_expression_is_a_one_line_value_error(expression: str, message: str) -> None:
    with pytest.raises(ValueError, match=r"^cron expression ") as raised:
        describe(expression)
    text = str(raised.value)
    assert message in text
    assert "\n" not in text


def test_describe_never_reads_the_clock() -> None:
    """Run in a fresh interpreter whose clocks raise, installed before anything is imported."""
    script = textwrap.dedent(
        """
        import datetime, time

        def _read(*args, **kwargs):
            raise AssertionError("the clock was read")

        class _Date(datetime.date):
            today = classmethod(_read)

        class _DateTime(datetime.datetime):
            now = classmethod(_read)
            utcnow = classmethod(_read)
            today = classmethod(_read)

        datetime.date, datetime.datetime = _Date, _DateTime
        for name in ("time", "time_ns", "localtime", "gmtime", "ctime", "asctime", "strftime"):
            setattr(time, name, _read)

        from syncctl.schedule import describe

        print(describe("0 */6 * * *"))
        print(describe("0 0 15 JAN-FEB *"))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "At minute 0 past every sixth hour (UTC)",
        "At 00:00 on the 15th day of January and February (UTC)",
    ]


def test_the_cron_library_is_imported_only_when_a_schedule_is_described() -> None:
    script = textwrap.dedent(
        """
        import sys
        import syncctl.schedule
        print("cronsim" in sys.modules)
        syncctl.schedule.describe("0 * * * *")
        print("cronsim" in sys.modules)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "True"]
