"""The "needs attention" list of the weekly review: overdue and soon-due items, service-level breaches.

Built only from the metrics engine's rows (`metric_rows`), so every item on the list is one the
numbers count: overdue resolutions and documents at the week's end, resolutions and documents due
next week and still open at this week's end, and the rows that missed a service level this week.
No streamlit here; the overview page and the report share it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics.settings import Settings
from analytics.weeks import Week

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
        "下周到期决议",
        "Resolution due next week",
        2,
        "decision_id",
        "item",
        "due_date",
        next_week=True,
    ),
    Source(
        "due_soon_document",
        "doc_on_time_close_rate",
        "下周到期公文",
        "Document due next week",
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


def needs_attention(
    con: duckdb.DuckDBPyConnection,
    week: Week,
    settings: Settings | None = None,
    departments: Sequence[str] | None = None,
    lang: str = "zh",
    *,
    mask: Callable[[str, pd.DataFrame], pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Items that need a decision this week, most urgent first (columns of COLUMNS).

    `mask(ledger, rows)` takes out of each source's rows what the reader may not see (a user's scope:
    analytics.auth.masking) before the list is built from them.
    """
    from analytics.metrics import METRICS, metric_rows
    from analytics.metrics.engine import QUERY_FAILURES

    settings = settings or Settings()
    parts = []
    for source in SOURCES:
        definition = METRICS.get(source.metric)
        if definition is None:
            continue
        try:
            rows = metric_rows(con, source.metric, week.shift(1) if source.next_week else week, settings, departments)
        except QUERY_FAILURES:  # that metric's tile says why; the rest of the list stands
            continue
        if mask is not None:
            rows = mask(definition.ledger, rows)
        if rows.empty:
            continue
        if source.next_week:
            closed = "completed_date" if "completed_date" in rows else "closed_date"
            rows = _open_at(rows, closed, week.end)
        else:
            rows = rows[counts_against(definition, rows)]
        if rows.empty:
            continue
        parts.append(
            pd.DataFrame(
                {
                    "kind": source.label_zh if lang == "zh" else source.label_en,
                    "metric": source.metric,
                    "ledger": definition.ledger,
                    "record_id": rows.get(source.id_column),
                    "title": rows.get(source.title_column),
                    "department": rows.get("department"),
                    "date": pd.to_datetime(rows.get(source.date_column)),
                    "detail": _detail(source, rows, lang),
                    "severity": source.severity,
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    frame = pd.concat(parts, ignore_index=True)
    return frame.sort_values(["severity", "date"], kind="stable").reset_index(drop=True)[COLUMNS]
