"""Reading files as OA systems export them: encodings, delimiters, XLSX cells, and files we refuse."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pytest
import xlsxwriter

from analytics.errors import IngestError, UsageError
from analytics.ingest import preview_file, read, transcode
from analytics.ingest.read import cells_to_text

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

DECISIONS = (
    "决议编号,决议事项,责任部门,下达日期,完成时限,办结日期,状态\r\n"
    "D-001,完成预算编制,财务部,2026-11-02,2026-11-20,2026-11-18,已办结\r\n"
    "D-002,更新考勤制度,人力资源部,2026/11/3,2026年11月30日,,进行中\r\n"
)


def only_sheet(source: bytes | Path, name: str = "决议.csv", **options: object):
    (sheet,) = preview_file(None, source, file_name=name, **options)
    return sheet


@pytest.mark.parametrize(
    ("encoding", "note"),
    [("utf-8", []), ("utf-8-sig", []), ("gb18030", ["编码：GB18030"]), ("utf-16", ["编码：UTF-16"])],
    ids=["utf-8", "utf-8-bom", "gb18030", "utf-16-bom"],
)
def test_it_reads_every_encoding_an_oa_export_comes_in(encoding: str, note: list[str]) -> None:
    sheet = only_sheet(DECISIONS.encode(encoding))
    assert sheet.ledger == "decisions"
    assert sheet.notes == note
    rows = sheet.rows.to_dict("records")
    assert [r["decision_id"] for r in rows] == ["D-001", "D-002"]
    assert [r["owner_dept"] for r in rows] == ["财务部", "人力资源部"]
    assert rows[1]["due_date"] == datetime(2026, 11, 30)
    assert [r["status"] for r in rows] == ["done", "open"]


def test_the_user_can_name_the_encoding_and_a_wrong_one_is_explained() -> None:
    data = DECISIONS.encode("gbk")
    assert only_sheet(data, encoding="gbk").rows_valid == 2
    with pytest.raises(IngestError, match="不能按 utf-8 解码"):
        only_sheet(data, encoding="utf-8")
    with pytest.raises(UsageError, match="决议.csv：--encoding klingon：未知的文字编码"):
        only_sheet(data, encoding="klingon")


@pytest.mark.parametrize("delimiter", ["\t", ";"], ids=["tab", "semicolon"])
def test_it_sniffs_tab_and_semicolon_delimiters(delimiter: str) -> None:
    sheet = only_sheet(DECISIONS.replace(",", delimiter).encode())
    assert sheet.ledger == "decisions"
    assert sheet.rows_valid == 2


def test_a_long_gb18030_file_keeps_its_row_numbers() -> None:
    """Large files are read by DuckDB in parallel; row numbers must still be the user's."""
    header = "决议编号,决议事项,责任部门,下达日期,完成时限\n"
    rows = [f"D{i},事项{i},行政部,2026-11-02,2026-11-20\n" for i in range(150_000)]
    rows[123_456] = "D123456,事项,行政部,2026-11-02,明天\n"
    sheet = only_sheet((header + "".join(rows)).encode("gb18030"))
    assert sheet.rows_valid == 149_999
    (error,) = sheet.row_errors
    assert (error.row, error.column, error.value) == (123_458, "完成时限", "明天")


