"""The weekly report as an Excel workbook (openpyxl): cover, trends with native charts, rows per ledger.

Every string that came from a ledger is written as text, never as a formula: a cell that starts with
`=`, `+`, `-`, `@`, a tab or a line break gets `data_type="s"` and the quote prefix, so Excel shows
it as typed and does not evaluate it when the user edits the cell.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analytics.charts import STATUS_COLOURS
from analytics.columns import column_title, localise_rows
from analytics.formatting import FORMULA_STARTS, Lang, is_flat
from analytics.ledgers import LEDGERS
from analytics.metrics import HEADLINE, METRICS, UNFILLED_DEPARTMENT
from analytics.report.columns import SHEETS, Kind, SheetPlan, column_kind
from analytics.report.content import (
    KpiLine,
    ReportContent,
    as_number,
    basis_text,
    gather,
    scope_note,
    settings_note,
    week_title,
)
from analytics.report.rows import sheet_rows
from analytics.settings import Settings
from analytics.weeks import Week

MAX_CELL_TEXT = 32_000

VALUE_FORMATS: dict[str, str] = {
    "rate": "0.0%",
    "count": "#,##0",
    "money": '"¥"#,##0.00',
    "hours": "#,##0.00",
    "days": "#,##0.00",
}
COLUMN_FORMATS: dict[Kind, str] = {
    "int": "#,##0",
    "number": "#,##0.##########",
    "decimal": "#,##0.00",
    "money": '"¥"#,##0.00',
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
STATUS_FILLS = {"good": "E8F5E9", "watch": "FFF4E0", "bad": "FDECEA", "unknown": "FFFFFF"}
STATUS_WORDS = {
    "zh": {"good": "达标", "watch": "需留意", "bad": "未达标", "unknown": "—"},
    "en": {"good": "on target", "watch": "watch", "bad": "off target", "unknown": "—"},
}
HEADER_FILL = PatternFill("solid", fgColor="1F5FA8")
HEADER_FONT = Font(bold=True, color="FFFFFF")
SECTION_FONT = Font(bold=True, size=12, color="1F5FA8")
THIN = Side(style="thin", color="D0D7E2")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def build_xlsx(
    con: duckdb.DuckDBPyConnection,
    week: Week,
    settings: Settings,
    departments: Sequence[str] | None = None,
    lang: Lang = "zh",
    *,
    mask: Callable[[str, pd.DataFrame], pd.DataFrame] | None = None,
) -> bytes:
    """The week's report as .xlsx bytes (for the command line and the dashboard's download button).

    `mask(ledger, rows)` takes out of each rows sheet what the reader may not see (a user's scope:
    analytics.auth.masking); the command line, an administrator tool, passes none.
    """
    content = gather(con, week, settings, departments, lang)
    workbook = Workbook()
    cover = workbook.active
    write_cover(cover, content)
    write_trend(workbook.create_sheet(), content)
    for plan in SHEETS:
        rows = sheet_rows(con, plan, week, settings, departments, lang)
        if mask is not None:
            rows = mask(plan.ledger, rows)
        write_rows_sheet(workbook.create_sheet(), plan, rows, content)
    workbook.properties.title = _report_title(lang) + f" {week}"
    workbook.properties.creator = "analytics"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------
# Cells


def put(ws: Worksheet, row: int, column: int, value: object, number_format: str | None = None) -> Cell:
    """Write one value safely: text stays text, missing stays empty, numbers and dates keep their type."""
    cell = ws.cell(row=row, column=column)
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return cell
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_TEXT]
        cell.value = text
        cell.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
        return cell
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    cell.value = value
    if number_format:
        cell.number_format = number_format
    return cell


def fit_to_pages(ws: Worksheet, tall: int = 0) -> None:
    """Print landscape, one page wide (and `tall` pages high; 0 = as many as needed)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = tall
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _display_width(value: object) -> int:
    text = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _report_title(lang: Lang) -> str:
    return "总经理办公室周度复盘报告" if lang == "zh" else "GM office weekly review"


# ---------------------------------------------------------------------------------------------------
# Cover (周报封面)

