"""Parse: text cells → typed ledger rows, with one SQL statement generated from the declarations.

A sheet's cells (read.py) are trimmed, flagged (empty row, footer row) and typed by one `create temp
table … as select` (dates by regular expression and cast, numbers stripped of ¥/元/thousands
separators, enums by their declared spellings); validate.py then finds every error in that table.
The table keeps the sheet's row order, so a row's Excel number is its `rowid` plus the number of
the first row below the header.

A preview parses in a private in-memory connection and writes nothing. A load parses in the writer's
connection (load.py), so the typed rows go into the ledger table without leaving DuckDB.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd
import pyarrow as pa

from analytics.db import NO_DOWNLOADS
from analytics.errors import IngestError, RowError, UsageError
from analytics.ingest.headers import Detection, HeaderMatch, Mappings, detect
from analytics.ingest.read import Sheet, SourceFile, read_sheets
from analytics.ingest.validate import collect_errors, sql_literal
from analytics.ledgers import Column, Ledger, normalise_header
from analytics.ledgers.definitions import REQUISITION_STATES
from analytics.weeks import today

PREVIEW_ROWS = 20
_TRIM = " \t\r\n\u3000\u00a0"
_FOOTER_WORDS = ("合计", "总计", "小计")
"""A summary row: its key is empty (or is itself the label) and a cell starts with one of these."""
_MONEY_CHARACTERS = "，¥￥元 "
"""Read out of a number: the full-width comma becomes `,` (translate's first character), the rest go."""
_GROUPED_NUMBER = r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?"
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


def _common_style_sql(raw: str) -> str:
    """The usual non-ISO styles (`2026/1/5`, `2026/1/5 9:05`, `2026年1月5日`…) read by strptime, NULL else.

    Only for a text that matched `_LOOSE_TIMESTAMP`: strptime then gives the value the regular
    expression path would (and costs far less), but a format it refuses costs more, so the format
    is chosen from the separators first.
    """

    def strptime(style: str) -> str:
        return f"try_strptime({raw}, {sql_literal(style)})"

    has_time, has_seconds = f"contains({raw}, ':')", f"{raw} like '%:%:%'"
    return (
        f"case when contains({raw}, '/') then case when not {has_time} then {strptime('%Y/%m/%d')} "
        f"when {has_seconds} then {strptime('%Y/%m/%d %H:%M:%S')} else {strptime('%Y/%m/%d %H:%M')} end "
        f"when contains({raw}, '年') then case when not {has_time} and not contains({raw}, '时') "
        f"then {strptime('%Y年%m月%d日')} when not {has_seconds} then {strptime('%Y年%m月%d日 %H:%M')} end end"
    )


_PLAIN_DATES = (
    ("年", "%Y年%m月%d日", "suffix({raw}, '日')"),
    ("/", "%Y/%m/%d", "strlen({raw}) <= 10 and ord(({raw})[-1]) between 48 and 57"),
)
"""The date-only styles most OA exports write: the year's separator, the style, a test of the end.
A text with a digit first, the separator fifth and that end is, when strptime reads it, exactly
`2026年1月5日` / `2026/1/5` (strptime skips no inner space and reads one or two digits): no ISO text, a
`_LOOSE_TIMESTAMP` one, which the full expression would read with this very strptime. So its value is
taken without the two general regular expressions (and strptime, costly when it fails, is tried only
on texts of that shape)."""


def _timestamp_sql(raw: str) -> str:
    """Text → TIMESTAMP for every date style of ledgers.md; NULL when it is none of them.

    An ISO text is cast as it is; any other `_LOOSE_TIMESTAMP` text is read by strptime when it is
    a common style, else rewritten to ISO by the regular expression. `2026年1月5日` and `2026/1/5`
    are read by their strptime first (see `_PLAIN_DATES`); the rest (and what that refuses) go on.
    A text shaped `dddd-dd-dd[ hh:mm[:ss]]` (native Excel dates, ISO exports) is cast straight away:
    the cast accepts exactly what the ISO expression would hand it, and NULL goes on as before.
    """
    loose = sql_literal(_LOOSE_TIMESTAMP)
    rewritten = f"try_cast(rtrim(regexp_replace({raw}, {loose}, " r"'\1-\2-\3 \4:\5:\6\7'), ' :') as timestamp)"
    full = (
        f"case when regexp_full_match({raw}, {sql_literal(_ISO_TIMESTAMP)}) then try_cast({raw} as timestamp) "
        f"when regexp_full_match({raw}, {loose}) then coalesce({_common_style_sql(raw)}, {rewritten}) end"
    )
    plain = " ".join(
        f"when contains({raw}, {sql_literal(separator)}) and strpos({raw}, {sql_literal(separator)}) = 5 "
        f"and ord({raw}) between 48 and 57 and {end.format(raw=raw)} then try_strptime({raw}, {sql_literal(style)})"
        for separator, style, end in _PLAIN_DATES
    )
    iso = (
        f"when strlen({raw}) in (10, 16, 19) and ord({raw}) between 48 and 57 and substr({raw}, 5, 1) = '-' "
        f"and substr({raw}, 8, 1) = '-' then try_cast({raw} as timestamp)"
    )
    return f"coalesce(case {iso} {plain} end, {full})"


_ISO_WITH_ZONE = r"(\d{4}-\d{1,2}-\d{1,2})T(\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
_MONTH_FIRST = r"\d{1,2}/\d{1,2}/\d{4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?"
_MONTH_FIRST_STYLES = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y")
_JAVA_DATE = r"[A-Za-z]{3} [A-Za-z]{3} \d{1,2} \d{1,2}:\d{2}:\d{2} [A-Za-z]{2,5} \d{4}"
NO_YEAR = r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2})\s*[:：时点]\s*(\d{1,2})\s*分?)?"
DATE_TOKEN = r"(?:\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
"""A date inside a longer text, with or without its year (a deadline history `11月01日 延期至11月11日`)."""


