"""The weekly review as an A4 Word document (python-docx), to attach in the OA or print and sign.

python-docx writes real paragraphs, tables and pictures that Word and WPS open and edit as their own.
The fonts are named as a Chinese office has them (Word cannot carry fallbacks, and python-docx does
not embed fonts): 宋体 for the title, 黑体 for headings, 仿宋 for the body, Times New Roman for Latin
letters and digits — on Windows and WPS these are always there; LibreOffice on Linux substitutes
Noto CJK through fontconfig.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import duckdb
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from analytics.formatting import Lang
from analytics.report.document import KpiRow, Mask, ReportDocument, build_document
from analytics.settings import Settings
from analytics.weeks import Week

TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
LATIN_FONT = "Times New Roman"
STATUS_RGB = {"good": "1B5E20", "watch": "8A5300", "bad": "B71C1C", "unknown": "333333"}
SENSE_RGB = {"better": "1B5E20", "worse": "B71C1C", "flat": "333333"}


def build_docx(
    con: duckdb.DuckDBPyConnection,
    week: Week,
    settings: Settings,
    departments: Sequence[str] | None = None,
    lang: Lang = "zh",
    *,
    comment: str | None = None,
    attention: bool = True,
    mask: Mask | None = None,
) -> bytes:
    """The week's report as .docx bytes (for the command line and the overview's download button)."""
    document = build_document(con, week, settings, departments, lang, comment=comment, attention=attention, mask=mask)
    return render_docx(document)


def render_docx(doc: ReportDocument) -> bytes:
    word = Document()
    _page_setup(word, doc)
    _styles(word, doc)
    w = doc.words

    title = word.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(6)
    main, bracket, rest = doc.title.partition("（")
    _run(title, main, TITLE_FONT, 22, bold=True)
    if bracket:  # a long title breaks before its parenthesis, as a 公文 title does
        _run(title, "", TITLE_FONT, 22).add_break()
        _run(title, bracket + rest, TITLE_FONT, 22, bold=True)
    for text, size in ((f"{doc.subtitle}　　{doc.scope}", 11), (doc.generated, 9.5)):
        meta = word.add_paragraph()
        meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
        meta.paragraph_format.space_after = Pt(0)
        _run(meta, text, BODY_FONT, size)
    _rule(word.add_paragraph())

    _heading(word, w("一、本周结论", "1. Conclusion"))
    conclusion = word.add_paragraph()
    conclusion.paragraph_format.first_line_indent = Pt(28)
    _run(conclusion, doc.conclusion, BODY_FONT, 14, bold=True)
    _headline_table(word, doc)
    _numbered(word, doc.summary_lines)
    if doc.proposals:
        _heading(word, w("二、下一步建议", "2. Proposals"))
        _numbered(word, doc.proposals)

    _heading(word, w("三、指标一览", "3. The numbers"))
    _kpi_table(word, doc)
    for note in doc.notes:
        _run(word.add_paragraph(), note, BODY_FONT, 9, colour="444444")

    if doc.attention_counts is not None:
        _heading(word, w("四、需要关注事项", "4. Needs attention"))
        _attention(word, doc)

    if doc.charts:
        _heading(word, w("五、趋势与分布", "5. Trends"))
        for number, chart in enumerate(doc.charts, 1):
            picture = word.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.paragraph_format.keep_with_next = True
            picture.add_run().add_picture(io.BytesIO(chart.png), width=Cm(16))
            caption = word.add_paragraph()
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(caption, f"{w('图', 'Figure ')}{number}　{chart.caption}", HEADING_FONT, 10)

    _comment_page(word, doc)
    word.core_properties.title = doc.title
    word.core_properties.author = w("总经理办公室", "GM office")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------
# Page, styles and runs


def _page_setup(word: Document, doc: ReportDocument) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.6), Cm(2.4)
    section.left_margin, section.right_margin = Cm(2.6), Cm(2.4)
    section.header_distance, section.footer_distance = Cm(1.4), Cm(1.4)
    header = section.header.paragraphs[0]
    _run(header, doc.words("内部资料　注意保存", "Internal"), HEADING_FONT, 9, colour="555555")
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, "— ", BODY_FONT, 11)
    _page_field(footer.add_run())
    _run(footer, " —", BODY_FONT, 11)


def _page_field(run: Run) -> None:
    """A PAGE field: Word fills in the page number."""
    begin, text, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = "PAGE"
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)
    _fonts(run, BODY_FONT, 11)


def _styles(word: Document, doc: ReportDocument) -> None:
    normal = word.styles["Normal"]
    normal.font.size = Pt(12)
    normal.font.name = LATIN_FONT
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(language)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.3


def _fonts(run: Run, east_asian: str, size: float, *, bold: bool = False, colour: str | None = None) -> Run:
    run.font.name = LATIN_FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    run.font.size = Pt(size)
    run.font.bold = bold
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    return run


def _run(paragraph: Paragraph, text: str, font: str, size: float, **style: object) -> Run:
    return _fonts(paragraph.add_run(text), font, size, **style)  # type: ignore[arg-type]


def _heading(word: Document, text: str) -> None:
    paragraph = word.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(4)
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, text, HEADING_FONT, 15, bold=True)


def _numbered(word: Document, texts: Sequence[str]) -> None:
    for number, text in enumerate(texts, 1):
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.left_indent = Pt(24)
        paragraph.paragraph_format.first_line_indent = Pt(-24)
        paragraph.paragraph_format.space_after = Pt(1)
        _run(paragraph, f"{number}.\u2002{text}", BODY_FONT, 12)


def _rule(paragraph: Paragraph) -> None:
    """A black line under the title block (a paragraph's bottom border)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "12"), ("space", "1"), ("color", "111111")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    paragraph.paragraph_format.space_after = Pt(6)


# ---------------------------------------------------------------------------------------------------
# Tables


def _table(word: Document, headers: Sequence[str], widths: Sequence[float]) -> Table:
    table = word.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, header, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = Cm(width)
        _cell_text(cell, header, HEADING_FONT, 10, bold=True, align="center")
        _shade(cell, "EDEDED")
    _repeat_header(table)
    return table


def _cell_text(
    cell: _Cell,
    text: str,
    font: str = BODY_FONT,
    size: float = 10,
    *,
    bold: bool = False,
    colour: str | None = None,
    align: str = "left",
) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.1
    paragraph.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
    }[align]
    _run(paragraph, text, font, size, bold=bold, colour=colour)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(table: Table) -> None:
    properties = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _set_widths(table: Table, widths: Sequence[float]) -> None:
    """Column widths in the table grid (LibreOffice reads these) and on every cell (Word reads those)."""
    for column, width in zip(table.columns, widths, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Cm(width)


def _headline_table(word: Document, doc: ReportDocument) -> None:
    if not doc.headline:
        return
    w = doc.words
    table = word.add_table(rows=1, cols=len(doc.headline))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, row in zip(table.rows[0].cells, doc.headline, strict=True):
        cell.width = Cm(16 / len(doc.headline))
        _cell_text(cell, row.label, HEADING_FONT, 10.5)
        value = cell.add_paragraph()
        value.paragraph_format.space_after = Pt(0)
        _run(value, row.value, HEADING_FONT, 20, bold=True, colour=STATUS_RGB[row.status])
        for text in (
            f"{row.status_word}　{w('目标', 'target')} {row.target}",
            f"{w('较上周', 'vs last week')} {row.change}",
        ):
            line = cell.add_paragraph()
            line.paragraph_format.space_after = Pt(0)
            _run(line, text, HEADING_FONT, 9.5, colour="333333")
    _set_widths(table, [16 / len(doc.headline)] * len(doc.headline))
    word.add_paragraph().paragraph_format.space_after = Pt(0)


KPI_WIDTHS = (3.8, 1.8, 1.8, 2.7, 2.4, 1.8, 1.7)


def _kpi_table(word: Document, doc: ReportDocument) -> None:
    headers = (
        ("指标", "本周", "上周", "较上周", "依据", "目标", "状态")
        if doc.lang == "zh"
        else ("Metric", "This week", "Last week", "Change", "Basis", "Target", "Status")
    )
    table = _table(word, headers, KPI_WIDTHS)
    for title, rows in doc.sections:
        if not rows:
            continue
        group = table.add_row().cells
        merged = group[0].merge(group[-1])
        _cell_text(merged, title, HEADING_FONT, 10, bold=True)
        _shade(merged, "F6F6F6")
        for row in rows:
            _kpi_cells(table.add_row().cells, row)
    _set_widths(table, KPI_WIDTHS)


def _kpi_cells(cells: Sequence[_Cell], row: KpiRow) -> None:
    _cell_text(cells[0], row.label, BODY_FONT, 10, bold=row.headline)
    _cell_text(cells[1], row.value, BODY_FONT, 10, bold=True, align="right")
    _cell_text(cells[2], row.previous, BODY_FONT, 10, align="right")
    _cell_text(cells[3], row.change, BODY_FONT, 10, colour=SENSE_RGB[row.change_sense], align="right")
    _cell_text(cells[4], row.basis, BODY_FONT, 9, colour="444444", align="right")
    _cell_text(cells[5], row.target, BODY_FONT, 10, align="right")
    _cell_text(cells[6], row.status_word, HEADING_FONT, 10, colour=STATUS_RGB[row.status], align="center")


ATTENTION_WIDTHS = (2.1, 2.8, 4.4, 2.1, 2.1, 2.5)


def _attention(word: Document, doc: ReportDocument) -> None:
    counts = doc.attention_counts or []
    if not counts:
        _run(
            word.add_paragraph(),
            doc.words("本周没有需要关注的事项。", "Nothing needs attention this week."),
            BODY_FONT,
            12,
        )
        return
    total = sum(count for _, count in counts)
    if doc.lang == "zh":
        joined = "；".join(f"{kind} {count} 项" for kind, count in counts)
        lead = f"共 {total} 项：{joined}。下表列出最紧急的 {len(doc.attention)} 项，完整清单见工作台或 Excel 周报。"
    else:
        joined = "; ".join(f"{kind}: {count}" for kind, count in counts)
        lead = f"{total} items: {joined}. The {len(doc.attention)} most urgent are listed."
    _run(word.add_paragraph(), lead, BODY_FONT, 12)
    headers = (
        ("类别", "编号", "事项", "部门", "日期", "说明")
        if doc.lang == "zh"
        else ("Kind", "ID", "Item", "Department", "Date", "Detail")
    )
    table = _table(word, headers, ATTENTION_WIDTHS)
    for item in doc.attention:
        cells = table.add_row().cells
        for cell, text in zip(
            cells, (item.kind, item.record_id, item.title, item.department, item.date, item.detail), strict=True
        ):
            _cell_text(cell, text, BODY_FONT, 9.5)
    _set_widths(table, ATTENTION_WIDTHS)


# ---------------------------------------------------------------------------------------------------
# The assistant's comment and the GM's signature, on a page of their own


def _comment_page(word: Document, doc: ReportDocument) -> None:
    w = doc.words
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _heading(word, w("六、总经理助理意见", "6. The assistant’s comment"))
    paragraphs = [p for p in doc.comment.split("\n") if p.strip()] if doc.comment else []
    for text in paragraphs:
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(26)
        paragraph.paragraph_format.line_spacing = 1.6
        _run(paragraph, text, BODY_FONT, 13)
    if not paragraphs:
        for _ in range(8):
            _rule(word.add_paragraph())
    _signature(word, w("报告人：", "Prepared by: "), doc)
    _heading(word, w("总经理批示", "The GM’s instructions"))
    box = word.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    box.rows[0].height = Cm(7)
    box.rows[0].cells[0].width = Cm(16)
    _signature(word, w("签字：", "Signature: "), doc)


def _signature(word: Document, who: str, doc: ReportDocument) -> None:
    paragraph = word.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.paragraph_format.space_before = Pt(18)
    _run(paragraph, f"{who}＿＿＿＿＿＿＿＿　　{doc.words('日期：', 'Date: ')}＿＿＿＿＿＿", BODY_FONT, 12)
