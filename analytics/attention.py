"""The "needs attention" list of the weekly review: overdue and soon-due items, service-level breaches.

Built only from the metrics engine's rows (`metric_rows`), so every item on the list is one the
numbers count: overdue resolutions and documents at the cut-off (the period's end, or today while it
is in progress), resolutions and documents due in the 7 days after the cut-off and still open at it,
and the rows that missed a service level in the period. No streamlit here; the overview page and the
report share it. `source_rows` gives one kind's rows whole: the 需要关注 links open exactly those
(`?attention=KIND` on a ledger page), never the whole population of the metric they come from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

import duckdb
import pandas as pd

from analytics.metrics.registry import ATTENTION
from analytics.metrics.registry import Attention as Source
from analytics.settings import Settings
from analytics.weeks import Period, Window, period_window

REASON_COLUMNS = ("reasons", "reason", "missed_service_levels")
COLUMNS = ["kind", "metric", "ledger", "record_id", "title", "department", "date", "detail", "severity"]


DUE_SOON_DAYS = 7


SOURCES: tuple[Source, ...] = tuple(sorted(ATTENTION, key=lambda source: source.severity))
"""The kinds of item, most urgent first: each declared on its metric (MetricDef.attention)."""
KINDS = {source.kind: source for source in SOURCES}


def _detail(source: Source, rows: pd.DataFrame, lang: str) -> pd.Series:
    zh = lang == "zh"
    if source.kind.startswith("overdue_") and "working_days_overdue" in rows:
        days = rows["working_days_overdue"].astype("Int64")
        return days.map(lambda d: (f"逾期{d}个工作日" if zh else f"{d} working days overdue") if pd.notna(d) else "")
    if source.kind.startswith("due_soon_"):
        return rows[source.date_column].map(
            lambda d: (f"{d:%m月%d日}到期" if zh else f"due {d:%Y-%m-%d}") if pd.notna(d) else ""
        )
    for column in ("missed_service_levels", "reason", "reasons"):
        if column in rows:
            return rows[column].fillna("")
    return pd.Series("", index=rows.index)


def counts_against(definition: object, rows: pd.DataFrame) -> pd.Series:
    """Which rows behind a number count against it: for a rate, those on the wrong side of its flag
    (`in_numerator` false where higher is better, true where lower is better); otherwise the rows
    that carry a reason (a missed service level, a conflict, an overdue age)."""
    better = getattr(definition, "higher_is_better", None)
    if "in_numerator" in rows and better is not None:
        return rows["in_numerator"].fillna(False).astype(bool) != bool(better)
    reasons = [c for c in REASON_COLUMNS if c in rows and pd.api.types.is_string_dtype(rows[c].dtype)]
    if not reasons:
        return pd.Series(True, index=rows.index)
    return rows[reasons].fillna("").astype(str).apply(lambda row: any(row), axis=1)


def _open_at(rows: pd.DataFrame, closed_column: str, day: object) -> pd.DataFrame:
    closed = pd.to_datetime(rows[closed_column])
    return rows[closed.isna() | (closed > pd.Timestamp(day))]


def due_soon_window(window: Window) -> Window:
    """The DUE_SOON_DAYS after a window's cut-off (for a complete week: the next week)."""
    return Window(window.period, window.end + timedelta(days=1), window.end + timedelta(days=DUE_SOON_DAYS), False)


def source_rows(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    week: Period | Window,
    settings: Settings | None = None,
    departments: Sequence[str] | None = None,
    *,
    as_of: date | None = None,
    mask: Callable[[str, pd.DataFrame], pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """The engine's rows of one attention kind, whole (every column of `metric_rows`): the rows that
    count against its metric in the period, or for a due-soon kind the rows due within DUE_SOON_DAYS
    after the cut-off and still open at it."""
    from analytics.metrics import METRICS, metric_rows

    source = KINDS[kind]
    definition = METRICS[source.metric]
    window = week if isinstance(week, Window) else period_window(week, as_of)
    asked = due_soon_window(window) if source.next_week else window
    rows = metric_rows(con, source.metric, asked, settings or Settings(), departments)
    if mask is not None:
        rows = mask(definition.ledger, rows)
    if rows.empty:
        return rows
    if source.next_week:
        closed = "completed_date" if "completed_date" in rows else "closed_date"
        return _open_at(rows, closed, window.end).reset_index(drop=True)
    return rows[counts_against(definition, rows)].reset_index(drop=True)


def needs_attention(
    con: duckdb.DuckDBPyConnection,
    week: Period | Window,
    settings: Settings | None = None,
    departments: Sequence[str] | None = None,
    lang: str = "zh",
    *,
    mask: Callable[[str, pd.DataFrame], pd.DataFrame] | None = None,
    as_of: date | None = None,
) -> pd.DataFrame:
    """Items that need a decision, most urgent first (columns of COLUMNS, plus `kind_code`).

    `mask(ledger, rows)` takes out of each source's rows what the reader may not see (a user's scope:
    analytics.auth.masking) before the list is built from them.
    """
    from analytics.metrics import METRICS
    from analytics.metrics.engine import QUERY_FAILURES

    window = week if isinstance(week, Window) else period_window(week, as_of)
    parts = []
    for source in SOURCES:
        definition = METRICS.get(source.metric)
        if definition is None:
            continue
        try:
            rows = source_rows(con, source.kind, window, settings, departments, mask=mask)
        except QUERY_FAILURES:  # that metric's tile says why; the rest of the list stands
            continue
        if rows.empty:
            continue
        parts.append(
            pd.DataFrame(
                {
                    "kind": source.label(lang),
                    "metric": source.metric,
                    "ledger": definition.ledger,
                    "record_id": rows.get(source.id_column),
                    "title": rows.get(source.title_column),
                    "department": rows.get("department"),
                    "date": pd.to_datetime(rows.get(source.date_column)),
                    "detail": _detail(source, rows, lang),
                    "severity": source.severity,
                    "kind_code": source.kind,
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=[*COLUMNS, "kind_code"])
    frame = pd.concat(parts, ignore_index=True)
    return frame.sort_values(["severity", "date"], kind="stable").reset_index(drop=True)[[*COLUMNS, "kind_code"]]
