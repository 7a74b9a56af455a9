"""Read: a file's bytes → sheets of text cells, each cell where the user sees it in Excel.

Nothing here knows about ledgers. The container is recognised by its content, not its extension:
an XLSX or BIFF .xls (workbook.py, parsed in a child process), an HTML table or a calendar
(containers.py, ics.py), else text — CSV, tab-separated, UTF-16 "Unicode text", whatever the file is
called. A CSV becomes one sheet, which DuckDB reads itself (or Python's csv module, when DuckDB would
number rows wrong). Never a Python loop per row or per cell. Budgets (guards.py) are checked before
the expensive steps; a path is always taken literally (DuckDB would read `*`, `?`, `[` as a pattern).
"""

from __future__ import annotations

import codecs
import csv
import io
import mmap
import os
import re
import tempfile
import weakref
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
from charset_normalizer import from_bytes

from analytics.errors import IngestError, UsageError
from analytics.ingest import containers, ics
from analytics.ingest.guards import (
    MAX_CELL_CHARS,
    WORKBOOK_MEMORY_BYTES,
    WORKBOOK_SECONDS,
    cell_too_long,
    check_width,
    temp_prefix,
)
from analytics.ingest.isolated import run_isolated
from analytics.ingest.sheets import (
    BACKGROUND,
    HEAD_ROWS,
    READER,
    Build,
    Sheet,
    SourceFile,
    _blank_to_none,
    _hexdigest,
    _native_text_sql,
    _run_on_columns,
    cells_to_text,
    native_text,
)
from analytics.ingest.transcode import remove, transcode
from analytics.ingest.workbook import OLE_MAGIC, ZIP_MAGIC, read_workbook

__all__ = [  # what load.py, parse.py, the app and the tests import from here, wherever it now lives
    "BACKGROUND",
    "READER",
    "Sheet",
    "SourceFile",
    "_native_text_sql",
    "cells_to_text",
    "native_text",
    "read_workbook",
]

UPLOAD_LIMIT_BYTES = 200 * 1024 * 1024
"""Largest file accepted (the upload page's limit too)."""
_UTF8_PREFIX = 4 * 1024 * 1024
_PREFLIGHT_BYTES = 256 * 1024

TEXT_SUFFIXES = {"", ".csv", ".tsv", ".txt", ".xls", ".xlsx", ".xlsm", ".htm", ".html"}
"""Extensions a table saved as text arrives with (many OA systems send a CSV or an HTML table as .xls)."""
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
_GLOB = re.compile(r"[*?\[\]{}]")
"""Characters DuckDB reads as a pattern in a file name."""
_DETECTED = ["big5", "cp1252", "latin_1"]
"""What the detector may choose when a file is neither UTF-8, UTF-16 nor GB18030: encodings an office
in China plausibly receives (Big5 from Taiwan/Hong Kong, Windows-1252 from Western Europe)."""
# A blank line followed by more data: DuckDB's CSV reader drops blank lines, which would shift the
# row numbers the user sees; such files take the exact (slower) Python path.
_BLANK_LINE_BEFORE_DATA = re.compile(rb"\n[ \t\r]*\n(?=\s*\S)")

csv.field_size_limit(max(csv.field_size_limit(), UPLOAD_LIMIT_BYTES))
"""The csv module reads any cell; the budget (MAX_CELL_CHARS) is checked here, with a plain message."""


