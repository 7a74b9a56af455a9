"""Validate: every failure of every row, as SQL over the parsed sheet (never stopping at the first).

Column-level checks (required, unparseable, out of range, unknown enum value) come from the ledger
declarations (see parse.py), and so do the ledger-level rules of ledgers.md (`Ledger.rules`: consistency
between columns); duplicate keys are checked here.
In the SQL, `r__col` is a column's trimmed text (NULL when empty) and `v__col` its value (typed,
defaults applied; NULL when the text could not be read).
"""

from __future__ import annotations

import duckdb

from analytics.errors import RowError
from analytics.ingest.headers import HeaderMatch
from analytics.ingest.messages import column_letter


def sql_literal(text: str) -> str:
    """A SQL string literal (headers and reasons are the user's or ours, never trusted as SQL)."""
    return "'" + text.replace("'", "''") + "'"


def _disagreement_sql(match: HeaderMatch, position: int, other: int) -> str:
    """Why a row is refused when a header written twice holds two different values in it.

    A row error, not a warning: the file contradicts itself, and which cell is right only the user
    knows; rows where both cells agree (or the second is empty) load as usual.
    """
    first, second = column_letter(position), column_letter(other)
    header = match.headers[position]
    intro = f"表头「{header}」出现两次（{first}列和{second}列），两列的值不同：{second}列为「"
    return f"{sql_literal(intro)} || x{other} || '」'"


def _keys_may_repeat(con: duckdb.DuckDBPyConnection, typed: str, key: str) -> bool:
    """False when the keys rise strictly from row to row (exports are often sorted by key): then none repeats.

    One streaming pass, much cheaper than grouping every key; whatever order the rows come in, keys
    that rise strictly are all different, so a wrong order can only cost the grouping, never hide a repeat.
    """
    ((falls,),) = con.execute(
        f"select count(*) filter (where k <= previous) from (select v__{key} as k, lag(v__{key}) over () as previous "
        f"from {typed} where _skip is null and v__{key} is not null)"
    ).fetchall()
    return falls > 0


def collect_errors(
    con: duckdb.DuckDBPyConnection,
    typed: str,
    errors: str,
    match: HeaderMatch,
    column_reasons: dict[str, str],
    *,
    file_name: str,
    sheet: str | None,
) -> list[RowError]:
    """Create temp table `errors` (_row, _pos, column_name, value, reason) from `typed`; return them all."""
    ledger = match.ledger
    parts = []

    def part(column: str, reason_sql: str, condition: str = "true") -> None:
        position = match.columns.get(column, 10**6)
        parts.append(
            f"select _row, {position} as _pos, {sql_literal(match.header_of(column))} as column_name, "
            f"r__{column} as value, {reason_sql} as reason from {typed} where _skip is null and ({condition})"
        )

    for column, reason_sql in column_reasons.items():
        part(column, reason_sql)
    for column, position, other in match.duplicates:
        part(
            column,
            _disagreement_sql(match, position, other),
            f"x{other} is not null and x{other} is distinct from r__{column}",
        )
    for rule in ledger.rules:
        part(rule.column, sql_literal(rule.reason), rule.condition)
    key = ledger.key.name
    if key in match.columns and _keys_may_repeat(con, typed, key):
        parts.append(
            f"select t._row, {match.columns[key]} as _pos, {sql_literal(match.header_of(key))} as column_name, "
            f"t.r__{key} as value, '编号重复：与第' || d.first_row || '行相同' as reason "
            f"from {typed} t join (select v__{key} as k, min(_row) as first_row from {typed} "
            f"where _skip is null and v__{key} is not null group by v__{key} having count(*) > 1) d "
            f"on t.v__{key} = d.k where t._skip is null and t._row <> d.first_row"
        )
    union = "\nunion all\n".join(parts)
    con.execute(f"create or replace temp table {errors} as select * from ({union}) where reason is not null")
    rows = con.execute(f"select _row, column_name, value, reason from {errors} order by _row, _pos, reason").fetchall()
    return [RowError(file_name, sheet, row, column, value, reason) for row, column, value, reason in rows]
