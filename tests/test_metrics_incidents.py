"""Incidents (突发事件): response within 5 minutes, an update every 30 minutes, the report within 24 h."""

from __future__ import annotations

import pytest

from analytics.db import connect
from analytics.metrics import metric_rows, week_values
from tests.metrics_fixtures import W47, incident, insert

ROWS = [
    # responded in exactly 5 min; 85 min to resolution → 2 updates due, 2 given; report exactly 24 h after
    incident(
        "I1",
        "2026-11-16 10:00",
        responded_at="2026-11-16 10:05",
        resolved_at="2026-11-16 11:30",
        progress_updates=2,
        report_issued_at="2026-11-17 11:30",
    ),
    # responded 1 s late; 60 min → 2 due, 1 given; no report
    incident(
        "I2",
        "2026-11-17 09:00",
        responded_at="2026-11-17 09:05:01",
        resolved_at="2026-11-17 10:05:01",
        progress_updates=1,
    ),
    # never responded: the clock runs from the report, 59 min → 1 due, none recorded (counts as 0)
    incident("I3", "2026-11-18 08:00", resolved_at="2026-11-18 08:59", report_issued_at="2026-11-19 08:00"),
    # responded in time, not resolved: in inc(W) only
    incident("I4", "2026-11-19 12:00", responded_at="2026-11-19 12:01"),
    # reported Sunday night, resolved next week: still of this week; 20.5 min → 0 updates due
    incident("I5", "2026-11-22 23:59", responded_at="2026-11-22 23:59:30", resolved_at="2026-11-23 00:20"),
    incident("I6", "2026-11-23 00:01", responded_at="2026-11-23 00:02"),  # next week
]


@pytest.fixture
def values() -> dict:
    with connect(":memory:") as con:
        insert(con, "incidents", *ROWS)
        return week_values(con, W47)


def test_incidents_are_those_reported_in_the_week(values) -> None:
    assert values["incidents"] == 5


def test_response_within_5_minutes_is_inclusive_and_a_missing_response_is_a_miss(values) -> None:
    assert values["incident_response_on_time_rate"] == 0.6  # I1, I4, I5


def test_update_compliance_uses_floor_of_the_minutes_over_30(values) -> None:
    assert values["incident_update_compliance_rate"] == 0.5  # I1, I5 of the resolved I1, I2, I3, I5


def test_the_report_is_due_within_24_hours_of_resolution(values) -> None:
    assert values["incident_report_on_time_rate"] == 0.5  # I1 (exactly 24 h), I3


def test_rows_name_the_service_levels_missed() -> None:
    with connect(":memory:") as con:
        insert(con, "incidents", *ROWS)
        rows = metric_rows(con, "incident_update_compliance_rate", W47).set_index("incident_id")
    assert sorted(rows.index) == ["I1", "I2", "I3", "I5"]
    assert rows["updates_required"].to_dict() == {"I1": 2, "I2": 2, "I3": 1, "I5": 0}
    assert rows.loc["I2", "missed_service_levels"] == "未在时限内响应、进展通报不足（应2次，实际1次）、总结报告超时"
    assert rows.loc["I1", "missed_service_levels"] == ""


def test_no_resolved_incident_gives_null_update_and_report_rates() -> None:
    with connect(":memory:") as con:
        insert(con, "incidents", ROWS[3])
        values = week_values(con, W47)
    assert values["incidents"] == 1 and values["incident_response_on_time_rate"] == 1.0
    assert values["incident_update_compliance_rate"] is None
    assert values["incident_report_on_time_rate"] is None