def _other_styles_sql(raw: str) -> str:
    """Styles real exports write besides those of `_timestamp_sql`: ISO with `T` and a zone (the local
    time is kept), `10/23/2026 9:30:00 AM` (month first when the year comes last), Java's
    `Mon Oct 12 10:00:00 CST 2026`. NULL when none."""
    styles = "[" + ", ".join(sql_literal(style) for style in _MONTH_FIRST_STYLES) + "]"
    return (
        f"case when regexp_full_match({raw}, {sql_literal(_ISO_WITH_ZONE)}) "
        f"then try_cast(regexp_replace({raw}, {sql_literal(_ISO_WITH_ZONE)}, '\\1 \\2') as timestamp) "
        f"when regexp_full_match({raw}, {sql_literal(_MONTH_FIRST)}) then try_strptime(upper({raw}), {styles}) "
        f"when regexp_full_match({raw}, {sql_literal(_JAVA_DATE)}) then try_strptime("
        f"regexp_replace({raw}, ' [A-Za-z]{{2,5}} (\\d{{4}})$', ' \\1'), '%a %b %d %H:%M:%S %Y') end"
    )


def _no_year_sql(text: str, anchor: str) -> str:
    """A date without its year (`11月01日`, `11-01`, `11-01 9:30`) in the year that puts it nearest `anchor`."""
    pattern = sql_literal(NO_YEAR)

    def group(number: int) -> str:
        return f"regexp_extract({text}, {pattern}, {number})"

    def in_year(year: str) -> str:
        return (
            f"try_strptime(({year})::varchar || '-' || {group(1)} || '-' || {group(2)} || ' ' || "
            f"coalesce(nullif({group(3)}, ''), '0') || ':' || coalesce(nullif({group(4)}, ''), '0'), '%Y-%m-%d %H:%M')"
        )

    same = in_year(f"year({anchor})")
    return (
        f"case when regexp_full_match({text}, {pattern}) then case "
        f"when abs(date_diff('day', {anchor}, {same})) <= 182 then {same} "
        f"when {same} > {anchor} then {in_year(f'year({anchor}) - 1')} else {in_year(f'year({anchor}) + 1')} end end"
    )


def _any_date_sql(text: str, anchor: str) -> str:
    return f"coalesce({_timestamp_sql(text)}, {_other_styles_sql(text)}, {_no_year_sql(text, anchor)})"


def _number_sql(raw: str) -> str:
    """A number as OA exports write it (`1234.5`, `1,234.5`, `¥1,234.50`, `1234.5元`); NULL when it is none.

    Thousands separators count only in groups of three after the first digits: `¥1,2,3` is no number.
    """
    money = f"translate({raw}, {sql_literal(_MONEY_CHARACTERS)}, ',')"  # ，→ ,; ¥ ￥ 元 and spaces dropped
    grouped = (
        f"case when not contains({money}, ',') then try_cast({money} as double) "
        f"when regexp_full_match({money}, {sql_literal(_GROUPED_NUMBER)}) "
        f"then try_cast(replace({money}, ',', '') as double) end"
    )
    number = f"coalesce(try_cast({raw} as double), {grouped})"
    return f"(case when isfinite({number}) then {number} end)"


def value_sql(column: Column, raw: str) -> str:
    """A column's stored value (`v__`), typed as its ledger table column; NULL when unreadable.

    Enum columns are looked up separately (see _typed_select); defaults fill only empty cells.
    """
    if column.type == "int":
        number = _number_sql(raw)
        return f"case when {number} = trunc({number}) then try_cast({number} as bigint) end"
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
    if column.derived is not None:
        return column.derived
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
    number = _number_sql(raw) if column.type == "int" else value  # an int's range before its type: 1e30 is too large
    if column.minimum is not None:
        operator, word = (">", "大于") if column.exclusive_minimum else (">=", "不小于")
        cases.append(f"when not ({number} {operator} {column.minimum}) then '应{word} {_bound(column.minimum)}'")
    if column.maximum is not None:
        cases.append(f"when {number} > {column.maximum} then '应不大于 {_bound(column.maximum)}'")
    if column.type == "int":
        cases.append(f"when {raw} is not null and {value} is null and {number} is not null then '应为整数'")
    if column.type in unreadable:
        cases.append(f"when {raw} is not null and {value} is null then {sql_literal(unreadable[column.type])}")
    return f"case {' '.join(cases)} end" if cases else "null"


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as Excel names it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = string.ascii_uppercase[remainder] + letters
    return letters


