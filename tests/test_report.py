"""The exported weekly report: numbers checked against a fixture computed by hand.

Week under review: 2026-W47 (Mon 2026-11-16 … Sun 2026-11-22); last week 2026-W46 (11-09 … 11-15).

Decisions
  D1 due 11-18, done 11-17 (created 11-02)  — due W47, on time; cycle 15 days
  D2 due 11-19, done 11-21 (created 11-03)  — due W47, late but by Sunday; cycle 18 days
  D3 due 11-20, open                         — due W47, overdue at Sunday
  D4 due 11-22 (Sunday), done 11-24          — due W47, not by Sunday, overdue at Sunday
  D5 due 11-18, cancelled                    — left out everywhere
  D6 due 11-10, done 11-12 (created 10-20) / D7 due 11-13, open / D8 due 11-11, done 11-11 (created 10-22)
                                             — due W46
  W47: completion 2/4 = 50.00 %, on time 1/4, overdue D3 D4 D7 = 3, mean cycle (15 + 18) / 2 = 16.5
  W46: completion 2/3 = 66.67 % → change −16.67 points; on time 1/3; overdue D7 = 1 → change +2;
       mean cycle (23 + 20) / 2 = 21.5

Meetings (the decisions ledger has rows, so `no_outcome` applies)
  M1 agenda, 6 people, 1 h, decisions D1 D2, minutes after 6 h  — efficient, 6 person-hours
  M2 no agenda, 4 people, 1 h, minutes 25 h after the end       — low (no agenda), 4 person-hours
  M3 agenda, 10 people, planned 60 min, actual 90 (> 75), no decision, minutes exactly 24 h after
                                                                  — low (no outcome, overrun), 15 person-hours
  M4 cancelled
  W47: low-efficiency share 2/3 = 66.67 %, hours share 19/25 = 76 %, minutes on time 2/3
  W46: M5 (decision D6) efficient, M6 no decision → 1/2 = 50 % → change +16.67 points

Supplies (A4纸 ¥20 from the opening row, 签字笔 ¥2)
  W47: issue 10 A4纸 (price filled: ¥200), return 2 A4纸 (¥40), scrap 3 A4纸 (¥60), loss 5 签字笔 (¥10)
       waste ¥70; rate 70 / (200 − 40 + 70) = 30.43 %
  W46: issue 20 A4纸 (¥400), scrap 10 签字笔 (¥20) → 20 / 420 = 4.76 % → change +25.67 points
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from analytics.db import connect
from analytics.metrics import METRICS, latest_week_with_data
from analytics.report import build_markdown, build_xlsx
from analytics.settings import Settings
from analytics.weeks import Week
from tests.conftest import PYTHON

WEEK = Week(2026, 47)

DECISIONS = [
    # decision_id, meeting_id, item, owner_dept, created, due, completed, status
    ("D1", "M1", '=HYPERLINK("http://x","点我")', "行政部", "2026-11-02", "2026-11-18", "2026-11-17", "done"),
    ("D2", "M1", "+1", "财务部", "2026-11-03", "2026-11-19", "2026-11-21", "done"),
    ("D3", "M2", "@财务 推进OA升级", "财务部", "2026-11-05", "2026-11-20", None, "open"),
    ("D4", "M2", "-整理档案", "行政部", "2026-11-06", "2026-11-22", "2026-11-24", "done"),
    ("D5", "M2", "@取消的事项", "行政部", "2026-11-06", "2026-11-18", None, "cancelled"),
    ("D6", "M5", "采购确认", "行政部", "2026-10-20", "2026-11-10", "2026-11-12", "done"),
    ("D7", None, "\t合同归档", "财务部", "2026-10-21", "2026-11-13", None, "open"),
    ("D8", None, "制度修订", "行政部", "2026-10-22", "2026-11-11", "2026-11-11", "done"),
]
# fmt: off
MEETINGS = [
    # meeting_id, title, dept, scheduled start, scheduled end, actual start, actual end, attendees, agenda,
    # minutes issued, status, rating
    ("M1", "周例会", "行政部", "2026-11-17 09:00", "2026-11-17 10:00", "2026-11-17 09:00", "2026-11-17 10:00", 6, True, "2026-11-17 16:00", "held", 4),
    ("M2", "预算沟通会", "财务部", "2026-11-18 14:00", "2026-11-18 15:00", None, None, 4, False, "2026-11-19 16:00", "held", None),
    ("M3", "=1+2", "行政部", "2026-11-19 10:00", "2026-11-19 11:00", "2026-11-19 10:00", "2026-11-19 11:30", 10, True, "2026-11-20 11:30", "held", 3),
    ("M4", "取消的会", "行政部", "2026-11-20 10:00", "2026-11-20 11:00", None, None, 5, False, None, "cancelled", None),
    ("M5", "采购评审会", "行政部", "2026-11-10 10:00", "2026-11-10 11:00", None, None, 5, True, "2026-11-10 12:00", "held", 5),
    ("M6", "务虚会", "财务部", "2026-11-11 10:00", "2026-11-11 11:00", None, None, 5, True, "2026-11-11 12:00", "held", 4),
]
# fmt: on
SUPPLIES = [
    # txn_id, date, item, type, quantity, unit_price, department, note
    ("S0", "2026-11-01", "A4纸", "opening", 100, 20.0, None, "期初"),
    ("S1", "2026-11-01", "签字笔", "opening", 100, 2.0, None, "期初"),
    ("S2", "2026-11-17", "A4纸", "issue", 10, None, "行政部", "=SUM(A1:A9)"),
    ("S3", "2026-11-18", "A4纸", "return", 2, 20.0, "行政部", None),
    ("S4", "2026-11-19", "A4纸", "scrap", 3, None, "行政部", "受潮"),
    ("S5", "2026-11-20", "签字笔", "loss", 5, 2.0, "财务部", "丢失"),
    ("S6", "2026-11-10", "A4纸", "issue", 20, 20.0, "财务部", None),
    ("S7", "2026-11-11", "签字笔", "scrap", 10, None, "财务部", "漏墨"),
]


def fill(con) -> None:
    con.executemany(
        "insert into decisions (decision_id, meeting_id, item, owner_dept, created_date, due_date, completed_date, status)"
        " values (?, ?, ?, ?, ?, ?, ?, ?)",
        DECISIONS,
    )
    con.executemany(
        "insert into meetings (meeting_id, title, organizer_dept, scheduled_start, scheduled_end, actual_start,"
        " actual_end, attendees, has_agenda, minutes_issued_at, status, rating) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        MEETINGS,
    )
    con.executemany(
        "insert into supplies (txn_id, txn_date, item, txn_type, quantity, unit_price, department, note)"
        " values (?, ?, ?, ?, ?, ?, ?, ?)",
        SUPPLIES,
    )


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path = tmp_path_factory.mktemp("report") / "ops.duckdb"
    with connect(db_path) as con:
        fill(con)
    return db_path


@pytest.fixture(scope="module")
def workbook(fixture_db: Path):
    with connect(fixture_db) as con:
        payload = build_xlsx(con, WEEK, Settings())
    return load_workbook(io.BytesIO(payload)), payload


def cover_rows(book) -> dict[str, tuple]:
    """Cover table rows by metric code (the last column): (value, last week, change, cells)."""
    sheet = book["周报封面"]
    rows = {}
    for row in sheet.iter_rows(min_row=1):
        code = row[8].value if len(row) > 8 else None
        if isinstance(code, str) and code.islower():
            rows[code] = (row[1].value, row[2].value, row[3].value, row)
    return rows


# Hand-computed: (this week, last week, change as written — percentage points for rates).
EXPECTED = {
    "decision_completion_rate": (0.5, 0.6667, -16.67),
    "low_efficiency_meeting_share": (0.6667, 0.5, 16.67),
    "supply_waste_rate": (0.3043, 0.0476, 25.67),
    "decisions_overdue": (3, 1, 2),
    "decisions_due": (4, 3, 1),
    "decision_on_time_rate": (0.25, 0.3333, -8.33),
    "decision_avg_cycle_days": (16.5, 21.5, -5.0),
    "low_efficiency_hours_share": (0.76, 0.5, 26.0),
    "meeting_person_hours": (25.0, 10.0, 15.0),
    "minutes_on_time_rate": (0.6667, 1.0, -33.33),
    "supply_waste_value": (70.0, 20.0, 50.0),
}


@pytest.mark.parametrize("name", list(EXPECTED), ids=list(EXPECTED))
def test_the_cover_shows_each_number_last_week_and_the_change(workbook, name: str) -> None:
    book, _ = workbook
    value, previous, change, _ = cover_rows(book)[name]
    want_value, want_previous, want_change = EXPECTED[name]
    assert value == pytest.approx(want_value, abs=1e-4)
    assert previous == pytest.approx(want_previous, abs=1e-4)
    assert change == pytest.approx(want_change, abs=1e-4)


def test_rates_are_percent_cells_with_changes_in_points_and_money_in_yuan(workbook) -> None:
    book, _ = workbook
    rows = cover_rows(book)
    cells = rows["decision_completion_rate"][3]
    assert cells[1].number_format == "0.0%"
    assert "个百分点" in cells[3].number_format
    assert "¥" in rows["supply_waste_value"][3][1].number_format
    assert rows["decision_completion_rate"][3][4].value == "2 / 4"


def test_a_rate_with_nothing_to_divide_is_a_dash_not_zero(workbook) -> None:
    book, _ = workbook
    value, previous, change, _ = cover_rows(book)["incident_response_on_time_rate"]
    assert (value, previous, change) == ("—", "—", "—")


def test_every_number_on_the_cover_carries_its_definition(workbook) -> None:
    book, _ = workbook
    rows = cover_rows(book)
    assert len(rows) == len(METRICS) == 31  # 27 + the four of "Follow-up on resolutions"
    for name, (*_, cells) in rows.items():
        assert cells[7].value and len(cells[7].value) > 8, name
    headline = rows["decision_completion_rate"][3]
    assert headline[0].value == "决议执行率" and "本周到期的决议" in headline[7].value


def test_the_cover_opens_with_the_written_summary(workbook) -> None:
    book, _ = workbook
    texts = [c.value for row in book["周报封面"].iter_rows(max_col=1) for c in row if isinstance(c.value, str)]
    body = "\n".join(texts)
    assert "2026-W47" in body and "2026年11月16日" in body
    assert "结论" in body
    assert "决议执行率50.0%" in body and "较上周-16.7个百分点" in body


def test_formula_like_ledger_text_stays_text(workbook) -> None:
    book, payload = workbook
    written = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    written[cell.value] = cell
    for text in (
        '=HYPERLINK("http://x","点我")',
        "+1",
        "-整理档案",
        "=1+2",
        "=SUM(A1:A9)",
        "@财务 推进OA升级",
        "\t合同归档",
    ):
        cell = written[text]
        assert cell.data_type == "s", text
        assert cell.quotePrefix, text
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(name) or b"<f " in archive.read(name) for name in sheets)


def test_each_ledger_sheet_lists_the_rows_with_chinese_headers_filters_and_a_frozen_header(workbook) -> None:
    book, _ = workbook
    assert book.sheetnames[:2] == ["周报封面", "趋势"]
    decisions = book["决议督办"]
    headers = [c.value for c in decisions[2]]
    assert headers[:2] == ["责任部门", "决议编号"]
    assert {"本周到期", "逾期未办", "本周办结", "决议事项", "逾期工作日"} <= set(headers)
    flags = [headers.index(name) + 1 for name in ("本周到期", "逾期未办", "本周办结")]
    assert decisions.freeze_panes == "A3"
    assert decisions.auto_filter.ref.startswith("A2:")
    ids = sorted(decisions.cell(row=r, column=2).value for r in range(3, decisions.max_row + 1))
    assert ids == ["D1", "D2", "D3", "D4", "D7"]  # due in W47, or overdue at its Sunday; not the cancelled D5
    by_id = {decisions.cell(row=r, column=2).value: r for r in range(3, decisions.max_row + 1)}
    due_column = headers.index("完成时限") + 1
    assert decisions.cell(row=by_id["D7"], column=due_column).number_format == "yyyy-mm-dd"
    assert [decisions.cell(row=by_id["D7"], column=c).value for c in flags] == ["否", "是", "否"]
    assert [decisions.cell(row=by_id["D1"], column=c).value for c in flags] == ["是", "否", "是"]

    meetings = book["会议"]
    meeting_headers = [c.value for c in meetings[2]]
    reasons = {
        meetings.cell(row=r, column=meeting_headers.index("会议编号") + 1).value: meetings.cell(
            row=r, column=meeting_headers.index("低效原因") + 1
        ).value
        for r in range(3, meetings.max_row + 1)
    }
    assert reasons == {"M1": None, "M2": "无议程", "M3": "无决议产出、超时"}

    supplies = book["办公用品"]
    supply_headers = [c.value for c in supplies[2]]
    value_column = supply_headers.index("金额") + 1
    values = sorted(supplies.cell(row=r, column=value_column).value for r in range(3, supplies.max_row + 1))
    assert values == [10.0, 40.0, 60.0, 200.0]
    assert "¥" in supplies.cell(row=3, column=value_column).number_format
    assert {"公文", "突发事件", "总经理日程", "日程冲突", "办公用品库存"} <= set(book.sheetnames)


def test_the_trend_sheet_has_a_native_line_chart_of_the_headline_numbers(workbook) -> None:
    book, _ = workbook
    trend = book["趋势"]
    assert [c.value for c in trend[3]] == ["周", "周一", "决议执行率", "低效会议占比", "办公用品浪费率"]
    weeks = [trend.cell(row=r, column=1).value for r in range(4, trend.max_row + 1)]
    assert len(weeks) == 12 and weeks[-1] == "2026-W47"
    assert trend.cell(row=trend.max_row, column=3).value == pytest.approx(0.5)
    assert trend.cell(row=trend.max_row - 1, column=5).value == pytest.approx(0.0476)
    assert len(trend._charts) == 1


def test_departments_scope_every_number(fixture_db: Path) -> None:
    with connect(fixture_db) as con:
        book = load_workbook(io.BytesIO(build_xlsx(con, WEEK, Settings(), departments=["财务部"])))
    rows = cover_rows(book)
    assert rows["decision_completion_rate"][:3] == (pytest.approx(0.5), pytest.approx(0.0), pytest.approx(50.0))
    assert rows["decisions_overdue"][0] == 2  # D3 and D7
    ids = {book["决议督办"].cell(row=r, column=2).value for r in range(3, book["决议督办"].max_row + 1)}
    assert ids == {"D2", "D3", "D7"}
    assert any("范围：财务部" in (c.value or "") for row in book["周报封面"].iter_rows(max_col=1) for c in row)


def test_the_english_report_uses_english_labels(fixture_db: Path) -> None:
    with connect(fixture_db) as con:
        book = load_workbook(io.BytesIO(build_xlsx(con, WEEK, Settings(), lang="en")))
        text = build_markdown(con, WEEK, Settings(), lang="en")
    assert book.sheetnames[:2] == ["Cover", "Trend"]
    assert "Decision completion rate" in text and "50.0%" in text and "-16.7 pp" in text


def test_the_markdown_has_the_summary_and_the_headline_numbers(fixture_db: Path) -> None:
    with connect(fixture_db) as con:
        text = build_markdown(con, WEEK, Settings())
    assert text.startswith("# ") and "2026-W47" in text
    assert "## 本周结论" in text and "## 核心指标" in text
    headline = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| **")}
    assert "50.0%" in headline["**决议执行率**"] and "66.7%" in headline["**决议执行率**"]
    assert "-16.7个百分点" in headline["**决议执行率**"]
    assert "66.7%" in headline["**低效会议占比**"] and "+16.7个百分点" in headline["**低效会议占比**"]
    assert "30.4%" in headline["**办公用品浪费率**"] and "+25.7个百分点" in headline["**办公用品浪费率**"]
    for line in text.splitlines():
        if line.startswith("|"):
            assert line.count("|") - line.count("\\|") == 8, line


# ---------------------------------------------------------------------------------------------------
# The command line


def report(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PYTHON), "-m", "analytics", "report", *args, "--db", str(db)], capture_output=True, text=True, timeout=180
    )


def test_the_command_writes_both_formats(fixture_db: Path, tmp_path: Path) -> None:
    xlsx, md = tmp_path / "out" / "weekly.xlsx", tmp_path / "weekly.md"
    result = report("--week", "2026-W47", "--out", str(xlsx), db=fixture_db)
    assert result.returncode == 0, result.stderr
    assert "2026-W47" in result.stdout
    assert cover_rows(load_workbook(xlsx))["supply_waste_rate"][0] == pytest.approx(0.3043)
    assert report("--week", "2026-W47", "--out", str(md), db=fixture_db).returncode == 0
    assert "30.4%" in md.read_text(encoding="utf-8")


def test_without_a_week_it_reports_the_latest_week_with_data(fixture_db: Path, tmp_path: Path) -> None:
    with connect(fixture_db) as con:
        latest = latest_week_with_data(con)
    out = tmp_path / "latest.md"
    result = report("--out", str(out), db=fixture_db)
    assert result.returncode == 0, result.stderr
    assert str(latest) in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ("--week", "2026-W60", "--out", "r.xlsx"),
        ("--week", "abc", "--out", "r.md"),
        ("--week", "2026-W47", "--out", "r.doc"),
        ("--week", "2026-W47", "--out", "r"),
    ],
    ids=["week-60", "week-abc", "doc", "no-extension"],
)
def test_a_bad_request_is_refused_before_the_database_is_touched(args: tuple[str, ...], tmp_path: Path) -> None:
    db = tmp_path / "never.duckdb"
    result = report(*args, db=db)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not db.exists()


def test_an_empty_database_without_a_week_is_a_one_line_error(tmp_path: Path) -> None:
    result = report("--out", str(tmp_path / "r.xlsx"), db=tmp_path / "empty.duckdb")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "导入" in result.stderr
    assert not (tmp_path / "r.xlsx").exists()


def test_a_report_of_the_week_in_progress_says_so_and_is_computed_as_of_today(fixture_db: Path) -> None:
    with connect(fixture_db) as con:
        text = build_markdown(con, Week(2026, 48), Settings())  # today is Wednesday 2026-11-25
        complete = build_markdown(con, WEEK, Settings())
    assert "2026-W48（2026年11月23日 至 2026年11月29日） · 本周进行中 · 截至 11月25日" in text
    assert "进行中" not in complete
