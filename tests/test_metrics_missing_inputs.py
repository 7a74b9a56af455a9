"""Missing inputs and status-only exports (metrics.md): a metric whose inputs a file did not supply is
null with its note, never 0; rows some loads lacked are left out and counted; done-without-date
decisions are judged from what successive loads saw. Files go through the loader, as a user's would."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from analytics.db import connect
from analytics.ingest import ingest_file
from analytics.metrics import METRICS, week_report
from analytics.metrics.engine import MetricResult
from analytics.report import build_markdown, build_xlsx
from analytics.settings import Settings
from analytics.summary import weekly_summary
from tests.metrics_fixtures import W47
from tests.test_metrics_cli import run_cli


def load(db: Path, text: str, name: str = "台账.csv") -> None:
    ingest_file(db, text.encode(), file_name=name)


def results(db: Path) -> dict[str, MetricResult]:
    with connect(db) as con:
        return {result.name: result for result in week_report(con, W47)}


# ------------------------------------------------------------------------------------------------ incidents

WITHOUT_RESPONSE = """事件编号,事件类型,接报时间,处置完成时间
I1,停电,2026-11-17 09:00,2026-11-17 10:00
I2,漏水,2026-11-18 09:00,
"""


def test_a_file_without_response_times_gives_no_rate_and_says_why(db_path: Path) -> None:
    load(db_path, WITHOUT_RESPONSE)
    got = results(db_path)
    assert got["incidents"].value == 2
    response = got["incident_response_on_time_rate"]
    assert (response.value, response.note) == (None, "无数据：突发事件台账未提供响应时间")
    assert response.note_en == "No data: the incidents files did not supply responded_at"
    # I1 is the only resolved incident; no load gave progress updates or report times
    assert got["incident_update_compliance_rate"].value is None
    assert got["incident_update_compliance_rate"].note == "无数据：突发事件台账未提供进展通报次数"
    assert got["incident_report_on_time_rate"].note == "无数据：突发事件台账未提供总结报告时间"
    assert got["incidents"].note is None


def test_empty_response_cells_in_a_column_the_file_has_still_count_as_late(db_path: Path) -> None:
    load(
        db_path,
        "事件编号,事件类型,接报时间,响应时间\n"
        "I1,停电,2026-11-17 09:00,2026-11-17 09:03\n"  # 3 minutes: in time
        "I2,漏水,2026-11-18 09:00,\n",  # no response recorded: not in time
    )
    response = results(db_path)["incident_response_on_time_rate"]
    assert (response.value, response.numerator, response.denominator, response.note) == (0.5, 1, 2, None)


def test_rows_of_a_load_without_the_column_are_left_out_and_counted(db_path: Path) -> None:
    load(
        db_path,
        "事件编号,事件类型,接报时间,响应时间\n"
        "I1,停电,2026-11-17 09:00,2026-11-17 09:03\n"  # in time
        "I2,漏水,2026-11-18 09:00,2026-11-18 09:10\n",  # 10 minutes: late
        "一月.csv",
    )
    load(
        db_path,
        "事件编号,事件类型,接报时间\nI3,停电,2026-11-19 09:00\nI4,停电,2026-11-20 09:00\nI5,停电,2026-11-21 09:00\n",
        "二月.csv",
    )
    response = results(db_path)["incident_response_on_time_rate"]
    assert (response.value, response.numerator, response.denominator) == (0.5, 1, 2)
    assert response.note == "3 条记录未提供响应时间，未计入"


def test_the_json_carries_the_notes_beside_null_values(db_path: Path) -> None:
    load(db_path, WITHOUT_RESPONSE)
    run = run_cli("--week", "2026-W47", "--format", "json", db=db_path)
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)
    assert answer["metrics"]["incident_response_on_time_rate"] is None
    assert answer["metrics"]["incidents"] == 2
    assert answer["notes"]["incident_response_on_time_rate"] == "无数据：突发事件台账未提供响应时间"
    assert "incidents" not in answer["notes"]
    assert "decision_completion_rate" not in answer["notes"]  # no decisions at all: null without a note


# ------------------------------------------------------------------------------------------------- meetings

MEETINGS = """会议编号,会议名称,组织部门,计划开始时间,计划结束时间,参会人数,是否有议程
M1,周例会,行政部,2026-11-17 09:00,2026-11-17 10:00,4,是
M2,专题会,行政部,2026-11-18 09:00,2026-11-18 10:00,2,是
"""


def test_no_outcome_does_not_fire_when_no_decisions_file_gave_meeting_ids(db_path: Path) -> None:
    load(db_path, MEETINGS)
    load(db_path, "决议编号,决议事项,责任部门,下达日期,完成时限\nD1,事项,行政部,2026-11-17,2026-11-30\n")
    got = results(db_path)
    assert (got["meetings_held"].value, got["low_efficiency_meeting_share"].value) == (2, 0.0)
    # once a decisions file names meetings, M1 (no decision of its own) has no outcome
    load(db_path, "决议编号,决议事项,责任部门,下达日期,完成时限,会议编号\nD2,事项,行政部,2026-11-18,2026-11-30,M2\n")
    got = results(db_path)
    share = got["low_efficiency_meeting_share"]
    assert (share.value, share.numerator, share.denominator) == (0.5, 1, 2)
    # person-hours M1 4 × 1 h: 4 of 6
    assert got["low_efficiency_hours_share"].value == pytest.approx(0.6667)


def test_minutes_on_time_without_a_minutes_column_is_no_data(db_path: Path) -> None:
    load(db_path, MEETINGS)
    minutes = results(db_path)["minutes_on_time_rate"]
    assert (minutes.value, minutes.note) == (None, "无数据：会议台账未提供纪要发布时间")


# ------------------------------------------------------------------------------------------------ documents


def test_documents_without_due_dates_have_no_overdue_count(db_path: Path) -> None:
    load(db_path, "登记编号,收发类型,文件标题,收文日期,登记日期\nF1,收文,通知,2026-11-17,2026-11-18\n")
    got = results(db_path)
    assert (got["docs_received"].value, got["doc_registration_on_time_rate"].value) == (1, 1.0)
    assert (got["docs_overdue"].value, got["docs_overdue"].note) == (None, "无数据：收发文台账未提供办理时限、办结日期")
    assert got["doc_on_time_close_rate"].value is None
    assert got["doc_avg_handling_days"].note == "无数据：收发文台账未提供办结日期"


# ------------------------------------------------------------------------------------ status-only decisions

HEAD = "决议编号,决议事项,责任部门,下达日期,完成时限,办结日期,状态\n"


def decisions(*rows: tuple[str, str, str, str]) -> str:
    """(key, due date, completed date, status) rows."""
    return HEAD + "".join(f"{key},事项,行政部,2026-11-02,{due},{done},{status}\n" for key, due, done, status in rows)


def test_done_without_a_date_is_judged_from_the_days_loads_saw_it(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """W47 = 11-16 … 11-22. What each load saw (its day: OPS_TODAY), and so S (first seen done) and O
    (last seen open): D1 S 11-20, O 11-17; D2 S 11-24, O 11-20; D3 S 11-17; D4 has a completed date;
    D5 is open."""
    monkeypatch.setenv("OPS_TODAY", "2026-11-17")
    load(
        db_path,
        decisions(
            ("D1", "2026-11-18", "", "进行中"), ("D2", "2026-11-19", "", "进行中"), ("D3", "2026-11-20", "", "已办结")
        ),
    )
    monkeypatch.setenv("OPS_TODAY", "2026-11-20")
    load(
        db_path,
        decisions(
            ("D1", "2026-11-18", "", "已办结"),
            ("D2", "2026-11-19", "", "进行中"),
            ("D3", "2026-11-20", "", "已办结"),
            ("D5", "2026-11-20", "", "进行中"),
        ),
    )
    monkeypatch.setenv("OPS_TODAY", "2026-11-24")
    load(
        db_path,
        decisions(
            ("D1", "2026-11-18", "", "已办结"),
            ("D2", "2026-11-19", "", "已办结"),
            ("D3", "2026-11-20", "", "已办结"),
            ("D4", "2026-11-21", "2026-11-21", "已办结"),
            ("D5", "2026-11-20", "", "进行中"),
        ),
    )
    monkeypatch.setenv("OPS_TODAY", "2026-11-25")
    # by Sun 11-22: D1 yes (S 11-20), D2 unknown (S 11-24, O 11-20), D3 yes, D4 yes, D5 no → 3 of 4
    # by the due date: D1 unknown (S 11-20 > 11-18 > O 11-17), D2 no (O 11-20 ≥ 11-19), D3 yes, D4 yes, D5 no → 2 of 4
    # overdue at Sun 11-22: D5; D2 unknown
    run = run_cli("--week", "2026-W47", "--format", "json", db=db_path)
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)
    metrics, notes = answer["metrics"], answer["notes"]
    assert metrics["decisions_due"] == 5
    assert metrics["decision_completion_rate"] == 0.75
    assert metrics["decision_on_time_rate"] == 0.5
    assert metrics["decisions_overdue"] == 1
    assert metrics["decision_avg_cycle_days"] == 19.0  # D4 only: 11-02 → 11-21
    unknown = "1 条已办结但无办结日期的决议无法判断办结时间，未计入"
    assert notes["decision_completion_rate"] == unknown
    assert notes["decision_on_time_rate"] == unknown
    assert notes["decisions_overdue"] == unknown
    assert "decisions_due" not in notes and "decision_avg_cycle_days" not in notes


def test_a_rate_whose_rows_are_all_unknown_is_no_data(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPS_TODAY", "2026-11-24")  # first seen done after the week, never seen open
    load(db_path, decisions(("D1", "2026-11-18", "", "已办结")))
    rate = results(db_path)["decision_completion_rate"]
    assert (rate.value, rate.note) == (None, "无数据：1 条已办结但无办结日期的决议无法判断办结时间，未计入")


# ------------------------------------------------------------------------------ reports, summary and pages


def test_the_report_and_summary_show_the_note_instead_of_a_number(db_path: Path) -> None:
    load(db_path, "事件编号,事件类型,接报时间\nI1,停电,2026-11-17 09:00\n")
    with connect(db_path) as con:
        markdown = build_markdown(con, W47, Settings())
        book = load_workbook(io.BytesIO(build_xlsx(con, W47, Settings())))
    row = next(line for line in markdown.splitlines() if line.startswith("| 5分钟响应率"))
    assert row.split("|")[2].strip() == "无数据：突发事件台账未提供响应时间"
    assert "0.0%" not in row
    cover = {r[8].value: r[1].value for r in book["周报封面"].iter_rows() if len(r) > 8}
    assert cover["incident_response_on_time_rate"] == "无数据：突发事件台账未提供响应时间"
    summary = weekly_summary(list(results(db_path).values()), METRICS, lang="zh")
    assert "本周5分钟响应率：无数据：突发事件台账未提供响应时间" in summary.as_text()


def test_a_partial_value_keeps_its_number_and_says_what_was_left_out(db_path: Path) -> None:
    load(db_path, "事件编号,事件类型,接报时间,响应时间\nI1,停电,2026-11-17 09:00,2026-11-17 09:03\n", "一.csv")
    load(db_path, "事件编号,事件类型,接报时间\nI2,停电,2026-11-18 09:00\n", "二.csv")
    with connect(db_path) as con:
        markdown = build_markdown(con, W47, Settings())
    row = next(line for line in markdown.splitlines() if line.startswith("| 5分钟响应率"))
    assert row.split("|")[2].strip() == "100.0%"
    assert "1 / 1（1 条记录未提供响应时间，未计入）" in row
    line = next(
        x
        for x in weekly_summary(list(results(db_path).values()), METRICS).lines
        if x.metric == "incident_response_on_time_rate"
    )
    assert line.text.startswith("本周5分钟响应率100.0%（") and line.text.endswith("；1 条记录未提供响应时间，未计入）")


def test_the_incidents_page_tile_says_no_data_and_why_never_zero(db_path: Path) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from analytics.ui import data

    st.cache_data.clear()
    st.cache_resource.clear()
    data.forget_database_state()
    load(db_path, WITHOUT_RESPONSE)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    at.query_params["week"] = "2026-W47"
    at = at.run().switch_page("app_pages/incidents.py").run()
    assert not at.exception, [e.message for e in at.exception]
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["5分钟响应率"] == "无数据"
    assert tiles["突发事件数"] == "2"
    assert any(c.value == "无数据：突发事件台账未提供响应时间" for c in at.caption)


# ------------------------------------------------------------------------------------------------- supplies

SUPPLIES_WITHOUT_PRICES = """单据编号,日期,物品名称,类型,数量,领用部门
T1,2026-11-17,A4纸,领用,10,行政部
T2,2026-11-18,A4纸,报废,2,行政部
"""


def test_supply_values_without_any_price_are_no_data_until_a_price_is_known(db_path: Path) -> None:
    load(db_path, SUPPLIES_WITHOUT_PRICES)
    got = results(db_path)
    assert (got["supply_waste_value"].value, got["supply_waste_value"].note) == (None, "无数据：办公用品台账未提供单价")
    assert (got["supply_waste_rate"].value, got["supply_waste_rate"].note) == (None, "无数据：办公用品台账未提供单价")
    # a purchase with a price (another file) prices the item: waste 2 × ¥20 = ¥40 of 10 × 20 + 40 = ¥240
    load(db_path, "单据编号,日期,物品名称,类型,数量,单价\nT0,2026-11-02,A4纸,采购,50,20\n", "采购.csv")
    got = results(db_path)
    assert (got["supply_waste_value"].value, got["supply_waste_value"].note) == (40.0, None)
    assert (got["supply_waste_rate"].value, got["supply_waste_rate"].note) == (0.1667, None)


def test_a_bare_meeting_list_has_no_person_hours_and_no_agenda_rule(db_path: Path) -> None:
    """A list with no attendee count and no agenda column: person-hours are no data (not 0 h), and
    no_agenda does not fire; overrun and low rating have no inputs either."""
    load(
        db_path,
        "会议名称,计划开始时间,计划结束时间\n周例会,2026-11-17 09:00,2026-11-17 10:00\n专题会,2026-11-18 09:00,2026-11-18 10:00\n",
    )
    got = results(db_path)
    assert got["meetings_held"].value == 2
    assert (got["meeting_person_hours"].value, got["meeting_person_hours"].note) == (
        None,
        "无数据：会议台账未提供参会人数",
    )
    assert got["low_efficiency_hours_share"].value is None
    share = got["low_efficiency_meeting_share"]
    assert (share.value, share.numerator, share.denominator, share.note) == (0.0, 0, 2, None)
