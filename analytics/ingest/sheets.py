"""Sheets: what every reader hands on — a file's bytes as the user gave them, and tables of text cells.

A sheet gives its first rows (for header detection) and hands the rows below a chosen header row to
one SQL statement as VARCHAR cells in sheet order. CSV sheets live in read/delimited.py; workbooks, HTML tables
and calendars give a `ColumnsSheet`: Arrow columns, typed or text, turned into text in SQL.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from itertools import repeat
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from analytics.ingest.validate import sql_literal

HEAD_ROWS = 10
"""The header row is looked for within this many rows from the top."""

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
    hint: str = ""
    """Said when no header is recognised (e.g. the encoding was only guessed)."""

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
class ColumnsSheet(Sheet):
    """A sheet held as Arrow columns of equal length (the used range from its first row).

    A text column is taken as it is, except with `native` (fastexcel's text of a worksheet), where
    a native date/time cell's text becomes what `native_text` says; typed columns become text in SQL
    as `cells_to_text` would write them.
    """

    cells: pa.RecordBatch = field(default_factory=lambda: pa.RecordBatch.from_arrays([], names=[]))
    native: bool = False

    def run(self, con: duckdb.DuckDBPyConnection, header_index: int, build: Build) -> None:
        width = self.cells.num_columns
        body = pa.Table.from_batches([self.cells.slice(header_index + 1)])
        body = body.rename_columns([f"c{i}" for i in range(width)])
        arrow = pa.Table.from_batches(body.to_batches(max_chunksize=_ARROW_CHUNK_ROWS), schema=body.schema)
        texts = ", ".join(f"{self._text_sql(f'c{i}', column.type)} as c{i}" for i, column in enumerate(body.columns))
        con.register("sheet_cells", arrow)
        try:
            con.execute(build(f"(select {texts} from sheet_cells)", width))
        finally:
            con.unregister("sheet_cells")

    def _text_sql(self, cell: str, kind: pa.DataType) -> str:
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            return _native_text_sql(cell) if self.native else cell
        return _AS_TEXT.get(kind, "{c}::varchar").format(c=cell)


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
