"""CSV and other delimited text: one sheet, read by DuckDB (or Python's csv module when DuckDB would
number rows wrong). Never a Python loop per row or per cell; a path is always taken literally
(DuckDB would read `*`, `?`, `[` as a pattern).
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
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from analytics.errors import IngestError
from analytics.ingest.guards import MAX_CELL_CHARS, cell_too_long, check_width, temp_prefix
from analytics.ingest.read.encoding import GUESSED_HINT, decode_large, decode_text
from analytics.ingest.sheets import (
    BACKGROUND,
    HEAD_ROWS,
    Build,
    Sheet,
    SourceFile,
    _blank_to_none,
    _run_on_columns,
)
from analytics.ingest.transcode import remove

_DELIMITERS = (",", "\t", ";")
_GLOB = re.compile(r"[*?\[\]{}]")
"""Characters DuckDB reads as a pattern in a file name."""
# A blank line followed by more data: DuckDB's CSV reader drops blank lines, which would shift the
# row numbers the user sees; such files take the exact (slower) Python path.
_BLANK_LINE_BEFORE_DATA = re.compile(rb"\n[ \t\r]*\n(?=\s*\S)")


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


def read_csv(source: SourceFile, encoding: str | None = None) -> CsvSheet:
    """A CSV file as one sheet; blank lines count as rows, as they do in Excel.

    A large file whose first MB are UTF-8 is not decoded here: DuckDB checks the rest as it reads
    (and a file that turns out not to be UTF-8 takes the exact path, which decodes it whole). A large
    GB18030 file is decoded into a temporary UTF-8 file (transcode.py), which DuckDB reads.
    """
    data = source.data
    large = decode_large(data, encoding)
    if large is not None:
        text, encoding_name, transcoded = large
    else:
        (text, encoding_name), transcoded = decode_text(data, encoding, file_name=source.name), None
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
