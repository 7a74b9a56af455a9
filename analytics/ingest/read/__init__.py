"""Read: a file's bytes → sheets of text cells, each cell where the user sees it in Excel.

Nothing here knows about ledgers. The container is recognised by its content, not its extension:
an XLSX or BIFF .xls (workbook.py, parsed in a child process), an HTML table or a calendar
(containers.py, ics.py), else delimited text (delimited.py) — CSV, tab-separated, UTF-16 "Unicode
text", whatever the file is called, decoded by the one encoding ladder (encoding.py). Where the file
comes from and the checks before reading it: source.py. Budgets (guards.py) are checked before the
expensive steps.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path

from analytics.errors import UsageError
from analytics.ingest import containers, ics
from analytics.ingest.guards import WORKBOOK_MEMORY_BYTES, WORKBOOK_SECONDS
from analytics.ingest.isolated import run_isolated
from analytics.ingest.read.delimited import _DELIMITERS, CsvSheet, read_csv, sniff_delimiter
from analytics.ingest.read.encoding import GUESSED_HINT, check_encoding, decode_text, has_utf16_bom
from analytics.ingest.read.source import (
    TEXT_SUFFIXES,
    UPLOAD_LIMIT_BYTES,
    check_source,
    open_source,
    preflight_text,
)
from analytics.ingest.sheets import (
    BACKGROUND,
    READER,
    Sheet,
    SourceFile,
    _native_text_sql,
    cells_to_text,
    native_text,
)
from analytics.ingest.workbook import OLE_MAGIC, ZIP_MAGIC, read_workbook

__all__ = [  # what load.py, parse.py, the app and the tests import from here, wherever it now lives
    "BACKGROUND",
    "GUESSED_HINT",
    "READER",
    "TEXT_SUFFIXES",
    "UPLOAD_LIMIT_BYTES",
    "CsvSheet",
    "Sheet",
    "SourceFile",
    "_native_text_sql",
    "cells_to_text",
    "check_encoding",
    "check_source",
    "close_sheets",
    "decode_text",
    "native_text",
    "open_source",
    "preflight_text",
    "read_csv",
    "read_file",
    "read_sheets",
    "read_workbook",
    "sniff_delimiter",
]

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
    if not has_utf16_bom(data) and b"\x00" in data[:8192]:
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
