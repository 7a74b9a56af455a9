"""The database file is its owner's alone; schema version 2 adds the access tables to an old database."""

from __future__ import annotations

import stat
from pathlib import Path

from analytics import db


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_its_lock_its_folder_and_the_originals_folder_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new" / "ops.duckdb"
    with db.writer(path) as con:
        db.bump_data_version(con)
    assert mode(path) == 0o600
    assert mode(Path(str(path) + ".lock")) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(path.parent / db.ORIGINALS_DIR) == 0o700
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".new-database-")]  # staging removed


def test_an_existing_database_open_to_others_is_tightened_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "ops.duckdb"
    with db.connect(path):
        pass
    path.chmod(0o644)
    (tmp_path / "originals").chmod(0o755)
    with db.connect(path):
        pass
    assert mode(path) == 0o600 and mode(tmp_path / "originals") == 0o700


def test_a_version_1_database_gains_the_access_tables_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "ops.duckdb"
    with db.writer(path) as con:
        con.execute("insert into decisions (decision_id, item) values ('D1', '旧数据')")
        for table in ("users", "sign_in_attempts", "audit_log"):
            con.execute(f"drop table {table}")
        con.execute("drop sequence audit_id_seq")
        con.execute("update schema_info set value = '1' where key = 'schema_version'")
    for _ in range(2):  # migrating twice changes nothing
        with db.connect(path) as con:
            tables = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
            assert {"users", "sign_in_attempts", "audit_log"} <= tables
            assert con.execute("select value from schema_info where key = 'schema_version'").fetchone() == (
                str(db.SCHEMA_VERSION),
            )
            assert con.execute("select item from decisions").fetchall() == [("旧数据",)]
