"""Where a file comes from: a path or uploaded bytes, refused early when missing, too large or too wide.

Runs before the database is opened: a CSV of 10,000 columns never takes the writer's lock.
"""

from __future__ import annotations

import csv
import io
from contextlib import suppress
from pathlib import Path

from analytics.errors import IngestError, UsageError
from analytics.ingest import containers, ics
from analytics.ingest.guards import check_width
from analytics.ingest.read.delimited import sniff_delimiter
from analytics.ingest.read.encoding import has_utf16_bom
from analytics.ingest.sheets import BACKGROUND, HEAD_ROWS, SourceFile, _hexdigest
from analytics.ingest.workbook import OLE_MAGIC, ZIP_MAGIC

UPLOAD_LIMIT_BYTES = 200 * 1024 * 1024
"""Largest file accepted (the upload page's limit too)."""
_UTF8_PREFIX = 4 * 1024 * 1024
_PREFLIGHT_BYTES = 256 * 1024
TEXT_SUFFIXES = {"", ".csv", ".tsv", ".txt", ".xls", ".xlsx", ".xlsm", ".htm", ".html"}
"""Extensions a table saved as text arrives with (many OA systems send a CSV or an HTML table as .xls)."""

csv.field_size_limit(max(csv.field_size_limit(), UPLOAD_LIMIT_BYTES))
"""The csv module reads any cell; the budget (MAX_CELL_CHARS) is checked where cells are read, with a plain message."""


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
    if has_utf16_bom(prefix):
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
