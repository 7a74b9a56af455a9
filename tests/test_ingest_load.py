"""Loading: one transaction per file, newest file wins, nothing lost, every load recorded."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb
import pytest

import analytics.ingest as ingest
from analytics.errors import DatabaseBusyError, IngestError, UsageError
from analytics.ingest import (
    delete_mapping,
    ingest_file,
    list_mappings,
    load,
    preview_file,
    read,
    save_mappings,
    transcode,
)

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PROJECT = Path(__file__).resolve().parent.parent

HEADER = "决议编号,决议事项,责任部门,下达日期,完成时限,办结日期,状态\n"


def decisions(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def ledger_rows(db: Path) -> list[tuple]:
    return query(db, "select * from decisions order by decision_id")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "ops.duckdb"


def test_a_file_loads_with_provenance_log_and_its_original_kept(db: Path) -> None:
    (result,) = ingest_file(db, FIXTURES / "decisions_oa.csv", user="小王")
    assert (result.ledger, result.rows_loaded, result.rows_replaced, result.rows_rejected, result.rows_skipped) == (
        "decisions",
        3,
        0,
        0,
        1,
    )
    assert result.notes == ["跳过合计/小计行 1 行（第 8 行）"]
    assert query(
        db, "select decision_id, status, completed_date, extra, _file, _sheet, _row, _load_id from decisions order by 1"
    ) == [
        ("JY-2026-001", "done", date(2026, 11, 18), '{"备注":"按时"}', "decisions_oa.csv", None, 5, 1),
        ("JY-2026-002", "open", None, None, "decisions_oa.csv", None, 6, 1),
        ("JY-2026-003", "open", None, '{"备注":"需要协调"}', "decisions_oa.csv", None, 7, 1),
    ]
    data = (FIXTURES / "decisions_oa.csv").read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    assert query(
        db, "select file_name, sha256, ledger, mode, rows_loaded, rows_skipped, loaded_by, notes from load_log"
    ) == [("decisions_oa.csv", sha, "decisions", "all_rows", 3, 1, "小王", "跳过合计/小计行 1 行（第 8 行）")]
    assert (db.parent / "originals" / f"{sha}.csv").read_bytes() == data
    assert query(db, "select value from schema_info where key = 'data_version'") == [("1",)]


def test_a_file_with_any_row_error_loads_nothing_and_reports_every_error(db: Path) -> None:
    ingest_file(db, decisions("D0,事项,行政部,2026-11-01,2026-11-09,,"))
    before = ledger_rows(db)
    with pytest.raises(IngestError, match="3 行有错误（共 4 处），整个文件未导入") as caught:
        ingest_file(db, FIXTURES / "decisions_bad.csv")
    assert [(e.row, e.column) for e in caught.value.row_errors] == [
        (3, "下达日期"),
        (4, "状态"),
        (5, "决议编号"),
        (5, "办结日期"),
    ]
    assert ledger_rows(db) == before
    assert query(db, "select count(*) from load_log") == [(1,)]


def test_a_refused_file_leaves_no_original_behind(db: Path) -> None:
    ingest_file(db, decisions("D0,事项,行政部,2026-11-01,2026-11-09,,"))
    with pytest.raises(IngestError):
        ingest_file(db, FIXTURES / "decisions_bad.csv")
    kept = hashlib.sha256(decisions("D0,事项,行政部,2026-11-01,2026-11-09,,")).hexdigest()  # uploaded bytes: no suffix
    assert [p.name for p in (db.parent / "originals").iterdir()] == [kept]


def test_the_original_kept_is_what_was_loaded_even_if_the_file_changed_since(tmp_path: Path) -> None:
    path = tmp_path / "决议.csv"
    path.write_bytes(decisions("D1,事项,行政部,2026-11-01,2026-11-09,,"))
    source = read.open_source(path)
    path.write_bytes(decisions("D2,改过的事项,行政部,2026-11-01,2026-11-09,,"))
    copy = load._OriginalCopy(tmp_path / "originals", source)
    copy.keep()
    (kept,) = (tmp_path / "originals").iterdir()
    assert (kept.name, kept.read_bytes()) == (f"{source.sha256}.csv", source.data)


def test_loading_the_valid_rows_of_one_file_twice_quarantines_its_refused_rows_once(db: Path, tmp_path: Path) -> None:
    ingest_file(db, FIXTURES / "decisions_bad.csv", load_valid=True)
    ingest_file(db, FIXTURES / "decisions_bad.csv", load_valid=True)
    assert query(db, "select count(*), count(distinct load_id) from quarantine") == [(4, 1)]
    assert query(db, "select count(*) from load_log") == [(2,)]
    # Another file (other bytes) with a refused row is quarantined, even at the same row number.
    edited = tmp_path / "decisions_bad.csv"
    edited.write_bytes((FIXTURES / "decisions_bad.csv").read_bytes() + b"\n")
    ingest_file(db, edited, load_valid=True)
    assert query(db, "select count(*), count(distinct load_id) from quarantine") == [(8, 2)]


def test_load_valid_loads_the_good_rows_and_quarantines_the_others(db: Path) -> None:
    (result,) = ingest_file(db, FIXTURES / "decisions_bad.csv", load_valid=True)
    assert (result.rows_loaded, result.rows_rejected) == (2, 3)
    assert len(result.row_errors) == 4
    assert query(db, "select decision_id from decisions order by 1") == [("JY-101",), ("JY-105",)]
    quarantined = query(
        db,
        "select file_name, ledger, row_number, column_name, value, reason, raw_row from quarantine order by row_number, column_name",
    )
    assert [row[2:5] for row in quarantined] == [
        (3, "下达日期", "2026-13-02"),
        (4, "状态", "暂缓"),
        (5, "决议编号", "JY-101"),
        (5, "办结日期", "2026-11-01"),
    ]
    assert {row[:2] for row in quarantined} == {("decisions_bad.csv", "decisions")}
    assert json.loads(quarantined[1][6]) == {
        "决议编号": "JY-103",
        "决议事项": "事项三",
        "责任部门": None,
        "下达日期": "2026-11-02",
        "完成时限": "2026-11-20",
        "办结日期": None,
        "状态": "暂缓",
    }
    assert query(db, "select mode, rows_loaded, rows_rejected from load_log") == [("valid_rows", 2, 3)]


def test_loading_the_same_file_twice_changes_nothing(db: Path) -> None:
    ingest_file(db, FIXTURES / "decisions_oa.csv")
    first = ledger_rows(db)
    (again,) = ingest_file(db, FIXTURES / "decisions_oa.csv")
    assert ledger_rows(db) == first
    assert (again.rows_loaded, again.rows_replaced) == (3, 0)
    assert "3 行与库中已有数据相同，未改动" in again.notes
    assert query(db, "select count(*) from load_log") == [(2,)]


def test_a_later_file_replaces_rows_with_the_same_key(db: Path) -> None:
    ingest_file(db, decisions("D1,事项,行政部,2026-11-01,2026-11-09,,进行中", "D2,事项,行政部,2026-11-01,2026-11-09,,"))
    (result,) = ingest_file(
        db, decisions("D1,事项,行政部,2026-11-01,2026-11-09,2026-11-08,已办结"), file_name="第二周.csv"
    )
    assert (result.rows_loaded, result.rows_replaced) == (1, 1)
    assert query(db, "select decision_id, status, completed_date, _file, _load_id from decisions order by 1") == [
        ("D1", "done", date(2026, 11, 8), "第二周.csv", 2),
        ("D2", "open", None, "上传的文件", 1),
    ]


class Stopped(BaseException):
    """What Streamlit raises to stop a script: not an Exception."""


@pytest.mark.parametrize("failure", [RuntimeError("disk full"), Stopped()], ids=["exception", "base-exception"])
def test_a_load_cut_off_midway_leaves_the_database_as_it_was(
    db: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    ingest_file(db, decisions("D0,事项,行政部,2026-11-01,2026-11-09,,"))
    before = [
        query(db, f"select * from {table} order by all") for table in ("decisions", "load_log", "header_mappings")
    ]

    def fail(*args: object) -> None:
        raise failure

    monkeypatch.setattr(load, "bump_data_version", fail)
    with pytest.raises(type(failure)):
        ingest_file(db, FIXTURES / "decisions_oa.csv", mappings={"经办科室": "owner_dept"})
    after = [query(db, f"select * from {table} order by all") for table in ("decisions", "load_log", "header_mappings")]
    assert after == before


def test_two_sheets_of_one_file_load_together_or_not_at_all(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    for title, key in (("十月", "D1"), ("十一月", "D2")):
        sheet = workbook.create_sheet(title)
        sheet.append(["决议编号", "决议事项", "责任部门", "下达日期", "完成时限"])
        sheet.append([key, "事项", "行政部", date(2026, 10, 8), date(2026, 10, 30)])
    del workbook["Sheet"]
    path = db.parent.parent / "两个月.xlsx"
    workbook.save(path)

    real = load._load_sheet
    calls = []

    def second_fails(*args: object):  # noqa: ANN202
        calls.append(1)
        if len(calls) == 2:
            raise Stopped()
        return real(*args)

    monkeypatch.setattr(load, "_load_sheet", second_fails)
    with pytest.raises(Stopped):
        ingest_file(db, path)
    assert query(db, "select count(*) from decisions") == [(0,)]
    monkeypatch.setattr(load, "_load_sheet", real)
    results = ingest_file(db, path)
    assert [(r.sheet, r.rows_loaded) for r in results] == [("十月", 1), ("十一月", 1)]


def test_a_mapping_is_saved_by_the_load_and_used_by_later_loads(db: Path) -> None:
    text = "决议编号,决议事项,经办科室,下达日期,办理期限\nD1,事项,行政部,2026-11-02,2026-11-20\n"
    with pytest.raises(IngestError, match="due_date（可用列名"):
        ingest_file(db, text.encode(), file_name="a.csv")
    ingest_file(db, text.encode(), file_name="a.csv", mappings={"经办科室": "owner_dept", "办理期限": "due_date"})
    ingest_file(db, text.replace("D1", "D2").encode(), file_name="b.csv")
    assert query(db, "select decision_id, owner_dept from decisions order by 1") == [("D1", "行政部"), ("D2", "行政部")]
    saved = list_mappings(db)
    assert saved[["header", "ledger", "column_name"]].values.tolist() == [
        ["办理期限", "*", "due_date"],
        ["经办科室", "*", "owner_dept"],
    ]
    assert delete_mapping(db, "办理期限") is True
    assert delete_mapping(db, "办理期限") is False
    with pytest.raises(IngestError):
        ingest_file(db, text.replace("D1", "D3").encode(), file_name="c.csv")


def test_mappings_can_be_saved_for_one_ledger_and_bad_ones_are_refused(db: Path) -> None:
    save_mappings(db, {"承办科室": "owner_dept"}, ledger="decisions")
    assert list_mappings(db)[["header", "ledger"]].values.tolist() == [["承办科室", "decisions"]]
    with pytest.raises(UsageError, match="没有标准列 'owner_dept'"):
        save_mappings(db, {"承办科室": "owner_dept"}, ledger="meetings")
    with pytest.raises(UsageError, match="任何台账都没有标准列"):
        save_mappings(db, {"x": "no_such_column"})


def test_preview_writes_nothing(db: Path) -> None:
    preview_file(db, FIXTURES / "decisions_oa.csv")
    assert not db.exists()
    ingest_file(db, decisions("D0,事项,行政部,2026-11-01,2026-11-09,,"))
    (sheet,) = preview_file(db, FIXTURES / "decisions_bad.csv", mappings={"状态": "status"})
    assert sheet.rows_rejected == 3
    assert query(db, "select count(*) from decisions") == [(1,)]
    assert query(db, "select count(*) from header_mappings") == [(0,)]


def test_an_unknown_ledger_name_is_a_usage_error(db: Path) -> None:
    with pytest.raises(UsageError, match="未知的台账"):
        ingest_file(db, FIXTURES / "decisions_oa.csv", ledger="minutes")


def test_two_processes_loading_into_one_database_both_succeed(db: Path) -> None:
    db.parent.mkdir(parents=True)
    files = []
    for name, key in (("a.csv", "A"), ("b.csv", "B")):
        path = db.parent / name
        path.write_bytes(decisions(*(f"{key}{i},事项,行政部,2026-11-01,2026-11-09,," for i in range(2000))))
        files.append(path)
    command = [sys.executable, "-m", "analytics", "ingest", "--db", str(db)]
    runs = [
        subprocess.Popen([*command, str(path)], cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for path in files
    ]
    outcomes = [(run.wait(timeout=120), run.stderr.read().decode()) for run in runs]
    assert outcomes == [(0, ""), (0, "")]
    assert query(db, "select left(decision_id, 1), count(*) from decisions group by 1 order by 1") == [
        ("A", 2000),
        ("B", 2000),
    ]
    assert query(db, "select count(*) from load_log") == [(2,)]


def test_progress_is_reported_from_start_to_end(db: Path) -> None:
    seen: list[tuple[float, str]] = []
    ingest_file(db, FIXTURES / "decisions_oa.csv", progress=lambda fraction, message: seen.append((fraction, message)))
    assert seen[0][0] == 0.0 and seen[-1] == (1.0, "完成")
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)


def test_a_missing_file_is_refused_before_the_database_is_created(db: Path) -> None:
    with pytest.raises(UsageError, match="文件不存在"):
        ingest_file(db, db.parent / "nope.csv")
    assert not db.exists()


def test_when_the_database_is_busy_the_file_read_meanwhile_leaves_no_temporary_copy(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is read while the database is opened; a busy database discards the decoded copy."""

    @contextmanager
    def busy(db_path: object):
        ingest.READER.submit(lambda: None).result()  # the file has been read (a temporary copy made)
        raise DatabaseBusyError("数据库正被另一个程序使用")
        yield

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(read.encoding, "_UTF8_PREFIX", 1000)
    monkeypatch.setattr(transcode, "PARALLEL_FROM", 10**9)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(ingest, "writer", busy)
    rows = "".join(f"D{i:04d},事项{i},行政部,2026-11-02,2026-11-09,,\n" for i in range(200))
    with pytest.raises(DatabaseBusyError) as caught:  # its traceback keeps what was read alive
        ingest_file(db, (HEADER + rows).encode("gb18030"), file_name="大文件.csv")
    ingest.READER.submit(lambda: None).result()
    assert list(scratch.iterdir()) == []  # removed even though the error still holds what was read
    assert str(caught.value) == "数据库正被另一个程序使用"


