"""Published snapshots (analytics/snapshots.py): one writer, readers on read-only copies.

The values asserted are the data version (each `bump_data_version` adds 1), the number of accounts
and the number of decisions rows written by hand below, so each can be checked by reading the test.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import duckdb
import pytest
from filelock import FileLock

from analytics import snapshots
from analytics.auth import accounts, audit
from analytics.db import bump_data_version, connect, writer
from analytics.errors import AccessError
from analytics.ingest import save_mappings
from analytics.settings import Settings, save_settings
from tests.conftest import PROJECT_ROOT, PYTHON

DECISION = (
    "insert into decisions (decision_id, item, owner_dept, owner, created_date, due_date, status) "
    "values (?, '更新报销制度', '财务部', '钱静', date '2026-11-16', date '2026-11-20', 'open')"
)


@pytest.fixture(autouse=True)
def let_go() -> None:
    yield
    snapshots.close_all()


def add_decision(db: Path, decision_id: str) -> None:
    """One decisions row and a data version bump, as a load does."""
    with writer(db) as con:
        con.execute(DECISION, [decision_id])
        bump_data_version(con)


def decisions_read(db: Path) -> int:
    with connect(db) as con:
        return con.execute("select count(*) from decisions").fetchall()[0][0]


def test_a_database_that_no_app_serves_is_never_copied(db_path: Path) -> None:
    add_decision(db_path, "D1")
    assert not snapshots.folder(db_path).exists()
    assert snapshots.current(db_path) is None


def test_the_first_reader_publishes_version_1_and_reads_it_read_only(db_path: Path) -> None:
    add_decision(db_path, "D1")
    with snapshots.serving(db_path) as snapshot:
        assert snapshot.version == 1
        assert snapshot.data_version == 1
        assert snapshot.path == db_path.parent / "snapshots" / "1.duckdb"
        assert decisions_read(db_path) == 1
        with connect(db_path) as con, pytest.raises(duckdb.Error, match="read-only"):
            con.execute("delete from decisions")
    pointer = json.loads((db_path.parent / "snapshots" / "current").read_text(encoding="utf-8"))
    assert (pointer["version"], pointer["file"], pointer["data_version"]) == (1, "1.duckdb", 1)
    assert oct(os.stat(snapshot.path).st_mode & 0o777) == "0o600"


def test_a_load_publishes_the_next_version_and_an_audit_entry_alone_publishes_nothing(db_path: Path) -> None:
    add_decision(db_path, "D1")
    assert snapshots.publish(db_path).version == 1
    add_decision(db_path, "D2")
    assert snapshots.current(db_path).version == 2  # type: ignore[union-attr]
    audit.log(db_path, "export", "zhuli", target="周报.xlsx")
    assert snapshots.current(db_path).version == 2  # type: ignore[union-attr]
    with snapshots.serving(db_path):
        assert decisions_read(db_path) == 2
    assert sorted(p.name for p in snapshots.folder(db_path).glob("*.duckdb")) == ["2.duckdb"]  # 1 was unused


def test_an_account_change_publishes_a_new_version(db_path: Path) -> None:
    snapshots.publish(db_path)
    accounts.add_account(db_path, "zhuli", "assistant", password="a long enough password")
    with snapshots.serving(db_path) as snapshot:
        assert snapshot.version == 2
        assert accounts.accounts_configured(db_path)


def test_a_run_keeps_reading_its_version_while_a_newer_one_is_published(db_path: Path) -> None:
    add_decision(db_path, "D1")
    snapshots.publish(db_path)
    with snapshots.serving(db_path) as snapshot:
        add_decision(db_path, "D2")  # the writer publishes version 2 meanwhile
        assert snapshots.current(db_path).version == 2  # type: ignore[union-attr]
        assert decisions_read(db_path) == 1  # the run's numbers all come from version 1
        assert snapshot.path.exists()  # in use: not deleted
        with writer(db_path) as con:  # a writer still sees the file itself
            assert con.execute("select count(*) from decisions").fetchall()[0][0] == 2
    assert not snapshot.path.exists()  # let go of: deleted
    with snapshots.serving(db_path):
        assert decisions_read(db_path) == 2


HOLD_A_SNAPSHOT = """
import sys, time
from pathlib import Path
from analytics import snapshots
from analytics.db import connect
with snapshots.serving(Path(sys.argv[1])) as snapshot, connect(Path(sys.argv[1])) as con:
    print(snapshot.version, con.execute("select count(*) from decisions").fetchall()[0][0], flush=True)
    time.sleep(120)
