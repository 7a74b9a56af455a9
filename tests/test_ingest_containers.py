"""Containers real OA systems send (issue 14): BIFF .xls, an HTML table or a CSV named .xls, UTF-16
"Unicode text", tab-separated .txt/.tsv, and iCalendar .ics — each loads with `ingest FILE`, no option."""

from __future__ import annotations

import codecs
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics.cli import main
from analytics.errors import IngestError
from analytics.ingest import preview_file

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
DECISIONS = [
    ["决议编号", "决议事项", "责任部门", "下达日期", "完成时限"],
    ["D-001", "完成预算编制", "财务部", "2026-11-02", "2026-11-20"],
    ["D-002", "更新考勤制度", "人力资源部", "2026/11/3", "2026年11月30日"],
]


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def ingest(db: Path, path: Path, capsys) -> tuple[int, str, str]:  # noqa: ANN001
    status = main(["ingest", str(path), "--db", str(db)])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_biff8_xls_with_a_title_row_and_a_total_row_loads(tmp_path: Path, capsys) -> None:
    """Written by xlwt (tests/fixtures/ingest/make_meetings_xls.py), laid out as 通达OA's meeting export."""
    status, out, err = ingest(tmp_path / "ops.duckdb", FIXTURES / "meetings_tongda.xls", capsys)
    assert status == 0, err
    assert out.startswith(
        "meetings_tongda.xls [会议台账]: meetings 会议台账 — loaded 3, replaced 0, rejected 0, skipped 1"
    )
    assert rows(
        tmp_path / "ops.duckdb", "select meeting_id, scheduled_start, attendees, has_agenda from meetings order by 1"
    ) == [
        ("HY-2026-101", datetime(2026, 11, 23, 9, 0), 9, True),
        ("HY-2026-102", datetime(2026, 11, 24, 14, 0), 6, False),
        ("HY-2026-103", datetime(2026, 11, 26, 9, 30), 12, True),
    ]


def html_export(charset: str | None) -> str:
    """An "Excel" export as PHP OA code writes it: an HTML page named .xls, with Excel's namespaces and
    ProgId, a title row spanning the table, a header row of <th>, markup inside cells.

    After sd1993/littleT tishi.php (`header("Content-Type: application/vnd.ms-excel")`, `<html
    xmlns:x="urn:schemas-microsoft-com:office:excel">`, `<td colspan="5"><h2>成绩单</h2></td>`) and
    anyao/dvmng3 xlsx/buyApply.php (`<!--[if gte mso 9]><xml>`, `style='vnd.ms-excel.numberformat:@'`).
    """
    meta = f'<meta http-equiv=Content-Type content="text/html; charset={charset}">' if charset else ""
    return f"""<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">
<head>{meta}<meta name=ProgId content=Excel.Sheet>
<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet><x:Name>督办</x:Name>
</x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]--></head>
<body><table border=1>
<tr><td colspan="7" align="center"><h2>决议督办台账</h2></td></tr>
<tr><th>决议编号</th><th>决议事项</th><th>责任部门</th><th>下达日期</th><th>完成时限</th><th>状态</th><th>备注</th></tr>
<tr><td style='vnd.ms-excel.numberformat:@'>D-001</td><td>完成<b>预算</b>编制<br>（含附表）</td><td>财务部</td>
<td>2026-11-02</td><td>2026-11-20</td><td>已办结</td><td>&nbsp;</td></tr>
<tr><td style='vnd.ms-excel.numberformat:@'>D-002</td><td>更新考勤&nbsp;制度</td><td>人力资源部</td>
<td>2026-11-03</td><td>2026-11-30</td><td><font color=red>进行中</font></td><td>暂缓&amp;复核</td></tr>
</table></body></html>
"""


