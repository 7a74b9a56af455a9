"""Markup sent as .xls: an HTML table (what 通达OA, 泛微 and many other OA systems send as an "Excel"
export), or an Excel 2003 XML Spreadsheet (what Java systems' FreeMarker templates write).

The server writes an HTML page (`<table>`, `<tr>`, `<td>`, sometimes `<meta charset=gb2312>` or GBK
bytes with no declaration) and names it `.xls`; Excel opens it with a warning. Each `<table>` is a
sheet (a table nested in a layout table too): its own rows in order, a cell's `colspan` keeping the
cells to its right in their columns, markup inside a cell (`<font color=red>已超时</font>`) dropped,
`<br>` a line break, `&nbsp;` a space. An XML Spreadsheet's `<Worksheet>`s are sheets, with cells
where `ss:Index` puts them and dates as `2026-11-23 09:00:00`.
"""

from __future__ import annotations

import codecs
import re
from itertools import zip_longest

import lxml.html
import numpy as np
import pyarrow as pa

from analytics.errors import IngestError
from analytics.ingest.guards import MAX_CELL_CHARS, MAX_CELLS, cell_too_long, check_width
from analytics.ingest.sheets import HEAD_ROWS, ColumnsSheet, Sheet, SourceFile, _blank_to_none

_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta|body|table|style|title)\b", re.I | re.S
)
_CHARSET = re.compile(rb"""<meta[^>]*charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SPAN_LIMIT = 1000
"""A colspan or rowspan larger than this is taken as 1 (a crafted `colspan=100000` would widen the sheet)."""


def is_html(data: bytes) -> bool:
    """The file starts like an HTML page or fragment (after a BOM, in UTF-8, GBK or UTF-16)."""
    prefix = data[:4096]
    if prefix.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        prefix = prefix.decode("utf-16", errors="ignore").encode("utf-8")
    return _HTML_START.match(prefix.removeprefix(codecs.BOM_UTF8)) is not None


def read_html(source: SourceFile, encoding: str | None = None) -> list[Sheet]:
    """Every `<table>` with rows, as a sheet of text cells (one sheet: unnamed, like a CSV)."""
    from analytics.ingest.read.encoding import decode_text  # read imports this module

    text, encoding_name = _decode(source, encoding, decode_text)
    try:
        document = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        raise IngestError(
            f"{source.name}：是 HTML 网页但无法解析，未导入。请在 Excel 中打开后另存为 .xlsx 再导入。"
        ) from None
    tables = list(document.iter("table"))  # a data table inside a layout table is a sheet of its own
    sheets: list[Sheet] = []
    notes = ["格式：HTML 表格"] + ([] if encoding_name == "UTF-8" else [f"编码：{encoding_name}"])
    for number, table in enumerate(tables, start=1):
        rows = _rows(table)
        if not any(any(cell for cell in row) for row in rows):
            continue
        name = None if len(tables) == 1 else f"表格{number}"
        sheets.append(_sheet(source.name, name, rows, notes))
    if not sheets:
        raise IngestError(f"{source.name}：是 HTML 网页，但其中没有表格（<table>），未导入。")
    return sheets


def _decode(source: SourceFile, encoding: str | None, decode_text) -> tuple[str, str]:  # noqa: ANN001
    """The encoding the user named, else the page's `<meta charset>`, else what decode_text finds."""
    declared = _CHARSET.search(source.data[:4096])
    name = encoding or (declared.group(1).decode("ascii").lower() if declared else None)
    if name in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936"):
        name = "gb18030"  # what servers call GB2312 is GBK in practice; GB18030 reads both
    if name and not encoding:
        try:
            if codecs.lookup(name)._is_text_encoding:  # type: ignore[attr-defined]
                return source.data.decode(name).removeprefix("\ufeff"), name.upper()
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(source.data, encoding, file_name=source.name)


def _text(cell: lxml.html.HtmlElement) -> str | None:
    for br in cell.iter("br"):
        br.tail = "\n" + (br.tail or "")
    text = cell.text_content().replace("\xa0", " ").strip()
    return text or None


def _rows(table: lxml.html.HtmlElement) -> list[list[str | None]]:
    """The table's rows (its own, not a nested table's), spans expanded: the cells below a rowspan shift right."""
    rows: list[list[str | None]] = []
    pending: dict[tuple[int, int], None] = {}  # (row, column) covered by a rowspan from above
    for r, tr in enumerate(row for row in table.iter("tr") if _owner(row) is table):
        row: list[str | None] = []
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (r, len(row)) in pending:
                row.append(None)
            colspan, rowspan = _span(td.get("colspan")), _span(td.get("rowspan"))
            for extra in range(1, rowspan):
                for c in range(colspan):
                    pending[(r + extra, len(row) + c)] = None
            row.append(_text(td))
            row.extend([None] * (colspan - 1))
        rows.append(row)
    return rows


def _owner(row: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    return next(row.iterancestors("table"), None)


def _span(value: str | None) -> int:
    try:
        span = int(value or 1)
    except ValueError:
        return 1
    return span if 1 <= span <= _SPAN_LIMIT else 1


def _sheet(file_name: str, name: str | None, rows: list[list[str | None]], notes: list[str]) -> ColumnsSheet:
    width = max(len(row) for row in rows)
    check_width(file_name, width, sheet=name)
    if width * len(rows) > MAX_CELLS:
        raise IngestError(f"{file_name}：表格有 {len(rows)} 行 × {width} 列，超过上限 {MAX_CELLS:,} 个单元格，未导入。")
    first = next(i for i, row in enumerate(rows) if any(cell for cell in row))
    rows = rows[first:]
    columns = [_blank_to_none(np.array(column, dtype=object)) for column in zip_longest(*rows)]
    columns += [[None] * len(rows)] * (width - len(columns))
    for position, column in enumerate(columns):
        longest = max(map(len, filter(None, column)), default=0)
        if longest > MAX_CELL_CHARS:
            index = next(i for i, cell in enumerate(column) if cell and len(cell) > MAX_CELL_CHARS)
            raise cell_too_long(file_name, first + 1 + index, position + 1, longest)
    cells = pa.RecordBatch.from_arrays(
        [pa.array(column, type=pa.string()) for column in columns], names=[f"c{i}" for i in range(width)]
    )
    head = [list(row) + [None] * (width - len(row)) for row in rows[:HEAD_ROWS]]
    return ColumnsSheet(name, head, first + 1, list(notes), cells=cells)


# ---------------------------------------------------------------------------------------------
# Excel 2003 XML Spreadsheet (SpreadsheetML), which some Java and .NET systems send as .xls

_SPREADSHEET_NS = b"urn:schemas-microsoft-com:office:spreadsheet"
_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"
_XML_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.0+)?")


def is_spreadsheet_xml(data: bytes) -> bool:
    prefix = data[:4096].removeprefix(codecs.BOM_UTF8).lstrip()
    return prefix.startswith(b"<?xml") and _SPREADSHEET_NS in prefix and b"<Workbook" in prefix


def read_spreadsheet_xml(source: SourceFile) -> list[Sheet]:
    """Every `<Worksheet>`: rows and cells where `ss:Index` puts them, `ss:MergeAcross` keeping columns."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = lxml.etree.fromstring(source.data, parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise IngestError(f"{source.name}：是 Excel 2003 XML 表格但已损坏（{exc}），未导入。") from None
    sheets: list[Sheet] = []
    for number, worksheet in enumerate(root.iter(f"{_SS}Worksheet"), start=1):
        name = worksheet.get(f"{_SS}Name") or f"Sheet{number}"
        rows = _xml_rows(worksheet)
        if any(any(cell for cell in row) for row in rows):
            sheets.append(_sheet(source.name, name, rows, ["格式：Excel 2003 XML"]))
        else:
            sheets.append(ColumnsSheet(name, []))
    return sheets


def _xml_rows(worksheet: lxml.etree._Element) -> list[list[str | None]]:
    rows: list[list[str | None]] = []
    for row in worksheet.iter(f"{_SS}Row"):
        index = _index(row.get(f"{_SS}Index"))
        while index is not None and len(rows) < index - 1:
            rows.append([])
        cells: list[str | None] = []
        for cell in row.iter(f"{_SS}Cell"):
            column = _index(cell.get(f"{_SS}Index"))
            while column is not None and len(cells) < column - 1:
                cells.append(None)
            data = cell.find(f"{_SS}Data")
            cells.append(_xml_value(data))
            cells.extend([None] * min(_index(cell.get(f"{_SS}MergeAcross")) or 0, _SPAN_LIMIT))
        rows.append(cells)
    return rows


def _index(value: str | None) -> int | None:
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 0 < number <= 1_048_576 else None


def _xml_value(data: lxml.etree._Element | None) -> str | None:
    if data is None:
        return None
    text = "".join(data.itertext()).strip()
    if data.get(f"{_SS}Type") == "DateTime":
        found = _XML_DATETIME.fullmatch(text)
        if found:
            day, clock = found.groups()
            return day if clock == "00:00:00" else f"{day} {clock}"
    return text or None