"""


def test_a_snapshot_another_process_reads_is_kept_until_it_lets_go(db_path: Path) -> None:
    add_decision(db_path, "D1")
    first = snapshots.publish(db_path)
    reader = subprocess.Popen(
        [str(PYTHON), "-c", HOLD_A_SNAPSHOT, str(db_path)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline() == "1 1\n"
        add_decision(db_path, "D2")
        assert snapshots.current(db_path).version == 2  # type: ignore[union-attr]
        assert first.path.exists()
    finally:
        reader.kill()
        reader.wait()
    assert snapshots.prune(db_path) == [first.path]
    assert sorted(p.name for p in snapshots.folder(db_path).glob("*.duckdb")) == ["2.duckdb"]


def test_a_settings_change_publishes_a_version_carrying_the_new_settings_on_the_same_file(db_path: Path) -> None:
    first = snapshots.publish(db_path)
    save_settings(Settings(idle_days=30), db_path.with_name("settings.toml"))
    second = snapshots.publish(db_path)
    assert second.version == 2
    assert second.path == first.path
    assert "idle_days = 30" in (second.settings_text or "")


def test_a_snapshot_made_under_another_schema_is_published_again(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_decision(db_path, "D1")
    snapshots.publish(db_path)
    monkeypatch.setattr(snapshots, "schema_fingerprint", lambda: "a newer schema")
    with snapshots.serving(db_path) as snapshot:
        assert (snapshot.version, snapshot.schema) == (2, "a newer schema")


def test_with_no_snapshot_and_a_busy_writer_the_reader_says_data_is_updating_without_waiting_long(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_decision(db_path, "D1")
    monkeypatch.setattr(snapshots, "FIRST_PUBLISH_WAIT_SECONDS", 0.2)
    lock = FileLock(str(db_path) + ".lock")
    with lock:  # another load holds the write lock (FileLock instances in one process exclude each other)
        started = time.monotonic()
        with pytest.raises(snapshots.DataUpdatingError, match="数据更新中"), snapshots.serving(db_path):
            pass
        assert time.monotonic() - started < 2


def test_a_failed_copy_leaves_the_last_snapshot_in_place_and_the_load_committed(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_decision(db_path, "D1")
    snapshots.publish(db_path)

    def broken(*args: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "copy_file_range", broken)
    add_decision(db_path, "D2")  # committed; the publish fails and is logged
    assert snapshots.current(db_path).version == 1  # type: ignore[union-attr]
    with snapshots.serving(db_path):
        assert decisions_read(db_path) == 1
    monkeypatch.undo()
    assert snapshots.publish(db_path).version == 2
    assert not list(snapshots.folder(db_path).glob(".*.partial"))


def test_a_command_line_load_publishes_for_the_app(db_path: Path) -> None:
    snapshots.publish(db_path)
    csv = db_path.with_name("决议督办台账.csv")
    csv.write_text(
        "决议编号,决议事项,责任部门,责任人,下达日期,完成时限,状态\nD9,更新报销制度,财务部,钱静,2026-11-16,2026-11-20,进行中\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [str(PYTHON), "-m", "analytics", "ingest", str(csv), "--db", str(db_path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    with snapshots.serving(db_path) as snapshot:
        assert snapshot.version == 2
        assert decisions_read(db_path) == 1


def test_a_saved_header_mapping_publishes_and_a_sign_in_alone_does_not(db_path: Path) -> None:
    accounts.add_account(db_path, "zhuli", "assistant", password="a long enough password")
    assert snapshots.publish(db_path).version == 1
    accounts.authenticate_local(db_path, "zhuli", "a long enough password")  # last sign-in, audit row
    assert snapshots.current(db_path).version == 1  # type: ignore[union-attr]
    with pytest.raises(AccessError):
        accounts.authenticate_local(db_path, "zhuli", "wrong password", sleep=lambda seconds: None)
    assert snapshots.current(db_path).version == 1  # type: ignore[union-attr]
    save_mappings(db_path, {"督办事项名称": "item"}, "decisions")
    assert snapshots.current(db_path).version == 2  # type: ignore[union-attr]
    with snapshots.serving(db_path), connect(db_path) as con:
        assert con.execute("select header, column_name from header_mappings").fetchall() == [("督办事项名称", "item")]