@pytest.mark.parametrize(
    ("name", "data", "encoding_note"),
    [
        ("督办.xls", html_export("gb2312").encode("gb18030"), ["编码：GB18030"]),
        ("督办.xls", html_export("utf-8").encode("utf-8"), []),
        ("督办.xlsx", html_export(None).encode("gbk"), ["编码：GB18030"]),
    ],
    ids=["gbk-declared-gb2312", "utf-8", "gbk-undeclared-as-xlsx"],
)
def test_an_html_table_named_xls_is_read_as_html(name: str, data: bytes, encoding_note: list[str]) -> None:
    (sheet,) = preview_file(None, data, file_name=name)
    assert (sheet.ledger, sheet.header_row, sheet.rows_valid) == ("decisions", 2, 2)
    assert sheet.notes == ["格式：HTML 表格", *encoding_note]
    records = sheet.rows.to_dict("records")
    assert [r["_row"] for r in records] == [3, 4]
    assert [r["item"] for r in records] == ["完成预算编制\n（含附表）", "更新考勤 制度"]
    assert [r["status"] for r in records] == ["done", "open"]
    assert records[1]["extra"] == '{"备注":"暂缓&复核"}'


def text_export(delimiter: str) -> str:
    return "".join(delimiter.join(row) + "\r\n" for row in [["2026年11月决议督办台账"], [], *DECISIONS])


