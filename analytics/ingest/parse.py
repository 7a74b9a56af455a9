"""Parse: text cells → typed ledger rows, with one SQL statement generated from the declarations.

Runs in a private in-memory DuckDB connection, so the database file is not held while a large file
is parsed. A sheet's cells (read.py) are trimmed, flagged (empty row, footer row) and typed by one
`create table … as select` (dates by regular expression and cast, numbers stripped of ¥/元/thousands
separators); enums are looked up through their folded spellings; validate.py then finds every error.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pyarrow as pa

from analytics.db import NO_DOWNLOADS
from analytics.errors import IngestError, RowError
from analytics.ingest.headers import Detection, HeaderMatch, Mappings, detect
from analytics.ingest.read import Sheet, SourceFile, read_sheets
from analytics.ingest.validate import DERIVED_DEFAULTS, collect_errors, sql_literal
from analytics.ledgers import Column, Ledger, normalise_header

PREVIEW_ROWS = 20
_TRIM = " \t\r\n\u3000\u00a0"
_FOOTER = "^(合计|总计|小计)"
"""A summary row: its key is empty (or is itself the label) and a cell starts with one of these."""
_MONEY_CHARACTERS = "¥￥元,， "
_ISO_TIMESTAMP = r"\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d{1,9})?)?)?"
_LOOSE_TIMESTAMP = (
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*T?\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})(?:\s*分\s*(?:(\d{1,2})\s*秒)?|\s*[:：]\s*(\d{1,2}(?:\.\d{1,9})?))?)?"
)
TRUE_WORDS = ("是", "y", "yes", "true", "1", "有", "√")
FALSE_WORDS = ("否", "n", "no", "false", "0", "无", "×")


def _words(words: tuple[str, ...]) -> str:
    return ", ".join(sql_literal(w) for w in words)


def _bound(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _timestamp_sql(raw: str) -> str:
    """Text → TIMESTAMP for every date style of ledgers.md; NULL when it is none of them."""
    loose = sql_literal(_LOOSE_TIMESTAMP)
    return (
        f"case when regexp_full_match({raw}, {sql_literal(_ISO_TIMESTAMP)}) then try_cast({raw} as timestamp) "
        f"when regexp_full_match({raw}, {loose}) then try_cast(rtrim(regexp_replace({raw}, {loose}, "
        r"'\1-\2-\3 \4:\5:\6\7'), ' :') as timestamp) end"
    )


def _number_sql(raw: str) -> str:
    number = f"coalesce(try_cast({raw} as double), try_cast(translate({raw}, {sql_literal(_MONEY_CHARACTERS)}, '') as double))"
    return f"(case when isfinite({number}) then {number} end)"


def value_sql(column: Column, raw: str) -> str:
    """A column's stored value (`v__`), typed as its ledger table column; NULL when unreadable.

    Enum columns are looked up separately (see _typed_select); defaults fill only empty cells.
    """
    if column.type == "int":
        number = _number_sql(raw)
        return f"case when {number} = trunc({number}) then {number}::bigint end"
    if column.type == "number":
        return _number_sql(raw)
    if column.type in ("date", "datetime"):
        return _timestamp_sql(raw) + ("::date" if column.type == "date" else "")
    if column.type == "bool":
        return (
            f"case when lower({raw}) in ({_words(TRUE_WORDS)}) then true "
            f"when lower({raw}) in ({_words(FALSE_WORDS)}) then false end"
        )
    return raw


def default_sql(ledger: Ledger, column: Column) -> str | None:
    """The value of an empty cell, where ledgers.md gives one (a literal, or derived from other columns)."""
    derived = DERIVED_DEFAULTS.get((ledger.name, column.name))
    if derived is not None:
        return derived
    return sql_literal(column.default) if column.default is not None else None


def accepted_values(column: Column) -> str:
    """`held（已召开、已完成…）、cancelled（…）`: the values a user may write."""
    return "、".join(
        f"{value}（{'、'.join(s for s in spellings if s != value)}）" if spellings else value
        for value, spellings in column.enum.items()
    )


def reason_sql(column: Column) -> str:
    """Why a cell is refused (NULL when it is fine), from the column's declaration."""
    raw, value = f"r__{column.name}", f"v__{column.name}"
    unreadable = {
        "int": "不是有效的数字",
        "number": "不是有效的数字（可写 1234.5、1,234.5、¥1,234.50、1234.5元）",
        "date": "无法识别的日期（应如 2026-11-23、2026/11/23 或 2026年11月23日）",
        "datetime": "无法识别的日期时间（应如 2026-11-23 14:05 或 2026年11月23日14时05分）",
        "bool": "无法识别的是/否值（可用：是、否、Y、N、有、无、√、×、true、false、1、0）",
        "enum": f"不是可用的取值；可用：{accepted_values(column)}",
    }
    cases = []
    if column.required:
        cases.append(f"when {raw} is null then '必填项为空'")
    if column.type == "int":
        cases.append(f"when {raw} is not null and {value} is null and {_number_sql(raw)} is not null then '应为整数'")
    if column.type in unreadable:
        cases.append(f"when {raw} is not null and {value} is null then {sql_literal(unreadable[column.type])}")
    if column.minimum is not None:
        operator, word = (">", "大于") if column.exclusive_minimum else (">=", "不小于")
        cases.append(f"when not ({value} {operator} {column.minimum}) then '应{word} {_bound(column.minimum)}'")
    if column.maximum is not None:
        cases.append(f"when {value} > {column.maximum} then '应不大于 {_bound(column.maximum)}'")
    return f"case {' '.join(cases)} end" if cases else "null"


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as Excel names it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = string.ascii_uppercase[remainder] + letters
    return letters


