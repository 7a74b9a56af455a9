"""Printable follow-up papers from the rows behind a decision metric (no streamlit; the decisions page
and tests call these).

- `supervision_docx`: 督办单, one item per A4 page, laid out like an office's 督办通知单: the item, who
  owns it, the original and the current deadline, extensions and reminders, its card (红牌/黄牌/蓝牌),
  and blank space for the owner's progress report and signature.
- `reminder_docx` / `reminder_xlsx`: 催办单, the open items grouped by department (a page, or a sheet,
  per department), red cards first.

Rows come from `analytics.metrics.metric_rows` (light, original_due_date, due_date, extension_count,
reminder_count, last_reminder_date …); text from the ledgers is written as text (a cell starting with
`=` stays text in Excel).
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from analytics.columns import LIGHTS
from analytics.report.word import BODY_FONT, HEADING_FONT, TITLE_FONT, _cell_text, _run, _set_widths, _shade, _styles
from analytics.report.xlsx import put

LIGHT_ORDER = {"red": 0, "yellow": 1, "blue": 2}
LIGHT_FILL = {"red": "F8D7DA", "yellow": "FFF3CD", "blue": "D6E9F8"}
OFFICE = "总经理办公室"
REQUIREMENT = (
    "请于现完成时限前办结，并将办理结果及佐证材料报总经理办公室；确需延期的，应在到期前书面说明理由及新的完成时间。"
)


def _day(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return ""
    if isinstance(value, (pd.Timestamp, datetime)):
        value = value.date()
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def _short_day(value: object) -> str:
    text = _day(value)
    return re.sub(r"(\d+)年(\d+)月(\d+)日", lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", text)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return ""
    return " ".join(str(value).split())


def _count(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "0"
    return str(int(value))


def _light(row: pd.Series) -> str:
    light = row.get("light")
    if light not in LIGHTS:
        return "已办结" if _text(row.get("completed_date")) else "—"
    word = LIGHTS[light][0]
    late = row.get("working_days_overdue")
    if light == "red" and late is not None and late == late:
        return f"{word}（逾期{int(late)}个工作日）"
    left = row.get("working_days_left")
    if light == "yellow" and left is not None and left == left:
        return f"{word}（剩余{int(left)}个工作日）"
    return word


def chase_order(rows: pd.DataFrame) -> pd.DataFrame:
    """Open items only (those with a card), red first, then the earliest deadline."""
    if rows.empty or "light" not in rows:
        return rows.iloc[0:0]
    open_rows = rows[rows["light"].isin(list(LIGHTS))].copy()
    open_rows["_order"] = open_rows["light"].map(LIGHT_ORDER)
    return open_rows.sort_values(["department", "_order", "due_date", "decision_id"], kind="stable").drop(
        columns="_order"
    )


# ---------------------------------------------------------------------------------------------------
# Word


def _document() -> Document:
    word = Document()
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)  # GB/T 9704 公文 margins
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _styles(word, None)  # type: ignore[arg-type] — the styles do not depend on the report
    return word


def _title(word: Document, text: str, number: str | None = None) -> None:
    title = word.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(6)
    _run(title, text, TITLE_FONT, 22, bold=True)
    if number:
        line = word.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(line, number, BODY_FONT, 12)


def _grid(word: Document, rows: list[tuple[str, ...]], widths: list[float], tall: dict[int, float]) -> None:
    """A label/value table: label cells shaded; a row listed in `tall` gets that height (cm)."""
    table = word.add_table(rows=len(rows), cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for r, values in enumerate(rows):
        cells = table.rows[r].cells
        if len(values) == 2:  # a label and one value across the rest of the row
            merged = cells[1].merge(cells[-1])
            pairs = [(cells[0], values[0], True), (merged, values[1], False)]
        else:
            pairs = [(cells[i], value, i % 2 == 0) for i, value in enumerate(values)]
        for cell, value, is_label in pairs:
            if is_label:
                _cell_text(cell, value, HEADING_FONT, 12, align="center")
                _shade(cell, "EDEDED")
            else:
                _cell_text(cell, value, BODY_FONT, 12)
        if r in tall:
            table.rows[r].height = Cm(tall[r])
    _set_widths(table, widths)


def supervision_docx(rows: pd.DataFrame, issued: date | None = None) -> bytes:
    """督办单: one page per item of `rows` (in their order)."""
    word = _document()
    issued = issued or date.today()
    for index, (_, row) in enumerate(rows.iterrows()):
        if index:
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _title(word, "督 办 单", f"督办编号：{_text(row.get('decision_id'))}")
        item = _text(row.get("item"))
        department = _text(row.get("department")) or _text(row.get("owner_dept"))
        _grid(
            word,
            [
                ("督办事项", item),
                ("来源会议", _text(row.get("meeting_id")) or "总经理交办", "交办日期", _day(row.get("created_date"))),
                ("责任部门", department, "责任人", _text(row.get("owner"))),
                ("原定时限", _day(row.get("original_due_date")), "现完成时限", _day(row.get("due_date"))),
                ("延期次数", _count(row.get("extension_count")), "催办次数", _count(row.get("reminder_count"))),
                ("最近催办", _day(row.get("last_reminder_date")) or "—", "督办灯", _light(row)),
                ("办理要求", _text(row.get("acceptance_criteria")) or REQUIREMENT),
                ("办理情况\n（责任部门填写）", ""),
                ("责任部门\n负责人签字", "", "日期", ""),
            ],
            [3.0, 4.8, 3.0, 4.8],
            {0: 2.0, 6: 2.4, 7: 7.0, 8: 1.6},
        )
        footer = word.add_paragraph()
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.paragraph_format.space_before = Pt(18)
        _run(footer, f"{OFFICE}（印）", BODY_FONT, 14).add_break()
        _run(footer, _day(issued), BODY_FONT, 14)
    if rows.empty:
        _title(word, "督 办 单")
        _run(word.add_paragraph(), "（没有可督办的事项）", BODY_FONT, 14)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


REMINDER_HEADERS = ("督办编号", "督办事项", "责任人", "原定时限", "现完成时限", "延期", "催办", "督办灯")
REMINDER_WIDTHS = (2.5, 4.0, 1.4, 2.1, 2.1, 0.9, 0.9, 1.7)  # 15.6 cm: the page between the margins


def _reminder_cells(row: pd.Series) -> tuple[str, ...]:
    return (
        _text(row.get("decision_id")),
        _text(row.get("item")),
        _text(row.get("owner")),
        _short_day(row.get("original_due_date")),
        _short_day(row.get("due_date")),
        _count(row.get("extension_count")),
        _count(row.get("reminder_count")),
        _light(row),
    )


def reminder_docx(rows: pd.DataFrame, issued: date | None = None) -> bytes:
    """催办单: one page per department, its open items red first."""
    word = _document()
    issued = issued or date.today()
    chased = chase_order(rows)
    for index, (department, group) in enumerate(chased.groupby("department", sort=False)):
        if index:
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _title(word, "催 办 通 知")
        salutation = word.add_paragraph()
        _run(salutation, f"{_text(department)}：", BODY_FONT, 14)
        body = word.add_paragraph()
        body.paragraph_format.first_line_indent = Pt(28)
        red = int((group["light"] == "red").sum())
        _run(
            body,
            f"截至{_day(issued)}，贵部门下列{len(group)}项督办事项尚未办结（其中红牌{red}项）。"
            "请抓紧办理，并于到期前将办理结果报总经理办公室。",
            BODY_FONT,
            14,
        )
        table = word.add_table(rows=1 + len(group), cols=len(REMINDER_HEADERS))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for cell, header in zip(table.rows[0].cells, REMINDER_HEADERS, strict=True):
            _cell_text(cell, header, HEADING_FONT, 10, align="center")
            _shade(cell, "EDEDED")
        for r, (_, row) in enumerate(group.iterrows(), 1):
            for c, value in enumerate(_reminder_cells(row)):
                _cell_text(table.rows[r].cells[c], value, BODY_FONT, 10)
            _shade(table.rows[r].cells[-1], LIGHT_FILL[row["light"]])
        _set_widths(table, list(REMINDER_WIDTHS))
        footer = word.add_paragraph()
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer.paragraph_format.space_before = Pt(18)
        _run(footer, OFFICE, BODY_FONT, 14).add_break()
        _run(footer, _day(issued), BODY_FONT, 14)
    if chased.empty:
        _title(word, "催 办 通 知")
        _run(word.add_paragraph(), "（没有未办结的督办事项）", BODY_FONT, 14)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------
# Excel


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:28] or "未填"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base[:26]}_{n}", n + 1
    used.add(candidate)
    return candidate


def reminder_xlsx(rows: pd.DataFrame, issued: date | None = None) -> bytes:
    """催办清单: a sheet per department (its open items, red first), printable on A4 landscape."""
    book = Workbook()
    book.remove(book.active)
    issued = issued or date.today()
    chased = chase_order(rows)
    used: set[str] = set()
    thin = Side(style="thin", color="999999")
    groups = list(chased.groupby("department", sort=False)) or [("（无）", chased)]
    for department, group in groups:
        ws = book.create_sheet(_sheet_name(_text(department), used))
        put(ws, 1, 1, f"催办清单 — {_text(department)}（截至{_day(issued)}，{len(group)}项未办结）")
        ws.cell(1, 1).font = Font(bold=True, size=14)
        for c, header in enumerate(REMINDER_HEADERS, 1):
            cell = put(ws, 2, c, header)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="EDEDED")
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        for r, (_, row) in enumerate(group.iterrows(), 3):
            for c, value in enumerate(_reminder_cells(row), 1):
                cell = put(ws, r, c, value)
                cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
                cell.alignment = Alignment(wrap_text=c == 2, vertical="top")
            ws.cell(r, len(REMINDER_HEADERS)).fill = PatternFill("solid", fgColor=LIGHT_FILL[row["light"]])
        for c, width in enumerate(REMINDER_WIDTHS, 1):
            ws.column_dimensions[ws.cell(2, c).column_letter].width = width * 5
        ws.print_title_rows = "2:2"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