@pytest.mark.parametrize(
    ("name", "data", "notes"),
    [
        ("决议.xls", text_export(",").encode("gb18030"), ["编码：GB18030"]),
        ("决议.xls", text_export("\t").encode("utf-8"), ["分隔符：制表符"]),
        ("决议.txt", codecs.BOM_UTF16_LE + text_export("\t").encode("utf-16-le"), ["编码：UTF-16", "分隔符：制表符"]),
        ("决议.txt", text_export("\t").encode("gb18030"), ["编码：GB18030", "分隔符：制表符"]),
        ("决议.tsv", text_export("\t").encode("utf-8"), ["分隔符：制表符"]),
    ],
    ids=["csv-as-xls", "tsv-as-xls", "unicode-text", "gbk-txt", "tsv"],
)
def test_text_tables_load_whatever_they_are_called(
    tmp_path: Path, name: str, data: bytes, notes: list[str], capsys
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    status, out, err = ingest(tmp_path / "ops.duckdb", path, capsys)
    assert status == 0, err
    notes_line = "".join(f"；{note}" for note in notes)
    assert out == f"{name}: decisions 决议督办台账 — loaded 2, replaced 0, rejected 0, skipped 0{notes_line}\n"
    (sheet,) = preview_file(None, data, file_name=name)
    assert (sheet.header_row, sheet.notes) == (3, notes)
    assert rows(tmp_path / "ops.duckdb", "select decision_id, _row, due_date from decisions order by 1") == [
        ("D-001", 4, datetime(2026, 11, 20).date()),
        ("D-002", 5, datetime(2026, 11, 30).date()),
    ]


# An Outlook 2016 export ("Save as iCalendar"): Windows time-zone names in TZID, a weekly series with
# an EXDATE and a moved occurrence (RECURRENCE-ID), plus a Google-style UTC event and an all-day one.
OUTLOOK_ICS = """BEGIN:VCALENDAR
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
VERSION:2.0
METHOD:PUBLISH
BEGIN:VTIMEZONE
TZID:China Standard Time
BEGIN:STANDARD
DTSTART:16010101T000000
TZOFFSETFROM:+0800
TZOFFSETTO:+0800
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
UID:040000008200E00074C5B7101A82E008000000001
SUMMARY:总经理办公会
DTSTART;TZID=China Standard Time:20261005T090000
DTEND;TZID=China Standard Time:20261005T103000
RRULE:FREQ=WEEKLY;BYDAY=MO
EXDATE;TZID=China Standard Time:20261109T090000
LOCATION:3楼第一会议室
PRIORITY:1
CATEGORIES:例会
ORGANIZER;CN=王秘书:mailto:wang@example.com
END:VEVENT
BEGIN:VEVENT
UID:040000008200E00074C5B7101A82E008000000001
RECURRENCE-ID;TZID=China Standard Time:20261116T090000
SUMMARY:总经理办公会（改至周二）
DTSTART;TZID=China Standard Time:20261117T140000
DTEND;TZID=China Standard Time:20261117T153000
LOCATION:3楼第一会议室
PRIORITY:1
END:VEVENT
BEGIN:VEVENT
UID:7kukuqrfedlm2f9t4vlr1e5o2g@google.com
SUMMARY:与集团视频会议
DTSTART:20261103T010000Z
DTEND:20261103T020000Z
STATUS:CANCELLED
PRIORITY:5
END:VEVENT
BEGIN:VEVENT
UID:trip-2026-11@example.com
SUMMARY:赴深圳出差
DTSTART;VALUE=DATE:20261111
DTEND;VALUE=DATE:20261113
STATUS:TENTATIVE
END:VEVENT
END:VCALENDAR
"""
SERIES = "040000008200E00074C5B7101A82E008000000001"


def test_an_ics_calendar_loads_into_schedule_over_the_weeks_the_database_covers(tmp_path: Path, capsys) -> None:
    """The decisions loaded first cover 2026-11-02 … 2026-11-30: Monday 11-02 to Sunday 12-06. The
    weekly series (unbounded) gives Mondays 11-02, 11-23, 11-30, not 11-09 (EXDATE), and 11-16 moved to
    Tuesday 11-17 14:00 (RECURRENCE-ID, keyed by the start it replaces): 4 rows, and the two single events."""
    db = tmp_path / "ops.duckdb"
    (tmp_path / "决议.csv").write_text(text_export(","), encoding="utf-8")
    assert ingest(db, tmp_path / "决议.csv", capsys)[0] == 0
    path = tmp_path / "总经理日程.ics"
    path.write_text(OUTLOOK_ICS.replace("\n", "\r\n"), encoding="utf-8")
    status, out, err = ingest(db, path, capsys)
    assert status == 0, err
    assert out.startswith("总经理日程.ics: schedule 总经理日程 — loaded 6, replaced 0, rejected 0, skipped 0")
    weekly = ("总经理办公会", "3楼第一会议室", "important", "planned", "例会")
    assert rows(db, 'select event_id, start, "end", title, location, priority, status, category from schedule order by start') == [
        (f"{SERIES}@20261102T090000", datetime(2026, 11, 2, 9), datetime(2026, 11, 2, 10, 30), *weekly),
        ("7kukuqrfedlm2f9t4vlr1e5o2g@google.com@20261103T090000", datetime(2026, 11, 3, 9),
         datetime(2026, 11, 3, 10), "与集团视频会议", None, "normal", "cancelled", None),
        ("trip-2026-11@example.com@20261111T000000", datetime(2026, 11, 11), datetime(2026, 11, 13),
         "赴深圳出差", None, "normal", "planned", None),
        (f"{SERIES}@20261116T090000", datetime(2026, 11, 17, 14), datetime(2026, 11, 17, 15, 30),
         "总经理办公会（改至周二）", "3楼第一会议室", "important", "planned", None),
        (f"{SERIES}@20261123T090000", datetime(2026, 11, 23, 9), datetime(2026, 11, 23, 10, 30), *weekly),
        (f"{SERIES}@20261130T090000", datetime(2026, 11, 30, 9), datetime(2026, 11, 30, 10, 30), *weekly),
    ]  # fmt: skip
    status, out, _ = ingest(db, path, capsys)
    assert (status, out.split("；")[0]) == (
        0,
        "总经理日程.ics: schedule 总经理日程 — loaded 6, replaced 0, rejected 0, skipped 0",
    )
    assert rows(db, "select count(*) from schedule") == [(6,)]


def test_an_ics_calendar_on_an_empty_database_spans_52_weeks_either_side_of_today(tmp_path: Path, capsys) -> None:
    """Today is 2026-11-25 (tests/conftest.py): 2025-11-26 … 2027-11-24. The series' Mondays from 2026-10-05
    to 2027-11-22 are 60, less the EXDATE: 59; with the two single events, 61 rows."""
    (sheet,) = preview_file(None, OUTLOOK_ICS.encode(), file_name="calendar.ics")
    assert (sheet.ledger, sheet.rows_valid, sheet.notes) == ("schedule", 61, ["格式：iCalendar 日历"])
    assert sheet.unknown_headers == ["组织者"]
    assert sheet.rows["extra"].iloc[0] == '{"组织者":"王秘书"}'
    path = tmp_path / "calendar.ics"
    path.write_text(OUTLOOK_ICS, encoding="utf-8")
    assert ingest(tmp_path / "ops.duckdb", path, capsys)[0] == 0
    assert rows(tmp_path / "ops.duckdb", "select count(*), min(start), max(start) from schedule") == [
        (61, datetime(2026, 10, 5, 9), datetime(2027, 11, 22, 9))
    ]


def test_a_calendar_that_repeats_every_minute_is_refused_at_the_occurrence_budget(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr("analytics.ingest.ics.MAX_CALENDAR_OCCURRENCES", 500)
    spam = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:spam\nSUMMARY:每分钟\nDTSTART:20261101T000000Z\n"
    spam += "RRULE:FREQ=MINUTELY\nEND:VEVENT\nEND:VCALENDAR\n"
    with pytest.raises(IngestError, match=r"^spam.ics：2025-11-26 至 2027-11-24 之间的日程超过 500 次，未导入"):
        preview_file(None, spam.encode(), file_name="spam.ics")


def test_a_data_table_inside_a_layout_table_is_found() -> None:
    """Some OA pages wrap the list in a layout table (a title cell above it): the inner table is the ledger."""
    inner = html_export("utf-8")
    inner = inner[inner.index("<table") : inner.index("</table>") + len("</table>")]
    page = f"<html><body><table><tr><td>导出时间：2026-11-25</td></tr><tr><td>{inner}</td></tr></table></body></html>"
    previews = preview_file(None, page.encode(), file_name="督办.xls")
    assert [(p.sheet, p.ledger, p.rows_valid) for p in previews] == [("表格1", None, 0), ("表格2", "decisions", 2)]


def test_an_html_export_with_a_long_styled_first_line_is_not_taken_for_a_wide_csv() -> None:
    """Minified pages put a style sheet with hundreds of commas on line one: not 600 columns."""
    style = "<style>" + ",".join(f".c{i}" for i in range(600)) + "{color:red}</style>"
    page = html_export("utf-8").replace("<head>", "<head>" + style, 1).replace("\n", "")
    (sheet,) = preview_file(None, page.encode(), file_name="督办.xls")
    assert (sheet.ledger, sheet.rows_valid) == ("decisions", 2)


@pytest.mark.parametrize(
    ("zone", "start"), [("Asia/Shanghai", datetime(2026, 11, 3, 10)), ("Asia/Tokyo", datetime(2026, 11, 3, 9))]
)
def test_a_google_calendar_export_reads_floating_times_in_its_calendar_time_zone(zone: str, start: datetime) -> None:
    """Google Calendar's export names its zone once (X-WR-TIMEZONE) and may write times without one."""
    google = (
        "BEGIN:VCALENDAR\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\nVERSION:2.0\nCALSCALE:GREGORIAN\n"
        f"X-WR-CALNAME:总经理日程\nX-WR-TIMEZONE:{zone}\nBEGIN:VEVENT\nDTSTART:20261103T100000\n"
        "DTEND:20261103T110000\nUID:float-1@google.com\nSUMMARY:部门工作汇报\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    (sheet,) = preview_file(None, google.encode(), file_name="google.ics")
    assert sheet.rows[["event_id", "start", "title"]].to_dict("records") == [
        {"event_id": f"float-1@google.com@{start:%Y%m%dT%H%M%S}", "start": start, "title": "部门工作汇报"}
    ]


def test_a_calendar_file_over_its_size_budget_is_refused_before_parsing(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr("analytics.ingest.ics.MAX_CALENDAR_BYTES", 1024)
    with pytest.raises(IngestError, match=r"^big.ics：日历文件有 0 MB，超过上限 0 MB，未导入"):
        preview_file(None, OUTLOOK_ICS.encode(), file_name="big.ics")


def test_an_excel_2003_xml_spreadsheet_named_xls_loads() -> None:
    """As Java systems write it from a FreeMarker template (after sunye520/check-work employee.ftl and
    zsmud/genapidoc template-excel.ftl: `<?mso-application progid="Excel.Sheet"?>`, `ss:Type`, a title
    row merged across, `ss:Index` skipping a cell)."""
    xml = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="会议">
  <Table>
   <Row><Cell ss:MergeAcross="5"><Data ss:Type="String">2026年11月会议台账</Data></Cell></Row>
   <Row ss:Index="3">
    <Cell><Data ss:Type="String">会议编号</Data></Cell><Cell><Data ss:Type="String">会议名称</Data></Cell>
    <Cell><Data ss:Type="String">组织部门</Data></Cell><Cell><Data ss:Type="String">开始时间</Data></Cell>
    <Cell><Data ss:Type="String">结束时间</Data></Cell><Cell><Data ss:Type="String">参会人数</Data></Cell>
   </Row>
   <Row>
    <Cell><Data ss:Type="String">HY-01</Data></Cell><Cell><Data ss:Type="String">周例会</Data></Cell>
    <Cell><Data ss:Type="String">行政部</Data></Cell><Cell><Data ss:Type="DateTime">2026-11-23T09:00:00.000</Data></Cell>
    <Cell><Data ss:Type="DateTime">2026-11-23T10:30:00.000</Data></Cell><Cell><Data ss:Type="Number">12</Data></Cell>
   </Row>
   <Row>
    <Cell><Data ss:Type="String">HY-02</Data></Cell><Cell><Data ss:Type="String">预算会</Data></Cell>
    <Cell ss:Index="4"><Data ss:Type="DateTime">2026-11-24T00:00:00.000</Data></Cell>
    <Cell><Data ss:Type="DateTime">2026-11-24T15:00:00.000</Data></Cell><Cell><Data ss:Type="Number">6</Data></Cell>
   </Row>
  </Table>
 </Worksheet>
</Workbook>
"""
    (sheet,) = preview_file(None, xml.encode(), file_name="会议.xls")
    assert (sheet.sheet, sheet.ledger, sheet.header_row, sheet.notes) == (
        "会议",
        "meetings",
        3,
        ["格式：Excel 2003 XML"],
    )
    records = sheet.rows.to_dict("records")
    assert [(r["_row"], r["meeting_id"], r["scheduled_start"], r["attendees"]) for r in records] == [
        (4, "HY-01", datetime(2026, 11, 23, 9), 12),
        (5, "HY-02", datetime(2026, 11, 24), 6),
    ]
    assert records[0]["organizer_dept"] == "行政部"
    assert pd.isna(records[1]["organizer_dept"])  # the cell ss:Index skipped


def test_a_single_event_loads_whatever_the_window_only_series_are_expanded_over_it(tmp_path: Path, capsys) -> None:
    """The database covers November 2026; an event of June 2027 is still the GM's calendar."""
    db = tmp_path / "ops.duckdb"
    (tmp_path / "决议.csv").write_text(text_export(","), encoding="utf-8")
    assert ingest(db, tmp_path / "决议.csv", capsys)[0] == 0
    later = "BEGIN:VEVENT\nUID:board-2027@example.com\nSUMMARY:董事会\nDTSTART:20270601T010000Z\nEND:VEVENT\n"
    path = tmp_path / "日程.ics"
    path.write_text(OUTLOOK_ICS.replace("END:VCALENDAR", later + "END:VCALENDAR"), encoding="utf-8")
    status, out, err = ingest(db, path, capsys)
    assert status == 0, err
    assert rows(db, "select count(*), max(start) from schedule") == [(7, datetime(2027, 6, 1, 9))]
