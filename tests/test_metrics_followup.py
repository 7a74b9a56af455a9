"""Follow-up on resolutions (督办): extensions, completion by the original deadline, items due soon over
PRC holidays, reminders, and each open item's card (红牌/黄牌/蓝牌) — hand-computed."""

from __future__ import annotations

import pytest

from analytics.db import connect
from analytics.metrics import metric_rows, week_values
from analytics.settings import Settings
from analytics.weeks import Week
from tests.metrics_fixtures import W47, decision, insert

# W47 = Mon 2026-11-16 … Sun 2026-11-22. The 3rd working day after Sunday is Wed 11-25 (23, 24, 25).
ROWS = [
    decision("F1", "2026-11-27", original_due_date="2026-11-18", extension_count=1),  # extended, open
    decision("F2", "2026-11-20", "2026-11-20", original_due_date="2026-11-17"),  # extended (count blank → 1), done
    decision("F3", "2026-11-19", "2026-11-18"),  # no original written: the current deadline is the original
    decision("F4", "2026-11-20", "2026-11-23", original_due_date="2026-11-20"),  # kept, done after Sunday: red
    decision("F5", "2026-12-04", original_due_date="2026-11-21", status="cancelled"),  # cancelled: nowhere
    decision("F6", "2026-11-19", "2026-11-19", original_due_date="2026-11-10"),  # originally due in W46
    decision("F7", "2026-11-25"),  # due Wednesday, the 3rd working day: due soon
    decision("F8", "2026-11-26"),  # the 4th working day: not yet
    decision("F9", "2026-11-24", "2026-11-21"),  # done before Sunday: not due soon
    decision("F10", "2026-11-23", "2026-11-24"),  # done after Sunday: open then, due soon
    decision("F11", "2026-11-30", last_reminder_date="2026-11-22", reminder_count=3),  # chased on Sunday
    decision("F12", "2026-11-30", last_reminder_date="2026-11-15", reminder_count=1),  # chased in W46
    decision("F13", "2026-11-30", last_reminder_date="2026-11-16", status="cancelled"),  # cancelled
]


@pytest.fixture(scope="module")
def values() -> dict:
    with connect(":memory:") as con:
        insert(con, "decisions", *ROWS)
        return week_values(con, W47)


def test_an_extended_decision_is_one_whose_original_deadline_fell_in_the_week_and_moved_later(values) -> None:
    assert values["decisions_extended"] == 2  # F1, F2 (F4 kept its deadline, F5 cancelled, F6 originally W46)


def test_completion_is_measured_against_the_original_deadline(values) -> None:
    # F1, F2, F3, F4 were originally due in W47; only F3 was done by then (F2 only by its extended deadline)
    assert values["decision_original_on_time_rate"] == 0.25


def test_due_soon_counts_open_items_due_within_three_working_days_after_sunday(values) -> None:
    assert values["decisions_due_soon"] == 2  # F7 (Wed 11-25), F10 (Mon 11-23, done Tuesday)


def test_reminded_counts_the_latest_reminder_in_the_week(values) -> None:
    assert values["decisions_reminded"] == 1  # F11


def test_rows_show_the_card_the_deadlines_and_the_counts() -> None:
    with connect(":memory:") as con:
        insert(con, "decisions", *ROWS)
        rows = metric_rows(con, "decision_original_on_time_rate", W47).set_index("decision_id")
        reminded = metric_rows(con, "decisions_reminded", W47).set_index("decision_id")
    assert sorted(rows.index) == ["F1", "F2", "F3", "F4"]
    assert rows["in_numerator"].to_dict() == {"F1": False, "F2": False, "F3": True, "F4": False}
    # F1 open and extended: yellow; F2 and F3 done by Sunday: no card; F4 open at Sunday past its deadline: red
    assert rows["light"].fillna("none").to_dict() == {
        "F1": "yellow",
        "F2": "none",
        "F3": "none",
        "F4": "red",
    }
    assert rows["extension_count"].to_dict() == {"F1": 1, "F2": 1, "F3": 0, "F4": 0}
    assert str(rows.loc["F2", "original_due_date"].date()) == "2026-11-17"
    assert str(rows.loc["F3", "original_due_date"].date()) == "2026-11-19"
    assert rows.loc["F1", "days_extended"] == 9
    assert reminded.loc["F11", "reminder_count"] == 3 and reminded.loc["F11", "light"] == "blue"


