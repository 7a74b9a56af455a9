"""The metrics engine for notebooks: one object that knows the database, the settings and the week.

A notebook's parameters cell names a database (or none: `OPS_DB`, else data/ops.duckdb) and a week
(or none: the last complete week with data). Every call borrows a connection only for its own
duration, so a notebook left open never locks the dashboard or the command line out of the file.
Nothing here computes a metric: each method is one call of `analytics.metrics`, or the same call
repeated over several weeks with a `week` column added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analytics import metrics
from analytics.config import database_path, settings_path
from analytics.db import connect
from analytics.errors import UsageError
from analytics.formatting import format_delta, format_value
from analytics.metrics import METRICS
from analytics.settings import Settings, load_settings
from analytics.weeks import Month, Period, Week

if TYPE_CHECKING:
    from analytics.followup.bulletin import Bulletin


@dataclass(frozen=True)
class Review:
    """The week under review and where its numbers come from."""

    db_path: Path
    week: Week
    settings: Settings
    departments: tuple[str, ...] | None = None

    # -- weeks ------------------------------------------------------------------------------------
    def weeks(self, count: int) -> list[Week]:
        """The `count` weeks that end with the week under review, oldest first."""
        return [self.week.shift(offset) for offset in range(1 - count, 1)]

    def with_settings(self, **changes: float) -> Review:
        """The same review with some thresholds changed (e.g. a wider idle window)."""
        return replace(self, settings=self.settings.with_changes(**changes))

    @property
    def _scope(self) -> list[str] | None:
        return list(self.departments) if self.departments else None

    # -- one week ---------------------------------------------------------------------------------
    def report(self, names: Sequence[str] | None = None, week: Week | None = None) -> pd.DataFrame:
        """The week's numbers with last week's and the change, one row per metric, ready to read."""
        with connect(self.db_path) as con:
            results = metrics.week_report(con, week or self.week, self.settings, self._scope, names=names)
        rows = []
        for result in results:
            metric = METRICS[result.name]
            rows.append(
                {
                    "指标": metric.label_zh,
                    "本周": format_value(result.value, metric.unit),
                    "上周": format_value(result.previous, metric.unit),
                    "较上周": format_delta(result.delta, metric.unit) or "—",
                    "分子": result.numerator,
                    "分母": result.denominator,
                    "metric": result.name,
                    "value": result.value,
                }
            )
        return pd.DataFrame(rows)

    def rows(self, name: str, week: Week | None = None) -> pd.DataFrame:
        """The rows behind a number (`metric_rows`), with the reasons a row counts."""
        with connect(self.db_path) as con:
            return metrics.metric_rows(con, name, week or self.week, self.settings, self._scope)

    def breakdown(self, name: str, week: Week | None = None) -> pd.DataFrame:
        """A number per department (`breakdown`)."""
        with connect(self.db_path) as con:
            return metrics.breakdown(con, name, week or self.week, self.settings, self._scope)

    # -- several weeks ----------------------------------------------------------------------------
    def trend(self, names: Sequence[str], weeks: int = 13) -> pd.DataFrame:
        """The named metrics over the last `weeks` weeks (`trend`)."""
        span = self.weeks(weeks)
        with connect(self.db_path) as con:
            return metrics.trend(con, list(names), span[0], span[-1], self.settings, self._scope)

    def rows_over(self, name: str, weeks: int = 13) -> pd.DataFrame:
        """`metric_rows` of each of the last `weeks` weeks, stacked, with the week in a `week` column."""
        frames = []
        with connect(self.db_path) as con:
            for week in self.weeks(weeks):
                frame = metrics.metric_rows(con, name, week, self.settings, self._scope)
                if not frame.empty:
                    frames.append(frame.assign(week=str(week), week_start=pd.Timestamp(week.start)))
        if not frames:
            empty = self.rows(name)
            return empty.assign(week=pd.Series(dtype="str"), week_start=pd.Series(dtype="datetime64[us]"))
        return pd.concat(frames, ignore_index=True)

    def breakdown_over(self, name: str, weeks: int = 13) -> pd.DataFrame:
        """`breakdown` of each of the last `weeks` weeks, stacked, with `week` and `week_start` columns."""
        frames = []
        with connect(self.db_path) as con:
            for week in self.weeks(weeks):
                frame = metrics.breakdown(con, name, week, self.settings, self._scope)
                frames.append(frame.assign(week=str(week), week_start=pd.Timestamp(week.start)))
        return pd.concat(frames, ignore_index=True)

    def bulletin(self, period: Period | None = None) -> Bulletin:
        """The 督办通报 of a period (default: the month of the week under review), cut off at the week's
        Sunday when the period runs on past it."""
        from analytics.followup.bulletin import gather_bulletin

        chosen = period or Month.containing(self.week.end)
        with connect(self.db_path) as con:
            return gather_bulletin(con, chosen, self.settings, self._scope, as_of=self.week.end)

    def describe(self) -> str:
        scope = "、".join(self.departments) if self.departments else "全公司"
        return f"分析周：{self.week}（{self.week.start} 至 {self.week.end}）；范围：{scope}；数据库：{self.db_path}"


def open_review(
    db_path: str | Path | None = None,
    week: str | Week | None = None,
    departments: Sequence[str] | None = None,
) -> Review:
    """The review of a parameters cell: the database (`OPS_DB` when not given) and the week.

    Without a week, the last complete week with data; an empty database is a UsageError that says
    what to do.
    """
    path = database_path(db_path)
    if not path.exists():
        raise UsageError(f"数据库 {path} 不存在：先导入台账（python -m analytics ingest）或设置 OPS_DB")
    settings = load_settings(settings_path(path))
    if isinstance(week, Week):
        chosen = week
    elif week:
        chosen = Week.parse(week)
    else:
        with connect(path) as con:
            latest = metrics.latest_week_with_data(con)
        if latest is None:
            raise UsageError(f"数据库 {path} 中还没有台账数据：先导入（python -m analytics ingest）")
        chosen = latest
    return Review(path, chosen, settings, tuple(departments) if departments else None)
