"""Parse: text cells → typed ledger rows, with one SQL statement generated from the declarations.

A sheet's cells (read/, its header found by detect.py) are trimmed, flagged (empty row, footer row)
and typed by one `create temp table … as select` (typed_sql.py: dates by regular expression and cast, numbers stripped of ¥/元/thousands
separators, enums by their declared spellings); validate.py then finds every error in that table.
The table keeps the sheet's row order, so a row's Excel number is its `rowid` plus the number of
the first row below the header.

A preview parses in a private in-memory connection and writes nothing. A load parses in the writer's
connection (load.py), so the typed rows go into the ledger table without leaving DuckDB.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd
import pyarrow as pa

from analytics.db import NO_DOWNLOADS
from analytics.errors import RowError
from analytics.ingest.detect import DetectedFile, LoadOptions
from analytics.ingest.headers import Detection, HeaderMatch
from analytics.ingest.messages import SKIP_NOTES, column_letter
from analytics.ingest.read import Sheet, SourceFile
from analytics.ingest.typed_sql import (
    _TRIM,
    DATE_TOKEN,
    _any_date_sql,
    _json_object,
    _typed_select,
    _unmarked_sql,
    has_markup,
    reason_sql,
    unmarked,
)
from analytics.ingest.validate import collect_errors, sql_literal
from analytics.ledgers import Column, Ledger, normalise_header
from analytics.ledgers.definitions import REQUISITION_STATES
from analytics.weeks import today

PREVIEW_ROWS = 20


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