@pytest.mark.parametrize("helper", [False, True], ids=["one-process", "with-helper-process"])
def test_a_large_gb18030_file_is_decoded_a_chunk_at_a_time_and_its_copy_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper: bool
) -> None:
    """Chunks that split two- and four-byte characters; the temporary UTF-8 copies are gone afterwards.

    With the helper, the second half (after a line break near the middle) is decoded by another process.
    """
    monkeypatch.setattr(read.encoding, "_UTF8_PREFIX", 1000)
    monkeypatch.setattr(transcode, "CHUNK", 997)
    monkeypatch.setattr(transcode, "PARALLEL_FROM", 1000 if helper else 10**9)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    header = "决议编号,决议事项,责任部门,下达日期,完成时限\n"
    rows = [f"D{i:04d},事项{i}𠀀,行政部,2026年11月2日,2026/11/20\n" for i in range(2000)]
    rows[1234] = "D1234,事项,行政部,2026-11-02,下周\n"
    sheet = only_sheet((header + "".join(rows)).encode("gb18030"))
    assert (sheet.notes, sheet.rows_valid) == (["编码：GB18030"], 1999)
    assert sheet.rows.to_dict("records")[1]["item"] == "事项1𠀀"
    assert [(e.row, e.value) for e in sheet.row_errors] == [(1236, "下周")]
    assert list(tmp_path.iterdir()) == []


GB_TEXT = "".join(f"D{i},事项{i}𠀀,行政部\n" for i in range(500))


def test_a_second_half_that_is_not_gb18030_makes_the_file_not_gb18030(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transcode, "PARALLEL_FROM", 1000)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = GB_TEXT.encode("gb18030") + b"D9,\x81\x20,x\n"  # 0x81 0x20: no GB18030 character
    assert transcode.transcode(data, "gb18030") is None
    assert list(tmp_path.iterdir()) == []


def test_when_the_helper_process_fails_its_half_is_decoded_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transcode, "PARALLEL_FROM", 1000)
    monkeypatch.setattr(transcode, "_WORKER", tmp_path / "missing_worker.py")  # python exits with status 2
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = transcode.transcode(GB_TEXT.encode("gb18030"), "gb18030")
    assert result is not None
    path, first = result
    assert (path.read_text("utf-8"), first) == (GB_TEXT, GB_TEXT[: len(first)])
    path.unlink()
    assert list(tmp_path.iterdir()) == []


def test_blank_lines_and_line_breaks_in_cells_count_as_excel_counts_them() -> None:
    text = (
        "2026年11月决议督办台账\n\n"
        "决议编号,决议事项,责任部门,下达日期,完成时限\n"
        'D1,"第一行\n第二行",行政部,2026-11-02,2026-11-20\n'
        "\n"
        "D2,事项,行政部,2026-11-02,不知道\n"
    )
    sheet = only_sheet(text.encode())
    assert sheet.header_row == 3
    assert sheet.rows.to_dict("records")[0]["item"] == "第一行\n第二行"
    assert [(e.row, e.column, e.value) for e in sheet.row_errors] == [(6, "完成时限", "不知道")]


def test_a_blank_line_in_a_file_duckdb_reads_still_counts_as_a_row() -> None:
    """DuckDB could read this file (no quoted line break) but would drop the blank line: Python reads it."""
    text = "决议编号,决议事项,责任部门,下达日期,完成时限\nD1,事项,行政部,2026-11-02,2026-11-20\n\nD2,事项,行政部,2026-11-02,不知道\n"
    sheet = only_sheet(text.encode())
    assert sheet.rows_valid == 1
    assert [(e.row, e.column, e.value) for e in sheet.row_errors] == [(4, "完成时限", "不知道")]


def test_a_row_wider_than_the_header_is_kept_with_its_extra_cells() -> None:
    text = "决议编号,决议事项,责任部门,下达日期,完成时限\nD1,事项,行政部,2026-11-02,2026-11-20\nD2,事项,行政部,2026-11-02,2026-11-20,多出的备注\n"
    sheet = only_sheet(text.encode())
    assert sheet.rows_valid == 2
    assert sheet.unknown_headers == []
    assert sheet.rows["extra"].isna().tolist() == [True, False]
    assert sheet.rows["extra"][1] == '{"列F":"多出的备注"}'


