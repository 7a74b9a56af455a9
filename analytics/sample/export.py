"""Writing the sample ledgers the way OA systems export them: CSV in several encodings, XLSX with titles.

Cells are rendered column by column: dates and times through tables of their distinct values (a year has
few days and a day has 1,440 minutes), so no Python code runs per row. XLSX files are byte-identical for
the same content: xlsxwriter stamps every zip member 1980-01-01, and the document's creation time is
given, never read from the clock.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import xlsxwriter

CellKind = Literal["text", "number", "date", "datetime"]

_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00", "m")


@dataclass(frozen=True)
class Col:
    """One exported column: its header and its cells.

    text: object array of str (None or "" for empty); number: float array (NaN for empty);
    date: datetime64[D]; datetime: datetime64[m] (NaT for empty). In XLSX, dates and datetimes are
    native Excel cells with `excel_format`; in CSV they are written as `YYYY-MM-DD[ HH:MM]` unless the
    ledger has already rendered them as text in its own style. `typed_as_text`: for a number column,
    the cells someone typed by hand (`¥1,234.50`, `12元`), written as text instead of the number.
    """

    header: str
    values: np.ndarray
    kind: CellKind = "text"
    excel_format: str | None = None
    decimals: int = 2
    width: float = 12
    typed_as_text: np.ndarray | None = None


@dataclass(frozen=True)
class Sheet:
    """One table: optional title rows above the header, the columns, and an optional 合计 footer row."""

    name: str
    columns: list[Col]
    title: str | None = None
    blank_row_after_title: bool = False
    footer: dict[str, object] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.columns[0].values) if self.columns else 0


@dataclass(frozen=True)
class ExportFile:
    """A file as an OA system would hand it over."""

    name: str
    ledger: str
    sheets: list[Sheet]
    encoding: str = "utf-8"
    line_terminator: str = "\r\n"
    notes: list[str] = field(default_factory=list)
    """For XLSX: the lines of a 说明 (notes) sheet that is not a ledger."""

    @property
    def rows(self) -> int:
        return sum(sheet.rows for sheet in self.sheets)


# ---------------------------------------------------------------------------------------------- rendering
DateStyle = Literal["iso", "slash", "dot", "cn"]
_DATE_STYLES: dict[str, Callable[[date], str]] = {
    "iso": lambda d: d.isoformat(),
    "slash": lambda d: f"{d.year}/{d.month}/{d.day}",
    "dot": lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
    "cn": lambda d: f"{d.year}年{d.month}月{d.day}日",
}
_TIME_STYLES: dict[str, Callable[[int, int], str]] = {
    "iso": lambda h, m: f" {h:02d}:{m:02d}",
    "slash": lambda h, m: f" {h}:{m:02d}",
    "dot": lambda h, m: f" {h:02d}:{m:02d}",
    "cn": lambda h, m: f"{h:02d}时{m:02d}分",
}


def format_dates(values: np.ndarray, style: DateStyle | Callable[[date], str] = "iso") -> np.ndarray:
    """Dates as text in one of the styles OA exports use (or any rendering of a day); NaT becomes ""."""
    days = np.asarray(values).astype("datetime64[D]")
    present = ~np.isnat(days)
    out = np.full(len(days), "", dtype=object)
    if present.any():
        unique, inverse = np.unique(days[present], return_inverse=True)
        render = _DATE_STYLES[style] if isinstance(style, str) else style
        out[present] = np.array([render(day) for day in unique.tolist()], dtype=object)[inverse]
    return out


def numbered(
    prefix: str, days: np.ndarray, sequence: np.ndarray, stamp: Callable[[date], str], width: int, suffix: str = ""
) -> np.ndarray:
    """Keys such as HY202611230007 or 收文〔2026〕00123号: a prefix, a stamp of the day, a padded number."""
    width = max(width, len(str(int(sequence.max()))) if len(sequence) else 1)
    padded = np.strings.zfill(np.asarray(sequence, dtype=np.int64).astype(str), width).astype(object)
    return prefix + format_dates(days, stamp) + padded + suffix


def format_datetimes(values: np.ndarray, style: DateStyle = "iso") -> np.ndarray:
    """Datetimes (to the minute) as text: `2026/1/5 9:05`, `2026年11月23日14时05分`, …; NaT becomes ""."""
    stamps = np.asarray(values).astype("datetime64[m]")
    present = ~np.isnat(stamps)
    out = np.full(len(stamps), "", dtype=object)
    if present.any():
        kept = stamps[present]
        days = kept.astype("datetime64[D]")
        minute_of_day = (kept - days.astype("datetime64[m]")).astype(np.int64)
        render = _TIME_STYLES[style]
        times = np.array([render(*divmod(m, 60)) for m in range(1440)], dtype=object)
        out[present] = format_dates(days, style) + times[minute_of_day]
    return out


def format_numbers(values: np.ndarray, decimals: int = 0) -> np.ndarray:
    """Numbers as plain text (`12`, `12.50`); NaN becomes ""."""
    numbers = np.asarray(values, dtype=float)
    present = ~np.isnan(numbers)
    out = np.full(len(numbers), "", dtype=object)
    if present.any():
        unique, inverse = np.unique(np.round(numbers[present], decimals), return_inverse=True)
        out[present] = np.array([f"{x:.{decimals}f}" for x in unique.tolist()], dtype=object)[inverse]
    return out


def format_money(values: np.ndarray, style: Literal["yuan_sign", "yuan_suffix"]) -> np.ndarray:
    """Money as some ledgers type it: `¥1,234.50`, or `12元` (whole yuan) / `12.5元`; NaN becomes ""."""
    numbers = np.asarray(values, dtype=float)
    present = ~np.isnan(numbers)
    out = np.full(len(numbers), "", dtype=object)
    if present.any():
        unique, inverse = np.unique(np.round(numbers[present], 2), return_inverse=True)
        if style == "yuan_sign":
            table = [f"¥{x:,.2f}" for x in unique.tolist()]
        else:
            table = [f"{x:g}元" for x in unique.tolist()]
        out[present] = np.array(table, dtype=object)[inverse]
    return out


def excel_serial(values: np.ndarray) -> np.ndarray:
    """Datetimes as Excel serial day numbers (float; NaN for NaT)."""
    stamps = np.asarray(values).astype("datetime64[m]")
    serial = (stamps - _EXCEL_EPOCH).astype(np.int64) / 1440.0
    return np.where(np.isnat(stamps), np.nan, serial)


# ------------------------------------------------------------------------------------------------- writing
def write_file(export: ExportFile, out_dir: Path, created: datetime) -> Path:
    """Write one export into `out_dir`; return its path."""
    path = out_dir / export.name
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(export, path, created)
    else:
        _write_csv(export, path)
    return path


def _csv_cells(col: Col) -> np.ndarray:
    if col.kind == "number":
        cells = format_numbers(col.values, col.decimals)
        if col.typed_as_text is not None:
            typed = np.asarray(col.typed_as_text, dtype=object)
            cells = np.where(np.equal(typed, None) | np.equal(typed, ""), cells, typed)
        return cells
    if col.kind == "date":
        return format_dates(col.values, "iso")
    if col.kind == "datetime":
        return format_datetimes(col.values, "iso")
    cells = np.asarray(col.values, dtype=object)
    return np.where(np.equal(cells, None), "", cells)


def _csv_footer(sheet: Sheet) -> list[str]:
    return [_render_scalar(sheet.footer.get(col.header), col) for col in sheet.columns]


def _render_scalar(value: object, col: Col) -> str:
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:.{col.decimals}f}"
    return str(value)


def _write_csv(export: ExportFile, path: Path) -> None:
    """One table as CSV (quoting only the cells that need it, as Excel does), with its title and 合计 rows."""
    (sheet,) = export.sheets
    width = len(sheet.columns)
    lines = io.StringIO()
    rows = csv.writer(lines, lineterminator=export.line_terminator)
    if sheet.title:
        rows.writerow([sheet.title] + [""] * (width - 1))
        if sheet.blank_row_after_title:
            rows.writerow([""] * width)
    rows.writerow([col.header for col in sheet.columns])
    head = lines.getvalue()
    body = _join_rows([_csv_cells(col) for col in sheet.columns], export.line_terminator)
    lines = io.StringIO()
    if sheet.footer:
        csv.writer(lines, lineterminator=export.line_terminator).writerow(_csv_footer(sheet))
    path.write_bytes((head + body + lines.getvalue()).encode(export.encoding))


def _join_rows(columns: list[np.ndarray], terminator: str) -> str:
    """Cells (object arrays of str) to CSV lines, column-wise in Arrow rather than row by row."""
    if not len(columns) or not len(columns[0]):
        return ""
    quote, comma, nothing = (pa.scalar(text, pa.large_string()) for text in ('"', ",", ""))
    fields = []
    for cells in columns:
        text = pa.array(cells, type=pa.large_string())
        needs_quotes = pc.match_substring_regex(text, r'[",\r\n]')
        if pc.any(needs_quotes).as_py():
            quoted = pc.binary_join_element_wise(quote, pc.replace_substring(text, '"', '""'), quote, nothing)
            text = pc.if_else(needs_quotes, quoted, text)
        fields.append(text)
    lines = pc.binary_join_element_wise(*fields, comma)
    return terminator.join(lines.to_pylist()) + terminator


def _write_xlsx(export: ExportFile, path: Path, created: datetime) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    workbook.set_properties(
        {"title": export.name.rsplit(".", 1)[0], "author": "OA系统导出", "company": "示例公司", "created": created}
    )
    title_format = workbook.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    header_format = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "align": "center"})
    footer_format = workbook.add_format({"bold": True, "top": 1})
    formats: dict[str, object] = {}

    def cell_format(spec: str | None):
        if spec is None:
            return None
        if spec not in formats:
            formats[spec] = workbook.add_format({"num_format": spec})
        return formats[spec]

    for sheet in export.sheets:
        worksheet = workbook.add_worksheet(sheet.name)
        row = 0
        if sheet.title:
            if len(sheet.columns) > 1:
                worksheet.merge_range(0, 0, 0, len(sheet.columns) - 1, sheet.title, title_format)
            else:
                worksheet.write_string(0, 0, sheet.title, title_format)
            worksheet.set_row(0, 28)
            row = 2 if sheet.blank_row_after_title else 1
        header_row = row
        for c, col in enumerate(sheet.columns):
            worksheet.write_string(header_row, c, col.header, header_format)
            worksheet.set_column(c, c, col.width)
        worksheet.freeze_panes(header_row + 1, 0)
        first = header_row + 1
        for c, col in enumerate(sheet.columns):
            _write_column(worksheet, first, c, col, cell_format(_default_format(col)))
        if sheet.columns:
            worksheet.autofilter(header_row, 0, header_row + sheet.rows, len(sheet.columns) - 1)
        if sheet.footer:
            footer_row = first + sheet.rows
            for c, col in enumerate(sheet.columns):
                value = sheet.footer.get(col.header)
                if isinstance(value, str):
                    worksheet.write_string(footer_row, c, value, footer_format)
                elif value is not None:
                    worksheet.write_number(footer_row, c, float(value), footer_format)
    if export.notes:
        notes = workbook.add_worksheet("说明")
        notes.set_column(0, 0, 90)
        for r, line in enumerate(export.notes):
            notes.write_string(r, 0, line)
    workbook.close()


def _default_format(col: Col) -> str | None:
    if col.excel_format:
        return col.excel_format
    return {"date": "yyyy/m/d", "datetime": "yyyy/m/d h:mm"}.get(col.kind)


def _write_column(worksheet, first_row: int, c: int, col: Col, fmt) -> None:
    """Write one column's cells (the only per-cell loop: xlsxwriter takes cells one at a time)."""
    if col.kind in ("date", "datetime"):
        numbers = excel_serial(col.values)
        for r, value in enumerate(numbers.tolist(), start=first_row):
            if value == value:  # not NaN
                worksheet.write_number(r, c, value, fmt)
    elif col.kind == "number":
        typed = [None] * len(col.values) if col.typed_as_text is None else col.typed_as_text.tolist()
        for r, (value, text) in enumerate(
            zip(np.asarray(col.values, dtype=float).tolist(), typed, strict=True), first_row
        ):
            if text:
                worksheet.write_string(r, c, text)
            elif value == value:  # not NaN
                worksheet.write_number(r, c, value, fmt)
    else:
        for r, value in enumerate(np.asarray(col.values, dtype=object).tolist(), start=first_row):
            if value:
                worksheet.write_string(r, c, value)
