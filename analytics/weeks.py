"""Periods — ISO weeks (`2026-W47`), months (`2026-11`), quarters (`2026-Q4`), years (`2026`) — the
window a period is computed over as of today, and the PRC working-day calendar."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import ClassVar

import holidays
import pandas as pd

from analytics.errors import UsageError

_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)
YEARS = range(1990, 2100)
"""The years a week may be in: far beyond them a week's neighbours and windows leave the calendar."""
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})-?Q(\d)\s*$", re.IGNORECASE)
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week, Monday to Sunday."""

    year: int
    number: int
    kind: ClassVar[str] = "week"

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


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, `2026-11`."""

    year: int
    month: int
    kind: ClassVar[str] = "month"

    @classmethod
    def containing(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return self.shift(1).start - timedelta(days=1)

    def shift(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def previous(self) -> Month:
        return self.shift(-1)

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, `2026-Q4` (October to December)."""

    year: int
    quarter: int
    kind: ClassVar[str] = "quarter"

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        return self.shift(1).start - timedelta(days=1)

    def shift(self, quarters: int) -> Quarter:
        index = self.year * 4 + self.quarter - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)

    @property
    def previous(self) -> Quarter:
        return self.shift(-1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}"


@dataclass(frozen=True, order=True)
class Year:
    """A calendar year, `2026`."""

    year: int
    kind: ClassVar[str] = "year"

    @classmethod
    def containing(cls, day: date) -> Year:
        return cls(day.year)

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 12, 31)

    def shift(self, years: int) -> Year:
        return Year(self.year + years)

    @property
    def previous(self) -> Year:
        return self.shift(-1)

    def __str__(self) -> str:
        return str(self.year)


Period = Week | Month | Quarter | Year


def parse_period(text: str) -> Period:
    """`2026-W47`, `2026-11`, `2026-Q4` or `2026`; anything else is a UsageError."""
    text = text or ""
    if _WEEK.match(text):
        return Week.parse(text)
    month, quarter, year = _MONTH.match(text), _QUARTER.match(text), _YEAR.match(text)
    found = month or quarter or year
    if found and int(found.group(1)) not in YEARS:
        raise UsageError(f"无效的期间：{text!r}（年份应在 {YEARS.start} 到 {YEARS.stop - 1} 之间）")
    if month and 1 <= int(month.group(2)) <= 12:
        return Month(int(month.group(1)), int(month.group(2)))
    if quarter and 1 <= int(quarter.group(2)) <= 4:
        return Quarter(int(quarter.group(1)), int(quarter.group(2)))
    if year:
        return Year(int(year.group(1)))
    raise UsageError(f"无效的期间：{text!r}（应为周 2026-W47、月 2026-11、季度 2026-Q4 或年 2026）")


@dataclass(frozen=True)
class Window:
    """The days a period's metrics are computed over, `start` … `end` (the cut-off).

    metrics.md, "Weeks in progress, and periods": a period is complete when its last day is before
    today; otherwise it is in progress and computed as of today: every cut-off Sun(W) becomes `end`
    (today) and "dated in P" means dated in [start, end]. `as_of` is `end`, as the JSON names it.
    """

    period: Period
    start: date
    end: date
    complete: bool

    @property
    def as_of(self) -> date:
        return self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> Window:
        """The period before, of the same kind: whole when this one is complete; while this one is in
        progress, over as many days from its start as this one has run (a week: Mon … the same
        weekday; a month: the 1st … the same day), never past its last day."""
        before = self.period.previous
        if self.complete:
            return whole_window(before)
        end = min(before.end, before.start + timedelta(days=self.days - 1))
        return Window(before, before.start, end, False)


def period_window(period: Period, on: date | None = None) -> Window:
    """The window of `period` as of `on` (default today); a period not yet begun is a UsageError."""
    day = on or today()
    if period.start > day:
        raise UsageError(f"{period} 尚未开始（今天是 {day.isoformat()}）：只能查看已开始的周期")
    return Window(period, period.start, min(period.end, day), period.end < day)


def whole_window(period: Period) -> Window:
    """A period to its last day, complete (e.g. the one before a complete period)."""
    return Window(period, period.start, period.end, True)


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