COVER_COLUMNS_ZH = ("指标", "本周", "上周", "较上周", "依据（分子/分母）", "状态", "目标", "口径说明", "指标代码")
COVER_COLUMNS_EN = (
    "Metric",
    "This week",
    "Last week",
    "Change",
    "Basis (num./den.)",
    "Status",
    "Target",
    "Definition",
    "Code",
)
COVER_WIDTHS = (22, 12, 12, 18, 22, 9, 32, 70, 30)


def delta_format(unit: str, lang: Lang) -> str:
    """Number format of a change: rates are stored in percentage points and say so."""
    if unit == "rate":
        word = "个百分点" if lang == "zh" else " pp"
        return f'+0.0"{word}";-0.0"{word}";0.0"{word}"'
    if unit == "money":
        return '+"¥"#,##0.00;-"¥"#,##0.00;"¥"0.00'
    if unit == "count":
        return "+#,##0;-#,##0;0"
    return "+#,##0.00;-#,##0.00;0.00"


def delta_cell_value(line: KpiLine) -> float | None:
    """The change as written in the cell: percentage points for rates (this week − last week)."""
    if line.delta is None:
        return None
    return round(line.delta * 100, 6) if line.unit == "rate" else line.delta


def _change_colour(line: KpiLine) -> str:
    if line.delta is None or line.higher_is_better is None or is_flat(line.delta, line.unit):
        return "666666"
    better = (line.delta > 0) == bool(line.higher_is_better)
    return (STATUS_COLOURS["good"] if better else STATUS_COLOURS["bad"]).lstrip("#")


def write_cover(ws: Worksheet, content: ReportContent) -> None:
    lang = content.lang
    ws.title = "周报封面" if lang == "zh" else "Cover"
    ws.sheet_view.showGridLines = False
    last_col = len(COVER_WIDTHS)
    for index, width in enumerate(COVER_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(index)].width = width

    def paragraph(row: int, text: str, font: Font | None = None, height: float | None = None) -> int:
        put(ws, row, 1, text)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col - 1)
        cell = ws.cell(row=row, column=1)
        cell.alignment = WRAP_TOP
        if font:
            cell.font = font
        lines = max(1, math.ceil(_display_width(text) / 200))
        ws.row_dimensions[row].height = height or 16.5 * lines
        return row + 1

    row = paragraph(1, _report_title(lang), Font(bold=True, size=18, color="1F5FA8"), 30)
    row = paragraph(row, week_title(content.week, lang), Font(bold=True, size=12))
    generated = datetime.now().strftime("%Y-%m-%d %H:%M")
    row = paragraph(
        row,
        f"{scope_note(content.departments, lang)}　·　"
        + (f"生成时间：{generated}" if lang == "zh" else f"Generated {generated}"),
        Font(color="666666"),
    )
    row += 1
    row = paragraph(row, "一、本周结论" if lang == "zh" else "1. This week in brief", SECTION_FONT)
    summary = content.summary
    row = paragraph(row, summary.conclusion, Font(bold=True))
    for line in summary.lines:
        row = paragraph(row, f"• {line.text}")
    if summary.proposals:
        row = paragraph(row, "建议：" if lang == "zh" else "Proposals:", Font(bold=True))
        for number, proposal in enumerate(summary.proposals, 1):
            row = paragraph(row, f"{number}. {proposal}")
    row += 1
    row = paragraph(row, "二、指标一览" if lang == "zh" else "2. The numbers", SECTION_FONT)
    headers = COVER_COLUMNS_ZH if lang == "zh" else COVER_COLUMNS_EN
    for section in content.sections:
        if not section.lines:
            continue
        put(ws, row, 1, section.title).font = Font(bold=True)
        row += 1
        for column, header in enumerate(headers, 1):
            cell = put(ws, row, column, header)
            cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, GRID
            cell.alignment = Alignment(horizontal="center", vertical="center")
        row += 1
        for line in section.lines:
            _write_kpi_row(ws, row, line, lang)
            row += 1
        row += 1
    notes = [
        (
            "说明：“较上周”为本周减上周；比率类指标的变化以百分点表示。分母为 0 的比率记为“—”（无数据），不是 0。"
            if lang == "zh"
            else "Change is this week minus last week; for rates in percentage points. A rate with nothing to divide by is “—”, not 0."
        ),
        settings_note(content.settings, lang),
    ]
    for note in notes:
        row = paragraph(row, note, Font(color="666666", size=9))
    fit_to_pages(ws, tall=0)