def test_a_csv_fixture_with_title_rows_and_a_footer() -> None:
    sheet = only_sheet(FIXTURES / "decisions_oa.csv")
    assert (sheet.ledger, sheet.header_row, sheet.rows_valid, sheet.rows_skipped) == ("decisions", 4, 3, 1)
    assert sheet.notes == ["跳过合计/小计行 1 行（第 8 行）"]
    assert sheet.unknown_headers == ["备注"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("picture.csv", (FIXTURES / "picture.csv").read_bytes(), "PNG 图片"),
        ("notes.txt", b"some notes\n", "内容不是表格"),
        ("report.pdf", b"%PDF-1.4\n...", "PDF 文档"),
        ("fake.xlsx", b"just text", "扩展名是 .xlsx"),
        ("archive.xlsx", b"PK\x05\x06" + b"\x00" * 18, "zip 压缩包"),
        ("data.csv", b"a,b\x00\x01\x02", "二进制文件"),
    ],
    ids=["png-renamed-csv", "txt", "pdf", "text-renamed-xlsx", "empty-zip", "binary"],
)
def test_a_file_that_is_not_a_spreadsheet_is_a_usage_error(name: str, content: bytes, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        preview_file(None, content, file_name=name)


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="文件不存在"):
        preview_file(None, tmp_path / "nope.csv")


def test_a_file_over_the_upload_limit_is_refused_before_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read.source, "UPLOAD_LIMIT_BYTES", 100)
    with pytest.raises(IngestError, match="超过上限"):
        preview_file(None, FIXTURES / "decisions_oa.csv")


def test_a_zip_bomb_is_refused_before_parsing() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * 5_000_000)
    with pytest.raises(IngestError, match="压缩比"):
        preview_file(None, buffer.getvalue(), file_name="bomb.xlsx")


def test_worksheet_cells_become_text_column_by_column() -> None:
    cells = [12.0, 3.5, "", "文字", True, date(2026, 1, 5), datetime(2026, 11, 23, 14, 5), 7, None]
    assert cells_to_text(np.array(cells, dtype=object)) == [
        "12", "3.5", None, "文字", "TRUE", "2026-01-05", "2026-11-23 14:05:00", "7", None
    ]  # fmt: skip


def workbook_bytes(build) -> bytes:  # noqa: ANN001 — a function that fills an openpyxl workbook
    workbook = openpyxl.Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_title_row_merged_cell_and_native_dates() -> None:
    def build(workbook: openpyxl.Workbook) -> None:
        sheet = workbook.active
        sheet.title = "会议"
        sheet["A1"] = "2026年11月会议台账"
        sheet.merge_cells("A1:H1")
        sheet.append([])
        sheet.append(["会议编号", "会议名称", "组织部门", "开始时间", "结束时间", "参会人数", "是否有议程", "会议评分"])
        sheet.append(
            ["HY-01", "周例会", "行政部", datetime(2026, 11, 23, 9, 0), datetime(2026, 11, 23, 10, 30), 12, "是", 4]
        )
        sheet.append(["HY-02", "预算会", "财务部", date(2026, 11, 24), "2026/11/24 15:00", 6.0, "否", 4.5])

    (sheet,) = preview_file(None, workbook_bytes(build), file_name="会议.xlsx")
    assert (sheet.sheet, sheet.ledger, sheet.header_row) == ("会议", "meetings", 3)
    rows = sheet.rows.to_dict("records")
    assert [r["_row"] for r in rows] == [4, 5]
    assert rows[0]["scheduled_start"] == datetime(2026, 11, 23, 9, 0)
    assert rows[1]["scheduled_start"] == datetime(2026, 11, 24, 0, 0)
    assert [r["attendees"] for r in rows] == [12, 6]
    assert [r["rating"] for r in rows] == [4.0, 4.5]