def check_source(source: Path | str | bytes, file_name: str | None = None) -> None:
    """Refuse a missing or oversized file, or a text file too wide, reading no more than its first rows.

    Runs before the database is opened: a CSV of 10,000 columns never takes the writer's lock.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        name = file_name or "上传的文件"
        _check_size(len(source), name)
        prefix = bytes(source[:_PREFLIGHT_BYTES])
    else:
        path = Path(source)
        if not path.is_file():
            raise UsageError(f"文件不存在：{path}")
        name = file_name or path.name
        _check_size(path.stat().st_size, name)
        try:
            with open(path, "rb") as handle:
                prefix = handle.read(_PREFLIGHT_BYTES)
        except OSError as exc:
            raise UsageError(f"{name}：无法读取（{exc.strerror or exc}）") from None
    markup = containers.is_html(prefix) or containers.is_spreadsheet_xml(prefix) or ics.is_calendar(prefix)
    if not prefix.startswith((ZIP_MAGIC, OLE_MAGIC)) and not markup:
        preflight_text(name, prefix)


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


def preflight_text(file_name: str, prefix: bytes) -> None:
    """A quick look at a text file's first rows before the database is opened: refuse one too wide.

    Decodes the prefix loosely (only the delimiters matter), takes the delimiter `sniff_delimiter`
    would, and counts the cells of the first rows: a CSV of 10,000 columns never takes the writer's lock.
    """
    if prefix.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = prefix.decode("utf-16", errors="replace")
    else:
        text = prefix.decode("utf-8", errors="replace")
    lines = text.splitlines()[: HEAD_ROWS + 1]
    sample = "\n".join(lines[:-1] if len(lines) > 1 and len(prefix) == _PREFLIGHT_BYTES else lines)
    with suppress(csv.Error):
        reader = csv.reader(io.StringIO(sample), delimiter=sniff_delimiter(sample))
        for number, row in enumerate(reader, start=1):
            check_width(file_name, len(row), number)


def _check_size(size: int, name: str) -> None:
    if size > UPLOAD_LIMIT_BYTES:
        raise IngestError(
            f"{name}：文件有 {size / 1024 / 1024:.0f} MB，超过上限 {UPLOAD_LIMIT_BYTES // 1024 // 1024} MB，未导入。"
            "请按月份或台账拆分后再导入。"
        )


# ---------------------------------------------------------------------------------------------
# CSV


@dataclass
class CsvSheet(Sheet):
    """A CSV file as UTF-8 bytes. DuckDB reads it (the original file when it already is UTF-8).

    A blank line below the header, or a row DuckDB cannot read, sends the file through Python's
    csv module instead: slower, but every row keeps the number Excel gives it.
    """

    file_name: str = ""
    utf8: bytes | None = None
    """The UTF-8 bytes, or None when they are only in `path` (a large file decoded from GB18030)."""
    path: Path | None = None
    """A file holding exactly the UTF-8 bytes, when there is one; else a temporary copy is written.
    Never a name DuckDB would read as a pattern (see `_literal_path`)."""
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
        text, _ = decode_text(self._bytes(), file_name=self.file_name)
        every = list(csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter))
        _check_quotes(self.file_name, text, self.delimiter, every)
        records = every[header_index + 1 :]
        width = max(len(row) for row in [*self.head, *records])
        check_width(self.file_name, width)
        columns = [_blank_to_none(np.array(column, dtype=object)) for column in zip_longest(*records)]
        columns += [[None] * len(records)] * (width - len(columns))
        for position, column in enumerate(columns):
            _check_cell_lengths(self.file_name, column, position, first_row=header_index + 2)
        arrays = [pa.array(column, type=pa.string()) for column in columns]
        _run_on_columns(con, arrays, build)


def _check_quotes(file_name: str, text: str, delimiter: str, records: list[list[str]]) -> None:
    """A quote opened and never closed swallows the rest of the file into one cell: name where it opened.

    An odd number of quotes is the cheap sign; a strict re-read confirms it ends inside a quoted cell.
    """
    if text.count('"') % 2 == 0 or not records:
        return
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return
        row, column = len(records), len(records[-1])
        raise IngestError(
            f'{file_name} 第{row}行 第{column}列：这一格的引号（"）没有配对，从这里到文件末尾都被读成了这一个单元格，'
            "未导入。请在这一格补上结尾的引号（或去掉开头的引号）后再导入。"
        ) from None


def _check_cell_lengths(file_name: str, column: list[str | None], position: int, first_row: int) -> None:
    """Refuse a cell longer than MAX_CELL_CHARS, naming its row and column."""
    longest = max(map(len, filter(None, column)), default=0)
    if longest <= MAX_CELL_CHARS:
        return
    index = next(i for i, cell in enumerate(column) if cell and len(cell) > MAX_CELL_CHARS)
    raise cell_too_long(file_name, first_row + index, position + 1, len(column[index] or ""))


def _literal_path(path: Path | None) -> Path | None:
    """`path` as DuckDB will read it literally: absolute (no `~`), or None (then a copy) when it has `*?[]{}`."""
    if path is None:
        return None
    absolute = path.absolute()
    return None if _GLOB.search(str(absolute)) else absolute


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
    handle, temp = tempfile.mkstemp(suffix=".csv", prefix=temp_prefix())
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(sheet._bytes())
        yield Path(temp)
    finally:
        os.unlink(temp)


def check_encoding(encoding: str, file_name: str | None = None) -> None:
    """A text encoding Python knows (not `rot13`, a text transform); else a UsageError naming the option."""
    where = f"{file_name}：" if file_name else ""
    try:
        known = codecs.lookup(encoding)._is_text_encoding  # type: ignore[attr-defined]
    except LookupError:
        known = False
    if not known:
        raise UsageError(f"{where}--encoding {encoding}：未知的文字编码（例如 utf-8、gb18030、utf-16、big5）")


def decode_text(data: bytes, encoding: str | None = None, *, file_name: str = "文件") -> tuple[str, str]:
    """Decode a text file's bytes; return (text, encoding name).

    Order (charset detectors alone misread short GBK files): the user's choice, a UTF-16 BOM,
    strict UTF-8 (with or without BOM), strict GB18030, then charset-normalizer, limited to the
    encodings of `_DETECTED` (left free it calls Windows-1252 text `cp775` and loads it garbled).
    A detected encoding is named `…（推测）` in the notes.
    """
    if encoding:
        check_encoding(encoding, file_name)
        try:
            return data.decode(encoding).removeprefix("\ufeff"), encoding
        except UnicodeDecodeError as exc:
            raise IngestError(
                f"{file_name}：不能按 {encoding} 解码（第 {exc.start} 字节）；请去掉 --encoding 让程序自动识别。"
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").removeprefix("\ufeff"), "UTF-16"
        except UnicodeDecodeError:
            pass
    for name, label in (("utf-8-sig", "UTF-8"), ("gb18030", "GB18030")):
        try:
            return data.decode(name), label
        except UnicodeDecodeError:
            continue
    best = from_bytes(data, cp_isolation=_DETECTED).best()
    if best is None:
        raise IngestError(
            f"{file_name}：无法识别文件的文字编码（不是 UTF-8、GB18030 或 UTF-16）；请在 Excel 中另存为“CSV UTF-8”或"
            " Excel 工作簿（.xlsx）后再导入（命令行也可用 --encoding 指定编码）。"
        )
    return str(best), f"{best.encoding}（推测）"


GUESSED_HINT = (
    "文件的文字编码是推测的（{encoding}），表头可能因此成了乱码：请在 Excel 中另存为“CSV UTF-8”后再导入，"
    "或用 --encoding 指定编码。"
)


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


def _head_records(text: str, delimiter: str, file_name: str) -> tuple[list[list[str | None]], list[int]]:
    """The first HEAD_ROWS records and the physical lines read up to each, from a prefix of the text."""
    size = 1 << 20
    while True:
        reader = csv.reader(io.StringIO(text[:size], newline=""), delimiter=delimiter)
        head, lines = [], []
        for row in reader:
            check_width(file_name, len(row), len(head) + 1)
            for position, cell in enumerate(row):
                if len(cell) > MAX_CELL_CHARS:
                    raise cell_too_long(file_name, len(head) + 1, position + 1, len(cell))
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
        text, encoding_name = decode_text(data, encoding, file_name=source.name)
    try:
        is_utf8 = encoding_name == "UTF-8" or codecs.lookup(encoding_name.removesuffix("（推测）")).name == "utf-8"
        delimiter = sniff_delimiter(text)
        head, lines = _head_records(text, delimiter, source.name)
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
        utf8, path = (data, _literal_path(source.path)) if is_utf8 else (text.encode("utf-8"), None)
    guessed = encoding_name.endswith("（推测）")
    hint = GUESSED_HINT.format(encoding=encoding_name.removesuffix("（推测）")) if guessed else ""
    return CsvSheet(
        None,
        head,
        1,
        notes,
        hint,
        file_name=source.name,
        utf8=utf8,
        path=path,
        delimiter=delimiter,
        head_lines=lines,
        temporary=transcoded is not None,
    )


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
    """The sheets of a file, by its content (an extension can lie); not a table → UsageError."""
    data = source.data
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return list(read_workbook(source))
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise UsageError(f"{source.name}：这是{kind}，不是表格文件（支持 .csv、.xlsx、.xls、.txt、.ics）。")
    if ics.is_calendar(data):
        return ics.read_calendar(source)
    if source.suffix not in TEXT_SUFFIXES and source.suffix != ".ics":
        raise UsageError(f"{source.name}：不支持的文件类型（支持 .csv、.xlsx、.xls、.txt、.ics）。")
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not utf16 and b"\x00" in data[:8192]:
        raise UsageError(f"{source.name}：是二进制文件，不是表格文件（支持 .csv、.xlsx、.xls、.txt、.ics）。")
    if containers.is_html(data):  # lxml holds the whole tree: parsed where running out of memory harms no one
        work = lambda: containers.read_html(source, encoding)  # noqa: E731
        return run_isolated(source.name, work, memory=WORKBOOK_MEMORY_BYTES, seconds=WORKBOOK_SECONDS)
    if containers.is_spreadsheet_xml(data):
        work = lambda: containers.read_spreadsheet_xml(source)  # noqa: E731
        return run_isolated(source.name, work, memory=WORKBOOK_MEMORY_BYTES, seconds=WORKBOOK_SECONDS)
    if source.suffix not in (".csv", ".tsv", "") and not _has_delimiter(data):
        kind = "Excel 表格" if source.suffix in (".xls", ".xlsx", ".xlsm") else "表格"
        raise UsageError(
            f"{source.name}：扩展名是 {source.suffix}，但内容不是{kind}，也不是逗号或制表符分隔的表格文本。"
        )
    return [read_csv(source, encoding)]


def _has_delimiter(data: bytes) -> bool:
    """The first lines hold a comma, tab or semicolon (in UTF-8/GBK or UTF-16)."""
    prefix = data[:8192].replace(b"\x00", b"")
    return any(d.encode() in prefix for d in _DELIMITERS)
