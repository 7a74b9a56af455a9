"""The GM's schedule (总经理日程): hours, strategic share, conflicting pairs, rescheduled or cancelled."""

from __future__ import annotations

import pytest

from analytics.db import connect
from analytics.metrics import breakdown, metric_rows, week_values
from tests.metrics_fixtures import W47, entry, insert

ROWS = [
    entry("E1", "2026-11-16 09:00", "2026-11-16 10:00", priority="strategic", status="done"),
    entry("E2", "2026-11-16 10:00", "2026-11-16 11:00"),  # touches E1: no conflict
    entry("E3", "2026-11-16 10:30", "2026-11-16 11:30", priority="important"),  # overlaps E2
    entry("E4", "2026-11-16 09:30", "2026-11-16 09:45", status="cancelled"),  # inside E1 but cancelled
    entry("E5", "2026-11-17 14:00", "2026-11-17 16:00", priority="strategic", status="rescheduled"),
    entry("E6", "2026-11-17 15:00", "2026-11-17 15:30"),  # overlaps E5
    entry("E7", "2026-11-17 15:15", "2026-11-17 15:45"),  # overlaps E5 and E6
    entry("E8", "2026-11-23 09:00", "2026-11-23 10:00"),  # next week
]


@pytest.fixture
def values() -> dict:
    with connect(":memory:") as con:
        insert(con, "schedule", *ROWS)
        return week_values(con, W47)


def test_hours_leave_out_cancelled_entries_and_keep_rescheduled_ones(values) -> None:
    assert values["schedule_hours"] == 6.0  # 1 + 1 + 1 + 2 + 0.5 + 0.5


def test_strategic_share_divides_unrounded_hours(values) -> None:
    assert values["strategic_time_share"] == 0.5  # E1 1 h + E5 2 h of 6 h


def test_conflicts_are_unordered_overlapping_pairs_and_touching_is_not_overlapping(values) -> None:
    assert values["schedule_conflicts"] == 4  # E2–E3, E5–E6, E5–E7, E6–E7


def test_change_rate_counts_cancelled_entries_in_both_terms(values) -> None:
    assert values["schedule_change_rate"] == round(2 / 7, 4)  # E4 cancelled, E5 rescheduled of E1–E7


def test_conflict_rows_list_each_pair_once() -> None:
    with connect(":memory:") as con:
        insert(con, "schedule", *ROWS)
        rows = metric_rows(con, "schedule_conflicts", W47)
    pairs = sorted(zip(rows["event_id_a"], rows["event_id_b"], strict=True))
    assert pairs == [("E2", "E3"), ("E5", "E6"), ("E5", "E7"), ("E6", "E7")]
    e5_e7 = rows[(rows["event_id_a"] == "E5") & (rows["event_id_b"] == "E7")].iloc[0]
    assert e5_e7["overlap_minutes"] == 30


def test_an_empty_week_has_zero_hours_and_null_shares() -> None:
    with connect(":memory:") as con:
        insert(con, "schedule", ROWS[-1])
        values = week_values(con, W47)
    assert values["schedule_hours"] == 0 and values["schedule_conflicts"] == 0
    assert values["strategic_time_share"] is None and values["schedule_change_rate"] is None


def test_a_department_keeps_the_conflicts_attributed_to_it_whoever_booked_the_earlier_entry() -> None:
    # The company view's breakdown lists E2 × E1 under 财务部 (E2, the later entry, is its request);
    # filtering on 财务部 must show that conflict too, although E1 was requested by 研发部.
    with connect(":memory:") as con:
        insert(
            con,
            "schedule",
            entry("E1", "2026-11-17 09:00", "2026-11-17 10:00", requested_by="研发部"),
            entry("E2", "2026-11-17 09:30", "2026-11-17 10:30", requested_by="财务部"),
        )
        by_department = breakdown(con, "schedule_conflicts", W47)
        assert by_department[["department", "value"]].to_dict("records") == [{"department": "财务部", "value": 1.0}]
        assert week_values(con, W47, departments={"财务部"})["schedule_conflicts"] == 1
        assert week_values(con, W47, departments={"研发部"})["schedule_conflicts"] == 0
        rows = metric_rows(con, "schedule_conflicts", W47, departments={"财务部"})
        assert (rows.loc[0, "event_id_a"], rows.loc[0, "event_id_b"]) == ("E1", "E2")