@dataclass
class ParsedSheet:
    """One recognised sheet, parsed and validated; nothing written anywhere yet."""

    file_name: str
    sheet: str | None
    match: HeaderMatch
    header_row: int
    valid: pa.Table
    """Canonical columns (typed as the ledger table), `extra` (JSON text) and `_row`."""
    rejected: pa.Table
    """`_row`, `raw_row` (JSON of the row as written) for every refused row."""
    row_errors: list[RowError]
    footer_rows: list[int]
    preview: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def ledger(self) -> Ledger:
        return self.match.ledger

    @property
    def rows_rejected(self) -> int:
        return self.rejected.num_rows


@dataclass
class ParsedFile:
    """Every sheet of a file: those recognised, parsed; the others, with why they were skipped."""

    source: SourceFile
    sheets: list[ParsedSheet]
    skipped: dict[str | None, Detection]
    """Sheets not loaded (by name), with why."""
    sheet_names: list[str | None]

    @property
    def row_errors(self) -> list[RowError]:
        return [error for sheet in self.sheets for error in sheet.row_errors]


def parse_file(
    source: SourceFile,
    *,
    ledger: str | None = None,
    mappings: Mappings | None = None,
    encoding: str | None = None,
    require_recognised: bool = True,
) -> ParsedFile:
    """Read, find headers, parse and validate every sheet of a file; no database is touched."""
    sheets = read_sheets(source, encoding)
    parsed: list[ParsedSheet] = []
    skipped: dict[str | None, Detection] = {}
    with duckdb.connect(":memory:", config=NO_DOWNLOADS) as con:
        for number, sheet in enumerate(sheets):
            detection = detect(sheet.head, ledger=ledger, mappings=mappings)
            if detection.match is None:
                skipped[sheet.name] = detection
                continue
            parsed.append(parse_sheet(con, sheet, detection.match, source.name, f"s{number}"))
    if not parsed and require_recognised:
        raise IngestError(unrecognised_message(source.name, skipped))
    return ParsedFile(source, parsed, skipped, [sheet.name for sheet in sheets])


def unrecognised_message(file_name: str, skipped: dict[str | None, Detection]) -> str:
    if len(skipped) == 1:
        ((sheet, detection),) = skipped.items()
        return f"{file_name}" + (f" [{sheet}]" if sheet else "") + f"：{detection.problem}"
    lines = [f"{file_name}：没有一个工作表能识别为台账。"]
    lines += [f"工作表「{sheet}」：" + (d.problem or "").replace("\n", "\n    ") for sheet, d in skipped.items()]
    return "\n".join(lines)


