"""The app's view of the database between reruns: a warm rerun reads the published snapshot's pointer
(a `stat`), never the database file; a load from this process or from another (the command line)
shows on the next rerun after it is published; while another program holds the database file, pages
go on reading the snapshot without waiting."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics import snapshots
from analytics.auth import accounts
from analytics.db import bump_data_version, connect, data_version, writer
from analytics.ui import data
from tests.conftest import PROJECT_ROOT, PYTHON


@pytest.fixture
def db(db_path: Path) -> Iterator[Path]:
    with connect(db_path):
        pass  # creates the file and its schema (data version 0)
    data.forget_database_state()
    yield db_path
    snapshots.close_all()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every time the accounts flag is read from a snapshot."""
    seen: list[str] = []
    real = data.accounts_configured

    def counting(path: object) -> bool:
        seen.append(str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(data, "accounts_configured", counting)
    return seen


def test_the_first_rerun_publishes_version_1_and_a_warm_rerun_reads_nothing_more(db: Path, reads: list[str]) -> None:
    state = data.database_state(db)
    assert (state.version, state.accounts_configured) == (1, False)
    assert data.database_state(db) == state
    assert data.current_version(db) == 1
    assert reads == [str(db)]


def test_a_write_in_this_process_shows_on_the_next_rerun(db: Path, reads: list[str]) -> None:
    assert data.current_version(db) == 1
    with writer(db) as con:
        bump_data_version(con)
    assert data.current_version(db) == 2
    assert len(reads) == 2


def test_a_load_from_another_process_shows_on_the_next_rerun(db: Path) -> None:
    assert data.current_version(db) == 1
    bump = "from analytics.db import bump_data_version, writer\nwith writer({!r}) as con: bump_data_version(con)"
    subprocess.run([str(PYTHON), "-c", bump.format(str(db))], cwd=PROJECT_ROOT, check=True, timeout=120)
    assert data.current_version(db) == 2


def test_a_new_account_ends_the_local_administrator_on_the_next_rerun(db: Path) -> None:
    assert not data.database_state(db).accounts_configured
    accounts.add_account(db, "zhuli", "assistant", password="a long enough password")
    assert data.database_state(db).accounts_configured


HOLD_THE_FILE = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("update schema_info set value = (cast(value as bigint) + 1)::varchar where key = 'data_version'")
print("holding", flush=True)
time.sleep(120)
"""


def test_while_another_program_holds_the_database_a_rerun_reads_the_snapshot_without_waiting(db: Path) -> None:
    """A command-line load holds the file: DuckDB lets no other process open it until it is done."""
    assert data.current_version(db) == 1
    holder = subprocess.Popen([str(PYTHON), "-c", HOLD_THE_FILE, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        started = time.monotonic()
        data.forget_database_state(db)
        assert data.current_version(db) == 1
        with snapshots.serving(db), connect(db) as con:
            assert con.execute("select value from schema_info where key = 'data_version'").fetchall() == [("0",)]
        assert time.monotonic() - started < 1.0
    finally:
        holder.kill()
        holder.wait()
    assert snapshots.publish(db).data_version == 1  # the next publish (here by hand) shows its write
    assert data.current_version(db) == 2


def test_a_fragment_rerun_reads_the_version_its_page_was_built_from(db: Path) -> None:
    """A fragment's rerun runs no frame, so nothing is pinned: it still reads its page's snapshot, not the file."""
    assert data.current_version(db) == 1  # the page's run: version 1 (data version 0)
    with writer(db) as con:
        bump_data_version(con)  # published as version 2 meanwhile
    with data._reading(str(db), 1) as con:  # the page's fragment reruns
        assert data_version(con) == 0
    with data._reading(str(db), 2) as con:  # a page built on version 2
        assert data_version(con) == 1
    assert [p.name for p in snapshots.folder(db).glob("*.duckdb")] == ["2.duckdb"]  # 1 was let go of: deleted
