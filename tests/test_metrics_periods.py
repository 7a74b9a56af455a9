"""Weeks in progress and periods (metrics.md, "Weeks in progress, and periods"), computed by hand.

Today is 2026-11-25, a Wednesday (tests/conftest.py): 2026-W48 (11-23 … 11-29) is in progress and is
computed as of 11-25; its previous week, 2026-W47, is compared over Mon 11-16 … Wed 11-18.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from analytics.db import connect
from analytics.errors import UsageError
from analytics.metrics import breakdown, metric_result, metric_rows, trend, week_report, week_values
from analytics.weeks import Month, Quarter, Week, Year
from tests.metrics_fixtures import W47, decision, document, insert, supply

W48 = Week(2026, 48)  # Mon 2026-11-23 … Sun 2026-11-29, in progress on 2026-11-25


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    with connect(":memory:") as connection:
        yield connection


def by_name(results) -> dict:
    return {result.name: result for result in results}


def test_an_in_progress_week_counts_nothing_due_later_this_week_and_nothing_overdue_early(con) -> None:
    insert(
        con,
        "decisions",
        decision("P1", "2026-11-23", "2026-11-24"),  # due Mon, done Tue: by the cut-off, late
        decision("P2", "2026-11-24"),  # due Tue, open: overdue at Wed
        decision("P3", "2026-11-25", "2026-11-25"),  # due today, done today: on time
        decision("P4", "2026-11-27"),  # due Friday: not counted yet, not overdue
        decision("P5", "2026-11-26", "2026-11-24"),  # due Thursday, done early: not due yet
        decision("Q3", "2026-11-20"),  # W47, open: overdue
    )
    insert(
        con,
        "documents",
        document("F1", due_date="2026-11-24"),  # open, due Tuesday: overdue
        document("F2", due_date="2026-11-26"),  # open, due Thursday: not overdue yet
    )
    results = by_name(week_report(con, W48))
    due = results["decisions_due"]
    assert due.window.as_of == date(2026, 11, 25) and due.complete is False
    assert due.value == 3  # P1, P2, P3
    rate = results["decision_completion_rate"]
    assert (rate.value, rate.numerator, rate.denominator) == (0.6667, 2, 3)  # P1, P3
    assert results["decision_on_time_rate"].value == 0.3333  # P3
    assert results["decisions_overdue"].value == 2  # Q3, P2; never P4
    assert results["decision_avg_cycle_days"].value == 22.33  # P1 22, P3 23, P5 22 days from 11-02
    assert results["docs_overdue"].value == 1  # F1
    assert sorted(metric_rows(con, "decisions_overdue", W48)["decision_id"]) == ["P2", "Q3"]
    overdue = metric_rows(con, "decisions_overdue", W48).set_index("decision_id")
    assert overdue.loc["P2", "days_overdue"] == 1  # 11-24 to today 11-25
    # the same week once it is over counts P4 and P5 too
    complete = week_values(con, W48, as_of=date(2026, 11, 30))
    assert (complete["decisions_due"], complete["decisions_overdue"]) == (5, 3)  # + P4, P5; Q3, P2, P4


def test_the_previous_week_of_a_week_in_progress_is_compared_over_the_same_weekdays(con) -> None:
    insert(
        con,
        "decisions",
        decision("Q1", "2026-11-16", "2026-11-16"),  # Mon, done Mon
        decision("Q2", "2026-11-17", "2026-11-19"),  # Tue, done Thu: not done by Wed
        decision("Q3", "2026-11-20"),  # Fri: outside Mon … Wed
        decision("P1", "2026-11-23", "2026-11-23"),
    )
    result = metric_result(con, "decision_completion_rate", W48)
    before = result.previous_window
    assert (before.period, before.start, before.end) == (W47, date(2026, 11, 16), date(2026, 11, 18))
    assert result.previous == 0.5  # Q1 of Q1, Q2 (the whole W47 would be 2 of 3)
    assert result.value == 1.0 and result.delta == 0.5
    assert metric_result(con, "decisions_overdue", W48).previous == 1  # Q2 at 11-18; Q3 not due yet
    assert metric_result(con, "decision_completion_rate", W47).previous_window.end == date(2026, 11, 15)
    assert week_values(con, W47)["decision_completion_rate"] == 0.6667  # a complete week: whole


def test_a_month(con) -> None:
    insert(
        con,
        "decisions",
        decision("S1", "2026-09-30"),  # September, open
        decision("O1", "2026-10-05", "2026-10-04"),
        decision("O2", "2026-10-31", "2026-11-02"),  # done after the month's end
        decision("O3", "2026-10-15"),
    )
    october = metric_result(con, "decision_completion_rate", Month(2026, 10))
    assert october.complete and october.as_of == date(2026, 10, 31)
    assert (october.value, october.numerator, october.denominator) == (0.3333, 1, 3)  # O1 of O1, O2, O3
    assert october.previous == 0.0 and october.delta == 0.3333  # September: S1 open
    values = week_values(con, Month(2026, 10))
    assert values["decisions_due"] == 3 and values["decisions_overdue"] == 3  # S1, O2, O3 at 10-31
    # November, in progress: 11-01 … 11-25; nothing due, O3 and S1 still overdue
    november = by_name(week_report(con, Month(2026, 11)))
    assert november["decisions_overdue"].value == 2 and not november["decisions_overdue"].complete
    assert november["decisions_overdue"].previous_window.end == date(2026, 10, 25)


def test_a_quarter_in_progress_compares_the_same_days_of_the_quarter_before(con) -> None:
    insert(
        con,
        "decisions",
        decision("J1", "2026-07-10", "2026-07-10"),
        decision("A1", "2026-08-20", "2026-08-26"),  # done a day after 08-25
        decision("S1", "2026-09-30", "2026-09-30"),
        decision("O1", "2026-10-05", "2026-10-04"),
        decision("N1", "2026-11-10"),
        decision("N2", "2026-11-27", "2026-11-20"),  # due after today: not yet
    )
    q4 = metric_result(con, "decision_completion_rate", Quarter(2026, 4))
    assert q4.as_of == date(2026, 11, 25) and not q4.complete
    assert (q4.numerator, q4.denominator, q4.value) == (1, 2, 0.5)  # O1 of O1, N1
    # Q4 has run 56 days (10-01 … 11-25): Q3 over 07-01 … 08-25, where A1 was not done yet
    assert (q4.previous_window.start, q4.previous_window.end) == (date(2026, 7, 1), date(2026, 8, 25))
    assert q4.previous == 0.5  # J1 of J1, A1
    q3 = metric_result(con, "decision_completion_rate", Quarter(2026, 3))
    assert (q3.value, q3.numerator, q3.denominator) == (1.0, 3, 3) and q3.complete


def test_a_year(con) -> None:
    insert(
        con,
        "decisions",
        decision("Y0", "2025-12-31", "2026-01-05", created_date="2025-12-01"),  # 2025: late; 35 days
        decision("Y1", "2026-01-15", "2026-01-15", created_date="2026-01-02"),  # 13 days
        decision("Y2", "2026-06-30"),
        decision("Y3", "2026-11-24", "2026-11-25"),  # 23 days from 11-02
        decision("Y4", "2026-12-15"),  # not due yet
    )
    year = by_name(week_report(con, Year(2026)))
    rate = year["decision_completion_rate"]
    assert (rate.numerator, rate.denominator, rate.value) == (2, 3, 0.6667)  # Y1, Y3 of Y1, Y2, Y3
    assert year["decisions_due"].value == 3 and year["decisions_overdue"].value == 1  # Y2
    assert rate.previous_window.end == date(2025, 11, 25) and rate.previous is None  # nothing due then
    assert week_values(con, Year(2025))["decision_completion_rate"] == 0.0  # Y0 done after 12-31
    assert week_values(con, Year(2025))["decision_avg_cycle_days"] is None
    assert week_values(con, Year(2026))["decision_avg_cycle_days"] == 23.67  # (35 + 13 + 23) / 3


def test_a_period_compares_with_any_other_period(con) -> None:
    insert(
        con,
        "decisions",
        decision("O1", "2026-10-05", "2026-10-04"),
        decision("O2", "2026-10-31"),
        decision("M1", "2026-05-20", "2026-05-20"),
    )
    result = metric_result(con, "decision_completion_rate", Month(2026, 10), compare=Month(2026, 5))
    assert (result.value, result.previous, result.delta) == (0.5, 1.0, -0.5)
    assert result.previous_window.period == Month(2026, 5)


def test_a_period_not_begun_is_a_usage_error(con) -> None:
    for period in (Week(2026, 49), Month(2026, 12), Quarter(2027, 1), Year(2027)):
        with pytest.raises(UsageError, match="尚未开始"):
            week_values(con, period)
    assert week_values(con, Week(2026, 49), as_of=date(2026, 11, 30))["decisions_due"] == 0


def test_a_trend_computes_the_week_in_progress_as_of_today_and_leaves_out_weeks_not_begun(con) -> None:
    insert(con, "decisions", decision("P1", "2026-11-23", "2026-11-23"), decision("P4", "2026-11-27"))
    frame = trend(con, ["decisions_due"], W47, Week(2026, 50))
    assert frame["week"].tolist() == ["2026-W47", "2026-W48"]
    assert frame["value"].tolist() == [0, 1]  # P4 is due Friday


def test_supply_stock_is_taken_at_the_cut_off(con) -> None:
    insert(
        con,
        "supplies",
        supply("S01", "2026-11-01", "笔", "purchase", 10, 2.0),
        supply("S02", "2026-11-20", "笔", "issue", 3),
        supply("S03", "2026-11-24", "笔", "issue", 6),
        supply("S04", "2026-11-26", "笔", "scrap", 1),  # after today
        supply("S05", "2026-11-27", "笔", "purchase", 100, 2.0),  # after today
        supply("T01", "2026-08-01", "纸", "purchase", 5, 20.0),
        supply("T02", "2026-08-25", "纸", "issue", 1),
        supply("T03", "2026-11-27", "纸", "purchase", 1, 25.0),  # a new price after today
    )
    now = by_name(week_report(con, W48))
    # as of 11-25: 笔 on hand 10 − 3 − 6 = 1, demand 9 over [10-27, 11-25] = 0.3 a day, 7 days = 2.1 > 1
    assert now["supply_shortage_items"].value == 1
    # 纸: no issue in [08-28, 11-25]: idle, 4 on hand at its price then, ¥20
    assert now["supply_idle_value"].value == 80.0
    assert now["supply_waste_value"].value == 0.0  # the scrap of 11-26 is not dated by the cut-off
    # W47 over Mon … Wed (cut-off 11-18): 笔 never issued yet, idle 10 × ¥2; 纸 issued 08-25, in [08-21, 11-18]
    assert (now["supply_idle_value"].previous, now["supply_shortage_items"].previous) == (20.0, 0)
    stock = metric_rows(con, "supply_shortage_items", W48).set_index("item")
    assert stock.loc["笔", "on_hand"] == 1.0
    # the whole week (as of 11-30): 笔 100 on hand, no risk; 纸 5 at ¥25
    whole = week_values(con, W48, as_of=date(2026, 11, 30))
    assert (whole["supply_shortage_items"], whole["supply_idle_value"], whole["supply_waste_value"]) == (0, 125.0, 2.0)


def test_a_breakdown_of_a_week_in_progress_is_as_of_today(con) -> None:
    insert(
        con,
        "decisions",
        decision("P1", "2026-11-23", "2026-11-23", owner_dept="财务部"),
        decision("P4", "2026-11-27", owner_dept="行政部"),
    )
    frame = breakdown(con, "decisions_due", W48)
    assert frame[["department", "value"]].to_dict("records") == [{"department": "财务部", "value": 1.0}]