def test_a_longer_warning_reaches_further() -> None:
    with connect(":memory:") as con:
        insert(con, "decisions", *ROWS)
        values = week_values(con, W47, Settings(warn_working_days=4))
    assert values["decisions_due_soon"] == 3  # F8 on Thursday 11-26 as well


# National Day 2026: Thu 10-01 … Wed 10-07 off, Sat 10-10 a working day. W40 = Mon 09-28 … Sun 10-04.
W40 = Week(2026, 40)
NATIONAL_DAY = [
    decision("H1", "2026-10-09"),  # Fri: the 2nd working day after Sunday 10-04 (10-08, 10-09)
    decision("H2", "2026-10-10"),  # the working Saturday: the 3rd
    decision("H3", "2026-10-12"),  # the 4th: not yet
    decision("H4", "2026-10-09", original_due_date="2026-09-30"),  # extended over the holiday
    decision("H5", "2026-10-16", "2026-10-15", original_due_date="2026-09-29", extension_count=2),
]


def test_due_soon_and_extensions_across_national_day() -> None:
    with connect(":memory:") as con:
        insert(con, "decisions", *NATIONAL_DAY)
        values = week_values(con, W40)
        rows = metric_rows(con, "decisions_due_soon", W40).set_index("decision_id")
        extended = metric_rows(con, "decisions_extended", W40).set_index("decision_id")
    # a calendar counting Mon–Fri would stop at Wed 10-07 and find nothing due soon
    assert values["decisions_due_soon"] == 3  # H1, H2, H4
    assert rows["working_days_left"].to_dict() == {"H1": 2, "H2": 3, "H4": 2}
    assert values["decisions_extended"] == 2  # H4 (09-30 → 10-09), H5 (09-29 → 10-16)
    assert values["decision_original_on_time_rate"] == 0.0
    assert extended["extension_count"].to_dict() == {"H4": 1, "H5": 2}
    assert extended["light"].to_dict() == {"H4": "yellow", "H5": "yellow"}  # due soon; extended twice


# Spring Festival 2026: Sun 02-15 … Mon 02-23 off, Sat 02-14 and 02-28 working. W07 ends Sun 02-15.
def test_due_soon_across_the_spring_festival() -> None:
    with connect(":memory:") as con:
        insert(con, "decisions", decision("S1", "2026-02-26"), decision("S2", "2026-02-27"))
        rows = metric_rows(con, "decisions_due_soon", Week(2026, 7))
    assert list(rows["decision_id"]) == ["S1"]  # 02-24, 02-25, 02-26 are the three working days after Sunday


# As of Wed 2026-11-25 (W48 in progress): the cut-off is today; the 3rd working day after it is Mon 11-30.
W48 = Week(2026, 48)
AS_OF = [
    decision("T1", "2026-11-27"),  # Friday: due soon as of Wednesday (26, 27, 30)
    decision("T2", "2026-11-30"),  # the 3rd working day after today
    decision("T3", "2026-12-01"),  # the 4th: not yet
    decision("T4", "2026-11-24"),  # Tuesday, open: overdue today, not due soon
    decision("T5", "2026-11-27", original_due_date="2026-11-24"),  # originally due Tuesday, moved: extended
    decision("T6", "2026-11-30", original_due_date="2026-11-26"),  # originally due tomorrow: not counted yet
    decision("T7", "2026-12-04", last_reminder_date="2026-11-23", reminder_count=1),  # chased Monday
]


