"""Workbooks: an XLSX (fastexcel, Rust calamine, straight into Arrow) or a BIFF .xls (python-calamine).

Untrusted bytes meet Rust code that aborts the process when memory runs out, so before anything is
parsed: the zip directory's sizes and ratio, and each worksheet's declared `<dimension>` against the
budgets of guards.py; then the parse runs in a forked child (isolated.py) with a memory limit and a
timeout, while a thread of the child inflates every member and counts the bytes (a zip directory can
lie about them: the Rust reader inflates whatever the stream holds). What comes back is checked
against the budgets again (the used range as read), before any SQL is built.
"""

from __future__ import annotations

import io
import os
import re
import struct
import threading
import zipfile
import zlib
from contextlib import suppress
from datetime import date, datetime

import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine

from analytics.errors import IngestError, UsageError
from analytics.ingest.guards import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_INFLATE_RATIO,
    MAX_INFLATED_BYTES,
    WORKBOOK_MEMORY_BYTES,
    WORKBOOK_SECONDS,
    check_width,
)
from analytics.ingest.isolated import run_isolated
from analytics.ingest.sheets import HEAD_ROWS, ColumnsSheet, Sheet, SourceFile, cells_to_text, native_text

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")

_SheetData = tuple[str, int, "list[list[str | None]] | None", "list[str]", pa.RecordBatch, bool]
"""What the child sends back per sheet: name, first row, head (None: computed here), notes, cells, native."""


def read_workbook(source: SourceFile) -> list[Sheet]:
    """Every worksheet of an XLSX/XLS file, hidden ones too; budgets checked before and after parsing."""
    is_zip = source.data.startswith(ZIP_MAGIC)
    if is_zip:
        _check_zip(source)
    work = (lambda: _read_xlsx(source)) if is_zip else (lambda: _read_xls(source))
    sheets = run_isolated(source.name, work, memory=WORKBOOK_MEMORY_BYTES, seconds=WORKBOOK_SECONDS)
    return [_sheet(source.name, *data) for data in sheets]


def _sheet(
    file_name: str,
    name: str,
    first_row: int,
    head: list[list[str | None]] | None,
    notes: list[str],
    cells: pa.RecordBatch,
    native: bool,
) -> Sheet:
    check_width(file_name, cells.num_columns, sheet=name)
    _check_cells(file_name, name, cells.num_rows, cells.num_columns)
    if head is None:  # fastexcel's text: from the first row holding anything
        first = _first_used_row(cells)
        if first is None:
            return ColumnsSheet(name, [], notes=notes)
        cells = cells.slice(first)
        head = [[native_text(cell) for cell in row.values()] for row in cells.slice(0, HEAD_ROWS).to_pylist()]
        first_row = first + 1
    return ColumnsSheet(name, head, first_row, notes, cells=cells, native=native)


def _check_cells(file_name: str, sheet: str | None, rows: int, columns: int) -> None:
    if rows * columns > MAX_CELLS:
        where = file_name + (f" [{sheet}]" if sheet else "")
        raise IngestError(
            f"{where}：使用范围有 {rows} 行 × {columns} 列（{rows * columns:,} 个单元格），超过上限 {MAX_CELLS:,} 个，"
            "未导入。请在 Excel 中删去多余的行列（或按月份拆分）后再导入。"
        )


# ---------------------------------------------------------------------------------------------
# Before parsing: the zip directory and the declared dimensions


def _check_zip(source: SourceFile) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as archive:
            members = archive.infolist()
            if not any(m.filename == "xl/workbook.xml" for m in members):
                raise UsageError(f"{source.name}：是 zip 压缩文件但不是 Excel 表格（.xlsx）。")
            expanded = sum(m.file_size for m in members)
            packed = max(sum(m.compress_size for m in members), 1)
            if expanded > MAX_INFLATED_BYTES or expanded / packed > MAX_INFLATE_RATIO:
                raise IngestError(
                    f"{source.name}：解压后有 {expanded / 1024 / 1024:.0f} MB（压缩比 {expanded / packed:.0f} 倍），"
                    f"超过上限（{MAX_INFLATED_BYTES // 1024 // 1024} MB、{MAX_INFLATE_RATIO} 倍），为安全起见未读取。"
                )
            for member in members:
                if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                    _check_dimension(source.name, archive, member)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise UsageError(f"{source.name}：文件已损坏，不是有效的 Excel 表格。") from None