@dataclass(frozen=True)
class LoadOptions:
    """What a user says about a file besides its header mappings."""

    constants: dict[str, str] = field(default_factory=dict)
    """Column → one value for every row (`--set 'column=value'`)."""
    value_mappings: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    """(ledger or `*`, column) → folded text as written → canonical value (`--map-value`)."""
    gm_name: str = ""
    """The GM's name: rows of other people in a multi-person calendar are skipped (settings)."""
    today: date | None = None
    """The load's date: the year of a date written without one, when nothing else tells."""


SKIP_NOTES = {
    "nomove": "跳过不涉及库存变动的行（维护、维修）{n} 行",
    "request": "申请记录：只导入已发放的行（作为领用），跳过未发放或未通过的申请 {n} 行",
    "other_person": "跳过不是总经理（{gm}）本人的日程 {n} 行",
}


@dataclass
class ParsedSheet:
    """One recognised sheet, parsed and validated in a DuckDB connection; nothing written to a ledger yet.

    The typed rows stay in that connection, in the view `rows` (one row per sheet row below the
    header, `_row` its Excel number): `valid_sql` and `rejected_sql` select from it.
    """

    file_name: str
    sheet: str | None
    match: HeaderMatch
    header_row: int
    rows: str
    """The view of typed rows: `_row`, `_skip`, `r__col` (text as written, trimmed), `v__col`, `x{p}`."""
    errors: str
    """The table of row errors: `_row, _pos, column_name, value, reason`."""
    extras: list[tuple[str, int]]
    """(name in the `extra` JSON, cell position) of every kept cell that is no column."""
    row_errors: list[RowError]
    footer_rows: list[int]
    rows_valid: int
    rows_rejected: int
    tables: list[str] = field(default_factory=list)
    """What `drop` removes: the temporary tables and views behind `rows` and `errors`."""
    preview: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    """Rows skipped that are not footer rows, by why (see SKIP_NOTES)."""
    read_from_other_cells: set[str] = field(default_factory=set)
    """Columns the file has no header for but gives in another cell (a deadline history)."""

    @property
    def ledger(self) -> Ledger:
        return self.match.ledger

    @property
    def columns_supplied(self) -> list[str]:
        """The canonical columns this sheet gives (by a header, a mapping, a constant, or read from
        another cell: a deadline history), in ledger order: a column it lacks is an input the metrics
        must not read as empty cells (metrics.md, "Missing inputs")."""
        given = set(self.match.columns) | set(self.match.constants) | self.read_from_other_cells
        return [c.name for c in self.ledger.columns if c.name in given]

    @property
    def rows_skipped(self) -> int:
        return len(self.footer_rows) + sum(self.skipped.values())

    @property
    def extra_sql(self) -> str:
        """The `extra` JSON of a row: the kept cells that are no column, NULL when all are empty."""
        if not self.extras:
            return "null::json"
        empty = " and ".join(f"x{p} is null" for _, p in self.extras)
        return f"case when {empty} then null else {_json_object([(name, f'x{p}') for name, p in self.extras])} end"

    @property
    def valid_sql(self) -> str:
        """The rows to load: canonical columns (typed as the ledger table), `extra` and `_row`."""
        canonical = ", ".join(f'v__{c.name} as "{c.name}"' for c in self.ledger.columns)
        refused = f" and _row not in (select _row from {self.errors})" if self.rows_rejected else ""
        return f"select {canonical}, {self.extra_sql} as extra, _row from {self.rows} where _skip is null{refused}"

    @property
    def rejected_sql(self) -> str:
        """`_row` and `raw_row` (JSON of the row as the user wrote it) of every refused row."""
        match = self.match
        as_written = [(match.labels[p], f"r__{c}") for c, p in match.columns.items()]
        as_written += [(name, f"x{p}") for name, p in self.extras]
        return (
            f"select _row, {_json_object(as_written)}::varchar as raw_row from {self.rows} "
            f"where _row in (select _row from {self.errors})"
        )

    def drop(self, con: duckdb.DuckDBPyConnection) -> None:
        for name in reversed(self.tables):
            kind = "view" if name == self.rows else "table"
            con.execute(f"drop {kind} if exists {name}")


@dataclass
class DetectedFile:
    """Every sheet of a file read, and the header of each found (or why not); nothing parsed yet."""

    source: SourceFile
    recognised: list[tuple[Sheet, HeaderMatch]]
    skipped: dict[str | None, Detection]
    """Sheets not loaded (by name), with why."""
    sheet_names: list[str | None]
    options: LoadOptions = field(default_factory=LoadOptions)

    def close(self) -> None:
        """Remove the sheets' temporary files (a CSV decoded from GB18030)."""
        for sheet, _ in self.recognised:
            sheet.close()


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

    def drop(self, con: duckdb.DuckDBPyConnection) -> None:
        """Remove the parsed rows from the connection."""
        for sheet in self.sheets:
            sheet.drop(con)