def parse_sheet(
    con: duckdb.DuckDBPyConnection, sheet: Sheet, match: HeaderMatch, file_name: str, prefix: str
) -> ParsedSheet:
    """Type and validate one sheet in the private connection `con`."""
    ledger = match.ledger
    typed, errors = f"{prefix}_typed", f"{prefix}_errors"
    header_row = sheet.header_row(match.row_index)
    widths: list[int] = []

    def build(cells: str, width: int) -> str:
        widths.append(width)
        return f"create table {typed} as {_typed_select(cells, width, match)}"

    sheet.run(con, match.row_index, build)
    extras = list(match.extras) + _unnamed_columns(con, typed, widths[-1], match)
    enum_tables = _stage_enum_lookups(con, typed, prefix, match)
    view = _typed_view(con, typed, ledger, enum_tables)

    reasons = {c.name: reason_sql(c) for c in ledger.columns}
    row_errors = collect_errors(con, view, errors, match, reasons, file_name=file_name, sheet=sheet.name)
    canonical = ", ".join(f'v__{c.name} as "{c.name}"' for c in ledger.columns)
    extra = (
        f"case when {' and '.join(f'x{p} is null' for _, p in extras)} then null "
        f"else {_json_object([(name, f'x{p}') for name, p in extras])} end"
        if extras
        else "null::json"
    )
    good = f"_skip is null and _row not in (select _row from {errors})"
    valid = con.sql(f"select {canonical}, {extra} as extra, _row from {view} where {good}").to_arrow_table()
    as_written = [(match.labels[p], f"r__{c}") for c, p in match.columns.items()] + [(n, f"x{p}") for n, p in extras]
    rejected = con.sql(
        f"select _row, {_json_object(as_written)}::varchar as raw_row from {view} "
        f"where _row in (select _row from {errors}) order by _row"
    ).to_arrow_table()
    footer_rows = [
        r for (r,) in con.execute(f"select _row from {typed} where _skip = 'footer' order by _row").fetchall()
    ]
    preview = con.sql(
        f"select _row, {canonical}, {extra} as extra from {view} where _skip is null order by _row limit {PREVIEW_ROWS}"
    ).df()
    con.execute(f"drop view {view}")
    for table in (typed, errors, *enum_tables.values()):
        con.execute(f"drop table {table}")
    notes = list(sheet.notes)
    if footer_rows:
        shown = "、".join(str(r) for r in footer_rows[:10]) + ("…" if len(footer_rows) > 10 else "")
        notes.append(f"跳过合计/小计行 {len(footer_rows)} 行（第 {shown} 行）")
    return ParsedSheet(
        file_name, sheet.name, match, header_row, valid, rejected, row_errors, footer_rows, preview, notes
    )


def _unnamed_columns(
    con: duckdb.DuckDBPyConnection, typed: str, width: int, match: HeaderMatch
) -> list[tuple[str, int]]:
    """Columns without a header that hold data: kept as extras named by their Excel letter."""
    unnamed = [p for p in range(width) if not (p < len(match.labels) and match.labels[p])]
    if not unnamed:
        return []
    ((*counts,),) = con.execute("select " + ", ".join(f"count(x{p})" for p in unnamed) + f" from {typed}").fetchall()
    return [(f"列{column_letter(p)}", p) for p, count in zip(unnamed, counts, strict=True) if count]


def _stage_enum_lookups(con: duckdb.DuckDBPyConnection, typed: str, prefix: str, match: HeaderMatch) -> dict[str, str]:
    """For each enum column, a small table: distinct text as written → canonical value (if known)."""
    tables = {}
    for column in match.ledger.columns:
        if column.type != "enum" or column.name not in match.columns:
            continue
        lookup = column.enum_lookup
        texts = [t for (t,) in con.execute(f"select distinct r__{column.name} from {typed}").fetchall() if t]
        pairs = pa.table(
            {
                "raw": pa.array(texts, type=pa.string()),
                "value": pa.array([lookup.get(normalise_header(t)) for t in texts], type=pa.string()),
            }
        )
        table = tables[column.name] = f"{prefix}_enum_{column.name}"
        con.register("enum_pairs", pairs)
        try:
            con.execute(f"create table {table} as select * from enum_pairs")
        finally:
            con.unregister("enum_pairs")
    return tables


