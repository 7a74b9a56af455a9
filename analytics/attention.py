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
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pandas as pd

from analytics.settings import Settings
from analytics.weeks import Period, Window, period_window

REASON_COLUMNS = ("reasons", "reason", "missed_service_levels")
COLUMNS = ["kind", "metric", "ledger", "record_id", "title", "department", "date", "detail", "severity"]


@dataclass(frozen=True)
class Source:
    """Which rows of which metric make one kind of attention item, and how to describe them."""

    kind: str
    metric: str
    label_zh: str
    label_en: str
    severity: int  # 0 most urgent
    id_column: str
    title_column: str
    date_column: str
    next_week: bool = False
    """Rows due in the DUE_SOON_DAYS after the cut-off and still open at it (not the period's rows)."""

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en


DUE_SOON_DAYS = 7


SOURCES: tuple[Source, ...] = (
    Source(
        "overdue_decision", "decisions_overdue", "逾期决议", "Overdue resolution", 0, "decision_id", "item", "due_date"
    ),
    Source("overdue_document", "docs_overdue", "超期公文", "Overdue document", 0, "doc_id", "title", "due_date"),
    Source(
        "late_response",
        "incident_response_on_time_rate",
        "事件响应超时",
        "Late incident response",
        1,
        "incident_id",
        "incident_type",
        "reported_at",
    ),
    Source(
        "few_updates",
        "incident_update_compliance_rate",
        "进展通报不足",
        "Too few incident updates",
        1,
        "incident_id",
        "incident_type",
        "resolved_at",
    ),
    Source(
        "late_report",
        "incident_report_on_time_rate",
        "总结报告超时",
        "Late incident report",
        1,
        "incident_id",
        "incident_type",
        "resolved_at",
    ),
    Source(
        "late_minutes", "minutes_on_time_rate", "纪要超时", "Late minutes", 1, "meeting_id", "title", "scheduled_start"
    ),
    Source(
        "late_registration",
        "doc_registration_on_time_rate",
        "登记超时",
        "Late registration",
        1,
        "doc_id",
        "title",
        "received_date",
    ),
    Source(
        "schedule_conflict",
        "schedule_conflicts",
        "日程冲突",
        "Schedule conflict",
        1,
        "event_id_a",
        "title_a",
        "start_a",
    ),
    Source(
        "due_soon_decision",
        "decisions_due",
        "7日内到期决议",
        "Resolution due within 7 days",
        2,
        "decision_id",
        "item",
        "due_date",
        next_week=True,
    ),
    Source(
        "due_soon_document",
        "doc_on_time_close_rate",
        "7日内到期公文",
        "Document due within 7 days",
        2,
        "doc_id",
        "title",
        "due_date",
        next_week=True,
    ),
)
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