def detect_file(
    source: SourceFile,
    *,
    ledger: str | None = None,
    mappings: Mappings | None = None,
    encoding: str | None = None,
    require_recognised: bool = True,
    options: LoadOptions | None = None,
    profiles: Profiles | None = None,
) -> DetectedFile:
    """Read every sheet of a file and find its header and ledger; no database is touched."""
    sheets = read_sheets(source, encoding)
    return detect_sheets(
        source,
        sheets,
        ledger=ledger,
        mappings=mappings,
        require_recognised=require_recognised,
        options=options,
        profiles=profiles,
    )


Profiles = dict[str, tuple[str, dict[str, str]]]
"""Header set (see `header_set_key`) → (ledger, constants) the user loaded it with last time."""


def header_set_key(cells: list[str | None]) -> str:
    """A header row as a profile's key: its folded non-empty headers, sorted."""
    return "|".join(sorted({normalise_header(c) for c in cells if normalise_header(c)}))


def _profile(head: list[list[str | None]], profiles: Profiles) -> tuple[str, dict[str, str]] | None:
    """The profile of the first head row whose header set was seen before."""
    return next((profiles[k] for k in map(header_set_key, head) if k in profiles), None)


def detect_sheets(
    source: SourceFile,
    sheets: list[Sheet],
    *,
    ledger: str | None = None,
    mappings: Mappings | None = None,
    require_recognised: bool = True,
    options: LoadOptions | None = None,
    profiles: Profiles | None = None,
) -> DetectedFile:
    """Find the header and ledger of every sheet already read; unrecognised sheets are closed.

    A sheet whose header set was loaded before (a profile) is read as it was then: its ledger and
    constants, unless the user names others now.
    """
    options = options or LoadOptions()
    recognised: list[tuple[Sheet, HeaderMatch]] = []
    skipped: dict[str | None, Detection] = {}
    for sheet in sheets:
        known = _profile(sheet.head, profiles or {})
        constants = {**(known[1] if known else {}), **options.constants}
        chosen = ledger or (known[0] if known else None)
        names = (source.name.rsplit(".", 1)[0], sheet.name)
        detection = detect(sheet.head, ledger=chosen, mappings=mappings, constants=constants, names=names)
        if detection.match is None:
            skipped[sheet.name] = detection
            sheet.close()
        else:
            recognised.append((sheet, detection.match))
    if not recognised and require_recognised:
        needs = {n for d in skipped.values() for n in d.needs}
        hints = "".join(f"\n{sheet.hint}" for sheet in sheets if sheet.hint)
        error = IngestError(unrecognised_message(source.name, skipped) + hints)
        raise UsageError(str(error)) if needs else error
    return DetectedFile(source, recognised, skipped, [sheet.name for sheet in sheets], options)


def parse_detected(con: duckdb.DuckDBPyConnection, detected: DetectedFile, *, preview: bool = False) -> ParsedFile:
    """Parse and validate every recognised sheet into temporary tables of `con`; the caller drops them.

    Runs outside any transaction of `con`: a CSV that DuckDB cannot read is read again another way.
    """
    parsed = ParsedFile(detected.source, [], detected.skipped, detected.sheet_names)
    try:
        for number, (sheet, match) in enumerate(detected.recognised):
            parsed.sheets.append(
                parse_sheet(
                    con,
                    sheet,
                    match,
                    detected.source.name,
                    f"ingest_s{number}",
                    preview=preview,
                    options=detected.options,
                )
            )
    except BaseException:
        parsed.drop(con)
        raise
    return parsed


def parse_file_detected(detected: DetectedFile) -> ParsedFile:
    """Parse and validate a detected file with previews, in a private in-memory connection; writes nothing."""
    try:
        with duckdb.connect(":memory:", config=NO_DOWNLOADS) as con:
            return parse_detected(con, detected, preview=True)
    finally:
        detected.close()


def parse_file(
    source: SourceFile,
    *,
    ledger: str | None = None,
    mappings: Mappings | None = None,
    encoding: str | None = None,
    require_recognised: bool = True,
) -> ParsedFile:
    """Read, find headers, parse and validate every sheet of a file, with previews; writes nothing."""
    detected = detect_file(
        source, ledger=ledger, mappings=mappings, encoding=encoding, require_recognised=require_recognised
    )
    return parse_file_detected(detected)


def refusal(parsed: ParsedFile) -> IngestError:
    """The error of a file that has row errors and is loaded whole or not at all."""
    errors = parsed.row_errors
    rows = len({(e.sheet, e.row) for e in errors})
    return IngestError(
        f"{parsed.source.name}：{rows} 行有错误（共 {len(errors)} 处），整个文件未导入。"
        "改正后重新导入，或只导入有效行（上传页面选“只导入有效行”，命令行加 --load-valid）。",
        errors,
    )


