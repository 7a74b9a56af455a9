"""Read: a file's bytes → sheets of text cells, each cell where the user sees it in Excel.

Nothing here knows about ledgers. A CSV becomes one sheet, an XLSX one sheet per worksheet. A sheet
gives its first rows (for header detection) and hands the rows below a chosen header row to one SQL
statement as VARCHAR cells in sheet order: DuckDB reads a CSV itself; fastexcel reads a worksheet
into Arrow with every cell already text, which goes to DuckDB as it is (an .xls file is read by
python-calamine, column by column). Never a Python loop per row or per cell. Size and zip-bomb
guards run before any parsing.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import mmap
import os
import re
import tempfile
import weakref
import zipfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from itertools import repeat, zip_longest
from pathlib import Path

import duckdb
import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine
from charset_normalizer import from_bytes

from analytics.errors import IngestError, UsageError
from analytics.ingest.transcode import remove, transcode
from analytics.ingest.validate import sql_literal

UPLOAD_LIMIT_BYTES = 200 * 1024 * 1024
"""Largest file accepted (the upload page's limit too)."""
XLSX_MAX_UNCOMPRESSED = 1024 * 1024 * 1024
XLSX_MAX_RATIO = 100
HEAD_ROWS = 10
"""The header row is looked for within this many rows from the top."""
_UTF8_PREFIX = 4 * 1024 * 1024

CSV_SUFFIXES = {".csv", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGIC = {
    b"\x89PNG": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"GIF8": "GIF 图片",
    b"%PDF": "PDF 文档",
    b"\x1f\x8b": "gzip 压缩包",
    b"Rar!": "RAR 压缩包",
    b"7z\xbc\xaf": "7z 压缩包",
    b"PK\x05\x06": "空的 zip 压缩包",
}
_DELIMITERS = (",", "\t", ";")
# A blank line followed by more data: DuckDB's CSV reader drops blank lines, which would shift the
# row numbers the user sees; such files take the exact (slower) Python path.
_BLANK_LINE_BEFORE_DATA = re.compile(rb"\n[ \t\r]*\n(?=\s*\S)")


BACKGROUND = ThreadPoolExecutor(max_workers=2, thread_name_prefix="ingest")
"""Work that runs beside fastexcel and DuckDB (which leave a core free at times): hashing a file's
bytes, copying the original (hashlib and file copies release the GIL)."""
READER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-read")
"""Reads a file (bytes, decoding, worksheets: all release the GIL) while the loader opens the database."""


@dataclass(frozen=True)
class SourceFile:
    """The bytes of one file as the user gave it."""

    name: str
    data: bytes
    path: Path | None = None
    stat: tuple[int, int] | None = None
    """`path`'s size and modification time when `data` was read."""
    digest: Future[str] | None = field(default=None, compare=False, repr=False)
    """The SHA-256 of `data`, being computed in the background."""

    @cached_property
    def sha256(self) -> str:
        return self.digest.result() if self.digest is not None else hashlib.sha256(self.data).hexdigest()

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    def on_disk_as_read(self) -> bool:
        """`path` still holds `data` (same size and modification time), so it can be copied instead."""
        if self.path is None or self.stat is None:
            return False
        try:
            now = self.path.stat()
        except OSError:
            return False
        return (now.st_size, now.st_mtime_ns) == self.stat


def _hexdigest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_source(source: Path | str | bytes, file_name: str | None = None) -> None:
    """Refuse a missing or oversized file, reading nothing."""
    if isinstance(source, bytes | bytearray | memoryview):
        _check_size(len(source), file_name or "上传的文件")
        return
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"文件不存在：{path}")
    _check_size(path.stat().st_size, path.name)


def open_source(source: Path | str | bytes, file_name: str | None = None) -> SourceFile:
    """Take a path or uploaded bytes; refuse a missing or oversized file before reading it."""
    check_source(source, file_name)
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        return SourceFile(file_name or "上传的文件", data, digest=BACKGROUND.submit(_hexdigest, data))
    path = Path(source)
    before = path.stat()
    data = path.read_bytes()
    stat = (before.st_size, before.st_mtime_ns) if len(data) == before.st_size else None
    return SourceFile(file_name or path.name, data, path, stat, BACKGROUND.submit(_hexdigest, data))


def _check_size(size: int, name: str) -> None:
    if size > UPLOAD_LIMIT_BYTES:
        raise IngestError(
            f"{name}：文件有 {size / 1024 / 1024:.0f} MB，超过上限 {UPLOAD_LIMIT_BYTES // 1024 // 1024} MB，未导入。"
            "请按月份或台账拆分后再导入。"
        )


Build = Callable[[str, int], str]
"""Given a FROM item with columns `c0 … c{width-1}` (VARCHAR), one row per sheet row below the header
in sheet order, and the width: the statement to run (it keeps the order: see parse.py)."""


@dataclass
class Sheet:
    """One table of text cells: a CSV file or one XLSX worksheet.

    `head` holds the first rows as text (None for an empty cell); `head[i]` is the row the user
    sees as `first_row + i` in Excel. `run` hands the rows below a header row to a SQL statement.
    """

    name: str | None
    head: list[list[str | None]]
    first_row: int = 1
    notes: list[str] = field(default_factory=list)

    def run(self, con: duckdb.DuckDBPyConnection, header_index: int, build: Build) -> None:
        """Run `build(cells, width)` where `cells` yields the rows below `head[header_index]`, in order.

        Every row below the header is there, blank ones too, so the n-th (from 0) is the row Excel
        shows as `header_row(header_index) + 1 + n`.
        """
        raise NotImplementedError

    def header_row(self, header_index: int) -> int:
        return self.first_row + header_index

    def close(self) -> None:
        """Remove whatever the sheet keeps outside memory (a temporary file); nothing for most."""


_AS_TEXT = {
    pa.float64(): "case when {c} = trunc({c}) and abs({c}) < 1e15 then {c}::bigint::varchar else {c}::varchar end",
    pa.date32(): "{c}::varchar",
    pa.timestamp("us"): "{c}::varchar",
    pa.bool_(): "case when {c} then 'TRUE' when not {c} then 'FALSE' end",
}
"""SQL giving a typed cell the text cells_to_text would give it (`12` for 12.0, ISO dates)."""


def _run_on_columns(con: duckdb.DuckDBPyConnection, columns: Sequence[pa.Array], build: Build) -> None:
    """Run a statement over columns held in Python (equal lengths), through Arrow; cells become text in SQL."""
    arrow = pa.table({f"c{i}": column for i, column in enumerate(columns)})
    texts = ", ".join(
        _AS_TEXT.get(column.type, "{c}").format(c=f"c{i}") + f" as c{i}" for i, column in enumerate(columns)
    )
    con.register("sheet_cells", arrow)
    try:
        con.execute(build(f"(select {texts} from sheet_cells)", len(columns)))
    finally:
        con.unregister("sheet_cells")


# ---------------------------------------------------------------------------------------------
# CSV


@dataclass
class CsvSheet(Sheet):
    """A CSV file as UTF-8 bytes. DuckDB reads it (the original file when it already is UTF-8).

    A blank line below the header, or a row DuckDB cannot read, sends the file through Python's
    csv module instead: slower, but every row keeps the number Excel gives it.
    """

    utf8: bytes | None = None
    """The UTF-8 bytes, or None when they are only in `path` (a large file decoded from GB18030)."""
    path: Path | None = None
    """A file holding exactly the UTF-8 bytes, when there is one; else a temporary copy is written."""
    delimiter: str = ","
    head_lines: list[int] = field(default_factory=list)
    """Physical lines read up to and including each head row (quoted cells may span lines)."""
    temporary: bool = False
    """`path` is ours (a transcoded copy): removed by `close`, or when the sheet is collected."""

    def __post_init__(self) -> None:
        if self.temporary and self.path is not None:
            weakref.finalize(self, remove, self.path)

    def close(self) -> None:
        if self.temporary and self.path is not None:
            remove(self.path)

    def run(self, con: duckdb.DuckDBPyConnection, header_index: int, build: Build) -> None:
        skip = self.head_lines[header_index]
        # DuckDB's skip= counts records: a head row spanning lines (a quoted line break) would skip data.
        if skip == header_index + 1:
            blank_line = BACKGROUND.submit(self._blank_line_below, skip)  # looked for while DuckDB reads
            width = max((len(row) for row in self.head), default=1)
            with _utf8_file(self) as path:
                for parallel in (True, False):
                    try:
                        con.execute(build(self._read_csv(path, skip, width, parallel=parallel), width))
                    except duckdb.Error as exc:  # e.g. a quoted line break in a cell (Alt+Enter in Excel)
                        if "parallel" not in str(exc) or not parallel:
                            break  # a row DuckDB cannot read as it is: Python's csv module below
                        continue
                    if not blank_line.result():
                        return
                    break  # DuckDB dropped a blank line: the rows below it would be numbered wrong
        self._run_with_python(con, header_index, build)

    def _blank_line_below(self, skip: int) -> bool:
        """A blank line after physical line `skip` and before more data (DuckDB would drop it)."""
        if self.utf8 is not None:
            return _BLANK_LINE_BEFORE_DATA.search(self.utf8, _line_offset(self.utf8, skip)) is not None
        assert self.path is not None
        with open(self.path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return _BLANK_LINE_BEFORE_DATA.search(data, _line_offset(data, skip)) is not None

    def _bytes(self) -> bytes:
        if self.utf8 is not None:
            return self.utf8
        assert self.path is not None
        return self.path.read_bytes()

    def _read_csv(self, path: Path, skip: int, width: int, *, parallel: bool) -> str:
        columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
        literal = str(path).replace("'", "''")
        delimiter = self.delimiter.replace("'", "''")
        # Read in parallel; DuckDB keeps the file's order (insertion order is preserved).
        return (
            f"read_csv('{literal}', auto_detect=false, columns={columns}, header=false, delim='{delimiter}', "
            f"quote='\"', escape='\"', null_padding=true, skip={skip}, comment='', encoding='utf-8', "
            f"parallel={str(parallel).lower()})"
        )

    def _run_with_python(self, con: duckdb.DuckDBPyConnection, header_index: int, build: Build) -> None:
        text, _ = decode_text(self._bytes())
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter))[header_index + 1 :]
        width = max(len(row) for row in [*self.head, *records])
        columns = [_blank_to_none(np.array(column, dtype=object)) for column in zip_longest(*records)]
        columns += [[None] * len(records)] * (width - len(columns))
        arrays = [pa.array(column, type=pa.string()) for column in columns]
        _run_on_columns(con, arrays, build)


