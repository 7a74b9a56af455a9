"""The 督办通报 as a file: Markdown (for an OA post), Excel (the table and the red/yellow items) and an A4
Word document laid out like a 公文 (GB/T 9704: the issuing office's name in red over a red rule, a
centred title, 主送, numbered sections in 黑体, body in 仿宋, the office and date at the end)."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from analytics.columns import LIGHTS
from analytics.followup.bulletin import COLUMNS, Bulletin, BulletinRow, percent
from analytics.followup.forms import OFFICE, _day, _light, _short_day, _text
from analytics.report.markdown import escape
from analytics.report.word import BODY_FONT, HEADING_FONT, TITLE_FONT, _cell_text, _run, _set_widths, _shade, _styles
from analytics.report.xlsx import put

ITEM_LIMIT = 200
"""Red and yellow items listed in the Word attachment (the workbook lists them all)."""
DEFINITIONS = (
    "交办：下达日期在期间内；到期：完成时限在期间内；按期办结：到期事项中办结日期不晚于完成时限；"
    "按期办结率＝按期办结÷到期；按原定时限办结率：原定时限在期间内的事项中，按原定时限办结的比例（延期不算按期）；"
    "延期：原定时限在期间内、完成时限已推后的事项；逾期未办、红牌、黄牌：截至期末（进行中的期间为今天）。"
    "红牌＝已逾期未办结；黄牌＝{n}个工作日内到期或延期过的未办结事项。均不含已取消事项。"
)


def title(bulletin: Bulletin) -> str:
    in_progress = (
        "" if bulletin.window.complete else f"（截至{bulletin.window.end.month}月{bulletin.window.end.day}日）"
    )
    return f"关于{bulletin.title_period}决议事项督办情况的通报{in_progress}"


def _cells(row: BulletinRow) -> list[str]:
    return [
        row.department,
        str(row.assigned),
        str(row.due),
        str(row.on_time),
        percent(row.on_time_rate),
        percent(row.original_on_time_rate),
        str(row.extended),
        str(row.overdue),
        str(row.red),
        str(row.yellow),
    ]


def bulletin_markdown(bulletin: Bulletin, warn_days: int) -> str:
    headers = ["排名", *(zh for _, zh, _ in COLUMNS)]
    out = [f"# {escape(title(bulletin))}", "", f"**{escape(bulletin.headline)}**", ""]
    out += ["| " + " | ".join(headers) + " |", "| ---: | --- |" + " ---: |" * (len(headers) - 2)]
    for rank, row in enumerate(bulletin.rows, 1):
        out.append("| " + " | ".join([str(rank), *(escape(c) for c in _cells(row))]) + " |")
    out.append("| | " + " | ".join(f"**{c}**" for c in _cells(bulletin.total)) + " |")
    out += ["", "排序：按期办结率由低到高（无到期事项的部门列后），再按逾期未办由多到少、部门名称。", ""]
    out += [f"> 口径：{escape(DEFINITIONS.format(n=warn_days))}", ""]
    red = bulletin.items[bulletin.items["light"] == "red"] if not bulletin.items.empty else bulletin.items
    if len(red):
        out += ["## 红牌事项（已逾期未办结）", ""]
        out += ["| 督办编号 | 部门 | 事项 | 完成时限 | 逾期工作日 |", "| --- | --- | --- | --- | ---: |"]
        for _, item in red.head(ITEM_LIMIT).iterrows():
            late = item.get("working_days_overdue")
            late_text = "" if late is None or late != late else str(int(late))
            cells = [_text(item["decision_id"]), _text(item["department"]), _text(item["item"])]
            out.append("| " + " | ".join([*(escape(c) for c in cells), _short_day(item["due_date"]), late_text]) + " |")
        if len(red) > ITEM_LIMIT:
            out += ["", f"（另有{len(red) - ITEM_LIMIT}项，见 Excel 版）"]
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------
# Excel


def bulletin_xlsx(bulletin: Bulletin, warn_days: int) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "督办通报"
    thin = Side(style="thin", color="999999")
    box = Border(top=thin, bottom=thin, left=thin, right=thin)
    put(ws, 1, 1, title(bulletin)).font = Font(bold=True, size=14)
    put(ws, 2, 1, bulletin.headline).alignment = Alignment(wrap_text=False)
    headers = ["排名", *(zh for _, zh, _ in COLUMNS)]
    for c, header in enumerate(headers, 1):
        cell = put(ws, 4, c, header)
        cell.font, cell.border = Font(bold=True), box
        cell.fill = PatternFill("solid", fgColor="EDEDED")
    lines = [(rank, row) for rank, row in enumerate(bulletin.rows, 1)] + [(None, bulletin.total)]
    for r, (rank, row) in enumerate(lines, 5):
        values = [
            rank,
            row.department,
            row.assigned,
            row.due,
            row.on_time,
            row.on_time_rate,
            row.original_on_time_rate,
            row.extended,
            row.overdue,
            row.red,
            row.yellow,
        ]
        for c, value in enumerate(values, 1):
            cell = put(ws, r, c, value, "0.0%" if c in (6, 7) else None)
            cell.border = box
            if rank is None:
                cell.font = Font(bold=True)
    note = 5 + len(lines) + 1
    put(ws, note, 1, "排序：按期办结率由低到高（无到期事项的部门列后），再按逾期未办由多到少、部门名称。")
    put(ws, note + 1, 1, "口径：" + DEFINITIONS.format(n=warn_days))
    widths = [6, 16, 8, 8, 10, 11, 16, 8, 10, 8, 8]
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[ws.cell(4, c).column_letter].width = width
    ws.freeze_panes = "A5"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0

    items = book.create_sheet("红黄牌事项")
    item_headers = ["督办灯", "督办编号", "部门", "事项", "责任人", "原定时限", "现完成时限", "延期次数", "催办次数"]
    for c, header in enumerate(item_headers, 1):
        cell = put(items, 1, c, header)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="EDEDED")
    for r, (_, item) in enumerate(bulletin.items.iterrows(), 2):
        values = [
            _light(item),
            _text(item["decision_id"]),
            _text(item["department"]),
            _text(item["item"]),
            _text(item.get("owner")),
            _short_day(item["original_due_date"]),
            _short_day(item["due_date"]),
            int(item["extension_count"]),
            int(item["reminder_count"]),
        ]
        for c, value in enumerate(values, 1):
            put(items, r, c, value)
        fill = {"red": "F8D7DA", "yellow": "FFF3CD"}.get(item["light"])
        if fill:
            items.cell(r, 1).fill = PatternFill("solid", fgColor=fill)
    for c, width in enumerate([18, 16, 14, 36, 10, 12, 12, 9, 9], 1):
        items.column_dimensions[items.cell(1, c).column_letter].width = width
    items.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------
# Word: a 公文-like A4 document


def _red_rule(paragraph) -> None:  # noqa: ANN001 — a python-docx paragraph
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "18"), ("space", "4"), ("color", "C00000")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _body(word: Document, text: str, *, indent: bool = True, font: str = BODY_FONT, bold: bool = False) -> None:
    paragraph = word.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号 (16 pt)
    paragraph.paragraph_format.line_spacing = Pt(28)
    paragraph.paragraph_format.space_after = Pt(0)
    _run(paragraph, text, font, 16, bold=bold)


def _table(word: Document, headers: list[str], rows: list[list[str]], widths: list[float], bold_last: bool) -> None:
    table = word.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, header, HEADING_FONT, 10.5, align="center")
        _shade(cell, "EDEDED")
    for r, values in enumerate(rows, 1):
        last = bold_last and r == len(rows)
        for c, value in enumerate(values):
            _cell_text(table.rows[r].cells[c], value, BODY_FONT, 10.5, bold=last, align="left" if c < 2 else "right")
    _set_widths(table, widths)


def bulletin_docx(bulletin: Bulletin, warn_days: int, issued: date | None = None) -> bytes:
    issued = issued or date.today()
    word = Document()
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)  # GB/T 9704-2012
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _styles(word, None)  # type: ignore[arg-type]

    masthead = word.add_paragraph()
    masthead.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(masthead, f"{OFFICE}督办通报", TITLE_FONT, 28, bold=True, colour="C00000")
    number = word.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(number, f"第{str(bulletin.period)}期", BODY_FONT, 16)
    _red_rule(number)

    heading = word.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.space_before = Pt(16)
    heading.paragraph_format.space_after = Pt(16)
    _run(heading, title(bulletin), TITLE_FONT, 22, bold=True)
    _body(word, "各部门：", indent=False)
    _body(word, f"现将{bulletin.title_period}总经理办公会及总经理交办事项的督办情况通报如下。")
    _body(word, "一、总体情况", font=HEADING_FONT)
    _body(word, bulletin.headline)
    _body(word, "二、各部门办理情况", font=HEADING_FONT)
    _body(word, "各部门按“按期办结率”由低到高排列（无到期事项的部门列后）；按期办结率相同的，逾期未办多者在前。")
    headers = ["排名", *(zh for _, zh, _ in COLUMNS)]
    rows = [[str(rank), *_cells(row)] for rank, row in enumerate(bulletin.rows, 1)]
    rows.append(["", *_cells(bulletin.total)])
    _table(word, headers, rows, [1.0, 2.8, 1.2, 1.2, 1.4, 1.6, 2.0, 1.1, 1.3, 1.0, 1.0], bold_last=True)
    _body(word, "三、红牌事项", font=HEADING_FONT)
    red = bulletin.items[bulletin.items["light"] == "red"] if not bulletin.items.empty else bulletin.items
    if red.empty:
        _body(word, "期末无逾期未办结事项。")
    else:
        _body(word, f"截至期末，以下{len(red)}项已逾期未办结，请责任部门于3个工作日内办结或书面说明原因。")
        listed = red.head(ITEM_LIMIT)
        item_rows = [
            [_text(i["decision_id"]), _text(i["department"]), _text(i["item"]), _short_day(i["due_date"]), _light(i)]
            for _, i in listed.iterrows()
        ]
        _table(word, ["督办编号", "部门", "事项", "完成时限", "督办灯"], item_rows, [2.6, 2.2, 5.6, 2.2, 3.0], False)
        if len(red) > ITEM_LIMIT:
            _body(word, f"（另有{len(red) - ITEM_LIMIT}项，见 Excel 版通报。）")
    yellow = int((bulletin.items["light"] == "yellow").sum()) if not bulletin.items.empty else 0
    _body(word, "四、工作要求", font=HEADING_FONT)
    _body(
        word,
        f"请各部门对照通报，抓紧办理红牌事项；对{yellow}项黄牌事项（{warn_days}个工作日内到期或已延期）提前安排，"
        "确需延期的，应在到期前书面说明理由及新的完成时间，不得以延期代替落实。",
    )
    _body(word, "附：口径说明　" + DEFINITIONS.format(n=warn_days))
    for text in (OFFICE, _day(issued)):
        line = word.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        line.paragraph_format.space_before = Pt(12 if text == OFFICE else 0)
        _run(line, text, BODY_FONT, 16)
    if not bulletin.items.empty and yellow:
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _body(word, "附件：黄牌事项清单", indent=False, font=HEADING_FONT)
        listed = bulletin.items[bulletin.items["light"] == "yellow"].head(ITEM_LIMIT)
        item_rows = [
            [
                _text(i["decision_id"]),
                _text(i["department"]),
                _text(i["item"]),
                f"{_short_day(i['original_due_date'])} → {_short_day(i['due_date'])}",
                str(int(i["extension_count"])),
            ]
            for _, i in listed.iterrows()
        ]
        _table(word, ["督办编号", "部门", "事项", "原定 → 现时限", "延期"], item_rows, [2.6, 2.2, 5.2, 4.4, 1.2], False)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


__all__ = ["LIGHTS", "bulletin_docx", "bulletin_markdown", "bulletin_xlsx", "title"]
