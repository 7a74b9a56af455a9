"""ISO weeks and the PRC working-day calendar."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.errors import UsageError
from analytics.weeks import (
    Week,
    is_working_day,
    last_complete_week,
    next_working_day,
    today,
    weeks_between,
    working_calendar,
    working_days_between,
)


def test_week_2026_w47_runs_monday_16_to_sunday_22_november() -> None:
    week = Week.parse("2026-W47")
    assert (week.start, week.end) == (date(2026, 11, 16), date(2026, 11, 22))
    assert str(week) == "2026-W47"
    assert str(week.previous) == "2026-W46"


def test_week_across_the_year_end() -> None:
    assert str(Week.parse("2026-W53").shift(1)) == "2027-W01"
    assert str(Week.containing(date(2027, 1, 1))) == "2026-W53"
    assert str(Week.parse("2027-W01").previous) == "2026-W53"


@pytest.mark.parametrize("text", ["2026-W60", "abc", "", "2026-47", "2025-W53"])
def test_a_bad_week_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError):
        Week.parse(text)


def test_last_complete_week_is_the_week_before_this_one() -> None:
    assert str(last_complete_week(date(2026, 11, 24))) == "2026-W47"
    assert str(last_complete_week(date(2026, 11, 23))) == "2026-W47"
    assert str(last_complete_week(date(2026, 11, 22))) == "2026-W46"


def test_ops_today_sets_the_day_the_data_is_reviewed_as_of(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPS_TODAY", " 2026-12-09 ")
    assert today() == date(2026, 12, 9)
    assert str(last_complete_week()) == "2026-W49"
    monkeypatch.setenv("OPS_TODAY", "")
    assert today() == date.today()
    monkeypatch.setenv("OPS_TODAY", "2026/12/09")
    with pytest.raises(UsageError, match="OPS_TODAY='2026/12/09'：应写成 YYYY-MM-DD"):
        today()


def test_weeks_between_is_inclusive() -> None:
    assert [str(w) for w in weeks_between(Week(2026, 46), Week(2026, 48))] == ["2026-W46", "2026-W47", "2026-W48"]


def test_national_day_and_the_adjusted_working_saturday() -> None:
    assert not is_working_day(date(2026, 10, 1))
    assert not is_working_day(date(2026, 10, 7))
    assert is_working_day(date(2026, 10, 10))  # 调休: a Saturday worked
    assert next_working_day(date(2026, 9, 30)) == date(2026, 10, 8)
    assert next_working_day(date(2026, 10, 9)) == date(2026, 10, 10)
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 12)) == 4  # 8, 9, 10, 12


def test_the_calendar_table_agrees_with_the_functions() -> None:
    calendar = working_calendar(date(2026, 9, 28), date(2026, 10, 12)).set_index("day")
    assert calendar.loc[date(2026, 9, 30), "next_working_day"] == date(2026, 10, 8)
    assert bool(calendar.loc[date(2026, 10, 10), "is_working_day"])
    numbers = calendar["working_day_number"]
    assert numbers[date(2026, 10, 12)] - numbers[date(2026, 9, 30)] == 4


def test_periods_parse_and_know_their_days() -> None:
    from analytics.weeks import Month, Quarter, Year, parse_period

    assert parse_period("2026-W47") == Week(2026, 47)
    assert parse_period("2026-11") == Month(2026, 11) and str(Month(2026, 1)) == "2026-01"
    assert parse_period("2026-Q4") == Quarter(2026, 4) and parse_period("2026") == Year(2026)
    assert (Month(2026, 2).start, Month(2026, 2).end) == (date(2026, 2, 1), date(2026, 2, 28))
    assert (Quarter(2026, 4).start, Quarter(2026, 4).end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert Month(2026, 1).previous == Month(2025, 12) and Quarter(2026, 1).previous == Quarter(2025, 4)
    assert Year(2026).previous == Year(2025) and (Year(2026).start, Year(2026).end) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    for bad in ("2026-13", "2026-Q5", "2026-W60", "abc", "", "26-11"):
        with pytest.raises(UsageError):
            parse_period(bad)


def test_a_window_runs_to_today_while_its_period_is_in_progress() -> None:
    from analytics.weeks import Month, period_window

    wednesday = date(2026, 11, 25)
    week = period_window(Week(2026, 48), wednesday)
    assert (week.start, week.end, week.as_of, week.complete) == (date(2026, 11, 23), wednesday, wednesday, False)
    assert (week.previous.start, week.previous.end) == (date(2026, 11, 16), date(2026, 11, 18))
    sunday = period_window(Week(2026, 48), date(2026, 11, 29))
    assert sunday.end == date(2026, 11, 29) and not sunday.complete  # complete only once Sunday is past
    assert period_window(Week(2026, 48), date(2026, 11, 30)).complete
    # a month in progress on the 31st is compared with the whole of a shorter month before it
    march = period_window(Month(2026, 3), date(2026, 3, 31))
    assert (march.previous.start, march.previous.end) == (date(2026, 2, 1), date(2026, 2, 28))
    with pytest.raises(UsageError, match="尚未开始"):
        period_window(Week(2026, 49), wednesday)