def unrecognised_message(file_name: str, skipped: dict[str | None, Detection]) -> str:
    if len(skipped) == 1:
        ((sheet, detection),) = skipped.items()
        return f"{file_name}" + (f" [{sheet}]" if sheet else "") + f"：{detection.problem}"
    lines = [f"{file_name}：没有一个工作表能识别为台账。"]
    lines += [f"工作表「{sheet}」：" + (d.problem or "").replace("\n", "\n    ") for sheet, d in skipped.items()]
    return "\n".join(lines)


def parse_sheet(
    con: duckdb.DuckDBPyConnection,
    sheet: Sheet,
    match: HeaderMatch,
    file_name: str,
    prefix: str,
    *,
    preview: bool = False,
    options: LoadOptions | None = None,
) -> ParsedSheet:
    """Type and validate one sheet into temporary tables of `con` (named from `prefix`)."""
    options = options or LoadOptions()
    ledger = match.ledger
    typed, rows, errors = f"{prefix}_typed", f"{prefix}_rows", f"{prefix}_errors"
    header_row = sheet.header_row(match.row_index)
    markup = has_markup(sheet.head)
    widths: list[int] = []

    def build(cells: str, width: int) -> str:
        widths.append(width)
        return f"create or replace temp table {typed} as {_typed_select(cells, width, match, markup)}"

    parsed = ParsedSheet(file_name, sheet.name, match, header_row, rows, errors, [], [], [], 0, 0, [typed])
    try:
        sheet.run(con, match.row_index, build)
        _read_other_spellings(con, typed, match, options)
        parsed.read_from_other_cells = _read_other_dates(con, typed, match, options.today or today())
        parsed.skipped = _skip_rows(con, typed, match, options)
        _derive_keys(con, typed, match)
        texts = "".join(f", v__{c.name} as r__{c.name}" for c in ledger.columns if c.type == "text")
        con.execute(
            f"create or replace temp view {rows} as "
            f"select rowid::integer + {header_row + 1} as _row, *{texts} from {typed}"
        )
        parsed.tables.append(rows)
        parsed.extras = list(match.extras) + _unnamed_columns(con, typed, widths[-1], match)
        reasons = {c.name: reason_sql(c) for c in ledger.columns}
        parsed.tables.append(errors)
        parsed.row_errors = collect_errors(con, rows, errors, match, reasons, file_name=file_name, sheet=sheet.name)
        ((kept, parsed.rows_rejected),) = con.execute(
            f"select (select count(*) from {typed} where _skip is null), (select count(distinct _row) from {errors})"
        ).fetchall()
        parsed.rows_valid = kept - parsed.rows_rejected
        parsed.footer_rows = [
            r for (r,) in con.execute(f"select _row from {rows} where _skip = 'footer' order by _row").fetchall()
        ]
        if preview:
            canonical = ", ".join(f'v__{c.name} as "{c.name}"' for c in ledger.columns)
            parsed.preview = con.sql(
                f"select _row, {canonical}, {parsed.extra_sql} as extra from {rows} "
                f"where _skip is null order by _row limit {PREVIEW_ROWS}"
            ).df()
    except BaseException:
        parsed.drop(con)
        raise
    parsed.notes = list(sheet.notes)
    if match.derived_key:
        identity = "、".join(
            "或".join(match.header_of(c) for c in group if c in match.columns or c in match.constants) or group[0]
            for group in ledger.identity
        )
        parsed.notes.append(f"文件没有编号列：每行的编号由 {identity} 生成（以 auto- 开头）")
    for reason, count in parsed.skipped.items():
        parsed.notes.append(SKIP_NOTES[reason].format(n=count, gm=options.gm_name))
    if parsed.footer_rows:
        footer_rows = parsed.footer_rows
        shown = "、".join(str(r) for r in footer_rows[:10]) + ("…" if len(footer_rows) > 10 else "")
        parsed.notes.append(f"跳过合计/小计行 {len(footer_rows)} 行（第 {shown} 行）")
    return parsed


def _unnamed_columns(
    con: duckdb.DuckDBPyConnection, typed: str, width: int, match: HeaderMatch
) -> list[tuple[str, int]]:
    """Columns without a header that hold data: kept as extras named by their Excel letter."""
    unnamed = [p for p in range(width) if not (p < len(match.labels) and match.labels[p])]
    if not unnamed:
        return []
    ((*counts,),) = con.execute("select " + ", ".join(f"count(x{p})" for p in unnamed) + f" from {typed}").fetchall()
    return [(f"列{column_letter(p)}", p) for p, count in zip(unnamed, counts, strict=True) if count]


def declared_spellings(column: Column) -> dict[str, str]:
    """Every spelling an enum declares (and its values), as written → the value it reads as."""
    lookup = column.enum_lookup
    return {
        spelling: lookup[normalise_header(spelling)]
        for value, spellings in column.enum.items()
        for spelling in (value, *spellings)
    }