def test_xlsx_every_sheet_is_a_ledger_or_is_skipped_and_named() -> None:
    def build(workbook: openpyxl.Workbook) -> None:
        decisions = workbook.active
        decisions.title = "决议"
        decisions.append(["决议编号", "决议事项", "责任部门", "下达日期", "完成时限"])
        decisions.append(["D1", "事项", "行政部", date(2026, 11, 2), 45000])
        notes = workbook.create_sheet("说明")
        notes.append(["本表由 OA 导出"])
        supplies = workbook.create_sheet("用品")
        supplies.append(["单号", "日期", "品名", "类型", "数量", "单价（元）", "领用部门"])
        supplies.append(["S1", date(2026, 11, 3), "A4纸", "领用", 5, 23.5, "行政部"])

    previews = preview_file(None, workbook_bytes(build), file_name="台账.xlsx")
    assert [(p.sheet, p.ledger) for p in previews] == [("决议", "decisions"), ("说明", None), ("用品", "supplies")]
    assert "找到的表头：本表由 OA 导出" in previews[1].problem
    # A number in a date column of a worksheet is a number, not an Excel date: refused.
    assert [(e.row, e.column, e.value) for e in previews[0].row_errors] == [(2, "完成时限", "45000")]
    assert previews[2].rows.to_dict("records")[0]["unit_price"] == 23.5


def test_xlsx_rows_keep_their_excel_numbers_below_blank_rows_and_beside_a_blank_first_column() -> None:
    """The used range starts at B4; every row number is still the one Excel shows."""

    def build(workbook: openpyxl.Workbook) -> None:
        sheet = workbook.active
        sheet.title = "决议"
        sheet["A1"].font = openpyxl.styles.Font(bold=True)  # formatted but empty: not part of the used range
        sheet["B4"] = "2026年11月决议督办台账"
        sheet.merge_cells("B4:F4")
        for column, header in enumerate(["决议编号", "决议事项", "责任部门", "下达日期", "完成时限"], start=2):
            sheet.cell(row=6, column=column, value=header)
        for row, (key, due) in enumerate([("D1", date(2026, 11, 20)), ("D2", "明天"), ("D3", date(2026, 11, 30))], 7):
            for column, value in enumerate([key, "事项", "行政部", date(2026, 11, 2), due], start=2):
                sheet.cell(row=row, column=column, value=value)

    (sheet,) = preview_file(None, workbook_bytes(build), file_name="决议.xlsx")
    assert (sheet.ledger, sheet.header_row, sheet.rows_valid) == ("decisions", 6, 2)
    assert sheet.rows["_row"].tolist() == [7, 8, 9]
    assert [(e.row, e.column, e.value) for e in sheet.row_errors] == [(8, "完成时限", "明天")]


def test_xlsx_a_sheet_starting_far_down_keeps_its_row_numbers() -> None:
    def build(workbook: openpyxl.Workbook) -> None:
        sheet = workbook.active
        for row in range(1, 3000):  # formatted empty rows: more XML than one read of the sheet holds
            sheet.cell(row=row, column=1).font = openpyxl.styles.Font(bold=True)
        sheet.append(["决议编号", "决议事项", "责任部门", "下达日期", "完成时限"])
        sheet.append(["D1", "事项", "行政部", "2026-11-02", "不知道"])

    (sheet,) = preview_file(None, workbook_bytes(build), file_name="决议.xlsx")
    assert sheet.header_row == 3000
    assert [(e.row, e.value) for e in sheet.row_errors] == [(3001, "不知道")]


def xlsxwriter_bytes(build) -> bytes:  # noqa: ANN001 — a function that fills an xlsxwriter workbook
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as workbook:
        build(workbook)
    return buffer.getvalue()


