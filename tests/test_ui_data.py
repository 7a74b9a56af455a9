"""The app's view of the database between reruns: a warm rerun does not open DuckDB, and a load from
this process or from another (the command line) shows on the next rerun."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from analytics import db as database
from analytics.auth import accounts
from analytics.db import bump_data_version, connect, writer
from analytics.errors import DatabaseBusyError
from analytics.ui import data
from tests.conftest import PROJECT_ROOT, PYTHON


@pytest.fixture
def db(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    with connect(db_path):
        pass  # creates the file and its schema (data version 0)
    data.forget_database_state()
    monkeypatch.setattr(data, "STATE_TTL_SECONDS", 3600.0)  # only a change of the file may trigger a read
    return db_path


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every time the state is read from DuckDB."""
    seen: list[str] = []
    real = data.connect

    def counting(path: object, **options: bool):  # noqa: ANN202
        seen.append(str(path))
        return real(path, **options)

    monkeypatch.setattr(data, "connect", counting)
    return seen


def test_a_warm_rerun_reads_the_state_without_opening_the_database(db: Path, opens: list[str]) -> None:
    assert data.database_state(db) == data.DatabaseState(version=0, accounts_configured=False)
    assert data.database_state(db) == data.DatabaseState(version=0, accounts_configured=False)
    assert data.current_version(db) == 0
    assert opens == [str(db)]


def test_a_write_in_this_process_shows_on_the_next_rerun(db: Path, opens: list[str]) -> None:
    assert data.current_version(db) == 0
    with writer(db) as con:
        bump_data_version(con)
    assert data.current_version(db) == 1
    assert len(opens) == 2


def test_a_load_from_another_process_shows_on_the_next_rerun(db: Path) -> None:
    assert data.current_version(db) == 0
    bump = "from analytics.db import bump_data_version, writer\nwith writer({!r}) as con: bump_data_version(con)"
    subprocess.run([str(PYTHON), "-c", bump.format(str(db))], cwd=PROJECT_ROOT, check=True, timeout=120)
    assert data.current_version(db) == 1


def test_a_new_account_ends_the_local_administrator_on_the_next_rerun(db: Path) -> None:
    assert not data.database_state(db).accounts_configured
    accounts.add_account(db, "zhuli", "assistant", password="a long enough password")
    assert data.database_state(db).accounts_configured


def test_the_state_is_read_again_after_the_upload_page_forgets_it(db: Path, opens: list[str]) -> None:
    data.current_version(db)
    data.forget_database_state(db)
    data.current_version(db)
    assert len(opens) == 2


def test_the_state_is_read_again_when_it_is_older_than_the_ttl(
    db: Path, opens: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(data, "STATE_TTL_SECONDS", 0.0)
    data.current_version(db)
    data.current_version(db)
    assert len(opens) == 2


HOLD_THE_FILE = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("update schema_info set value = (cast(value as bigint) + 1)::varchar where key = 'data_version'")
print("holding", flush=True)
time.sleep(120)
"""


def test_while_another_program_writes_a_rerun_shows_the_data_as_it_was_without_waiting(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command-line load holds the file: DuckDB lets no other process open it until it is done."""
    assert data.current_version(db) == 0
    monkeypatch.setattr(data, "STATE_TTL_SECONDS", 0.0)  # every rerun tries to read the state again
    holder = subprocess.Popen([str(PYTHON), "-c", HOLD_THE_FILE, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        started = time.monotonic()
        assert data.current_version(db) == 0
        assert time.monotonic() - started < database.BUSY_RETRY_SECONDS / 2
        data.forget_database_state(db)  # nothing known: the rerun has to wait, then says the file is busy
        monkeypatch.setattr(database, "BUSY_RETRY_SECONDS", 0.3)
        with pytest.raises(DatabaseBusyError):
            data.current_version(db)
    finally:
        holder.kill()
        holder.wait()
    assert data.current_version(db) == 1
