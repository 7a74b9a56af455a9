"""Data-quality checks: each one finds the rows planted for it, and nothing in a clean ledger."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from analytics import quality
from analytics.db import connect, writer
from tests.weekly_fixture import build_weekly_fixture

TODAY = date(2026, 11, 24)

PLANTED = [
    # end before start (meeting) and completed before created (decision: the loader refuses it, a
    # database written another way may still hold it)
    "insert into meetings (meeting_id, title, organizer_dept, scheduled_start, scheduled_end, attendees, has_agenda) "
    "values ('M9', '倒序会议', '研发部', '2026-11-18 10:00', '2026-11-18 09:00', 3, true)",
    "insert into decisions (decision_id, item, owner_dept, created_date, due_date, completed_date) "
    "values ('D9', '倒序决议', '财务部', '2026-11-10', '2026-11-12', '2026-11-09')",
    # missing owner: a resolution without an owner, an issue of supplies without a department
    "insert into supplies (txn_id, txn_date, item, txn_type, quantity) values ('S9', '2026-11-18', '订书机', 'issue', 5)",
    # a date in the future (received after today)
    "insert into documents (doc_id, direction, title, received_date, handler_dept) "
    "values ('F9', 'incoming', '未来来文', '2026-12-30', '研发部')",
]


@pytest.fixture
def planted(db_path: Path) -> Path:
    build_weekly_fixture(db_path)
    with writer(db_path) as con:
        for statement in PLANTED:
            con.execute(statement)
    return db_path


def findings(db_path: Path) -> dict[str, set[str]]:
    with connect(db_path) as con:
        return {r.check.name: set(r.findings["record_id"].dropna()) for r in quality.run_checks(con, TODAY)}


def test_a_clean_company_has_no_findings(db_path: Path) -> None:
    build_weekly_fixture(db_path)
    found = findings(db_path)
    assert {name: ids for name, ids in found.items() if ids} == {}


def test_each_check_finds_what_was_planted_for_it(planted: Path) -> None:
    found = findings(planted)
    assert found["end_before_start"] == {"M9"}
    assert found["completion_before_creation"] == {"D9"}
    assert found["missing_owner"] >= {"D9", "S9"}  # D9 has no owner; S9 is an issue without a department
    assert found["items_without_price"] == {"订书机"}
    assert found["future_dates"] == {"F9"}
    assert found["negative_stock"] == {"订书机"}


def test_a_ledger_without_rows_for_weeks_is_flagged(db_path: Path) -> None:
    build_weekly_fixture(db_path)
    with connect(db_path) as con:
        stale = next(r for r in quality.run_checks(con, date(2027, 1, 20)) if r.check.name == "stale_ledgers")
        fresh = quality.ledger_freshness(con, date(2027, 1, 20)).set_index("ledger")
    assert set(stale.findings["ledger"]) == {"meetings", "decisions", "supplies", "documents", "incidents", "schedule"}
    assert fresh.loc["supplies", "latest_date"].date() == date(2026, 11, 20)
    assert fresh.loc["supplies", "weeks_behind"] == 8  # 61 days
