"""Supplies (办公用品): valuing rows (missing prices from earlier, then later), waste, idle stock, shortage."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.db import connect
from analytics.metrics import metric_rows, week_values
from analytics.settings import Settings
from tests.metrics_fixtures import W47, insert, supply

# W47 = Mon 2026-11-16 … Sun 2026-11-22. Idle window [Sun − 89, Sun] = [2026-08-25, 2026-11-22];
# demand window [Sun − 29, Sun] = [2026-10-24, 2026-11-22].
ROWS = [
    # pen: issued, scrapped and returned in W, each priced from the opening row (2.00)
    supply("S01", "2026-08-01", "笔", "opening", 100, 2.0),
    supply("S20", "2026-11-17", "笔", "issue", 10, department="财务部"),
    supply("S21", "2026-11-18", "笔", "scrap", 5, note="损坏"),
    supply("S22", "2026-11-19", "笔", "return", 2, department="财务部"),
    # paper: lost before any price is known: the earliest later price (30.00)
    supply("S05", "2026-11-16", "纸", "loss", 1, note="盘点短少"),
    supply("S10", "2026-11-20", "纸", "purchase", 20, 30.0),
    # ink: two prices on 08-20, the greatest txn_id (S04, 110.00) is the latest; last issue exactly
    # 90 days before Sunday (08-24): idle
    supply("S02", "2026-08-01", "墨盒", "opening", 10, 100.0),
    supply("S03", "2026-08-20", "墨盒", "purchase", 5, 120.0),
    supply("S04", "2026-08-20", "墨盒", "purchase", 5, 110.0),
    supply("S06", "2026-08-24", "墨盒", "issue", 2),
    supply("S23", "2026-11-21", "墨盒", "scrap", 1),
    # stapler: issued 89 days before Sunday (08-25): not idle; no demand in the last 30 days: no shortage
    supply("S07", "2026-08-01", "订书机", "opening", 5, 40.0),
    supply("S08", "2026-08-25", "订书机", "issue", 1),
    # tape: on hand 1 < 7 days × 9 / 30 = 2.1: shortage
    supply("S11", "2026-11-02", "胶带", "purchase", 10, 5.0),
    supply("S12", "2026-11-10", "胶带", "issue", 6),
    supply("S24", "2026-11-20", "胶带", "issue", 3),
    # folders: on hand 7 = exactly 7 days × 30 / 30: not below, no shortage
    supply("S13", "2026-10-01", "文件夹", "purchase", 37, 3.0),
    supply("S14", "2026-11-02", "文件夹", "issue", 30),
    # water: no price anywhere: no value, listed anyway
    supply("S15", "2026-08-01", "矿泉水", "opening", 10),
    supply("S25", "2026-11-19", "矿泉水", "scrap", 2),
]


@pytest.fixture
def values() -> dict:
    with connect(":memory:") as con:
        insert(con, "supplies", *ROWS)
        return week_values(con, W47)


def test_waste_value_prices_missing_prices_from_earlier_then_later_rows(values) -> None:
    # pen 5 × 2 + paper 1 × 30 (later) + ink 1 × 110 (tie on 08-20 → S04) + water (no price) 0
    assert values["supply_waste_value"] == 150.0


def test_waste_rate_divides_by_issues_minus_returns_plus_waste(values) -> None:
    # issues: pen 10 × 2 + tape 3 × 5 = 35; returns: pen 2 × 2 = 4; waste 150
    assert values["supply_waste_rate"] == round(150 / (35 - 4 + 150), 4) == 0.8287


def test_idle_value_takes_items_without_an_issue_in_the_window_at_the_current_price(values) -> None:
    # ink 17 × 110 (last issue exactly 90 days ago) + paper 19 × 30 (never issued); water has no price
    assert values["supply_idle_value"] == 17 * 110 + 19 * 30


def test_shortage_needs_demand_and_stock_strictly_below_the_cover(values) -> None:
    assert values["supply_shortage_items"] == 1  # tape; folders sit exactly at the cover


def test_stock_rows_explain_idle_and_shortage() -> None:
    with connect(":memory:") as con:
        insert(con, "supplies", *ROWS)
        idle = metric_rows(con, "supply_idle_value", W47).set_index("item")
        short = metric_rows(con, "supply_shortage_items", W47).set_index("item")
    assert sorted(idle.index) == ["墨盒", "矿泉水", "纸"]
    assert idle.loc["墨盒", "on_hand"] == 17 and idle.loc["墨盒", "current_price"] == 110
    assert pd.isna(idle.loc["矿泉水", "idle_value"])
    assert "无单价" in idle.loc["矿泉水", "reason"]
    assert list(short.index) == ["胶带"]
    assert short.loc["胶带", "demand_30_days"] == 9 and short.loc["胶带", "on_hand"] == 1


def test_waste_rows_say_how_each_row_was_priced() -> None:
    with connect(":memory:") as con:
        insert(con, "supplies", *ROWS)
        rows = metric_rows(con, "supply_waste_value", W47).set_index("txn_id")
    assert sorted(rows.index) == ["S05", "S21", "S23", "S25"]
    assert rows.loc["S05", "price_source"] == "取2026-11-20单价" and rows.loc["S05", "value"] == 30
    assert rows.loc["S23", "price_source"] == "取2026-08-20单价" and rows.loc["S23", "price"] == 110
    assert rows.loc["S21", "waste_kind"] == "报废" and rows.loc["S05", "waste_kind"] == "盘亏"
    assert rows.loc["S25", "price_source"] == "无单价"


def test_idle_days_is_a_setting() -> None:
    with connect(":memory:") as con:
        insert(con, "supplies", *ROWS)
        values = week_values(con, W47, Settings(idle_days=91))
    assert values["supply_idle_value"] == 19 * 30  # ink's issue on 08-24 is now inside the window


def test_a_price_written_on_the_same_day_after_a_missing_one_counts_as_on_or_before() -> None:
    with connect(":memory:") as con:
        insert(
            con,
            "supplies",
            supply("A1", "2026-11-02", "胶水", "purchase", 10, 4.0),
            supply("A3", "2026-11-18", "胶水", "scrap", 1),
            supply("A2", "2026-11-18", "胶水", "purchase", 5, 6.0),
            supply("A4", "2026-11-18", "胶水", "purchase", 5, 5.0),
        )
        values = week_values(con, W47)
    assert values["supply_waste_value"] == 5.0  # 11-18's prices: A4 is the greatest txn_id


def test_the_current_price_ignores_filled_in_prices() -> None:
    with connect(":memory:") as con:
        insert(
            con,
            "supplies",
            supply("B1", "2026-01-05", "白板笔", "purchase", 10, 8.0),
            supply("B2", "2026-02-01", "白板笔", "return", 2),  # filled with 8.00, but written nowhere
            supply("B3", "2026-12-01", "白板笔", "purchase", 1, 99.0),  # after Sunday: not current yet
        )
        assert week_values(con, W47)["supply_idle_value"] == 12 * 8.0


def test_waste_rate_is_null_when_the_denominator_is_not_positive() -> None:
    with connect(":memory:") as con:
        insert(
            con,
            "supplies",
            supply("C1", "2026-11-02", "笔", "purchase", 10, 2.0),
            supply("C2", "2026-11-17", "笔", "return", 3),
            supply("C3", "2026-11-18", "笔", "issue", 1),
        )
        values = week_values(con, W47)  # denominator 2 − 6 + 0 < 0
    assert values["supply_waste_rate"] is None and values["supply_waste_value"] == 0


def test_a_week_without_movements_has_zero_waste_and_a_null_rate() -> None:
    with connect(":memory:") as con:
        insert(con, "supplies", supply("C1", "2026-11-02", "笔", "purchase", 10, 2.0))
        values = week_values(con, W47)
    assert values["supply_waste_value"] == 0 and values["supply_waste_rate"] is None
    assert values["supply_idle_value"] == 20.0  # bought, never issued
    assert values["supply_shortage_items"] == 0


def test_demand_is_counted_over_the_30_days_ending_on_sunday() -> None:
    with connect(":memory:") as con:
        insert(
            con,
            "supplies",
            # issued 29 days before Sunday (10-24): inside; 1 on hand < 7 × 9 / 30
            supply("E1", "2026-08-01", "回形针", "opening", 10, 1.0),
            supply("E2", "2026-10-24", "回形针", "issue", 9),
            # issued 30 days before Sunday (10-23): outside; demand 1, 6 on hand ≥ 7 × 1 / 30
            supply("F1", "2026-08-01", "便签", "opening", 37, 1.0),
            supply("F2", "2026-10-23", "便签", "issue", 30),
            supply("F3", "2026-11-20", "便签", "issue", 1),
        )
        rows = metric_rows(con, "supply_shortage_items", W47)
        assert list(rows["item"]) == ["回形针"]
        assert week_values(con, W47)["supply_shortage_items"] == 1
