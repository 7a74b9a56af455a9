"""Documents (公文): registration within one PRC working day, the overdue stock, closing on time, handling days."""

from __future__ import annotations

import pytest

from analytics.db import connect
from analytics.metrics import metric_rows, week_values
from analytics.weeks import Week
from tests.metrics_fixtures import W47, document, insert

ROWS = [
    document("R1", received_date="2026-11-16", registered_date="2026-11-17"),  # Mon → Tue: in time
    document("R2", received_date="2026-11-20", registered_date="2026-11-23"),  # Fri → Mon: in time
    document("R3", received_date="2026-11-18", registered_date="2026-11-20"),  # two working days: late
    document("R4", received_date="2026-11-19"),  # never registered
    document("O1", "outgoing", registered_date="2026-11-18", due_date="2026-11-18"),  # outgoing, open, due in W
    document("C1", received_date="2026-11-01", registered_date="2026-11-03", due_date="2026-11-22"),  # due Sunday, open
    document(
        "C2", received_date="2026-11-01", registered_date="2026-11-02", due_date="2026-11-10", closed_date="2026-11-25"
    ),  # closed after Sunday: overdue
    document(
        "C3", received_date="2026-11-01", registered_date="2026-11-17", due_date="2026-11-20", closed_date="2026-11-20"
    ),  # closed on the due date, 3 days after registration
    document(
        "C4", received_date="2026-11-01", registered_date="2026-11-10", due_date="2026-11-17", closed_date="2026-11-16"
    ),  # closed early, 6 days after registration
    document("C5", received_date="2026-11-01", due_date="2026-11-23", closed_date="2026-11-18"),  # not registered
    document("C6", received_date="2026-11-01", registered_date="2026-11-02"),  # no due date: never overdue
]


@pytest.fixture
def values() -> dict:
    with connect(":memory:") as con:
        insert(con, "documents", *ROWS)
        return week_values(con, W47)


def test_received_counts_incoming_documents_received_in_the_week(values) -> None:
    assert values["docs_received"] == 4


def test_registration_is_due_by_the_next_working_day(values) -> None:
    assert values["doc_registration_on_time_rate"] == 0.5  # R1, R2


def test_overdue_documents_are_the_stock_at_sunday_in_either_direction(values) -> None:
    assert values["docs_overdue"] == 3  # O1, C1, C2


def test_on_time_close_rate_is_over_documents_due_in_the_week(values) -> None:
    assert values["doc_on_time_close_rate"] == 0.5  # C3, C4 of O1, C1, C3, C4


def test_handling_days_are_over_registered_documents_closed_in_the_week(values) -> None:
    assert values["doc_avg_handling_days"] == 4.5  # C3 3, C4 6; C5 not registered


# National Day 2026: Oct 1–7 off, Sun 09-20 and Sat 10-10 worked. W40 = 09-28…10-04, W41 = 10-05…10-11.
NATIONAL_DAY = [
    document("N1", received_date="2026-09-30", registered_date="2026-10-08"),  # next working day: in time
    document("N2", received_date="2026-09-30", registered_date="2026-10-09"),  # late
    document("N3", received_date="2026-10-02", registered_date="2026-10-08"),  # received on a holiday
    document("N4", received_date="2026-10-09", registered_date="2026-10-10"),  # adjusted working Saturday
    document("N5", received_date="2026-10-09", registered_date="2026-10-12"),  # late: Saturday was a working day
    document("N6", received_date="2026-10-10", registered_date="2026-10-12"),  # received on the working Saturday
]


@pytest.mark.parametrize(
    ("week", "expected"),
    [(Week(2026, 40), round(2 / 3, 4)), (Week(2026, 41), round(2 / 3, 4))],
    ids=["across-national-day", "adjusted-working-saturday"],
)
def test_registration_follows_the_prc_calendar(week: Week, expected: float) -> None:
    with connect(":memory:") as con:
        insert(con, "documents", *NATIONAL_DAY)
        assert week_values(con, week)["doc_registration_on_time_rate"] == expected


def test_registration_rows_show_the_deadline_and_working_days_taken() -> None:
    with connect(":memory:") as con:
        insert(con, "documents", *NATIONAL_DAY)
        rows = metric_rows(con, "doc_registration_on_time_rate", Week(2026, 40)).set_index("doc_id")
    assert str(rows.loc["N1", "registration_deadline"])[:10] == "2026-10-08"
    assert rows["working_days_to_register"].to_dict() == {"N1": 1, "N2": 2, "N3": 1}
    assert rows.loc["N2", "reason"] == "登记超过1个工作日"


def test_no_documents_give_null_rates_and_zero_counts() -> None:
    with connect(":memory:") as con:
        values = week_values(con, W47)
    assert values["docs_received"] == 0 and values["docs_overdue"] == 0
    assert values["doc_registration_on_time_rate"] is None
    assert values["doc_on_time_close_rate"] is None and values["doc_avg_handling_days"] is None
