"""The engine's API around the numbers: last week and the change, trends, departments, rows, the latest week."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from analytics.db import connect
from analytics.metrics import (
    HEADLINE,
    METRICS,
    breakdown,
    departments,
    latest_week_with_data,
    metric_result,
    metric_rows,
    trend,
    week_report,
    week_values,
)
from analytics.settings import Settings
from analytics.weeks import Week
from tests.metrics_fixtures import W46, W47, decision, insert, meeting, supply

DECISIONS = [
    # W46 (11-09 … 11-15): 1 of 4 complete by Sunday
    decision("A1", "2026-11-10", "2026-11-10", owner_dept="财务部"),
    decision("A2", "2026-11-11", owner_dept="财务部"),
    decision("A3", "2026-11-12", owner_dept="行政部"),
    decision("A4", "2026-11-13", "2026-11-16", owner_dept="行政部"),
    # W47: 3 of 4 complete by Sunday
    decision("B1", "2026-11-17", "2026-11-17", owner_dept="财务部"),
    decision("B2", "2026-11-18", "2026-11-18", owner_dept="财务部"),
    decision("B3", "2026-11-19", owner_dept="行政部"),
    decision("B4", "2026-11-20", "2026-11-20", owner_dept=""),
]


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    with connect(":memory:") as connection:
        insert(connection, "decisions", *DECISIONS)
        yield connection


def test_a_result_carries_last_week_and_the_change_as_a_fraction(con) -> None:
    result = metric_result(con, "decision_completion_rate", W47)
    assert (result.value, result.numerator, result.denominator) == (0.75, 3, 4)
    assert result.previous == 0.25
    assert result.delta == 0.5
    assert result.week == W47 and result.settings == {}


def test_the_change_is_null_when_either_week_has_no_value(con) -> None:
    result = metric_result(con, "decision_completion_rate", Week(2026, 48), as_of=date(2026, 12, 1))
    assert result.value is None and result.previous == 0.75 and result.delta is None


def test_counts_change_by_whole_numbers(con) -> None:
    result = metric_result(con, "decisions_overdue", W47)
    # at 11-15: A2, A3, A4 (done 11-16); at 11-22: A2, A3, B3
    assert (result.previous, result.value, result.delta) == (3, 3, 0)
    assert result.numerator is None and result.denominator is None


def test_the_report_lists_every_metric_with_the_settings_it_used(con) -> None:
    settings = Settings(overrun_factor=1.5)
    report = week_report(con, W47, settings)
    assert [r.name for r in report] == list(METRICS)
    by_name = {r.name: r for r in report}
    assert by_name["low_efficiency_meeting_share"].settings == {"overrun_factor": 1.5, "low_rating_max": 2}
    assert by_name["supply_shortage_items"].settings == {"idle_days": 90, "shortage_cover_days": 7}
    assert {r.name: r.value for r in report} == week_values(con, W47, settings)


def test_a_trend_computes_every_week_in_range(con) -> None:
    frame = trend(con, ["decision_completion_rate", "decisions_due"], W46, Week(2026, 48))
    assert list(frame.columns) == ["week", "week_start", "metric", "value", "numerator", "denominator"]
    rates = frame[frame["metric"] == "decision_completion_rate"]
    assert list(rates["week"]) == ["2026-W46", "2026-W47", "2026-W48"]
    assert list(rates["week_start"]) == [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert rates["value"].tolist()[:2] == [0.25, 0.75] and pd.isna(rates["value"].iloc[2])
    assert frame[frame["metric"] == "decisions_due"]["value"].tolist() == [4, 4, 0]


def test_a_trend_agrees_with_the_week_by_week_values(con) -> None:
    insert(con, "meetings", meeting("M1", "2026-11-10 09:00", "2026-11-10 10:00", has_agenda=False))
    frame = trend(con, list(METRICS), W46, W47)
    for week in (W46, W47):
        values = week_values(con, week)
        got = frame[frame["week"] == str(week)].set_index("metric")["value"]
        for name in METRICS:
            expected = values[name]
            assert (pd.isna(got[name]) and expected is None) or got[name] == expected, (week, name)


def test_breakdown_groups_by_department_with_blanks_as_unfilled(con) -> None:
    frame = breakdown(con, "decision_completion_rate", W47)
    assert list(frame.columns) == ["department", "value", "numerator", "denominator"]
    assert frame.to_dict("records") == [
        {"department": "行政部", "value": 0.0, "numerator": 0, "denominator": 1},
        {"department": "财务部", "value": 1.0, "numerator": 2, "denominator": 2},
        {"department": "（未填）", "value": 1.0, "numerator": 1, "denominator": 1},
    ]


def test_a_department_filter_restricts_every_ledger(con) -> None:
    values = week_values(con, W47, departments={"财务部"})
    assert values["decisions_due"] == 2 and values["decision_completion_rate"] == 1.0
    assert week_values(con, W47, departments={"（未填）"})["decisions_due"] == 1
    assert week_values(con, W47, departments=set())["decisions_due"] == 0
    assert metric_result(con, "decision_completion_rate", W47, departments=["行政部"]).previous == 0.0


def test_a_department_filter_still_finds_a_meetings_decisions_in_other_departments(con) -> None:
    insert(con, "meetings", meeting("M1", "2026-11-17 09:00", "2026-11-17 10:00", organizer_dept="总经办"))
    insert(con, "decisions", decision("X1", "2026-12-01", meeting_id="M1", owner_dept="财务部"))
    assert week_values(con, W47, departments={"总经办"})["low_efficiency_meeting_share"] == 0.0


def test_a_department_filter_prices_supplies_from_the_whole_ledger() -> None:
    with connect(":memory:") as con:
        insert(
            con,
            "supplies",
            supply("S1", "2026-11-02", "笔", "purchase", 10, 2.0, department="行政部"),
            supply("S2", "2026-11-17", "笔", "scrap", 3, department="财务部"),
        )
        assert week_values(con, W47, departments={"财务部"})["supply_waste_value"] == 6.0


def test_rows_put_the_department_and_the_numerator_flag_first(con) -> None:
    rows = metric_rows(con, "decision_completion_rate", W47)
    assert list(rows.columns[:3]) == ["department", "in_numerator", "decision_id"]
    assert sorted(rows["decision_id"]) == ["B1", "B2", "B3", "B4"]
    assert set(rows["department"]) == {"财务部", "行政部", "（未填）"}
    assert "week_start" not in rows.columns


def test_departments_lists_every_name_across_ledgers(con) -> None:
    insert(con, "supplies", supply("S1", "2026-11-02", "笔", "purchase", 10, 2.0, department="采购部"))
    assert departments(con) == sorted(["行政部", "财务部", "采购部"])


def test_latest_week_is_the_last_complete_week_with_a_dated_row(con) -> None:
    assert latest_week_with_data(con, today=date(2026, 12, 30)) == W47  # B4 on 11-20
    assert latest_week_with_data(con, today=date(2026, 11, 22)) == W46  # W47 is not over yet
    assert latest_week_with_data(con, today=date(2026, 11, 23)) == W47


def test_latest_week_is_none_on_an_empty_database() -> None:
    with connect(":memory:") as con:
        assert latest_week_with_data(con, today=date(2026, 12, 1)) is None


def test_unknown_metric_names_are_refused_in_plain_words(con) -> None:
    from analytics.errors import UsageError

    with pytest.raises(UsageError, match="未知指标"):
        metric_result(con, "nonsense", W47)


def test_the_headline_trend_runs_one_query_per_population(con, monkeypatch) -> None:
    calls = []
    original = duckdb.DuckDBPyConnection.execute

    class Counting:
        def __init__(self, inner):
            self.inner = inner

        def execute(self, sql, params=None):
            calls.append(sql)
            return original(self.inner, sql, params)

    trend(Counting(con), HEADLINE, Week(2026, 1), Week(2026, 52))
    assert len(calls) == 3


def test_a_department_filter_keeps_the_stores_stock_of_the_items_the_department_touched() -> None:
    with connect(":memory:") as con:
        insert(
            con,
            "supplies",
            supply("S1", "2026-11-02", "笔", "purchase", 10, 2.0, department="行政部"),
            supply("S2", "2026-11-17", "笔", "issue", 9, department="财务部"),  # 1 left < 7 × 9 / 30
            supply("S3", "2026-11-02", "纸", "purchase", 10, 3.0, department="行政部"),  # never issued: idle
        )
        finance = week_values(con, W47, departments={"财务部"})
        admin = week_values(con, W47, departments={"行政部"})
    assert (finance["supply_shortage_items"], finance["supply_idle_value"]) == (1, 0.0)
    assert (admin["supply_shortage_items"], admin["supply_idle_value"]) == (1, 30.0)
