"""User header mappings: a company's own column names, taught once and reused by every later load.

A mapping `OA列名 → canonical column` is stored in the table `header_mappings`, keyed by the folded
header and the ledger it applies to (`*`: any ledger that has the column). Every load and preview
reads the saved mappings; a mapping given with a load (`--map`, the upload page) is saved by that
load, in the same transaction as its data, so a failed load saves nothing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from analytics.db import MEMORY, connect, writer
from analytics.ingest.headers import ANY_LEDGER, Mapping, check_mappings


def saved_mappings(db_path: Path | str | None) -> list[Mapping]:
    """Every saved mapping; none for a database that does not exist yet (reading creates nothing)."""
    if db_path is None or str(db_path) == MEMORY or not Path(db_path).exists():
        return []
    with connect(db_path) as con:
        return read_mappings(con)


def read_mappings(con: duckdb.DuckDBPyConnection) -> list[Mapping]:
    """Every saved mapping, through an open connection."""
    rows = con.execute("select header, column_name, ledger from header_mappings").fetchall()
    return [Mapping(header, column, ledger) for header, column, ledger in rows]


def write_mappings(con: duckdb.DuckDBPyConnection, mappings: list[Mapping]) -> None:
    """Save checked mappings through a writer's connection, inside its transaction."""
    now = datetime.now().replace(microsecond=0)
    for mapping in mappings:
        con.execute(
            "insert or replace into header_mappings values (?, ?, ?, ?, ?)",
            [mapping.key[0], mapping.header, mapping.ledger, mapping.column, now],
        )


def save_mappings(db_path: Path | str, mappings: dict[str, str], ledger: str | None = None) -> None:
    """Save `{header as in the files: canonical column}`; `ledger=None` applies them to any ledger."""
    checked = check_mappings(mappings, ledger)
    with writer(db_path) as con:
        con.execute("begin transaction")
        try:
            write_mappings(con, checked)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise


def list_mappings(db_path: Path | str) -> pd.DataFrame:
    """Saved mappings, one row each: header, ledger (`*` = any), column_name, saved_at."""
    with connect(db_path) as con:
        return con.sql("select header, ledger, column_name, saved_at from header_mappings order by ledger, header").df()


def delete_mapping(db_path: Path | str, header: str, ledger: str | None = None) -> bool:
    """Forget one saved mapping (`ledger=None`: the one for any ledger); True if there was one."""
    key, ledger_key = Mapping(header, "", ledger or ANY_LEDGER).key
    with writer(db_path) as con:
        ((deleted,),) = con.execute(
            "delete from header_mappings where header_key = ? and ledger = ?", [key, ledger_key]
        ).fetchall()
    return deleted > 0