def test_an_in_progress_week_is_measured_as_of_today() -> None:
    from datetime import date

    with connect(":memory:") as con:
        insert(con, "decisions", *AS_OF)
        values = week_values(con, W48, as_of=date(2026, 11, 25))
        soon = metric_rows(con, "decisions_due_soon", W48, as_of=date(2026, 11, 25)).set_index("decision_id")
        extended = metric_rows(con, "decisions_extended", W48, as_of=date(2026, 11, 25)).set_index("decision_id")
        at_sunday = week_values(con, W48, as_of=date(2026, 11, 30))
    assert values["decisions_due_soon"] == 4  # T1, T2, T5 (due Friday), T6 (due Monday)
    assert soon["working_days_left"].to_dict() == {"T1": 2, "T2": 3, "T5": 2, "T6": 3}
    assert values["decisions_extended"] == 1 and list(extended.index) == ["T5"]  # T6's original date is tomorrow
    assert extended.loc["T5", "light"] == "yellow"
    assert values["decision_original_on_time_rate"] == 0.0  # T4 and T5 originally due by today, neither done
    assert values["decisions_overdue"] == 1 and values["decisions_reminded"] == 1  # T4; T7
    # once the week is over (Sunday 11-29): T1, T4, T5 overdue; T2, T6 (Mon 11-30), T3 (Tue 12-01) due soon
    assert at_sunday["decisions_overdue"] == 3
    assert at_sunday["decisions_due_soon"] == 3 and at_sunday["decisions_extended"] == 2  # T5, T6


def test_done_without_a_date_follows_the_loads_that_saw_it() -> None:
    """metrics.md, "Status-only exports": S = first load seeing it done, O = latest load seeing it open."""
    rows = [
        decision("S1", "2026-11-24", status="done"),  # seen done on 11-20 (before Sunday): not due soon
        decision("S2", "2026-11-24", status="done"),  # seen open on 11-23, done on 11-24: open at Sunday
        decision("S3", "2026-11-25", status="done"),  # never seen open, first seen done 11-26: unknown
        decision("S4", "2026-11-19", status="done", original_due_date="2026-11-17"),  # done 11-18: late vs 11-17
        decision("S5", "2026-11-20", status="done", original_due_date="2026-11-20"),  # seen done 11-19: on time
    ]
    seen = [("S1", "2026-11-20", None), ("S2", "2026-11-24", "2026-11-23"), ("S3", "2026-11-26", None)]
    seen += [("S4", "2026-11-18", "2026-11-17"), ("S5", "2026-11-19", None)]
    with connect(":memory:") as con:
        insert(con, "decisions", *rows)
        con.executemany("insert into decision_status_seen values (?, ?, ?)", seen)
        values = week_values(con, W47)
        soon = metric_rows(con, "decisions_due_soon", W47).set_index("decision_id")
        original = metric_rows(con, "decision_original_on_time_rate", W47).set_index("decision_id")
    assert values["decisions_due_soon"] == 1  # S2; S3 unknown, left out
    assert list(soon.index) == ["S2"]  # the rows behind the number are the counted ones
    # S4 seen open on its original deadline 11-17 (done only 11-18): no; S5 seen done 11-19: yes
    assert values["decision_original_on_time_rate"] == 0.5
    assert original["light"].isna().all()  # done by Sunday: no card


def test_a_file_without_reminder_dates_gives_no_reminder_count_and_says_why(db_path) -> None:
    from analytics.ingest import ingest_file
    from analytics.metrics import week_report

    head = "决议编号,决议事项,责任部门,下达日期,完成时限,办结日期,状态\n"
    ingest_file(
        db_path, (head + "R1,事项,行政部,2026-11-02,2026-11-18,2026-11-17,已办结\n").encode(), file_name="a.csv"
    )
    with connect(db_path) as con:
        got = {r.name: r for r in week_report(con, W47)}
    reminded = got["decisions_reminded"]
    assert (reminded.value, reminded.note) == (None, "无数据：决议督办台账未提供最近催办日期")
    assert got["decisions_extended"].value == 0 and got["decisions_extended"].note is None  # original = current
    with_dates = (
        "决议编号,决议事项,责任部门,下达日期,完成时限,最近催办日期\n"
        + "R2,事项,行政部,2026-11-02,2026-11-30,2026-11-20\n"
    )
    ingest_file(db_path, with_dates.encode(), file_name="b.csv")
    with connect(db_path) as con:
        reminded = next(r for r in week_report(con, W47) if r.name == "decisions_reminded")
    assert (reminded.value, reminded.note) == (1, "1 条记录未提供最近催办日期，未计入")  # R1's load had no column
