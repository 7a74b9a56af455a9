"""Budgets that every file must fit before the expensive steps, and the sweep of what killed loads left.

One place for the numbers. Each lets every legitimate ledger export through with room to spare (the
benchmark loads a 935k-row CSV and a 100k-row, 17-column XLSX) and refuses, with a plain message, the
files that would take the service down: a workbook whose used range reaches XFD1048576, a zip bomb,
a CSV 10,000 columns wide, a cell of megabytes.
"""

from __future__ import annotations

import os
import tempfile
import time
from contextlib import suppress
from pathlib import Path

from analytics.errors import IngestError
from analytics.ingest.messages import column_letter

MAX_COLUMNS = 500
"""Columns of one sheet (a ledger export has 5–60; each column is a few SQL expressions per row)."""
MAX_CELLS = 25_000_000
"""Cells of one worksheet's used range (rows × columns): Excel's 1,048,576 rows × 24 columns."""
MAX_CELL_CHARS = 32_767
"""Characters in one cell: Excel's own limit, so no export of a spreadsheet is refused."""
MAX_INFLATED_BYTES = 1024 * 1024 * 1024
"""Bytes a workbook may inflate to (counted while inflating, whatever its zip directory declares)."""
MAX_INFLATE_RATIO = 100
"""Declared inflated size over compressed size of a workbook."""
WORKBOOK_MEMORY_BYTES = 3 * 1024 * 1024 * 1024
"""Address space the process reading a workbook may add (calamine holds the used range in memory)."""
WORKBOOK_SECONDS = 60
"""Time the process reading a workbook may take (a 100k-row XLSX takes 1–3 s)."""
MAX_CALENDAR_OCCURRENCES = 20_000
"""Calendar entries one .ics may expand to (a busy GM's two years hold a few thousand; expanding costs ~0.3 ms each)."""
MAX_CALENDAR_BYTES = 20 * 1024 * 1024
"""Size of one .ics file (parsed in Python: a GM's calendar of several years is a few MB)."""
STALE_TEMP_SECONDS = 3600
"""A temporary file of a load this old, or whose process is gone, is left over: swept at start-up."""

TEMP_PREFIX = "ingest-"
"""Temporary files of a load are named `ingest-<pid>-…`, so a sweep can tell whether their owner lives."""


def temp_prefix() -> str:
    return f"{TEMP_PREFIX}{os.getpid()}-"


def check_width(file_name: str, width: int, row: int | None = None, sheet: str | None = None) -> None:
    """Refuse a sheet wider than MAX_COLUMNS before any SQL is built for it."""
    if width <= MAX_COLUMNS:
        return
    where = file_name + (f" [{sheet}]" if sheet else "") + (f" 第{row}行" if row else "")
    raise IngestError(
        f"{where}：有 {width} 列，超过上限 {MAX_COLUMNS} 列，未导入。台账导出一般不超过几十列；"
        "请检查文件是不是台账，或删去多余的列后再导入。"
    )


def cell_too_long(file_name: str, row: int, column: int, length: int | None = None) -> IngestError:
    """The error of a cell longer than MAX_CELL_CHARS (row as Excel numbers it, column from 1)."""
    size = f"有 {length} 个字符，" if length else ""
    return IngestError(
        f"{file_name} 第{row}行 列{column_letter(column - 1)}：单元格{size}超过上限 {MAX_CELL_CHARS} 个字符"
        "（Excel 单元格的上限），未导入。请检查该单元格（常见原因：引号没有配对，把后面的内容都并进了这一格）。"
    )


def sweep_stale_temp(originals: Path | None = None, now: float | None = None) -> list[Path]:
    """Remove what killed or failed loads left: `ingest-*` temporary files and `originals/*.part` copies.

    A file is left over when the process named in it is gone, or when it is older than
    STALE_TEMP_SECONDS (a name without a process id). Returns what was removed.
    """
    now = time.time() if now is None else now
    folders = [(Path(tempfile.gettempdir()), f"{TEMP_PREFIX}*")]
    if originals is not None:
        folders.append((originals, "*.part"))
    removed = []
    for folder, pattern in folders:
        with suppress(OSError):
            for path in folder.glob(pattern):
                if _left_over(path, now):
                    with suppress(OSError):
                        path.unlink()
                        removed.append(path)
    return removed


def _left_over(path: Path, now: float) -> bool:
    pid = _owner(path.name)
    if pid == os.getpid():
        return False
    if pid is not None and not _alive(pid):
        return True
    try:
        return now - path.stat().st_mtime > STALE_TEMP_SECONDS
    except OSError:
        return False


def _owner(name: str) -> int | None:
    """The process id in `ingest-<pid>-…` or `<sha>.<suffix>.<pid>.<thread>.part`, if any."""
    if name.startswith(TEMP_PREFIX):
        part = name[len(TEMP_PREFIX) :].split("-", 1)[0]
    elif name.endswith(".part"):
        pieces = name.split(".")
        part = pieces[-3] if len(pieces) >= 4 else ""
    else:
        return None
    return int(part) if part.isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True
