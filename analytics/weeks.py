"""ISO weeks (`2026-W47`) and the PRC working-day calendar."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
import pandas as pd

from analytics.errors import UsageError

_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)
YEARS = range(1990, 2100)
"""The years a week may be in: far beyond them a week's neighbours and windows leave the calendar."""


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week, Monday to Sunday."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Week:
        """Parse `YYYY-Www`; anything else, or a week the year does not have, is a UsageError."""
        match = _WEEK.match(text or "")
        if not match:
            raise UsageError(f"无效的周：{text!r}（应为 YYYY-Www，例如 2026-W47）")
        year, number = int(match.group(1)), int(match.group(2))
        if year not in YEARS:
            raise UsageError(f"无效的周：{text!r}（年份应在 {YEARS.start} 到 {YEARS.stop - 1} 之间）")
        try:
            date.fromisocalendar(year, number, 1)
        except ValueError:
            raise UsageError(f"无效的周：{text!r}（{year} 年没有第 {number} 周）") from None
        return cls(year, number)

    @classmethod
    def containing(cls, day: date) -> Week:
        year, number, _ = day.isocalendar()
        return cls(year, number)

    @property
    def start(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def end(self) -> date:
        """Sunday: `Sun(W)` of metrics.md."""
        return self.start + timedelta(days=6)

    def shift(self, weeks: int) -> Week:
        return Week.containing(self.start + timedelta(weeks=weeks))

    @property
    def previous(self) -> Week:
        return self.shift(-1)

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"


def weeks_between(first: Week, last: Week) -> list[Week]:
    """Every week from first to last, inclusive."""
    weeks, week = [], first
    while week <= last:
        weeks.append(week)
        week = week.shift(1)
    return weeks


TODAY_VARIABLE = "OPS_TODAY"


def today() -> date:
    """Today's date, or the day named by `OPS_TODAY` (YYYY-MM-DD): the workbench then reviews the data as
    it stood on that day (default week, week picker, freshness, the sample company), e.g. to show a
    past review again, or in tests that must not depend on the clock."""
    fixed = os.environ.get(TODAY_VARIABLE, "").strip()
    if not fixed:
        return date.today()
    try:
        return date.fromisoformat(fixed)
    except ValueError:
        raise UsageError(f"{TODAY_VARIABLE}={fixed!r}：应写成 YYYY-MM-DD，例如 2026-11-25") from None


def last_complete_week(on: date | None = None) -> Week:
    """The latest week whose Sunday is before `on` (default: today)."""
    return Week.containing((on or today()) - timedelta(days=7))


@lru_cache(maxsize=64)
def _china(year: int) -> holidays.HolidayBase:
    return holidays.China(years=[year - 1, year, year + 1])


def is_working_day(day: date) -> bool:
    """PRC working day: Mon–Fri minus statutory holidays, plus adjusted working weekends (调休)."""
    return _china(day.year).is_working_day(day)


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    candidate = day + timedelta(days=1)
    while not is_working_day(candidate):
        candidate += timedelta(days=1)
    return candidate


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]: how many working days `end` is after `start` (0 if not after)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


def working_calendar(first: date, last: date) -> pd.DataFrame:
    """One row per day: whether it is a working day, the next working day after it, and a running
    count of working days (so the working days between two dates is a difference of counts)."""
    days = pd.date_range(first, last + timedelta(days=40), freq="D")
    working = pd.Series([is_working_day(day.date()) for day in days], index=days)
    number = working.cumsum()
    following = pd.Series(days.where(working.to_numpy()), index=days).shift(-1).bfill()
    frame = pd.DataFrame(
        {
            "day": days.date,
            "is_working_day": working.to_numpy(),
            "next_working_day": following.dt.date.to_numpy(),
            "working_day_number": number.to_numpy().astype("int32"),
        }
    )
    return frame[frame["day"] <= last].reset_index(drop=True)
