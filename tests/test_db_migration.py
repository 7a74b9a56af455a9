"""Schema migration: a database made by an earlier version keeps working, with every row.

`fixtures/databases/schema-v2-0caf299.duckdb.gz` is a database file built by main at commit 0caf299
(schema version 2): the rows of tests/weekly_fixture.py, plus X1 loaded from 行政部督办.csv through the
command line (so load_log and header_mappings hold a row), and the account 张三 (dept_head, 财务部,
password `a-Strong-passw0rd`) added with `users add`.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from analytics import db
from analytics.auth.accounts import authenticate_local
from analytics.ledgers import definitions

OLD_DATABASE = Path(__file__).parent / "fixtures" / "databases" / "schema-v2-0caf299.duckdb.gz"
ROWS_IN_OLD_DATABASE = {
    "decisions": 8,
    "meetings": 5,
    "supplies": 7,
    "documents": 3,
    "incidents": 2,
    "schedule": 4,
    "users": 1,
    "audit_log": 1,
    "load_log": 1,
    "header_mappings": 2,
}


@pytest.fixture
def old_database(tmp_path: Path) -> Path:
    path = tmp_path / "ops.duckdb"
    with gzip.open(OLD_DATABASE) as packed, path.open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    return path


def _cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "analytics", *arguments], capture_output=True, text=True, check=False)


def test_a_version_2_database_is_migrated_keeping_every_row(old_database: Path) -> None:
    with db.connect(old_database) as con:
        counts = {table: con.execute(f"select count(*) from {table}").fetchone()[0] for table in ROWS_IN_OLD_DATABASE}
        version = dict(con.execute("select key, value from schema_info").fetchall())
        x1 = con.execute(
            "select item, owner_dept, owner, due_date::varchar, status, original_due_date, extension_count, "
            "reminder_count, last_reminder_date, _file from decisions where decision_id = 'X1'"
        ).fetchone()
        columns = [row[0] for row in con.execute("describe decisions").fetchall()]
    assert counts == ROWS_IN_OLD_DATABASE
    assert version["schema_version"] == str(db.SCHEMA_VERSION)
    assert version["schema_fingerprint"] == db.schema_fingerprint()
    assert version["data_version"] == "2"  # the data did not change, so caches keyed on it stay valid
    assert x1 == ("整理档案", "行政部", "周敏", "2026-11-20", "open", None, None, None, None, "行政部督办.csv")
    assert {c.name for c in definitions.DECISIONS.columns} <= set(columns)


def test_the_migrated_database_answers_loads_and_signs_in(old_database: Path, tmp_path: Path) -> None:
    metrics = _cli("metrics", "--week", "2026-W47", "--format", "json", "--db", str(old_database))
    assert metrics.returncode == 0, metrics.stderr
    values = json.loads(metrics.stdout)["metrics"]
    # due in W47: D1-D5 of the fixture (3 completed by Sunday) and X1 (open): 3 / 6
    assert values["decision_completion_rate"] == 0.5
    assert values["decisions_overdue"] == 3  # D3, D4 (completed 11-23) and X1
    assert values["supply_waste_value"] == 50.0

    export = tmp_path / "督办更新.csv"
    export.write_text(
        "编号,事项,责任部门,下达日期,完成时限,原定时限,延期次数,催办次数,状态\n"
        "X1,整理档案,行政部,2026-11-10,2026-11-27,2026-11-20,1,2,进行中\n",
        encoding="utf-8",
    )
    load = _cli("ingest", str(export), "--ledger", "decisions", "--db", str(old_database))
    assert load.returncode == 0, load.stderr
    with db.connect(old_database) as con:
        x1 = con.execute(
            "select due_date::varchar, original_due_date::varchar, extension_count, reminder_count "
            "from decisions where decision_id = 'X1'"
        ).fetchone()
        assert con.execute("select count(*) from decisions").fetchone()[0] == 8
    assert x1 == ("2026-11-27", "2026-11-20", 1, 2)
    assert authenticate_local(old_database, "张三", "a-Strong-passw0rd", sleep=lambda _: None).departments == (
        "财务部",
    )


def test_a_column_added_to_a_declaration_reaches_an_existing_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ops.duckdb"
    with db.writer(path) as con:
        con.execute(
            "insert into incidents (incident_id, incident_type, reported_at) values ('I1', '停电', '2026-11-18 09:00')"
        )
    extended = replace(
        definitions.INCIDENTS,
        columns=(*definitions.INCIDENTS.columns, definitions.Column("weather", "text", "天气")),
    )
    monkeypatch.setitem(definitions.LEDGERS, "incidents", extended)
    db.schema_fingerprint.cache_clear()
    db.declared_columns.cache_clear()
    try:
        with db.connect(path) as con:
            rows = con.execute("select incident_id, incident_type, weather from incidents").fetchall()
    finally:
        db.schema_fingerprint.cache_clear()
        db.declared_columns.cache_clear()
    assert rows == [("I1", "停电", None)]


def test_a_database_from_a_newer_version_is_refused_plainly(tmp_path: Path) -> None:
    path = tmp_path / "ops.duckdb"
    with db.writer(path) as con:
        con.execute("update schema_info set value = '99' where key = 'schema_version'")
    result = _cli("metrics", "--week", "2026-W47", "--db", str(path))
    assert result.returncode == 2
    assert "更新版本" in result.stderr and "Traceback" not in result.stderr
