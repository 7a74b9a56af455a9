"""What a user teaches about their files, taught once and reused by every later load.

Header mappings, value mappings (`status: 推进中 → open`, table `value_mappings`) and profiles (a
header set → the ledger and constants it was loaded with, table `load_profiles`).

A mapping `OA列名 → canonical column` is stored in the table `header_mappings`, keyed by the folded
header and the ledger it applies to (`*`: any ledger that has the column). Every load and preview
reads the saved mappings; a mapping given with a load (`--map`, the upload page) is saved by that
load, in the same transaction as its data, so a failed load saves nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from analytics.db import MEMORY, connect, transaction, writer
from analytics.errors import UsageError
from analytics.ingest.headers import ANY_LEDGER, Mapping, check_mappings
from analytics.ledgers import LEDGERS, normalise_header


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
    with writer(db_path) as con, transaction(con):
        write_mappings(con, checked)


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


# ------------------------------------------------------------------------------------ value mappings


@dataclass(frozen=True)
class ValueMapping:
    """A user's reading of a word (or a system's raw code) in an enum column: `status: 推进中 → open`."""

    column: str
    text: str
    value: str
    ledger: str = ANY_LEDGER

    @property
    def key(self) -> str:
        return normalise_header(self.text)


def check_value_mappings(mappings: list[tuple[str, str, str]], ledger: str | None = None) -> list[ValueMapping]:
    """Validate `(column, text as written, value)`; the value may be written as any spelling of it
    (`已办结` for done). A column with no word list, or a value it does not have, is a UsageError."""
    ledgers = [LEDGERS[ledger]] if ledger else list(LEDGERS.values())
    checked = []
    for column, text, value in mappings:
        column, text, value = column.strip(), text.strip(), value.strip()
        enums = [each.column(column) for each in ledgers if column in {c.name for c in each.columns}]
        enums = [c for c in enums if c.type == "enum"]
        if not enums or not normalise_header(text):
            where = f"台账 {ledger} 的" if ledger else ""
            raise UsageError(f"取值映射 {column}:{text}={value}：{where}列 {column!r} 不是有固定取值的列，或原值为空。")
        readings = {c.enum_lookup.get(normalise_header(value)) for c in enums} - {None}
        if any(value in c.enum for c in enums):  # a canonical value is itself (`done`, not meetings' held)
            readings = {value}
        if len(readings) != 1:
            accepted = "；".join(f"{c.name}：{'、'.join(c.enum)}" for c in enums)
            raise UsageError(f"取值映射 {column}:{text}={value}：{value!r} 不是可用的取值（{accepted}）。")
        checked.append(ValueMapping(column, text, readings.pop(), ledger or ANY_LEDGER))
    return checked


def read_value_mappings(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict[str, str]]:
    """Every saved value mapping: (ledger or `*`, column) → folded text → value."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for ledger, column, key, value in con.execute(
        "select ledger, column_name, value_key, mapped_to from value_mappings"
    ).fetchall():
        found.setdefault((ledger, column), {})[key] = value
    return found


def merged_value_mappings(
    saved: dict[tuple[str, str], dict[str, str]], given: list[ValueMapping]
) -> dict[tuple[str, str], dict[str, str]]:
    """Saved value mappings with the ones given now on top."""
    merged = {scope: dict(words) for scope, words in saved.items()}
    for mapping in given:
        merged.setdefault((mapping.ledger, mapping.column), {})[mapping.key] = mapping.value
    return merged


def write_value_mappings(con: duckdb.DuckDBPyConnection, mappings: list[ValueMapping]) -> None:
    now = datetime.now().replace(microsecond=0)
    for m in mappings:
        con.execute(
            "insert or replace into value_mappings values (?, ?, ?, ?, ?, ?)",
            [m.ledger, m.column, m.key, m.text, m.value, now],
        )


def list_value_mappings(db_path: Path | str) -> pd.DataFrame:
    """Saved value mappings: ledger (`*` = any), column_name, value_text, mapped_to, saved_at."""
    with connect(db_path) as con:
        return con.sql(
            "select ledger, column_name, value_text, mapped_to, saved_at from value_mappings order by 1, 2, 3"
        ).df()


# ------------------------------------------------------------------------------------------ profiles


def read_profiles(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, dict[str, str]]]:
    """Header set → (ledger, constants) of every file loaded before (see detect.header_set_key)."""
    return {
        header_set: (ledger, json.loads(constants) if constants else {})
        for header_set, ledger, constants in con.execute(
            "select header_set, ledger, constants from load_profiles"
        ).fetchall()
    }


def write_profile(con: duckdb.DuckDBPyConnection, header_set: str, ledger: str, constants: dict[str, str]) -> None:
    """Remember how a header set was loaded: its ledger and the constants the user gave."""
    con.execute(
        "insert or replace into load_profiles values (?, ?, ?, ?)",
        [header_set, ledger, json.dumps(constants, ensure_ascii=False), datetime.now().replace(microsecond=0)],
    )


def saved_teaching(db_path: Path | str | None) -> tuple[list[Mapping], dict, dict]:
    """Header mappings, value mappings and profiles saved in a database (none when it does not exist)."""
    if db_path is None or str(db_path) == MEMORY or not Path(db_path).exists():
        return [], {}, {}
    with connect(db_path) as con:
        return read_mappings(con), read_value_mappings(con), read_profiles(con)