def _enum_sql(ledger: Ledger, column: Column) -> str:
    """An enum column's value: a declared spelling read in SQL, an empty cell its default.

    Other spellings (`Done`, full-width letters…) are left NULL here and read by `_read_other_spellings`.
    """
    raw = f"r__{column.name}"
    default = default_sql(ledger, column) or "null::varchar"
    known = " ".join(f"when {sql_literal(s)} then {sql_literal(v)}" for s, v in declared_spellings(column).items())
    return f"case when {raw} is null then {default} else case {raw} {known} end end"


def _spelling_lookup(column: Column, ledger: Ledger, options: LoadOptions) -> dict[str, str]:
    """Folded text → value: the declared spellings, then the user's value mappings (theirs win)."""
    lookup = dict(column.enum_lookup)
    for scope in ("*", ledger.name):
        mapped = options.value_mappings.get((scope, column.name), {})
        lookup.update({text: value for text, value in mapped.items() if value in column.enum})
    return lookup


def _read_word(text: str, lookup: dict[str, str]) -> str | None:
    """A word's value: the whole text, else its first part (`推进中,有阶段性进展` reads as 推进中)."""
    text = unmarked(text) if "<" in text else text
    folded = normalise_header(text)
    if folded in lookup:
        return lookup[folded]
    first = re.split(r"[,，;；、/（(\s]", text.strip(), maxsplit=1)[0]
    return lookup.get(normalise_header(first)) if first and first != text else None


def _read_other_spellings(con: duckdb.DuckDBPyConnection, typed: str, match: HeaderMatch, options: LoadOptions) -> None:
    """Enum cells that are no declared spelling: looked up by their folded text (case, width, spaces),
    the user's value mappings, or their first word; one look-up per distinct text, not per row."""
    for column in match.ledger.columns:
        if column.type != "enum" or column.name not in match.columns:
            continue
        raw, value = f"r__{column.name}", f"v__{column.name}"
        texts = [
            t
            for (t,) in con.execute(
                f"select distinct {raw} from {typed} where {raw} is not null and {value} is null"
            ).fetchall()
        ]
        lookup = _spelling_lookup(column, match.ledger, options)
        found = {t: v for t in texts if (v := _read_word(t, lookup)) is not None}
        if not found:
            continue
        pairs = pa.table(
            {"raw": pa.array(list(found), pa.string()), "value": pa.array(list(found.values()), pa.string())}
        )
        con.register("enum_spellings", pairs)
        try:
            con.execute(f"update {typed} set {value} = p.value from enum_spellings p where {raw} = p.raw")
        finally:
            con.unregister("enum_spellings")


def _read_other_dates(con: duckdb.DuckDBPyConnection, typed: str, match: HeaderMatch, load_date: date) -> set[str]:
    """Date cells the usual styles did not read: other styles, dates without a year, a deadline history.

    Runs only on the cells left unread (one counting pass first). A date without a year takes the
    year nearest the other dates of its row, else the file's middle date, else the load's date. A
    decision's deadline cell with several dates (`11月01日 延期至11月11日`) gives the original
    deadline (first), the deadline (last) and the number of extensions: those columns are returned
    when a history was read.
    """
    ledger = match.ledger
    dated = [
        c
        for c in ledger.columns
        if c.type in ("date", "datetime") and (c.name in match.columns or c.name in match.constants)
    ]
    if not dated:
        return set()
    counts = ", ".join(f"count(*) filter (where v__{c.name} is null and r__{c.name} is not null)" for c in dated)
    ((*unread,),) = con.execute(f"select {counts} from {typed}").fetchall()
    failing = [c for c, n in zip(dated, unread, strict=True) if n]
    if not failing:
        return set()
    read: set[str] = set()
    middles = ", ".join(f"quantile_disc(v__{c.name}::timestamp, 0.5)" for c in dated)
    ((middle,),) = con.execute(f"select coalesce({middles}) from {typed}").fetchall()
    file_anchor = f"timestamp '{(middle.date() if middle else load_date).isoformat()}'"
    for column in failing:
        others = [f"v__{c.name}::timestamp" for c in dated if c is not column]
        anchor = f"coalesce({', '.join([*others, file_anchor])})"
        raw, cast = f"r__{column.name}", "::date" if column.type == "date" else ""
        text = f"trim({_unmarked_sql(raw)}, {sql_literal(_TRIM)})"
        if (ledger.name, column.name) == ("decisions", "due_date") and _read_deadline_history(con, typed, anchor):
            read |= {"original_due_date", "extension_count"}
        con.execute(
            f"update {typed} set v__{column.name} = ({_any_date_sql(text, anchor)}){cast} "
            f"where v__{column.name} is null and {raw} is not null"
        )
    return read


