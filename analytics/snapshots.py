"""Published read-only snapshots of the database: one writer, many reading app processes (issue 18).

The writer (`analytics.db.writer`: loads, accounts, the audit log, saved header mappings) works on the
database file as before, one at a time across processes. After a write that changes what pages read
— the data version, the accounts, the saved header mappings, the settings file, the schema — it
publishes a snapshot while it still holds the write lock:

1. CHECKPOINT (the write-ahead log into the file; a checkpoint that left a log behind is refused);
2. copy the file to `snapshots/.<version>.partial`, flush it to disk, rename it `snapshots/<version>.duckdb`;
3. write the pointer `snapshots/current` (JSON: version, file, what the snapshot holds, the settings
   file's text) to a temporary file and `os.replace` it over the old one: a reader sees the old
   pointer or the new one, never half of one, and never a half-copied database;
4. delete older snapshots that no process has open.

Readers (the app: every script run reads through `serving(db_path)`) read the pointer, open the file
it names, take a shared `flock` on it and open it with DuckDB read-only: any number of processes read
one file at once, and nobody waits for a load. A snapshot is deleted only by whoever gets an exclusive
`flock` on it without waiting, i.e. when no process has it open (the publisher after a publish, a
reader when it lets go of an old one).

Publishing is switched on for a database by its first snapshot: the app publishes one on its first
run (`scripts/serve.sh` before it starts the app processes). A database no app serves is never copied,
so the command line alone costs what it did. A full copy is cheap because DuckDB compresses: the SF 30
company (1.9M rows) is a 42 MB file, copied and flushed in 0.06–0.08 s (`COPY FROM DATABASE` into a
new file took 2.4 s; ext4 has no reflinks, and a hard link is no snapshot of a file written in place).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from analytics import db
from analytics.config import settings_path
from analytics.errors import DatabaseBusyError

LOG = logging.getLogger(__name__)
SNAPSHOTS_DIR = "snapshots"
POINTER = "current"
SUFFIX = ".duckdb"
FIRST_PUBLISH_WAIT_SECONDS = 5.0
"""How long a reader waits for the write lock to publish a missing snapshot before saying 数据更新中."""

WRITTEN_BY_LOADS = frozenset({"load_log", "quarantine", "decision_status_seen", "work_calendar", "schema_info"})
"""Tables only a load (or the schema) writes: the data version covers them, as it covers the ledgers."""
NOT_READ_BY_PAGES = frozenset({"audit_log", "sign_in_attempts", "sign_in_throttle"})
"""Written on every sign-in or click, read by no page from a snapshot (the audit page reads the file):
a write to them alone publishes nothing."""
NOT_READ_COLUMNS = {"users": ("last_sign_in_at",)}


def _content_sql(connection: duckdb.DuckDBPyConnection) -> str:
    """What pages read that a write can change: the data version (every load bumps it) and a hash of
    every other table's rows (accounts without their last sign-in, saved header and value mappings,
    load profiles, …); a table added later is covered without being named here."""
    tables = [
        str(row[0])
        for row in connection.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'main' and table_type = 'BASE TABLE' order by table_name"
        ).fetchall()
    ]
    parts = ["(select coalesce(max(value), '0') from schema_info where key = 'data_version')"]
    for table in tables:
        if table in db.LEDGERS or table in WRITTEN_BY_LOADS or table in NOT_READ_BY_PAGES:
            continue
        columns = NOT_READ_COLUMNS.get(table)
        rows = f'select * exclude ({", ".join(columns)}) from "{table}"' if columns else f'select * from "{table}"'
        parts.append(f"(select count(*)::varchar || ':' || coalesce(sum(hash(t)), 0)::varchar from ({rows}) t)")
    return "select " + ", ".join(parts)


class DataUpdatingError(DatabaseBusyError):
    """No snapshot can be read yet (none published and the writer is busy): the page says 数据更新中."""

    def __init__(self) -> None:
        super().__init__("数据更新中，请稍候。 Data is being updated; a moment, please.")


@dataclass(frozen=True)
class Snapshot:
    """One published version: its number, its file and what it holds."""

    version: int
    path: Path
    data_version: int
    content: tuple[str, ...]
    schema: str
    settings_text: str | None
    published_at: str

    def as_json(self) -> str:
        return json.dumps(
            {
                "version": self.version,
                "file": self.path.name,
                "data_version": self.data_version,
                "content": list(self.content),
                "schema": self.schema,
                "settings": self.settings_text,
                "published_at": self.published_at,
            },
            ensure_ascii=False,
            indent=1,
        )


def folder(db_path: Path | str) -> Path:
    """`snapshots/` beside the database (one database per folder, as settings.toml and originals/)."""
    return Path(db_path).parent / SNAPSHOTS_DIR


def schema_fingerprint() -> str:
    """The schema this code expects: a snapshot made under another schema is published again."""
    text = "\n".join(
        [str(db.SCHEMA_VERSION), db.SERVICE_TABLES, *(db.ledger_ddl(ledger) for ledger in db.LEDGERS.values())]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------------
# The pointer

_pointer_lock = threading.Lock()
_pointers: dict[str, tuple[bytes, Snapshot]] = {}


def current(db_path: Path | str) -> Snapshot | None:
    """The published snapshot the pointer names, or None before the first publish. The pointer is a
    few hundred bytes, read on every call (a run's first step); parsed again only when it changed."""
    pointer = folder(db_path) / POINTER
    try:
        raw = pointer.read_bytes()
    except FileNotFoundError:
        return None
    with _pointer_lock:
        cached = _pointers.get(str(pointer))
    if cached is not None and cached[0] == raw:
        return cached[1]
    try:
        fields = json.loads(raw.decode("utf-8"))
        snapshot = Snapshot(
            version=int(fields["version"]),
            path=pointer.parent / str(fields["file"]),
            data_version=int(fields["data_version"]),
            content=tuple(str(part) for part in fields["content"]),
            schema=str(fields["schema"]),
            settings_text=fields.get("settings"),
            published_at=str(fields.get("published_at", "")),
        )
    except (ValueError, KeyError, TypeError):  # not ours, or damaged by hand: the next publish replaces it
        return None
    with _pointer_lock:
        _pointers[str(pointer)] = (raw, snapshot)
    return snapshot


def enabled(db_path: Path | str) -> bool:
    """Whether writes to this database publish snapshots (an app has served it)."""
    return (folder(db_path) / POINTER).exists()


# ---------------------------------------------------------------------------------------------------
# Publishing (the writer's side)


_publishing = threading.local()


def after_write(connection: duckdb.DuckDBPyConnection, db_path: Path | str) -> None:
    """Called by `analytics.db.writer` after its work, under the write lock: publish when an app serves
    this database and what pages read has changed (an audit entry alone changes nothing they read)."""
    if getattr(_publishing, "db", None) == str(db_path):  # `publish` has just done it, under this lock
        return
    if enabled(db_path):
        try:
            publish_locked(connection, Path(db_path))
        except Exception:  # the write itself is committed: the app shows it after the next publish
            LOG.exception("publishing a snapshot of %s failed", db_path)


def publish(db_path: Path | str, *, force: bool = False, timeout: float = 60.0) -> Snapshot:
    """Publish the database's current state (nothing is copied when the current snapshot already holds
    it, unless `force`). Takes the write lock; DatabaseBusyError when it cannot within `timeout`."""
    _publishing.db = str(db_path)
    try:
        with db.writer(db_path, timeout=timeout) as connection:
            return publish_locked(connection, Path(db_path), force=force)
    finally:
        _publishing.db = None


def _content(connection: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    return tuple(str(value) for value in connection.execute(_content_sql(connection)).fetchall()[0])


def _settings_text(db_path: Path) -> str | None:
    try:
        return settings_path(db_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def publish_locked(connection: duckdb.DuckDBPyConnection, db_path: Path, *, force: bool = False) -> Snapshot:
    """Publish through a writer's connection, under its lock (see the module docstring)."""
    content, schema, settings = _content(connection), schema_fingerprint(), _settings_text(db_path)
    target = folder(db_path)
    old = current(db_path)
    same_data = old is not None and old.content == content and old.schema == schema and old.path.exists()
    if same_data and old is not None and not force and old.settings_text == settings:
        return old
    if not target.exists():
        target.mkdir(mode=db.PRIVATE_DIR, exist_ok=True)
    version = (old.version if old is not None else _highest_version(target)) + 1
    if same_data and not force and old is not None:
        path = old.path  # only the settings changed: the same file under a new version
    else:
        path = _copy(connection, db_path, target, version, content)
    snapshot = Snapshot(
        version=version,
        path=path,
        data_version=int(content[0]),
        content=content,
        schema=schema,
        settings_text=settings,
        published_at=datetime.now().isoformat(timespec="seconds"),
    )
    _write_pointer(target, snapshot)
    prune(db_path)
    return snapshot


def _highest_version(target: Path) -> int:
    versions = [int(path.stem) for path in target.glob(f"*{SUFFIX}") if path.stem.isdigit()]
    return max(versions, default=0)


def _copy(
    connection: duckdb.DuckDBPyConnection, db_path: Path, target: Path, version: int, content: tuple[str, ...]
) -> Path:
    """Checkpoint, copy, flush, check, rename: `snapshots/<version>.duckdb`, complete or absent."""
    connection.execute("checkpoint")
    wal = db_path.with_name(db_path.name + ".wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise RuntimeError(f"the checkpoint of {db_path} left its write-ahead log behind; nothing published")
    for leftover in target.glob(".*.partial"):  # a publish that died half-way (we hold the write lock)
        leftover.unlink(missing_ok=True)
    partial = target / f".{version}.partial"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, db.PRIVATE_FILE)
    try:
        with open(db_path, "rb") as source:
            size = os.fstat(source.fileno()).st_size
            copied = 0
            while copied < size:
                sent = os.copy_file_range(source.fileno(), fd, size - copied)
                if sent == 0:
                    break
                copied += sent
        os.fsync(fd)
    finally:
        os.close(fd)
    check = duckdb.connect(str(partial), read_only=True, config=db.NO_DOWNLOADS)
    try:
        if _content(check) != content:
            raise RuntimeError(f"the copy of {db_path} does not hold what was committed; nothing published")
    finally:
        check.close()
    path = target / f"{version}{SUFFIX}"
    os.replace(partial, path)
    return path


def _write_pointer(target: Path, snapshot: Snapshot) -> None:
    temporary = target / f".{POINTER}.{os.getpid()}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, db.PRIVATE_FILE)
    try:
        os.write(fd, snapshot.as_json().encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, target / POINTER)
    directory = os.open(target, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def prune(db_path: Path | str) -> list[Path]:
    """Delete every snapshot but the current one that no process has open; the ones deleted."""
    now = current(db_path)
    removed = []
    for path in folder(db_path).glob(f"*{SUFFIX}"):
        if now is not None and path.name == now.path.name:
            continue
        if _remove_if_unused(path):
            removed.append(path)
    return removed


def _remove_if_unused(path: Path) -> bool:
    """Delete a snapshot file if no process has it open. Files this process has open are skipped without
    asking the lock: on NFS, flock is emulated with POSIX locks, which never conflict within a process."""
    with _open_lock:
        if str(path) in _opened:
            return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # a reader has it open
        os.close(fd)
        return False
    try:
        path.unlink(missing_ok=True)
        return True
    finally:
        os.close(fd)  # closing releases the lock


# ---------------------------------------------------------------------------------------------------
# Reading (the app's side)


@dataclass
class _Opened:
    """One snapshot file open in this process: a read-only connection and the shared lock's descriptor."""

    snapshot: Snapshot
    connection: duckdb.DuckDBPyConnection
    fd: int
    users: int = 0


_open_lock = threading.Lock()
_opened: dict[str, _Opened] = {}  # by snapshot file
_newest: dict[str, str] = {}  # database → the newest snapshot file this process opened
_pins = threading.local()


def _open_file(snapshot: Snapshot) -> _Opened | None:
    """Open a snapshot file for reading (shared lock first), or None if it was deleted meanwhile."""
    try:
        fd = os.open(snapshot.path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        if os.fstat(fd).st_nlink == 0:  # deleted between the pointer and the lock
            os.close(fd)
            return None
        connection = duckdb.connect(str(snapshot.path), read_only=True, config=db.NO_DOWNLOADS)
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        raise
    return _Opened(snapshot, connection, fd)


def _acquire_file(snapshot: Snapshot) -> _Opened | None:
    """`snapshot`'s file, open and counted as used, if it still exists (not registered as the newest)."""
    with _open_lock:
        entry = _opened.get(str(snapshot.path))
        if entry is not None:
            entry.users += 1
            return entry
    entry = _open_file(snapshot)
    if entry is None:
        return None
    with _open_lock:
        other = _opened.get(str(snapshot.path))
        if other is not None:
            other.users += 1
        else:
            entry.users = 1
            _opened[str(snapshot.path)] = entry
            return entry
    _close(entry)
    return other


def _acquire(db_path: Path, prefer: Snapshot | None = None) -> _Opened:
    """The current snapshot (or `prefer`'s file while it exists), open and counted as used; the first
    snapshot is published when there is none."""
    key = str(db_path)
    if prefer is not None:
        entry = _acquire_file(prefer)
        if entry is not None:
            return entry
    for _ in range(20):
        snapshot = current(db_path)
        if snapshot is None or snapshot.schema != schema_fingerprint() or not snapshot.path.exists():
            try:
                snapshot = publish(db_path, force=snapshot is not None, timeout=FIRST_PUBLISH_WAIT_SECONDS)
            except DatabaseBusyError:
                raise DataUpdatingError() from None
        with _open_lock:
            entry = _opened.get(str(snapshot.path))
            if entry is not None:
                entry.users += 1
                entry.snapshot = snapshot  # the same file may carry a newer version (settings)
                return entry
        entry = _open_file(snapshot)
        if entry is None:
            time.sleep(0.01)
            continue
        stale: list[_Opened] = []
        with _open_lock:
            other = _opened.get(str(snapshot.path))
            if other is not None:  # another thread opened it meanwhile
                other.users += 1
                _close(entry)
                return other
            entry.users = 1
            _opened[str(snapshot.path)] = entry
            previous = _newest.get(key)
            _newest[key] = str(snapshot.path)
            if previous is not None and previous != str(snapshot.path):
                old = _opened.get(previous)
                if old is not None and old.users == 0:
                    stale.append(_opened.pop(previous))
        for old in stale:
            _close(old)
            _remove_if_unused(old.snapshot.path)
        return entry
    raise DataUpdatingError()


def _release(db_path: Path, entry: _Opened) -> None:
    """One user fewer; a snapshot nobody here uses any more and that is no longer current is closed
    (and deleted, when no other process has it open)."""
    now = current(db_path)
    superseded = now is None or now.path != entry.snapshot.path
    with _open_lock:
        entry.users -= 1
        retire = entry.users == 0 and (superseded or _newest.get(str(db_path)) != str(entry.snapshot.path))
        if retire:
            _opened.pop(str(entry.snapshot.path), None)
    if retire:
        _close(entry)
        _remove_if_unused(entry.snapshot.path)


def _close(entry: _Opened) -> None:
    """Close DuckDB first, then our descriptor (closing it would drop DuckDB's own POSIX lock)."""
    with contextlib.suppress(Exception):
        entry.connection.close()
    with contextlib.suppress(OSError):
        os.close(entry.fd)


def close_all() -> None:
    """Let go of every snapshot this process has open (tests; a process about to exit)."""
    with _open_lock:
        entries = list(_opened.values())
        _opened.clear()
        _newest.clear()
    for entry in entries:
        _close(entry)


@contextmanager
def serving(db_path: Path | str, prefer: Snapshot | None = None) -> Iterator[Snapshot]:
    """Within: this thread's reads of `db_path` (`analytics.db.connect`) go to one snapshot, read-only —
    the current one when it is entered, or `prefer` while its file exists (a fragment's rerun reads
    what its page was built from); writes (`analytics.db.writer`) still go to the database.

    DataUpdatingError when there is no snapshot and none can be published now (the writer is busy).
    """
    path = Path(db_path)
    pins: dict[str, _Opened] = _pins.__dict__.setdefault("by_db", {})
    if str(path) in pins:  # nested: the run's snapshot
        yield pins[str(path)].snapshot
        return
    entry = _acquire(path, prefer)
    pins[str(path)] = entry
    try:
        yield entry.snapshot
    finally:
        pins.pop(str(path), None)
        _release(path, entry)


def pinned(db_path: Path | str) -> Snapshot | None:
    """The snapshot this thread reads `db_path` from (inside `serving`), else None."""
    entry = _pins.__dict__.get("by_db", {}).get(str(db_path))
    return entry.snapshot if entry is not None else None


@contextmanager
def reading_database(db_path: Path | str) -> Iterator[None]:
    """Within: this thread reads the database file itself, not its snapshot (the audit page: the log
    grows with every sign-in, and a sign-in publishes nothing)."""
    pins: dict[str, _Opened] = _pins.__dict__.setdefault("by_db", {})
    entry = pins.pop(str(db_path), None)
    try:
        yield
    finally:
        if entry is not None:
            pins[str(db_path)] = entry


@contextmanager
def _cursor(entry: _Opened) -> Iterator[duckdb.DuckDBPyConnection]:
    cursor = entry.connection.cursor()
    try:
        yield cursor
    finally:
        cursor.close()


def route(key: str) -> contextlib.AbstractContextManager[duckdb.DuckDBPyConnection] | None:
    """`analytics.db.connect`'s question: a cursor on this thread's snapshot of `key`, or None (direct)."""
    entry = _pins.__dict__.get("by_db", {}).get(key)
    return _cursor(entry) if entry is not None else None


db.READ_ROUTE = route


def main(argv: list[str] | None = None) -> int:
    """`python -m analytics.snapshots [--db PATH]`: publish a snapshot now (scripts/serve.sh runs it)."""
    import argparse

    from analytics.config import database_path

    parser = argparse.ArgumentParser(prog="python -m analytics.snapshots", description=main.__doc__)
    parser.add_argument("--db", help="the database (default: OPS_DB, else data/ops.duckdb)")
    args = parser.parse_args(argv)
    try:
        snapshot = publish(database_path(args.db))
    except DatabaseBusyError as exc:
        print(str(exc))
        return 1
    print(f"已发布数据版本 {snapshot.version}：{snapshot.path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
