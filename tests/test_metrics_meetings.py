"""Meetings (会议): held(W), each low-efficiency rule with its boundary, person-hours, minutes within 24 h."""

from __future__ import annotations

import pytest

from analytics.db import connect
from analytics.metrics import metric_rows, week_values
from analytics.settings import Settings
from tests.metrics_fixtures import W47, decision, insert, meeting

MEETINGS = [
    # 60 planned, 75 actual = exactly 1.25 × planned: not an overrun; minutes exactly 24 h after the actual end
    meeting(
        "M1",
        "2026-11-16 09:00",
        "2026-11-16 10:00",
        actual_start="2026-11-16 09:00",
        actual_end="2026-11-16 10:15",
        attendees=4,
        rating=3,
        minutes_issued_at="2026-11-17 10:15",
    ),
    # 76 actual minutes > 75: overrun; minutes one second past 24 h
    meeting(
        "M2",
        "2026-11-17 14:00",
        "2026-11-17 15:00",
        actual_start="2026-11-17 14:00",
        actual_end="2026-11-17 15:16",
        attendees=6,
        minutes_issued_at="2026-11-18 15:16:01",
    ),
    # no agenda, no decision, rating exactly 2: three reasons; no minutes
    meeting("M3", "2026-11-18 10:00", "2026-11-18 11:00", attendees=3, has_agenda=False, rating=2),
    # only an actual start: planned minutes count; minutes 24 h after the scheduled end
    meeting(
        "M4",
        "2026-11-19 10:00",
        "2026-11-19 10:30",
        actual_start="2026-11-19 10:05",
        attendees=2,
        rating=2.5,
        minutes_issued_at="2026-11-20 10:30",
    ),
    meeting("M5", "2026-11-19 14:00", "2026-11-19 15:00", status="cancelled", has_agenda=False),
    meeting("M6", "2026-11-23 09:00", "2026-11-23 10:00", has_agenda=False),  # next week
    # its only decision is cancelled: no outcome
    meeting("M7", "2026-11-20 09:00", "2026-11-20 10:00", attendees=5),
]
DECISIONS = [
    decision("D1", "2026-11-30", meeting_id="M1"),
    decision("D2", "2026-11-30", meeting_id="M2"),
    decision("D4", "2026-11-30", meeting_id="M4"),
    decision("D7", "2026-11-30", meeting_id="M7", status="cancelled"),
]


def compute(with_decisions: bool = True, settings: Settings | None = None) -> dict:
    with connect(":memory:") as con:
        insert(con, "meetings", *MEETINGS)
        if with_decisions:
            insert(con, "decisions", *DECISIONS)
        return week_values(con, W47, settings or Settings())


def test_held_meetings_leave_out_cancelled_ones_and_other_weeks() -> None:
    assert compute()["meetings_held"] == 5  # M1, M2, M3, M4, M7


def test_low_efficiency_share_counts_a_meeting_once_whatever_number_of_rules_fire() -> None:
    assert compute()["low_efficiency_meeting_share"] == 0.6  # M2 overrun, M3 three rules, M7 no outcome


def test_person_hours_use_actual_minutes_when_both_actual_times_are_present() -> None:
    # M1 4×75/60 = 5, M2 6×76/60 = 7.6, M3 3×60/60 = 3, M4 2×30/60 = 1, M7 5×60/60 = 5
    assert compute()["meeting_person_hours"] == 21.6


def test_low_efficiency_hours_share_divides_person_hours() -> None:
    assert compute()["low_efficiency_hours_share"] == round(15.6 / 21.6, 4) == 0.7222


def test_minutes_within_24_hours_is_inclusive_and_uses_the_actual_end_when_present() -> None:
    assert compute()["minutes_on_time_rate"] == 0.4  # M1 (exactly 24 h), M4 (scheduled end + 24 h)


def test_with_an_empty_decisions_ledger_no_outcome_is_not_applied() -> None:
    values = compute(with_decisions=False)
    assert values["low_efficiency_meeting_share"] == 0.4  # M2, M3; M7 is fine
    assert values["low_efficiency_hours_share"] == round(10.6 / 21.6, 4)


def test_every_rule_that_fires_is_a_reason() -> None:
    with connect(":memory:") as con:
        insert(con, "meetings", *MEETINGS)
        insert(con, "decisions", *DECISIONS)
        rows = metric_rows(con, "low_efficiency_meeting_share", W47).set_index("meeting_id")
    assert rows["in_numerator"].to_dict() == {"M1": False, "M2": True, "M3": True, "M4": False, "M7": True}
    assert rows.loc["M3", "reasons"] == "无议程、无决议产出、评分低"
    assert rows.loc["M3", "reason_codes"] == "no_agenda,no_outcome,low_rating"
    assert rows.loc["M2", "reasons"] == "超时"
    assert rows.loc["M7", "reasons"] == "无决议产出"
    assert rows.loc["M1", "reasons"] == ""
    assert rows.loc["M2", "actual_minutes"] == 76 and rows.loc["M4", "actual_minutes"] == 30


def test_thresholds_come_from_the_settings() -> None:
    values = compute(settings=Settings(overrun_factor=1.3, low_rating_max=1, minutes_sla_hours=25))
    assert values["low_efficiency_meeting_share"] == 0.4  # M2 no longer overruns; M3 still has no agenda
    assert values["minutes_on_time_rate"] == 0.6  # M2's minutes now in time


def test_no_meeting_held_gives_null_shares_and_zero_hours() -> None:
    with connect(":memory:") as con:
        insert(con, "meetings", MEETINGS[4])
        values = week_values(con, W47)
    assert values["meetings_held"] == 0 and values["meeting_person_hours"] == 0
    assert values["low_efficiency_meeting_share"] is None
    assert values["low_efficiency_hours_share"] is None
    assert values["minutes_on_time_rate"] is None


@pytest.mark.parametrize("status", [None, "held"])
def test_a_meeting_without_status_counts_as_held(status) -> None:
    with connect(":memory:") as con:
        insert(con, "meetings", meeting("M1", "2026-11-16 09:00", "2026-11-16 10:00", status=status))
        assert week_values(con, W47)["meetings_held"] == 1