def test_xlsx_native_cells_read_as_excel_shows_them() -> None:
    """Formulas by their cached value; a time alone is no datetime; midnight is a date; empty text is empty."""

    def build(workbook: xlsxwriter.Workbook) -> None:
        sheet = workbook.add_worksheet("事件")
        stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        clock = workbook.add_format({"num_format": "hh:mm"})
        sheet.write_string(0, 0, "")  # a shared-string empty cell: the used range starts here
        sheet.write_row(1, 0, ["事件编号", "事件类型", "接报时间", "响应时间", "进展通报次数", "备注", "登记", "核对"])
        sheet.write_row(2, 0, ["E1", "系统故障"])
        sheet.write_datetime(2, 2, datetime(2026, 11, 23, 9, 5), stamp)
        sheet.write_formula(2, 3, "=C3+1/24", stamp, datetime(2026, 11, 23, 10, 5))
        sheet.write_formula(2, 4, "=1+2", None, 3)
        sheet.write_datetime(2, 5, datetime(2026, 1, 5), stamp)
        sheet.write_formula(2, 6, "=1/0", None, "#DIV/0!")
        sheet.write_formula(2, 7, '=""', None, "")
        sheet.write_row(3, 0, ["E2", "停电"])
        sheet.write_datetime(3, 2, datetime(2026, 11, 24, 8, 0), stamp)
        sheet.write_datetime(3, 3, datetime(1899, 12, 31, 9, 30), clock)
        sheet.write_datetime(3, 5, datetime(2026, 11, 24, 8, 0, 1, 250000), stamp)
        sheet.write_number(3, 6, 12.0)
        sheet.write_boolean(3, 7, True)

    (sheet,) = preview_file(None, xlsxwriter_bytes(build), file_name="事件.xlsx")
    assert (sheet.ledger, sheet.header_row) == ("incidents", 2)
    rows = sheet.rows.to_dict("records")
    assert rows[0]["responded_at"] == datetime(2026, 11, 23, 10, 5)
    assert rows[0]["progress_updates"] == 3
    assert json.loads(rows[0]["extra"]) == {"备注": "2026-01-05", "登记": None, "核对": None}
    assert json.loads(rows[1]["extra"]) == {"备注": "2026-11-24 08:00:01.250000", "登记": "12", "核对": "true"}
    assert [(e.row, e.column, e.value) for e in sheet.row_errors] == [(4, "响应时间", "09:30:00")]


def test_xlsx_hidden_sheets_load_and_empty_or_chart_sheets_are_skipped() -> None:
    def build(workbook: xlsxwriter.Workbook) -> None:
        hidden = workbook.add_worksheet("十月")
        hidden.write_row(0, 0, ["决议编号", "决议事项", "责任部门", "下达日期", "完成时限"])
        hidden.write_row(1, 0, ["D1", "事项", "行政部", "2026-10-08", "2026-10-30"])
        hidden.hide()
        workbook.add_worksheet("空白")
        chart = workbook.add_chart({"type": "line"})
        chart.add_series({"values": "=十月!$A$2:$A$2"})
        workbook.add_chartsheet("图表").set_chart(chart)
        workbook.worksheets()[1].activate()

    previews = preview_file(None, xlsxwriter_bytes(build), file_name="台账.xlsx")
    assert [(p.sheet, p.ledger, p.rows_valid) for p in previews] == [
        ("十月", "decisions", 1),
        ("空白", None, 0),
        ("图表", None, 0),
    ]
    assert previews[1].problem == "没有内容，找不到表头。"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2026-01-05 00:00:00", "2026-01-05"),
        ("2026-01-05 09:30:00", "2026-01-05 09:30:00"),
        ("1899-12-31 09:30:00", "09:30:00"),
        ("1899-12-31 00:00:00", "00:00:00"),
        ("2026-01-05 09:30:00.250", "2026-01-05 09:30:00.250000"),
        ("1899-12-31 00:00:02.160", "00:00:02.160000"),
        ("2026-01-05", "2026-01-05"),
        ("12", "12"),
        ("", None),
        ("2026-01-05 00:00:00 ", "2026-01-05 00:00:00 "),
        ("文字 00:00:00", "文字 00:00:00"),
    ],
)
def test_native_worksheet_text_is_the_same_in_python_and_sql(text: str, shown: str | None) -> None:
    assert read.native_text(text) == shown
    with duckdb.connect() as con:
        ((value,),) = con.execute(
            f"select {read._native_text_sql('c')} from (select ?::varchar as c)", [text]
        ).fetchall()
    assert (value or None) == shown