def _line_offset(data: bytes | mmap.mmap, lines: int) -> int:
    """Byte offset of the start of physical line `lines` (0-based)."""
    offset = 0
    for _ in range(lines):
        found = data.find(b"\n", offset)
        if found < 0:
            return len(data)
        offset = found + 1
    return offset


@contextmanager
def _utf8_file(sheet: CsvSheet) -> Iterator[Path]:
    """The sheet's bytes as a file DuckDB can read: the original when there is one."""
    if sheet.path is not None:
        yield sheet.path
        return
    handle, temp = tempfile.mkstemp(suffix=".csv", prefix="ingest-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(sheet._bytes())
        yield Path(temp)
    finally:
        os.unlink(temp)


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode a CSV's bytes; return (text, encoding name).

    Order (charset detectors alone misread short GBK files): the user's choice, a UTF-16 BOM,
    strict UTF-8 (with or without BOM), strict GB18030, then charset-normalizer.
    """
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(f"未知的编码：{encoding}（例如 utf-8、gb18030、utf-16）") from None
        try:
            return data.decode(encoding).removeprefix("\ufeff"), encoding
        except UnicodeDecodeError as exc:
            raise IngestError(
                f"文件不能按 {encoding} 解码（第 {exc.start} 字节）；请去掉 --encoding 让程序自动识别。"
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16").removeprefix("\ufeff"), "UTF-16"
    for name, label in (("utf-8-sig", "UTF-8"), ("gb18030", "GB18030")):
        try:
            return data.decode(name), label
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise IngestError(
            "无法识别文件的文字编码（不是 UTF-8、GB18030 或 UTF-16）；请在 Excel 中另存为“CSV UTF-8”或 Excel 工作簿"
            "（.xlsx）后再导入（命令行也可用 --encoding 指定编码）。"
        )
    return str(best), best.encoding


def sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon: the one that splits the first lines into the most consistent columns."""
    sample = "\n".join(text[:65536].splitlines()[:30])
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        widths = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if row]
        multi = [w for w in widths if w > 1]
        if not multi:
            continue
        common = max(set(multi), key=multi.count)
        score = (multi.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _head_records(text: str, delimiter: str) -> tuple[list[list[str | None]], list[int]]:
    """The first HEAD_ROWS records and the physical lines read up to each, from a prefix of the text."""
    size = 1 << 20
    while True:
        reader = csv.reader(io.StringIO(text[:size], newline=""), delimiter=delimiter)
        head, lines = [], []
        for row in reader:
            head.append([cell if cell.strip() else None for cell in row])
            lines.append(reader.line_num)
            if len(head) > HEAD_ROWS:
                return head[:HEAD_ROWS], lines[:HEAD_ROWS]
        if size >= len(text):
            return head, lines
        size *= 4


def _utf8_prefix(data: bytes) -> str | None:
    """The first few MB decoded as strict UTF-8, or None if they are not UTF-8."""
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(data[:_UTF8_PREFIX], final=False)
    except UnicodeDecodeError:
        return None


def read_csv(source: SourceFile, encoding: str | None = None) -> CsvSheet:
    """A CSV file as one sheet; blank lines count as rows, as they do in Excel.

    A large file whose first MB are UTF-8 is not decoded here: DuckDB checks the rest as it reads
    (and a file that turns out not to be UTF-8 takes the exact path, which decodes it whole). A large
    GB18030 file is decoded into a temporary UTF-8 file (transcode.py), which DuckDB reads.
    """
    data = source.data
    large = encoding is None and len(data) > _UTF8_PREFIX
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    prefix = _utf8_prefix(data) if large else None
    transcoded = transcode(data, "gb18030") if large and prefix is None and not utf16 else None
    if prefix is not None and not utf16:
        text, encoding_name = prefix, "UTF-8"
    elif transcoded is not None:  # what decode_text does, a chunk at a time: not UTF-8, strict GB18030
        text, encoding_name = transcoded[1], "GB18030"
    else:
        text, encoding_name = decode_text(data, encoding)
    try:
        is_utf8 = codecs.lookup(encoding_name).name == "utf-8"
        delimiter = sniff_delimiter(text)
        head, lines = _head_records(text, delimiter)
    except BaseException:
        if transcoded is not None:
            remove(transcoded[0])
        raise
    notes = [] if is_utf8 else [f"编码：{encoding_name}"]
    if delimiter != ",":
        notes.append("分隔符：" + {"\t": "制表符", ";": "分号"}[delimiter])
    if transcoded is not None:
        utf8, path = None, transcoded[0]
    else:
        utf8, path = (data, source.path) if is_utf8 else (text.encode("utf-8"), None)
    return CsvSheet(
        None,
        head,
        1,
        notes,
        utf8=utf8,
        path=path,
        delimiter=delimiter,
        head_lines=lines,
        temporary=transcoded is not None,
    )


# ---------------------------------------------------------------------------------------------
# XLSX


_NATIVE_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{3})?")
_TIME_ONLY_DAY = "1899-12-31 "
"""The day fastexcel gives a time-only cell (Excel serial 0): `1899-12-31 09:30:00` is `09:30:00`."""
_ARROW_CHUNK_ROWS = 16_384
"""Worksheet rows per Arrow batch: DuckDB scans batches in parallel (and keeps their order)."""