def _write_kpi_row(ws: Worksheet, row: int, line: KpiLine, lang: Lang) -> None:
    value_format = VALUE_FORMATS.get(line.unit)
    cells = [
        put(ws, row, 1, line.label),
        put(ws, row, 2, line.value, value_format) if line.value is not None else put(ws, row, 2, line.note or "—"),
        put(ws, row, 3, line.previous, value_format) if line.previous is not None else put(ws, row, 3, "—"),
        put(ws, row, 4, delta_cell_value(line), delta_format(line.unit, lang))
        if line.delta is not None
        else put(ws, row, 4, "—"),
        put(ws, row, 5, basis_text(line, lang)),
        put(ws, row, 6, STATUS_WORDS[lang][line.status]),
        put(ws, row, 7, line.target),
        put(ws, row, 8, line.definition),
        put(ws, row, 9, line.name),
    ]
    for cell in cells:
        cell.border = GRID
        cell.alignment = Alignment(vertical="top", wrap_text=cell.column in (1, 7, 8))
    for cell in cells[1:4]:
        cell.alignment = Alignment(horizontal="right", vertical="top")
    cells[0].font = Font(bold=line.name in HEADLINE)
    cells[1].fill = PatternFill("solid", fgColor=STATUS_FILLS[line.status])
    cells[1].font = Font(bold=True)
    cells[3].font = Font(color=_change_colour(line))
    cells[5].font = Font(color=STATUS_COLOURS[line.status].lstrip("#"), bold=line.status == "bad")
    cells[8].font = Font(color="999999", size=9)
    lines = max(1, math.ceil(_display_width(line.definition) / 68), math.ceil(_display_width(line.target or "") / 31))
    ws.row_dimensions[row].height = 16.5 * lines


# ---------------------------------------------------------------------------------------------------
# Trend (趋势)


def write_trend(ws: Worksheet, content: ReportContent) -> None:
    """A table of the headline metrics over recent weeks, and one native line chart per unit."""
    lang = content.lang
    ws.title = "趋势" if lang == "zh" else "Trend"
    trend = content.trend
    names = [name for name in HEADLINE if not trend.empty and name in set(trend["metric"])]
    put(
        ws,
        1,
        1,
        (f"核心指标近{_weeks(trend)}周趋势" if lang == "zh" else f"Headline numbers over {_weeks(trend)} weeks"),
    ).font = Font(bold=True, size=14, color="1F5FA8")
    headers = ["周" if lang == "zh" else "Week", "周一" if lang == "zh" else "Monday"]
    headers += [METRICS[n].label_zh if lang == "zh" else METRICS[n].label_en for n in names]
    header_row = 3
    for column, header in enumerate(headers, 1):
        cell = put(ws, header_row, column, header)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, GRID
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    weeks = trend.drop_duplicates("week")[["week", "week_start"]].sort_values("week_start") if names else pd.DataFrame()
    values = trend.pivot(index="week", columns="metric", values="value") if names else pd.DataFrame()
    row = header_row
    for row, record in enumerate(weeks.itertuples(index=False), header_row + 1):
        put(ws, row, 1, record.week).border = GRID
        put(ws, row, 2, pd.Timestamp(record.week_start).to_pydatetime(), "yyyy-mm-dd").border = GRID
        for column, name in enumerate(names, 3):
            cell = put(ws, row, column, as_number(values.at[record.week, name]), VALUE_FORMATS[METRICS[name].unit])
            cell.border = GRID
    ws.column_dimensions["A"].width = 11
    ws.column_dimensions["B"].width = 12
    for column in range(3, len(headers) + 1):
        ws.column_dimensions[get_column_letter(column)].width = 16
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    fit_to_pages(ws, tall=1)
    last_row = row
    if not names or last_row <= header_row:
        return
    by_unit: dict[str, list[int]] = {}
    for column, name in enumerate(names, 3):
        by_unit.setdefault(METRICS[name].unit, []).append(column)
    anchor_row = 3
    for unit, columns in by_unit.items():
        chart = LineChart()
        chart.title = "核心指标趋势" if lang == "zh" else "Headline trend"
        chart.height, chart.width = 9, 20
        chart.y_axis.number_format = {"rate": "0%", "money": '"¥"#,##0'}.get(unit, "#,##0")
        chart.x_axis.title = None
        chart.y_axis.delete = False
        chart.x_axis.delete = False
        chart.legend.position = "b"
        for column in columns:
            data = Reference(ws, min_col=column, min_row=header_row, max_row=last_row)
            chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=last_row))
        for series in chart.series:
            series.smooth = False
            series.marker.symbol = "circle"
        ws.add_chart(chart, f"{get_column_letter(len(headers) + 2)}{anchor_row}")
        anchor_row += 20


