"""Decisions (决议督办): due(W), completion by Sunday, on time against due_date, the overdue stock, cycle days."""

from __future__ import annotations

import pytest

from analytics.db import connect
from analytics.metrics import metric_rows, week_values
from tests.metrics_fixtures import W47, decision, insert

# W47 = Mon 2026-11-16 … Sun 2026-11-22; created_date defaults to 2026-11-02.
ROWS = [
    decision("D1", "2026-11-18", "2026-11-17"),  # due, done on time
    decision("D2", "2026-11-18", "2026-11-20"),  # due, done late but within the week
    decision("D3", "2026-11-22", "2026-11-22"),  # due on Sunday, done on Sunday
    decision("D4", "2026-11-22"),  # due on Sunday, open: overdue at Sunday
    decision("D5", "2026-11-19", "2026-11-24"),  # due, completed next week: not complete for W, overdue
    decision("D6", "2026-11-19", status="cancelled"),  # cancelled: nowhere
    decision("D7", "2026-11-10"),  # due last week, still open: in the overdue stock
    decision("D8", "2026-11-23"),  # due next Monday: nowhere
    decision("D9", "2026-11-02", "2026-11-16"),  # completed in W (cycle 14 days), due long ago
    decision("D10", "2026-11-20", "2026-11-21", status="cancelled"),  # cancelled though completed
]


@pytest.fixture
def values() -> dict:
    with connect(":memory:") as con:
        insert(con, "decisions", *ROWS)
        return week_values(con, W47)


def test_decisions_due_counts_non_cancelled_decisions_due_in_the_week(values) -> None:
    assert values["decisions_due"] == 5  # D1–D5


def test_a_decision_completed_after_sunday_is_not_complete_for_the_week(values) -> None:
    assert values["decision_completion_rate"] == 0.6  # D1, D2, D3 of D1–D5


def test_on_time_compares_the_completed_date_with_the_due_date(values) -> None:
    assert values["decision_on_time_rate"] == 0.4  # D1, D3


def test_overdue_is_the_stock_at_sunday_including_a_decision_due_on_sunday(values) -> None:
    assert values["decisions_overdue"] == 3  # D4 (due Sunday), D5 (completed next week), D7 (due last week)


def test_average_cycle_is_over_decisions_completed_in_the_week(values) -> None:
    assert values["decision_avg_cycle_days"] == 16.75  # D1 15, D2 18, D3 20, D9 14


def test_overdue_rows_say_how_many_working_days_late() -> None:
    with connect(":memory:") as con:
        insert(con, "decisions", *ROWS)
        rows = metric_rows(con, "decisions_overdue", W47).set_index("decision_id")
    assert sorted(rows.index) == ["D4", "D5", "D7"]
    # D7 due Tue 11-10: 11, 12, 13, 16, 17, 18, 19, 20 have passed; D5 due Thu 11-19: Fri 11-20; D4 due Sunday: none
    assert rows["working_days_overdue"].to_dict() == {"D4": 0, "D5": 1, "D7": 8}
    assert rows["days_overdue"].to_dict() == {"D4": 0, "D5": 3, "D7": 12}


def test_rate_rows_flag_the_numerator_and_say_what_happened() -> None:
    with connect(":memory:") as con:
        insert(con, "decisions", *ROWS)
        rows = metric_rows(con, "decision_completion_rate", W47).set_index("decision_id")
    assert rows["in_numerator"].to_dict() == {"D1": True, "D2": True, "D3": True, "D4": False, "D5": False}
    assert rows.loc["D2", "outcome"] == "逾期完成（本周内）"
    assert rows.loc["D5", "outcome"] == "本周末后完成"


def test_no_decision_due_gives_null_rates_and_zero_counts() -> None:
    with connect(":memory:") as con:
        insert(con, "decisions", decision("D1", "2026-12-01"))
        values = week_values(con, W47)
    assert values["decisions_due"] == 0 and values["decisions_overdue"] == 0
    assert values["decision_completion_rate"] is None and values["decision_on_time_rate"] is None
    assert values["decision_avg_cycle_days"] is None