def native_text(cell: str | None) -> str | None:
    """A worksheet cell's text as the calamine reader wrote it: `2026-01-05`, not `2026-01-05 00:00:00`.

    fastexcel writes a native date/time cell as `YYYY-MM-DD HH:MM:SS[.mmm]`; a time-only cell is on
    1899-12-31. Midnight becomes the date, a time-only cell its time, milliseconds microseconds
    (as `datetime.isoformat` writes them); an empty text is no value. `_native_text_sql` is the same in SQL.
    """
    if not cell:
        return None
    if len(cell) in (19, 23) and _NATIVE_DATETIME.fullmatch(cell):
        micro = "000" if len(cell) == 23 else ""
        if cell.startswith(_TIME_ONLY_DAY):
            return cell[len(_TIME_ONLY_DAY) :] + micro
        if not micro and cell.endswith(" 00:00:00"):
            return cell[:10]
        return cell + micro
    return cell


def _native_text_sql(cell: str) -> str:
    """`native_text` in SQL. Most cells fail the first, cheap tests (length, prefix, suffix)."""
    native = f"regexp_full_match({cell}, {sql_literal(_NATIVE_DATETIME.pattern)})"
    time_only = f"prefix({cell}, {sql_literal(_TIME_ONLY_DAY)})"
    time = f"substr({cell}, {len(_TIME_ONLY_DAY) + 1})"
    return (
        f"case when strlen({cell}) = 19 and {time_only} and {native} then {time} "
        f"when strlen({cell}) = 19 and suffix({cell}, ' 00:00:00') and {native} then left({cell}, 10) "
        f"when strlen({cell}) = 23 and {native} then (case when {time_only} then {time} else {cell} end) || '000' "
        f"else {cell} end"
    )