def _check_dimension(file_name: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """The used range a worksheet declares at its top (`<dimension ref="A1:XFD1048576"/>`)."""
    with archive.open(member) as stream:
        top = stream.read(4096)
    found = _DIMENSION.search(top)
    if found is None or found.group(3) is None:
        return
    first_column, first_row, last_column, last_row = (g.decode("ascii") if g else None for g in found.groups())
    rows = int(last_row) - int(first_row or 1) + 1
    columns = _column_number(last_column) - _column_number(first_column or "A") + 1
    if columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        span = f"{(first_column or 'A')}{first_row or 1}:{last_column}{last_row}"
        raise IngestError(
            f"{file_name}：工作表 {member.filename.rsplit('/', 1)[-1]} 的使用范围是 {span}（{rows} 行 × {columns} 列），"
            f"超过上限（{MAX_COLUMNS} 列、{MAX_CELLS:,} 个单元格），未读取。请在 Excel 中删去多余的行列后另存再导入。"
        )


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


# ---------------------------------------------------------------------------------------------
# In the child


def _read_xlsx(source: SourceFile) -> list[_SheetData]:
    """fastexcel's read of every worksheet, while a thread counts what the members inflate to."""
    counting = _InflatedCount(source)
    counting.start()
    try:
        reader = fastexcel.read_excel(source.data)
    except Exception as exc:  # fastexcel raises several kinds for a file that is not a workbook
        counting.join()
        counting.check()
        raise UsageError(f"{source.name}：不是可读取的 Excel 表格文件（{type(exc).__name__}: {exc}）") from None
    sheets = [_read_worksheet(reader, name) for name in reader.sheet_names]
    counting.join()
    counting.check()
    return sheets


def _read_worksheet(reader: fastexcel.ExcelReader, name: str) -> _SheetData:
    """One worksheet from row 1: with `skip_rows=0` row `i` of the result is Excel row `i + 1`.

    Without a header row and without `skip_rows`, fastexcel (like calamine) starts at the first row
    holding a value and does not say which that is. The blank rows above the first used one are
    dropped in the parent (`_sheet`), as calamine's used range drops them.
    """
    try:
        cells = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string", eager=True)
    except Exception as exc:  # a damaged sheet: skipped (with why) like an unrecognised one
        return (
            name,
            1,
            [],
            [f"工作表无法读取（{type(exc).__name__}）"],
            pa.RecordBatch.from_arrays([], names=[]),
            True,
        )
    return (name, 1, None, [], cells, True)


def _first_used_row(cells: pa.RecordBatch) -> int | None:
    """Index of the first row with any cell that is not empty (an empty text counts, as in calamine)."""
    found = [pc.index(pc.is_valid(column), True).as_py() for column in cells.columns]
    return min((i for i in found if i >= 0), default=None)


class _InflatedCount(threading.Thread):
    """Inflate every member of the zip and count the bytes; stop at the budget or at a lie.

    Stops at the first member that inflates beyond what the zip directory declares for it, or when
    the whole file passes MAX_INFLATED_BYTES. zlib releases the GIL: this runs beside the parse.
    """

    def __init__(self, source: SourceFile) -> None:
        super().__init__(daemon=True)
        self.source = source
        self.problem: str | None = None

    def run(self) -> None:
        with suppress(OSError, AttributeError):  # Linux: yield the core to the parse when cores are short
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        try:
            self.problem = _inflation_problem(self.source.data)
        except (zipfile.BadZipFile, zlib.error, struct.error, ValueError):
            self.problem = "文件已损坏（压缩数据无法解开）"

    def check(self) -> None:
        if self.problem is not None:
            raise IngestError(f"{self.source.name}：{self.problem}，为安全起见未读取。")


def _inflation_problem(data: bytes) -> str | None:
    view = memoryview(data)
    total = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
    for member in members:
        if member.compress_type != zipfile.ZIP_DEFLATED:
            total += member.file_size
            continue
        header = _LOCAL_HEADER.unpack_from(data, member.header_offset)
        start = member.header_offset + _LOCAL_HEADER.size + header[-2] + header[-1]
        inflater = zlib.decompressobj(-15)
        produced = 0
        for offset in range(start, len(data), 1 << 16):
            produced += len(inflater.decompress(view[offset : offset + (1 << 16)]))
            if produced > member.file_size:
                return f"压缩包目录写着 {member.filename} 解压后 {member.file_size} 字节，实际更多（目录与内容不符）"
            if total + produced > MAX_INFLATED_BYTES:
                return f"解压后超过上限 {MAX_INFLATED_BYTES // 1024 // 1024} MB"
            if inflater.eof:
                break
        total += produced
    return None


# ---------------------------------------------------------------------------------------------
# .xls (BIFF), in the child


_ARROW_TYPES = {
    frozenset({str}): pa.string(),
    frozenset({float}): pa.float64(),
    frozenset({float, int}): pa.float64(),
    frozenset({int}): pa.float64(),
    frozenset({date}): pa.date32(),
    frozenset({datetime}): pa.timestamp("us"),
    frozenset({bool}): pa.bool_(),
}


def _arrow_column(column: np.ndarray) -> pa.Array:
    """A worksheet column for DuckDB: typed when its cells share one type (converted in C), else as text."""
    kinds = frozenset(map(type, column)) - {type(None)}
    if kinds <= {str}:  # text as it is: empty cells become NULL in SQL
        return pa.array(column, type=pa.string())
    values = column.copy()
    values[values == ""] = None  # calamine's empty cell, in a column of numbers
    kinds = frozenset(map(type, values)) - {type(None)}
    if kinds in _ARROW_TYPES:
        return pa.array(values, type=_ARROW_TYPES[kinds])
    return pa.array(cells_to_text(values), type=pa.string())


def _as_array(rows: list[list[object]], width: int) -> np.ndarray:
    """Rows of cells as a 2-D object array (columns are then cheap views)."""
    grid = np.array(rows, dtype=object) if rows else np.empty((0, width), dtype=object)
    if grid.ndim != 2:  # a cell numpy took for a sequence: place the cells one by one
        grid = np.empty((len(rows), width), dtype=object)
        grid[:, :] = rows
    return grid


def _read_xls(source: SourceFile) -> list[_SheetData]:
    """An .xls (OLE) workbook, read by python-calamine."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source.data))
    except Exception as exc:  # calamine raises several kinds for a file that is not a workbook
        raise UsageError(f"{source.name}：不是可读取的 Excel 表格文件（{type(exc).__name__}: {exc}）") from None
    with workbook:
        return [_read_calamine_sheet(workbook, name) for name in workbook.sheet_names]


def _read_calamine_sheet(workbook: python_calamine.CalamineWorkbook, name: str) -> _SheetData:
    empty = pa.RecordBatch.from_arrays([], names=[])
    try:
        sheet = workbook.get_sheet_by_name(name)
    except Exception as exc:  # a chart sheet, a damaged sheet: skipped (with why) like an unrecognised one
        return (name, 1, [], [f"工作表无法读取（{type(exc).__name__}）"], empty, False)
    if sheet.start is None:
        return (name, 1, [], [], empty, False)
    height, width = sheet.height, sheet.width
    if width > MAX_COLUMNS or height * width > MAX_CELLS:
        return (name, 1, [], [], pa.RecordBatch.from_arrays([pa.nulls(height)] * width, names=[""] * width), False)
    rows = sheet.to_python(skip_empty_area=True)
    grid = _as_array(rows, len(rows[0]) if rows else 0)
    head = [cells_to_text(grid[i]) for i in range(min(HEAD_ROWS, len(rows)))]
    columns = [_arrow_column(grid[:, j]) for j in range(grid.shape[1])]
    cells = pa.RecordBatch.from_arrays(columns, names=[f"c{j}" for j in range(len(columns))])
    return (name, sheet.start[0] + 1, head, [], cells, False)
