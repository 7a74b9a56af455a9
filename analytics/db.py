"""The embedded DuckDB database: connections, schema, data version.

DuckDB lets one process at a time open a database file, so nothing holds a connection for long:
each use borrows a cursor of one reference-counted connection per process and per file, which is
closed when its last user leaves. Writers are serialised across processes by a file lock, and a
lock conflict with another process is retried briefly, then reported in plain words. The app reads
published snapshots instead (analytics/snapshots.py): inside its script runs `connect` reads the run's
snapshot read-only, and a writer publishes a new one after its work when an app serves the database.

The file holds the GM's calendar and every department's records, so it is its owner's alone: a new
database is built in a private folder and linked into place already `0600` (no other account can
ever open it, not even for an instant); the lock file is `0600`, the folder of kept originals and a
database folder this module creates are `0700`. An existing file open to others is tightened when
opened. DuckDB creates its write-ahead log with the process umask: it is tightened on every open
and after every write, and `scripts/app.sh` and the command line run with umask 077.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
from filelock import FileLock, Timeout

from analytics.errors import DatabaseBusyError, UsageError
from analytics.ledgers import LEDGERS, Ledger
from analytics.weeks import working_calendar

SCHEMA_VERSION = 3  # 2: users, sign_in_attempts, audit_log (issue 6); 3: columns added from the declarations
MEMORY = ":memory:"
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
ORIGINALS_DIR = "originals"  # beside the database: the files as the users gave them, by SHA-256
NO_DOWNLOADS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
BUSY_RETRY_SECONDS = 10.0

PROVENANCE_COLUMNS = (
    ("extra", "JSON"),
    ("_file", "VARCHAR"),
    ("_sheet", "VARCHAR"),
    ("_row", "INTEGER"),
    ("_load_id", "BIGINT"),
)

# load_log.columns_supplied: the canonical columns a load's sheet gave (NULL for loads made before it
# was recorded, which had to give every column); loaded_on: the day it ran (analytics.weeks.today()).
# decision_status_seen: per decision, the first load day that saw it done without a completed_date and
# the last load day that saw it open (metrics.md, "Status-only exports").
SERVICE_TABLES = """
create table if not exists schema_info (key varchar primary key, value varchar);
create sequence if not exists load_id_seq;
create table if not exists load_log (
    load_id bigint primary key, file_name varchar, sha256 varchar, ledger varchar, sheet varchar,
    mode varchar, rows_loaded integer, rows_replaced integer, rows_rejected integer, rows_skipped integer,
    loaded_by varchar, loaded_at timestamp, notes varchar, columns_supplied varchar[], loaded_on date
);
create table if not exists decision_status_seen (
    decision_id varchar primary key, first_done_seen date, last_open_seen date
);
create table if not exists quarantine (
    load_id bigint, file_name varchar, sheet varchar, ledger varchar, row_number integer,
    column_name varchar, value varchar, reason varchar, raw_row json
);
create table if not exists header_mappings (
    header_key varchar, header varchar, ledger varchar, column_name varchar, saved_at timestamp,
    primary key (header_key, ledger)
);
create table if not exists value_mappings (
    ledger varchar, column_name varchar, value_key varchar, value_text varchar, mapped_to varchar,
    saved_at timestamp, primary key (ledger, column_name, value_key)
);
create table if not exists load_profiles (
    header_set varchar primary key, ledger varchar, constants json, saved_at timestamp
);
create table if not exists work_calendar (
    day date primary key, is_working_day boolean, next_working_day date, working_day_number integer
);
create table if not exists users (
    name varchar primary key, display_name varchar, role varchar not null, departments varchar[],
    source varchar not null, password_hash varchar, disabled boolean not null default false,
    created_at timestamp, updated_at timestamp, last_sign_in_at timestamp
);
create table if not exists sign_in_attempts (
    name varchar primary key, failures integer not null default 0, last_failure_at timestamp,
    locked_until timestamp
);
create table if not exists sign_in_throttle (
    name varchar, client varchar, failures integer not null default 0, last_failure_at timestamp,
    blocked_until timestamp, last_success_at timestamp, primary key (name, client)
);
create sequence if not exists audit_id_seq;
create table if not exists audit_log (
    audit_id bigint primary key default nextval('audit_id_seq'), occurred_at timestamp not null, actor varchar,
    source varchar, role varchar, action varchar not null, target varchar, outcome varchar, detail varchar
);
-- "Completed by cut-off C" (metrics.md): by its date; for a decision done without one ("Status-only
-- exports"), true when the first load that saw it done ran on or before C, false when a load on or
-- after C saw it open, else unknown (null). The one definition every decision query uses.
create or replace macro completed_by(completed_date, status, first_done_seen, last_open_seen, cutoff) as
    case
        when completed_date is not null then completed_date <= cutoff
        when status = 'done' then case
            when first_done_seen <= cutoff then true when last_open_seen >= cutoff then false
        end
        else false
    end;
-- The decision's card (督办灯) at cut-off C (metrics.md, "Follow-up on resolutions"): none once completed
-- by C or when that is unknown; red when overdue at C; yellow when due by warn_until (the
-- $warn_working_days-th working day after C) or extended at least once; blue otherwise. The one
-- definition the decision queries and the bulletin use.
create or replace macro card_light(done_by_cutoff, due_date, cutoff, warn_until, extensions) as
    case
        when done_by_cutoff is null or done_by_cutoff then null
        when due_date <= cutoff then 'red'
        when due_date <= warn_until or extensions >= 1 then 'yellow'
        else 'blue'
    end;
"""

DATA_FILE_SUFFIXES = frozenset(
    [
        ".csv",
        ".tsv",
        ".txt",
        ".xlsx",
        ".xlsm",
        ".xls",
        ".et",
        ".ods",
        ".html",
        ".htm",
        ".ics",
        ".json",
        ".parquet",
        ".md",
        ".docx",
        ".pdf",
        ".toml",
        ".zip",
    ]
)
"""Suffixes of files a user loads or exports: named as a database, they are a slip of the keyboard."""
DUCKDB_MAGIC = b"DUCK"  # bytes 8–11 of every DuckDB database file


def check_database_path(path: Path, option: str = "--db") -> None:
    """A database path must name a DuckDB database, or nothing yet in a folder we may write; else UsageError.

    Refused before anything is opened: a folder (its permissions would be tightened and files created
    beside it), a device or other special file, a file that is not a DuckDB database (`/proc/version`,
    a CSV), and a new name with a data file's suffix (`--db x.csv` would load into nothing).
    """
    shown = f"{option} {path}"
    if path.is_dir():
        raise UsageError(f"{shown}：这是一个文件夹，不是数据库文件；请写出文件名，例如 {path / 'ops.duckdb'}")
    if path.exists():
        if not path.is_file():
            raise UsageError(f"{shown}：不是普通文件，不能作为数据库")
        try:
            with open(path, "rb") as opened:
                head = opened.read(12)
        except OSError as exc:
            raise UsageError(f"{shown}：无法读取（{exc.strerror}）") from None
        if head[8:12] != DUCKDB_MAGIC:
            raise UsageError(f"{shown}：不是本工作台的数据库（DuckDB 文件）；不会改动它")
    elif path.suffix.lower() in DATA_FILE_SUFFIXES:
        raise UsageError(
            f"{shown}：{path.suffix} 是数据文件的后缀，不是数据库；导入文件请用 ingest FILE，数据库请用如 ops.duckdb 的名字"
        )
    folder = next((p for p in (path.parent, *path.parent.parents) if p.exists()), Path("."))
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{shown}：文件夹 {folder} 不可写，无法在此创建或更新数据库")


_lock = threading.Lock()
_shared: dict[str, tuple[duckdb.DuckDBPyConnection, int]] = {}

READ_ROUTE: Callable[[str], AbstractContextManager[duckdb.DuckDBPyConnection] | None] | None = None
"""Set by analytics.snapshots: inside an app's script run (`snapshots.serving`), `connect` reads the
published snapshot instead of the database file. A writer always works on the file."""
_writing = threading.local()


def ledger_ddl(ledger: Ledger) -> str:
    """`create table` for a ledger: its canonical columns, then extra columns and provenance."""
    columns = [f'"{c.name}" {c.sql_type}' for c in ledger.columns]
    columns += [f"{name} {sql_type}" for name, sql_type in PROVENANCE_COLUMNS]
    return f"create table if not exists {ledger.name} (\n    " + ",\n    ".join(columns) + "\n)"


def make_private(path: Path, mode: int = PRIVATE_FILE) -> None:
    """Owner-only permissions on a file or folder we own that others may read; quietly does nothing
    when it is missing or someone else's (an administrator's choice)."""
    try:
        info = path.stat()
    except OSError:
        return
    if info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077 == 0:
        return
    with suppress(OSError):
        os.chmod(path, mode)


def _private_folder(folder: Path) -> None:
    """Create a missing folder owner-only; tighten nothing that exists (it may be shared on purpose)."""
    if folder.exists():
        return
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    make_private(folder, PRIVATE_DIR)


def _create_database(path: Path) -> None:
    """A new database file that only its owner can ever open: the schema is built in a private
    temporary folder and the finished file hard-linked into place (if another process got there
    first, its file stays)."""
    staging = Path(tempfile.mkdtemp(prefix=".new-database-", dir=path.parent))  # mkdtemp: 0700
    try:
        staged = staging / path.name
        connection = duckdb.connect(str(staged), config=NO_DOWNLOADS)
        try:
            ensure_schema(connection)
        finally:
            connection.close()
        os.chmod(staged, PRIVATE_FILE)
        try:
            os.link(staged, path)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(staged, path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _secure_location(path: Path) -> None:
    """Before a database file is opened: its folder, the file itself (created private when new), the
    write-ahead log and the folder of kept originals, all owner-only."""
    _private_folder(path.parent)
    if not path.exists():
        _create_database(path)
    make_private(path)
    make_private(path.with_name(path.name + ".wal"))
    originals = path.parent / ORIGINALS_DIR
    if originals.exists():
        make_private(originals, PRIVATE_DIR)
    else:
        _private_folder(originals)


def _open(path: str, wait: bool = True) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + (BUSY_RETRY_SECONDS if wait else 0.0)
    while True:
        try:
            return duckdb.connect(path, config=NO_DOWNLOADS)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                if "lock" in str(exc).lower():
                    raise DatabaseBusyError(
                        "数据库正被另一个程序使用（例如正在导入数据），请稍后再试。"
                        " The database is in use by another program; try again in a moment."
                    ) from None
                raise
            time.sleep(0.2)


@contextmanager
def connect(db_path: Path | str = MEMORY, *, wait: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """Borrow a cursor on the database; the schema is ensured on first open.

    When another program holds the file, opening it is retried for BUSY_RETRY_SECONDS (`wait=False`:
    not at all) before DatabaseBusyError. `":memory:"` gives a private database (each call a new one), for tests.
    """
    key = str(db_path)
    routed = READ_ROUTE(key) if READ_ROUTE is not None and not getattr(_writing, "depth", 0) else None
    if routed is not None:
        with routed as cursor:
            yield cursor
        return
    if key == MEMORY:
        connection = duckdb.connect(MEMORY, config=NO_DOWNLOADS)
        ensure_schema(connection)
        try:
            yield connection
        finally:
            connection.close()
        return
    with _lock:
        if key in _shared:
            connection, users = _shared[key]
            _shared[key] = (connection, users + 1)
        else:
            _secure_location(Path(key))
            connection = _open(key, wait)
            try:
                ensure_schema(connection)
            except BaseException:
                connection.close()
                raise
            _shared[key] = (connection, 1)
    cursor = connection.cursor()
    try:
        yield cursor
    finally:
        cursor.close()
        with _lock:
            connection, users = _shared[key]
            if users == 1:
                del _shared[key]
                connection.close()
            else:
                _shared[key] = (connection, users - 1)


@cache
def product_calendar() -> pd.DataFrame:
    """The working-day calendar the database holds (2015–2040), built once per process."""
    return working_calendar(date(2015, 1, 1), date(2040, 12, 31))


@contextmanager
def writer(db_path: Path | str = MEMORY, timeout: float = 60.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for writing, held by one writer at a time across processes. After the work, under
    the same lock, a snapshot is published when an app serves this database (analytics.snapshots)."""
    if str(db_path) == MEMORY:
        with connect(db_path) as connection:
            yield connection
        return
    _private_folder(Path(db_path).parent)
    lock = FileLock(str(db_path) + ".lock", mode=PRIVATE_FILE)
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise DatabaseBusyError("另一个导入正在进行，请稍后再试。 Another load is in progress.") from None
    _writing.depth = getattr(_writing, "depth", 0) + 1
    try:
        with connect(db_path) as connection:
            yield connection
            from analytics import snapshots  # imported here: snapshots imports this module

            snapshots.after_write(connection, db_path)
    finally:
        _writing.depth -= 1
        make_private(Path(str(db_path) + ".wal"))
        lock.release()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """`begin` … `commit`; `rollback` on any BaseException (a Streamlit stop, Ctrl-C) and re-raise.

    The one transaction helper: loads, mappings, accounts and the schema migration all use it."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        with suppress(duckdb.Error):  # the statement that failed may already have ended the transaction
            con.execute("rollback")
        raise
    con.execute("commit")


def ensure_schema(connection: duckdb.DuckDBPyConnection) -> None:
    """Bring the database to the declared schema; idempotent, one transaction.

    A new database gets every table. A database made by an earlier version is migrated: missing
    tables are created and declared columns missing from a table are added (existing rows keep their
    values; the new columns are empty, which the metrics read as "not supplied"). Nothing is dropped.
    The declarations (SERVICE_TABLES and the ledgers) are the only source: adding a column there is
    the whole migration. Runs only when the version or the declarations' fingerprint changed.
    """
    current = _schema_info(connection)
    if current.get("schema_version") == str(SCHEMA_VERSION) and current.get("schema_fingerprint") == (
        schema_fingerprint()
    ):
        return
    if current.get("schema_version", "0").isdigit() and int(current.get("schema_version", "0")) > SCHEMA_VERSION:
        raise UsageError(
            "这个数据库由更新版本的工作台创建，请升级后再打开。"
            " The database was made by a newer version of the workbench; upgrade to open it."
        )
    with transaction(connection):
        connection.execute(SERVICE_TABLES)
        for ledger in LEDGERS.values():
            connection.execute(ledger_ddl(ledger))
        _add_missing_columns(connection)
        _fill_calendar(connection)
        connection.execute(
            "insert or replace into schema_info values ('schema_version', ?), ('schema_fingerprint', ?), "
            "('data_version', coalesce((select value from schema_info where key = 'data_version'), '0'))",
            [str(SCHEMA_VERSION), schema_fingerprint()],
        )


def declared_ddl() -> str:
    """Every table the product declares: the service tables, then one per ledger."""
    return SERVICE_TABLES + "".join(ledger_ddl(ledger) + ";\n" for ledger in LEDGERS.values())


@cache
def schema_fingerprint() -> str:
    """A short hash of the declared schema: a database whose fingerprint differs is migrated."""
    return hashlib.sha256(declared_ddl().encode()).hexdigest()[:16]


@cache
def declared_columns() -> tuple[tuple[str, str, str, str | None], ...]:
    """(table, column, type, default) of every declared column, read from the declarations built in
    a scratch in-memory database (so the migration never parses DDL itself)."""
    scratch = duckdb.connect(MEMORY, config=NO_DOWNLOADS)
    try:
        scratch.execute(declared_ddl())
        return tuple(
            scratch.execute(
                "select table_name, column_name, data_type, column_default from information_schema.columns "
                "where table_schema = 'main' order by table_name, ordinal_position"
            ).fetchall()
        )
    finally:
        scratch.close()


def _add_missing_columns(connection: duckdb.DuckDBPyConnection) -> None:
    """`alter table … add column` for each declared column a table lacks (a database made before it)."""
    present = set(
        connection.execute(
            "select table_name, column_name from information_schema.columns where table_schema = 'main'"
        ).fetchall()
    )
    for table, column, sql_type, default in declared_columns():
        if (table, column) not in present:
            default_clause = f" default {default}" if default is not None else ""
            connection.execute(f'alter table {table} add column "{column}" {sql_type}{default_clause}')


def _schema_info(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    try:
        return dict(connection.execute("select key, value from schema_info").fetchall())
    except duckdb.CatalogException:
        return {}


def _fill_calendar(connection: duckdb.DuckDBPyConnection) -> None:
    calendar = product_calendar()  # noqa: F841 (read by DuckDB)
    connection.execute("delete from work_calendar")
    connection.execute("insert into work_calendar select * from calendar")


def data_version(connection: duckdb.DuckDBPyConnection) -> int:
    """A number that changes whenever data is written: the key for caches."""
    # fetchall, not fetchone: a result left unfinished blocks the connection's next sql()/register().
    rows = connection.execute("select value from schema_info where key = 'data_version'").fetchall()
    return int(rows[0][0]) if rows else 0


def bump_data_version(connection: duckdb.DuckDBPyConnection) -> None:
    """Call inside a writer's transaction."""
    connection.execute("update schema_info set value = (cast(value as bigint) + 1)::varchar where key = 'data_version'")