@dataclass
class ExcelSheet(Sheet):
    """One worksheet as fastexcel reads it: every cell text (None when empty), one Arrow column each.

    Numbers are written as Excel shows them (`12`, `4.5`, at most nine decimals), booleans `true` /
    `false`, dates and times as `native_text` says.
    """

    cells: pa.RecordBatch = field(default_factory=lambda: pa.RecordBatch.from_arrays([], names=[]))
    """The used range, one string column per sheet column (fastexcel names them `__UNNAMED__0`…)."""

    def run(self, con: duckdb.DuckDBPyConnection, header_index: int, build: Build) -> None:
        width = self.cells.num_columns
        body = pa.Table.from_batches([self.cells.slice(header_index + 1)])
        body = body.rename_columns([f"c{i}" for i in range(width)])
        arrow = pa.Table.from_batches(body.to_batches(max_chunksize=_ARROW_CHUNK_ROWS), schema=body.schema)
        texts = ", ".join(f"{_native_text_sql(f'c{i}')} as c{i}" for i in range(width))
        con.register("sheet_cells", arrow)
        try:
            con.execute(build(f"(select {texts} from sheet_cells)", width))
        finally:
            con.unregister("sheet_cells")


@dataclass
class CalamineSheet(Sheet):
    """One worksheet of an .xls file, read by python-calamine; cells become text column by column."""

    grid: np.ndarray = field(default_factory=lambda: np.empty((0, 0), dtype=object))
    """The used range's cells as calamine gives them (str, float, int, bool, date, datetime, time)."""

    def run(self, con: duckdb.DuckDBPyConnection, header_index: int, build: Build) -> None:
        body = self.grid[header_index + 1 :]
        columns = [_arrow_column(body[:, j]) for j in range(body.shape[1])]
        _run_on_columns(con, columns, build)


