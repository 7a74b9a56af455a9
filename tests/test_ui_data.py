"""The app's view of the database between reruns: a warm rerun reads the published snapshot's pointer
(a `stat`), never the database file; a load from this process or from another (the command line)
shows on the next rerun after it is published; while another program holds the database file, pages
go on reading the snapshot without waiting."""

from __future__ import annotations

import subprocess
import time
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analytics import snapshots
from analytics.auth import LOCAL_ADMINISTRATOR, Identity, accounts
from analytics.db import bump_data_version, connect, data_version, writer
from analytics.settings import Settings
from analytics.ui import data
from analytics.weeks import Month, Week
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


# One typed key per cached read: equal keys share a cache entry, a different scope or version does not.


def _view(db: Path, identity: Identity = LOCAL_ADMINISTRATOR, version: int = 1) -> data.View:
    return data.View(db, version, Week(2026, 47), ("财务部",), Settings(), "zh", True, identity)


def test_a_views_read_key_is_equal_and_hashable_for_the_same_view_and_differs_by_scope_version_and_period(
    db: Path,
) -> None:
    key = _view(db).read_key
    assert key == _view(db).read_key and hash(key) == hash(_view(db).read_key)
    assert key.as_of == date(2026, 11, 25)  # today (OPS_TODAY): a period in progress changes at midnight
    gm = Identity("gm", "总经理", "gm", ())
    assert len({key, _view(db, gm).read_key, _view(db, version=2).read_key, replace(key, period=Month(2026, 11))}) == 4


def test_a_cached_read_runs_once_per_key(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[object, ...]] = []

    def counting(*args: object, **kwargs: object) -> pd.DataFrame:
        calls.append(args)
        return pd.DataFrame({"department": ["财务部"], "value": [len(calls)]})

    monkeypatch.setattr(data.queries, "breakdown", counting)
    data._breakdown.clear()
    try:
        first = data.breakdown(_view(db), "meeting_overrun_rate")
        assert data.breakdown(_view(db), "meeting_overrun_rate").equals(first)  # equal key: served from the cache
        assert len(calls) == 1
        data.breakdown(_view(db, Identity("gm", "总经理", "gm", ())), "meeting_overrun_rate")  # another scope
        data.breakdown(_view(db, version=2), "meeting_overrun_rate")  # another version
        data.breakdown(_view(db), "decision_overdue_rate")  # another metric
        assert len(calls) == 4
    finally:
        data._breakdown.clear()


def test_what_the_cache_hashes_for_a_read_key_differs_whenever_the_key_does(db: Path) -> None:
    key = _view(db).read_key
    assert data.key_text(key) == data.key_text(_view(db).read_key)
    gm = Identity("gm", "总经理", "gm", ())
    others = [
        _view(db, gm).read_key,  # another user's scope: never the same entry
        _view(db, version=2).read_key,
        replace(key, period=Month(2026, 11)),
        replace(key, compare=Week(2026, 45)),
        replace(key, as_of=date(2026, 11, 26)),
        replace(key, departments=("研发部",)),
        replace(key, settings=Settings(warn_working_days=5)),
        replace(key, db=str(db) + "-other"),
    ]
    texts = {data.key_text(key), *(data.key_text(other) for other in others)}
    assert len(texts) == 1 + len(others)


def test_the_server_does_not_collect_garbage_after_every_run() -> None:
    # Streamlit's default full collection after each script run was half the server's CPU per page load.
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