# ------------------------------------------------------------------------ what each load supplied and saw


def test_each_load_records_the_columns_its_file_supplied_and_its_day(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPS_TODAY", "2026-11-20")
    ingest_file(db, "决议编号,决议事项,责任部门,下达日期,完成时限\nD1,事项,行政部,2026-11-01,2026-11-09\n".encode())
    ingest_file(db, decisions("D2,事项,行政部,2026-11-01,2026-11-09,,"))
    assert query(db, "select load_id, columns_supplied, loaded_on from load_log order by 1") == [
        (1, ["decision_id", "item", "owner_dept", "created_date", "due_date"], date(2026, 11, 20)),
        (
            2,
            ["decision_id", "item", "owner_dept", "created_date", "due_date", "completed_date", "status"],
            date(2026, 11, 20),
        ),
    ]


def test_status_only_decisions_keep_the_first_day_seen_done_and_the_last_day_seen_open(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def sheet(columns: str, *rows: str) -> bytes:
        return (f"决议编号,决议事项,责任部门,下达日期,完成时限{columns}\n" + "".join(rows)).encode()

    def row(key: str, *cells: str) -> str:
        return ",".join([key, "事项", "行政部", "2026-11-01", "2026-11-09", *cells]) + "\n"

    monkeypatch.setenv("OPS_TODAY", "2026-11-10")
    ingest_file(db, sheet(",状态", row("D1", "进行中"), row("D2", "已办结"), row("D3", "已取消")))
    monkeypatch.setenv("OPS_TODAY", "2026-11-12")
    ingest_file(db, sheet(",状态", row("D1", "进行中"), row("D2", "已办结")))
    monkeypatch.setenv("OPS_TODAY", "2026-11-16")
    ingest_file(db, sheet(",状态", row("D1", "已办结"), row("D2", "已办结")))
    monkeypatch.setenv("OPS_TODAY", "2026-11-18")  # a file without status or completed date sees nothing
    ingest_file(db, sheet("", row("D1"), row("D4")))
    assert query(db, "select * from decision_status_seen order by 1") == [
        ("D1", date(2026, 11, 16), date(2026, 11, 12)),
        ("D2", date(2026, 11, 10), None),
    ]
    # a completed date makes the row's completion known: it is not a status-only sighting
    monkeypatch.setenv("OPS_TODAY", "2026-11-20")
    ingest_file(db, sheet(",办结日期", row("D5", "2026-11-19"), row("D6", "")))
    assert query(db, "select * from decision_status_seen where decision_id >= 'D5' order by 1") == [
        ("D6", None, date(2026, 11, 20)),
    ]