def _floats_to_text(values: np.ndarray) -> np.ndarray:
    numbers = values.astype(float)
    whole = np.isfinite(numbers) & (numbers == np.trunc(numbers)) & (np.abs(numbers) < 1e15)
    text = numbers.astype(str).astype(object)
    text[whole] = numbers[whole].astype(np.int64).astype(str)
    return text


def _each(convert: Callable[..., str], *arguments: object) -> Callable[[np.ndarray], list[str]]:
    """Apply a C-level method to every value (map: no Python frame per cell)."""
    return lambda values: list(map(convert, values, *(repeat(a, len(values)) for a in arguments)))


_CELL_TEXT: dict[type, Callable[[np.ndarray], Sequence[object]]] = {
    float: _floats_to_text,
    bool: lambda values: np.where(values.astype(bool), "TRUE", "FALSE").astype(object),
    datetime: _each(datetime.isoformat, " "),
    date: _each(date.isoformat),
    time: _each(time.isoformat),
}


def _blank_to_none(values: np.ndarray) -> list[str | None]:
    values[values == ""] = None
    return values.tolist()


def cells_to_text(column: np.ndarray) -> list[str | None]:
    """One worksheet column (an object array) → text, a type at a time: `12` not `12.0`, ISO dates."""
    values = column.copy()
    kinds = np.fromiter(map(type, values), dtype=object, count=len(values))
    for kind in set(kinds.tolist()) - {str, type(None)}:
        mask = kinds == kind
        values[mask] = _CELL_TEXT.get(kind, _each(str))(values[mask])
    return _blank_to_none(values)


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
    values[values == ""] = None  # calamine's empty cell, in a column of numbers or dates
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


def read_workbook(source: SourceFile) -> list[Sheet]:
    """Every worksheet of an XLSX/XLS file, hidden ones too; refuses zip bombs before parsing."""
    if not source.data.startswith(_ZIP_MAGIC):
        return _read_xls(source)
    _check_zip(source)
    try:
        reader = fastexcel.read_excel(source.data)
    except Exception as exc:  # fastexcel raises several kinds for a file that is not a workbook
        raise UsageError(f"{source.name}：不是可读取的 Excel 表格文件（{type(exc).__name__}: {exc}）") from None
    return [_read_worksheet(reader, name) for name in reader.sheet_names]


