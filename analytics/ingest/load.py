"""Load: the only writer. One explicit transaction per file, rolled back on any BaseException.

The file is parsed in the writer's own connection (parse.py, into temporary tables), so the typed
rows go into the ledger table without leaving DuckDB. The database file is therefore held from the
parse to the commit: other processes wait for it (db.connect retries for BUSY_RETRY_SECONDS, then
says the database is busy), and readers in this process keep seeing the data as it was until the
commit. `ingest_file` opens the writer while another thread reads the file (bytes, decoding,
worksheets), so opening the database costs a load no time.

Streamlit stops a script with exceptions that are not `Exception`s, so the rollback must catch
everything. Within the transaction: the rows of each sheet replace the rows with the same key
(rows whose content did not change are left as they are, so loading a file twice changes
nothing), refused rows go to `quarantine` (only when loading the valid rows), one `load_log` row
per sheet, the data version is bumped, and the file's bytes are kept under `originals/` beside the
database so the database can be rebuilt from what users gave.
"""

from __future__ import annotations

import getpass
import os
import shutil
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from analytics.db import MEMORY, ORIGINALS_DIR, bump_data_version, transaction
from analytics.errors import RowError
from analytics.ingest.detect import DetectedFile
from analytics.ingest.headers import Mapping
from analytics.ingest.mappings import write_mappings
from analytics.ingest.messages import refusal
from analytics.ingest.parse import ParsedFile, ParsedSheet, parse_detected
from analytics.ingest.read import BACKGROUND, SourceFile
from analytics.weeks import today

Remember = Callable[[duckdb.DuckDBPyConnection, ParsedFile], None]


@dataclass
class LoadResult:
    """What one sheet's load did."""

    file_name: str
    sheet: str | None
    ledger: str
    rows_loaded: int
    rows_replaced: int
    rows_rejected: int
    rows_skipped: int
    row_errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USERNAME") or "unknown"


def load_detected(
    con: duckdb.DuckDBPyConnection,
    db_path: Path | str,
    detected: DetectedFile,
    *,
    load_valid: bool,
    user: str | None = None,
    mappings: list[Mapping] | None = None,
    remember: Remember | None = None,
) -> list[LoadResult]:
    """Parse every recognised sheet of one file and write them in one transaction; all or nothing.

    `con` is a writer's connection that the caller holds; `db_path` locates `originals/`. A row error
    raises IngestError (writing nothing) unless `load_valid`. `remember` saves, in the same
    transaction, what the user taught with this load (value mappings, the file's profile).
    """
    mode = "valid_rows" if load_valid else "all_rows"
    original = _copy_original(db_path, detected.source)
    try:
        return _parse_and_load(con, original, detected, mode, user, mappings, remember)
    finally:
        detected.close()
        if original is not None:
            original.discard()


def _parse_and_load(
    con: duckdb.DuckDBPyConnection,
    original: _OriginalCopy | None,
    detected: DetectedFile,
    mode: str,
    user: str | None,
    mappings: list[Mapping] | None,
    remember: Remember | None = None,
) -> list[LoadResult]:
    parsed = parse_detected(con, detected)
    try:
        if parsed.row_errors and mode == "all_rows":
            raise refusal(parsed)
        try:
            with transaction(con):
                write_mappings(con, mappings or [])
                if remember is not None:
                    remember(con, parsed)
                results = [_load_sheet(con, parsed, sheet, mode, user or current_user()) for sheet in parsed.sheets]
                bump_data_version(con)
                if original is not None:
                    original.keep()
        except BaseException:  # the commit failed (or anything before it): no original without its load
            if original is not None:
                original.unkeep()
            raise
    finally:
        with suppress(duckdb.Error):
            parsed.drop(con)
    return results


def _load_sheet(
    con: duckdb.DuckDBPyConnection, parsed: ParsedFile, sheet: ParsedSheet, mode: str, user: str
) -> LoadResult:
    ledger = sheet.ledger
    key = f'"{ledger.key.name}"'
    ((load_id,),) = con.execute("select nextval('load_id_seq')").fetchall()
    columns = [f'"{c.name}"' for c in ledger.columns] + ["extra"]
    incoming = f"({sheet.valid_sql})"
    matched = replaced = 0
    ((present,),) = con.execute(f"select exists (select 1 from {ledger.name})").fetchall()
    if present:  # rows with a key already loaded: replace those that changed, leave the others
        incoming = f"incoming_{load_id}"
        con.execute(f"create temp table {incoming} as {sheet.valid_sql}")
        ((matched,),) = con.execute(
            f"select count(*) from {ledger.name} l join {incoming} n on l.{key} = n.{key}"
        ).fetchall()
        if matched:
            changed = " or ".join(f"l.{c} is distinct from n.{c}" for c in columns)
            ((replaced,),) = con.execute(
                f"delete from {ledger.name} l using {incoming} n where l.{key} = n.{key} and ({changed})"
            ).fetchall()
    new_only = f"where not exists (select 1 from {ledger.name} l where l.{key} = n.{key})" if matched else ""
    con.execute(
        f"insert into {ledger.name} ({', '.join(columns)}, _file, _sheet, _row, _load_id) "
        f"select {', '.join(f'n.{c}' for c in columns)}, ?, ?, n._row, ? from {incoming} n {new_only}",
        [parsed.source.name, sheet.sheet, load_id],
    )
    if ledger.name == "decisions":
        _note_decision_status(con, incoming, sheet.columns_supplied)
    if present:
        con.execute(f"drop table {incoming}")
    if mode == "valid_rows" and sheet.row_errors:
        _quarantine(con, sheet, load_id, parsed.source.sha256)

    notes = list(sheet.notes)
    if sheet is parsed.sheets[0]:
        notes += [f"跳过工作表「{name}」：{detection.brief}" for name, detection in parsed.skipped.items()]
    unchanged = matched - replaced
    if unchanged:
        notes.append(f"{unchanged} 行与库中已有数据相同，未改动")
    result = LoadResult(
        parsed.source.name,
        sheet.sheet,
        ledger.name,
        rows_loaded=sheet.rows_valid,
        rows_replaced=replaced,
        rows_rejected=sheet.rows_rejected,
        rows_skipped=sheet.rows_skipped,
        row_errors=list(sheet.row_errors),
        notes=notes,
    )
    con.execute(
        "insert into load_log (load_id, file_name, sha256, ledger, sheet, mode, rows_loaded, rows_replaced, "
        "rows_rejected, rows_skipped, loaded_by, loaded_at, notes, columns_supplied, loaded_on) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            result.file_name,
            parsed.source.sha256,
            result.ledger,
            result.sheet,
            mode,
            result.rows_loaded,
            result.rows_replaced,
            result.rows_rejected,
            result.rows_skipped,
            user,
            datetime.now().replace(microsecond=0),
            "；".join(notes) or None,
            sheet.columns_supplied,
            today(),
        ],
    )
    return result