def _typed_view(con: duckdb.DuckDBPyConnection, typed: str, ledger: Ledger, enum_tables: dict[str, str]) -> str:
    """`typed` with every column's `r__` (its text) and `v__` (its value): enums looked up, defaults applied."""
    view = f"{typed}_all"
    selects, joins = ["t.*"], []
    for column in ledger.columns:
        name = column.name
        if column.type == "text":
            selects.append(f"t.v__{name} as r__{name}")
        elif column.type == "enum":
            looked_up = f"e_{name}.value" if name in enum_tables else "null::varchar"
            if name in enum_tables:
                joins.append(f"left join {enum_tables[name]} e_{name} on e_{name}.raw = t.r__{name}")
            default = default_sql(ledger, column) or "null::varchar"
            selects.append(f"case when t.r__{name} is null then {default} else {looked_up} end as v__{name}")
    con.execute(f"create view {view} as select {', '.join(selects)} from {typed} t {' '.join(joins)}")
    return view


def _trimmed(position: int) -> str:
    """Cell `c{p}` without surrounding whitespace (full-width too), NULL when empty.

    Reads `f{p}`/`l{p}`, the code points of its first and last characters (see `_edges`): a cell
    that starts and ends with no space is taken as it is, which is most of them and much faster.
    """
    cell = f"c{position}"

    def space(code: str) -> str:  # explicit comparisons: `in (…)` would plan as a join per cell
        return f"({code} <= 32 or {code} = 160 or {code} = 12288)"

    return (
        f"nullif(case when {space(f'f{position}')} or {space(f'l{position}')} "
        f"then trim({cell}, {sql_literal(_TRIM)}) else {cell} end, '')"
    )


def _edges(position: int) -> str:
    return f"c{position}, ord(c{position}) as f{position}, ord(c{position}[-1]) as l{position}"


def _json_object(pairs: list[tuple[str, str]]) -> str:
    if not pairs:
        return "null::json"
    return "json_object(" + ", ".join(f"{sql_literal(name)}, {expr}" for name, expr in pairs) + ")"


def _typed_select(cells: str, width: int, match: HeaderMatch) -> str:
    """One select over the sheet's cells: trimmed → skip flag (empty / footer row) → typed values.

    Stores `_row`, `_skip`, `r__col` (trimmed text) of parsed columns, `v__col` of every column but
    enums (looked up afterwards, see `_typed_view`), and `x{p}` for cells that are no column.
    """
    ledger = match.ledger
    every = [f"x{p}" for p in range(width)]
    trimmed = ", ".join(f"{_trimmed(p)} as x{p}" for p in range(width))
    edges = ", ".join(_edges(p) for p in range(width))
    key = f"x{match.columns[ledger.key.name]}"
    footer = " or ".join(f"regexp_matches({x}, {sql_literal(_FOOTER)})" for x in every)
    empty = " and ".join(f"{x} is null" for x in every)

    def cell(column: Column) -> str:
        return f"x{match.columns[column.name]}" if column.name in match.columns else "null::varchar"

    used = set(match.columns.values())
    others = "".join(f", x{p}" for p in range(width) if p not in used)
    raws = "".join(f", {cell(c)} as r__{c.name}" for c in ledger.columns if c.type != "text")
    values = "".join(f", {value_sql(c, cell(c))} as v__{c.name}" for c in ledger.columns if c.type != "enum")
    return f"""
        select _row,
            case when {empty} then 'empty'
                when ({key} is null or regexp_matches({key}, {sql_literal(_FOOTER)})) and ({footer}) then 'footer'
            end as _skip{raws}{values}{others}
        from (select _row, {trimmed} from (select _row, {edges} from {cells}))
    """