def _read_worksheet(reader: fastexcel.ExcelReader, name: str) -> Sheet:
    """One worksheet from its first used row: `skip_rows=0` makes fastexcel start at row 1.

    Without a header row and without `skip_rows`, fastexcel (like calamine) starts at the first row
    holding a value and does not say which that is; with `skip_rows=0` it reads from row 1 of the
    sheet (calamine's `HeaderRow::Row(0)`), so row `i` of the result is Excel row `i + 1`. The
    blank rows above the first used one are then dropped here, as calamine's used range drops them.
    """
    try:
        cells = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string", eager=True)
    except Exception as exc:  # a damaged sheet: skipped (with why) like an unrecognised one
        return ExcelSheet(name, [], notes=[f"工作表无法读取（{type(exc).__name__}）"])
    first = _first_used_row(cells)
    if first is None:
        return ExcelSheet(name, [])
    cells = cells.slice(first)
    head = [[native_text(cell) for cell in row.values()] for row in cells.slice(0, HEAD_ROWS).to_pylist()]
    return ExcelSheet(name, head, first + 1, cells=cells)


def _first_used_row(cells: pa.RecordBatch) -> int | None:
    """Index of the first row with any cell that is not empty (an empty text counts, as in calamine)."""
    found = [pc.index(pc.is_valid(column), True).as_py() for column in cells.columns]
    return min((i for i in found if i >= 0), default=None)


def _read_xls(source: SourceFile) -> list[Sheet]:
    """An .xls (OLE) workbook, read by python-calamine."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source.data))
    except Exception as exc:  # calamine raises several kinds for a file that is not a workbook
        raise UsageError(f"{source.name}：不是可读取的 Excel 表格文件（{type(exc).__name__}: {exc}）") from None
    with workbook:
        return [_read_calamine_sheet(workbook, name) for name in workbook.sheet_names]


def _read_calamine_sheet(workbook: python_calamine.CalamineWorkbook, name: str) -> Sheet:
    try:
        sheet = workbook.get_sheet_by_name(name)
    except Exception as exc:  # a chart sheet, a damaged sheet: skipped (with why) like an unrecognised one
        return CalamineSheet(name, [], notes=[f"工作表无法读取（{type(exc).__name__}）"])
    rows = sheet.to_python(skip_empty_area=True) if sheet.start is not None else []
    first_row = sheet.start[0] + 1 if sheet.start is not None else 1
    grid = _as_array(rows, len(rows[0]) if rows else 0)
    head = [cells_to_text(grid[i]) for i in range(min(HEAD_ROWS, len(rows)))]
    return CalamineSheet(name, head, first_row, grid=grid)


def _check_zip(source: SourceFile) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise UsageError(f"{source.name}：文件已损坏，不是有效的 Excel 表格。") from None
    if not any(m.filename == "xl/workbook.xml" for m in members):
        raise UsageError(f"{source.name}：是 zip 压缩文件但不是 Excel 表格（.xlsx）。")
    expanded = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    if expanded > XLSX_MAX_UNCOMPRESSED or expanded / packed > XLSX_MAX_RATIO:
        raise IngestError(
            f"{source.name}：解压后有 {expanded / 1024 / 1024:.0f} MB（压缩比 {expanded / packed:.0f} 倍），"
            f"超过上限（{XLSX_MAX_UNCOMPRESSED // 1024 // 1024} MB、{XLSX_MAX_RATIO} 倍），为安全起见未读取。"
        )


# ---------------------------------------------------------------------------------------------


def read_file(
    source: Path | str | bytes, file_name: str | None = None, encoding: str | None = None
) -> tuple[SourceFile, list[Sheet]]:
    """`open_source`, then `read_sheets`: everything a load does with the file before the database."""
    opened = open_source(source, file_name)
    return opened, read_sheets(opened, encoding)


def close_sheets(reading: Future[tuple[SourceFile, list[Sheet]]]) -> None:
    """Remove what the sheets of a read that will not be used keep outside memory (once it has ended)."""
    if not reading.cancelled() and reading.exception() is None:
        for sheet in reading.result()[1]:
            sheet.close()


def read_sheets(source: SourceFile, encoding: str | None = None) -> list[Sheet]:
    """The sheets of a file, by its content (an extension can lie); not a spreadsheet → UsageError."""
    data = source.data
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return list(read_workbook(source))
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise UsageError(f"{source.name}：这是{kind}，不是表格文件（支持 .csv、.xlsx）。")
    if source.suffix in EXCEL_SUFFIXES:
        raise UsageError(f"{source.name}：扩展名是 {source.suffix}，但内容不是 Excel 表格。")
    if source.suffix and source.suffix not in CSV_SUFFIXES:
        raise UsageError(f"{source.name}：不支持的文件类型（支持 .csv、.xlsx）。")
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not utf16 and b"\x00" in data[:8192]:
        raise UsageError(f"{source.name}：是二进制文件，不是表格文件（支持 .csv、.xlsx）。")
    return [read_csv(source, encoding)]