def _note_decision_status(con: duckdb.DuckDBPyConnection, incoming: str, supplied: list[str]) -> None:
    """What this load saw of each decision's status, today: the first day a decision was seen done
    without a completed_date, and the last day it was seen open (metrics.md, "Status-only exports").

    Every row of the file counts, changed or not (seeing an item still open is news). A file that
    gives neither a status nor a completed_date says nothing about completion and notes nothing.
    """
    if "status" not in supplied and "completed_date" not in supplied:
        return
    con.execute(
        f"""
        insert into decision_status_seen (decision_id, first_done_seen, last_open_seen)
        select decision_id,
               case when bool_or(status = 'done' and completed_date is null) then $today end,
               case when bool_or(status = 'open') then $today end
        from {incoming}
        group by decision_id
        having bool_or(status = 'done' and completed_date is null) or bool_or(status = 'open')
        on conflict (decision_id) do update set
            first_done_seen = coalesce(least(decision_status_seen.first_done_seen, excluded.first_done_seen),
                                       decision_status_seen.first_done_seen, excluded.first_done_seen),
            last_open_seen = coalesce(greatest(decision_status_seen.last_open_seen, excluded.last_open_seen),
                                      decision_status_seen.last_open_seen, excluded.last_open_seen)
        """,
        {"today": today()},
    )


def _quarantine(con: duckdb.DuckDBPyConnection, sheet: ParsedSheet, load_id: int, sha256: str) -> None:
    """Every refused value, with the whole row as the user wrote it.

    A row already quarantined from the same file (same SHA-256, sheet and row) is not added again:
    loading a file's valid rows twice leaves one copy of its refused rows, as it leaves one of its valid ones.
    """
    con.execute(
        "insert into quarantine (load_id, file_name, sheet, ledger, row_number, column_name, value, reason, raw_row) "
        "select $load_id, $file_name, $sheet, $ledger, e._row, e.column_name, e.value, e.reason, r.raw_row "
        f"from {sheet.errors} e left join ({sheet.rejected_sql}) r on r._row = e._row "
        "where not exists (select 1 from quarantine q join load_log l on l.load_id = q.load_id "
        "where l.sha256 = $sha256 and q.ledger = $ledger and q.sheet is not distinct from $sheet "
        "and q.row_number = e._row) "
        "order by e._row, e._pos, e.reason",
        {
            "load_id": load_id,
            "file_name": sheet.file_name,
            "sheet": sheet.sheet,
            "ledger": sheet.ledger.name,
            "sha256": sha256,
        },
    )


class _OriginalCopy:
    """The file's bytes, named by SHA-256, in `originals/` beside the database.

    Copied in the background while the file is parsed (to a `.part` file; the kernel copies when the
    file on disk is still what was read) and flushed to disk there, put in place by `keep` within the
    load's transaction, and removed by `discard` when the load does not get that far. Flushing it early
    also spares the commit: on ext4 DuckDB's fsync would otherwise wait for the copy's pages.
    """

    def __init__(self, folder: Path, source: SourceFile) -> None:
        self.target: Path | None = None
        self.kept = False
        self.copying = BACKGROUND.submit(self._copy, folder, source)

    def _copy(self, folder: Path, source: SourceFile) -> Path | None:
        target = folder / f"{source.sha256}{source.suffix}"
        if target.exists():
            return None
        folder.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + f".{os.getpid()}.{threading.get_native_id()}.part")
        if source.path is not None and source.on_disk_as_read():
            shutil.copyfile(source.path, partial)
        else:
            partial.write_bytes(source.data)
        with open(partial, "rb") as written:
            os.fsync(written.fileno())
        self.target = target
        return partial

    def keep(self) -> None:
        partial = self.copying.result()
        if partial is not None and self.target is not None:
            os.replace(partial, self.target)
            self.kept = True

    def unkeep(self) -> None:
        """Remove the copy `keep` put in place (the load it belonged to did not commit)."""
        if self.kept and self.target is not None:
            with suppress(OSError):
                self.target.unlink()
            self.kept = False

    def discard(self) -> None:
        with suppress(Exception):
            partial = self.copying.result()
            if partial is not None:
                partial.unlink(missing_ok=True)


def _copy_original(db_path: Path | str, source: SourceFile) -> _OriginalCopy | None:
    """Start keeping the original (not for ':memory:')."""
    return None if str(db_path) == MEMORY else _OriginalCopy(Path(db_path).parent / ORIGINALS_DIR, source)