def _weeks(trend: pd.DataFrame) -> int:
    return int(trend["week"].nunique()) if not trend.empty else 0


# ---------------------------------------------------------------------------------------------------
# Rows behind the numbers, one sheet per ledger


def write_rows_sheet(ws: Worksheet, plan: SheetPlan, rows: pd.DataFrame, content: ReportContent) -> None:
    """A ledger's rows: a note on what they back, Chinese headers, frozen header, filters, formats."""
    lang = content.lang
    ws.title = plan.title(lang)[:31]
    frame = rows
    if "department" in frame and frame["department"].eq(UNFILLED_DEPARTMENT).all():
        frame = frame.drop(columns=["department"])
    sort_by = [c for c in ("department", plan.key) if c and c in frame]
    if sort_by and not frame.empty:
        frame = frame.sort_values(sort_by, kind="stable", na_position="last")
    kinds = {name: column_kind(plan.ledger, name, frame[name]) for name in frame.columns}
    frame = localise_rows(frame, plan.ledger, lang)
    note = plan.note_zh if lang == "zh" else plan.note_en
    count = f"（{len(frame)} 行）" if lang == "zh" else f" ({len(frame)} rows)"
    put(ws, 1, 1, f"{content.week}　{note}{count}").font = Font(bold=True, color="1F5FA8")
    header_row = 2
    specs: list[Kind] = []
    for column, name in enumerate(frame.columns, 1):
        specs.append(kinds[name])
        cell = put(ws, header_row, column, _title(plan.ledger, name, lang))
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [_display_width(ws.cell(row=header_row, column=c).value or "") for c in range(1, len(specs) + 1)]
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    for offset, record in enumerate(frame.itertuples(index=False, name=None)):
        row = header_row + 1 + offset
        for column, (kind, value) in enumerate(zip(specs, record, strict=True), 1):
            shown_value = _cell_value(kind, value, yes, no)
            put(ws, row, column, shown_value, COLUMN_FORMATS.get(kind))
            if offset < 200:
                widths[column - 1] = max(widths[column - 1], _value_width(shown_value, kind))
    for column, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 48)
    ws.row_dimensions[header_row].height = 30
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    fit_to_pages(ws, tall=0)
    if specs:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(specs))}{header_row + len(frame)}"


def _title(ledger: str, column: str, lang: Lang) -> str:
    """A column's header; the department is named as its ledger names it (责任部门, 组织部门 …)."""
    department_column = LEDGERS[ledger].department_column
    if column == "department" and department_column:
        declared = LEDGERS[ledger].column(department_column)
        return declared.label_zh if lang == "zh" else department_column.replace("_", " ")
    return column_title(ledger, column, lang)


def _cell_value(kind: Kind, value: object, yes: str, no: str) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if kind == "bool":
        return yes if bool(value) else no
    if kind in ("date", "datetime"):
        stamp = pd.Timestamp(value)
        return stamp.to_pydatetime() if kind == "datetime" else stamp.date()
    if kind == "text":
        return str(value)
    if hasattr(value, "item"):
        return value.item()
    return value


def _value_width(value: object, kind: Kind) -> int:
    if value is None:
        return 0
    if kind == "date" or isinstance(value, date) and not isinstance(value, datetime):
        return 10
    if kind == "datetime" or isinstance(value, datetime):
        return 16
    if kind == "money" and isinstance(value, (int, float)):
        return len(f"¥{value:,.2f}")
    if isinstance(value, float):
        return len(f"{value:,.2f}")
    return _display_width(value)