def _read_deadline_history(con: duckdb.DuckDBPyConnection, typed: str, anchor: str) -> int:
    """`11月01日 延期至11月11日` (more hops possible) → due_date (last date), original_due_date (first),
    extension_count (changes); columns the file has keep their own values."""
    tokens = f"regexp_extract_all(r__due_date, {sql_literal(DATE_TOKEN)})"
    first = _any_date_sql(f"trim({tokens}[1])", anchor)
    last = _any_date_sql(f"trim({tokens}[-1])", anchor)
    ((updated,),) = con.execute(
        f"update {typed} set v__due_date = ({last})::date, "
        f"v__original_due_date = coalesce(v__original_due_date, ({first})::date), "
        f"v__extension_count = coalesce(v__extension_count, len({tokens}) - 1) "
        f"where v__due_date is null and r__due_date is not null and len({tokens}) >= 2"
    ).fetchall()
    return updated


def _skip_rows(con: duckdb.DuckDBPyConnection, typed: str, match: HeaderMatch, options: LoadOptions) -> dict[str, int]:
    """Flag rows that are no ledger rows (see SKIP_NOTES); how many of each."""
    ledger = match.ledger
    rules: list[tuple[str, str]] = []
    for column in ledger.columns:
        if column.skip_values and column.name in match.columns:
            words = ", ".join(sql_literal(w) for w in column.skip_values)
            rules.append(("nomove", f"v__{column.name} is null and r__{column.name} in ({words})"))
    if ledger.name == "supplies" and _is_requisition_list(con, typed, match):
        issued = list(REQUISITION_STATES["issued"])
        state = match.roles.get("issue_state")
        if state is None:  # approval only: an approved request is the issue
            state, issued = match.roles["approval_state"], issued + list(REQUISITION_STATES["approved"])
        rules.append(("request", f"x{state} is null or x{state} not in ({', '.join(map(sql_literal, issued))})"))
    person = match.roles.get("person")
    if ledger.name == "schedule" and person is not None and options.gm_name.strip():
        gm = sql_literal(options.gm_name.strip())
        rules.append(("other_person", f"x{person} is not null and not contains(x{person}, {gm})"))
    skipped: dict[str, int] = {}
    for reason, condition in rules:
        ((count,),) = con.execute(
            f"update {typed} set _skip = {sql_literal(reason)} where _skip is null and ({condition})"
        ).fetchall()
        if count:
            skipped[reason] = count
    return skipped


def _is_requisition_list(con: duckdb.DuckDBPyConnection, typed: str, match: HeaderMatch) -> bool:
    """A supplies list whose issue or approval state column holds requisition states (已发放, 审核通过…):
    its rows are requests. Without a movement type column a state column alone says so."""
    cells = [f"x{p}" for role, p in match.roles.items() if role in ("issue_state", "approval_state")]
    if not cells:
        return False
    if "txn_type" not in match.columns:
        return True
    words = ", ".join(sql_literal(w) for states in REQUISITION_STATES.values() for w in states)
    ((found,),) = con.execute(
        f"select count(*) from {typed} where " + " or ".join(f"{cell} in ({words})" for cell in cells)
    ).fetchall()
    return found > 0


DERIVED_KEY_PREFIX = "auto-"
"""A derived key starts with this, so it shows as derived wherever rows are shown."""


def _derive_keys(con: duckdb.DuckDBPyConnection, typed: str, match: HeaderMatch) -> None:
    """Give every row without a key one: a hash of its identity columns (typed: trimmed text, canonical
    dates) and its order among identical rows of the file, so the same row gets the same key every
    time and a later export of the same item (a new status) replaces it."""
    ledger = match.ledger
    key = f"v__{ledger.key.name}"
    if not match.derived_key:
        ((missing,),) = con.execute(f"select count(*) from {typed} where _skip is null and {key} is null").fetchall()
        if not missing:
            return
    parts = ["coalesce(" + ", ".join(f"v__{c}::varchar" for c in group) + ", '')" for group in ledger.identity]
    identity = " || chr(31) || ".join(parts)
    con.execute(
        f"update {typed} set {key} = d.k from (select rid, {sql_literal(DERIVED_KEY_PREFIX)} || "
        f"substr(md5(identity), 1, 12) || '-' || row_number() over (partition by identity order by rid) as k "
        f"from (select rowid as rid, {identity} as identity from {typed} where _skip is null and {key} is null)) d "
        f"where {typed}.rowid = d.rid"
    )


_MARKUP = re.compile(r"<[a-zA-Z/][^>]*>")


def has_markup(head: list[list[str | None]]) -> bool:
    """HTML markup in the first rows of a sheet (`<font color=red>已超时</font>`): its cells are unmarked."""
    return any(cell and "<" in cell and _MARKUP.search(cell) for row in head for cell in row)


def unmarked(text: str) -> str:
    """A text without HTML markup."""
    return _MARKUP.sub("", text).replace("&nbsp;", " ").replace("&amp;", "&").strip(_TRIM)


def _unmarked_sql(text: str) -> str:
    return f"replace(replace(regexp_replace({text}, '<[a-zA-Z/][^>]*>', '', 'g'), '&nbsp;', ' '), '&amp;', '&')"


def _trimmed(position: int, markup: bool = False) -> str:
    """Cell `c{p}` without surrounding whitespace (full-width too), NULL when empty; without HTML
    markup too when the sheet's first rows have some (`markup`; elsewhere a cell that does not read
    is unmarked later, see `_read_other_spellings` and `_read_other_dates`, so plain sheets pay nothing).

    Reads `f{p}`/`l{p}`, the code points of its first and last characters (see `_edges`): a cell
    that starts and ends with no space is taken as it is, which is most of them and much faster.
    """
    cell = f"c{position}"

    def space(code: str) -> str:  # explicit comparisons: `in (…)` would plan as a join per cell
        return f"({code} <= 32 or {code} = 160 or {code} = 12288)"

    marked = (
        f"when f{position} = 60 or l{position} = 62 then trim({_unmarked_sql(cell)}, {sql_literal(_TRIM)}) "
        if markup
        else ""
    )
    return (
        f"nullif(case {marked}when {space(f'f{position}')} or {space(f'l{position}')} "
        f"then trim({cell}, {sql_literal(_TRIM)}) else {cell} end, '')"
    )


def _edges(position: int) -> str:
    return f"c{position}, ord(c{position}) as f{position}, ord(c{position}[-1]) as l{position}"


def _json_object(pairs: list[tuple[str, str]]) -> str:
    if not pairs:
        return "null::json"
    return "json_object(" + ", ".join(f"{sql_literal(name)}, {expr}" for name, expr in pairs) + ")"


def _footer_sql(cell: str) -> str:
    """The cell starts with 合计/总计/小计 (prefix tests: a regular expression per cell costs more)."""
    return "(" + " or ".join(f"prefix({cell}, {sql_literal(word)})" for word in _FOOTER_WORDS) + ")"


TIME_ONLY = r"\d{1,2}\s*[:：]\s*\d{1,2}(?:\s*[:：]\s*\d{1,2})?(?:\s*[AaPp][Mm])?"
"""A time without a date (`9:30`, `09:30:00`, `9:30:00 AM`): joined to the date of a date column."""
_NAME_SEPARATORS = r"[,，、;；\s]+"


def _source_cell(column: Column, match: HeaderMatch) -> str:
    """The trimmed text a column reads: its cell; a date cell joined with a time cell; a constant."""
    position = match.columns.get(column.name)
    constant = match.constants.get(column.name)
    if position is None:
        return sql_literal(constant) if constant is not None else "null::varchar"
    text = f"x{position}"
    if column.name in match.parts:
        day = f"x{match.parts[column.name]}"
        text = (
            f"(case when {day} is null then {text} when {text} is null then {day} "
            f"when regexp_full_match({text}, {sql_literal(TIME_ONLY)}) then {day} || ' ' || {text} else {text} end)"
        )
    return f"coalesce({text}, {sql_literal(constant)})" if constant is not None else text


def _counted_sql(raw: str) -> str:
    """The number of names in a list (`张三、李四,王五` → 3)."""
    spaced = f"trim(regexp_replace({raw}, {sql_literal(_NAME_SEPARATORS)}, ' ', 'g'))"
    return f"(case when {spaced} <> '' then len(string_split({spaced}, ' ')) end)::bigint"


def _typed_select(cells: str, width: int, match: HeaderMatch, markup: bool = False) -> str:
    """One select over the sheet's cells (in sheet order): trimmed → skip flag (empty / footer row) → typed values.

    Gives `_skip`, `r__col` (trimmed text) of the columns that are not text, `v__col` (the value) of
    every column, and `x{p}` for cells that are no column. A summary row has an empty key (in a file
    without a key column: an empty required column), so the footer test runs only on such rows.
    """
    ledger = match.ledger
    every = [f"x{p}" for p in range(width)]
    trimmed = ", ".join(f"{_trimmed(p, markup)} as x{p}" for p in range(width))
    edges = ", ".join(_edges(p) for p in range(width))
    footer = " or ".join(_footer_sql(x) for x in every)
    empty = " and ".join(f"{x} is null" for x in every)
    if match.derived_key:
        present = [f"x{match.columns[c.name]}" for c in ledger.required if c.name in match.columns]
        guard = " or ".join(f"{x} is null" for x in present) or "true"
    else:
        key = f"x{match.columns[ledger.key.name]}"
        guard = f"{key} is null or {_footer_sql(key)}"

    def value(column: Column) -> str:
        cell = _source_cell(column, match)
        return _counted_sql(cell) if column.name in match.counted else value_sql(column, cell)

    used = match.used
    others = "".join(f", x{p}" for p in range(width) if p not in used)
    raws = "".join(f", {_source_cell(c, match)} as r__{c.name}" for c in ledger.columns if c.type != "text")
    values = "".join(f", {value(c)} as v__{c.name}" for c in ledger.columns if c.type != "enum")
    typed = f"""
        select case when {guard} then
                case when {empty} then 'empty' when {footer} then 'footer' end
            end as _skip{raws}{values}{others}
        from (select {trimmed} from (select {edges} from {cells}))
    """
    enums = [f"{_enum_sql(ledger, c)} as v__{c.name}" for c in ledger.columns if c.type == "enum"]
    return f"select *, {', '.join(enums)} from ({typed})" if enums else typed
