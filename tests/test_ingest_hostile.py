"""Hostile and broken files (issue 15, the reading layer): each is refused with a plain message naming
the file, or read as what it is; the process never dies and the database is left as it was."""

from __future__ import annotations

import errno
import io
import os
import re
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from analytics.cli import main
from analytics.errors import IngestError
from analytics.ingest import ingest_file, load, preview_file

PROJECT = Path(__file__).resolve().parent.parent
HEADER = "决议编号,决议事项,责任部门,下达日期,完成时限\n"
ROW = "D1,完成预算编制,财务部,2026-11-02,2026-11-20\n"


def cli(db: Path, *arguments: str | Path) -> subprocess.CompletedProcess[str]:
    """The command line in its own process: a crash shows as a signal, not as a dead test run."""
    return subprocess.run(
        [sys.executable, "-m", "analytics", "ingest", "--db", str(db), *map(str, arguments)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def state(db: Path) -> tuple[int, int]:
    """Rows in decisions and loads logged: what a refused file must not change."""
    if not db.exists():
        return (0, 0)
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select (select count(*) from decisions), (select count(*) from load_log)").fetchone()


def xlsx(build) -> bytes:  # noqa: ANN001 — fills an openpyxl worksheet
    workbook = openpyxl.Workbook()
    build(workbook.active)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_member(data: bytes, name: str, edit) -> bytes:  # noqa: ANN001 — bytes → bytes
    """The same zip with one member's content rewritten."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item)
            out.writestr(item.filename, edit(content) if item.filename == name else content)
    return buffer.getvalue()


def decisions(sheet) -> None:  # noqa: ANN001
    sheet.append(HEADER.strip().split(","))
    sheet.append(ROW.strip().split(","))


def far_cell(sheet) -> None:  # noqa: ANN001
    decisions(sheet)
    sheet["XFD1048576"] = "远处的一格"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database holding one loaded file."""
    path = tmp_path / "ops.duckdb"
    (tmp_path / "good.csv").write_text(HEADER + ROW, encoding="utf-8")
    assert main(["ingest", str(tmp_path / "good.csv"), "--db", str(path)]) == 0
    return path


def test_a_far_cell_at_xfd1048576_is_refused_from_the_declared_range(tmp_path: Path, db: Path) -> None:
    """Today the reader asks for 512 GB and the process dies with a Rust backtrace (exit 134)."""
    path = tmp_path / "far.xlsx"
    path.write_bytes(xlsx(far_cell))
    before = state(db)
    run = cli(db, path)
    assert run.returncode == 1, run.stderr
    assert run.stderr.startswith(
        "错误：far.xlsx：工作表 sheet1.xml 的使用范围是 A1:XFD1048576（1048576 行 × 16384 列）"
    )
    assert "panicked" not in run.stderr and state(db) == before


def test_a_far_cell_behind_a_lying_dimension_kills_only_the_child_reader(tmp_path: Path, db: Path) -> None:
    """The dimension says A1:E2; calamine still sizes the range by the cells: the memory limit stops it."""
    data = with_member(
        xlsx(far_cell), "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'ref="A1:XFD1048576"', b'ref="A1:E2"')
    )
    path = tmp_path / "lying.xlsx"
    path.write_bytes(data)
    before = state(db)
    run = cli(db, path)
    assert run.returncode == 1, run.stderr
    assert run.stderr.startswith("错误：lying.xlsx：读取时超出内存上限")
    assert state(db) == before


def test_a_used_range_of_200000_rows_by_200_columns_is_refused_before_reading(db: Path) -> None:
    def build(sheet) -> None:  # noqa: ANN001
        decisions(sheet)
        sheet["GR200000"] = "x"

    data = xlsx(build)
    started = time.monotonic()
    with pytest.raises(
        IngestError, match=r"A1:GR200000（200000 行 × 200 列），超过上限（500 列、25,000,000 个单元格）"
    ):
        ingest_file(db, data, file_name="大表.xlsx")
    assert time.monotonic() - started < 5


def test_the_used_range_as_read_is_held_to_the_cell_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a dimension to go by, the range calamine read is checked before any SQL is built."""
    monkeypatch.setattr("analytics.ingest.workbook.MAX_CELLS", 9)
    data = with_member(xlsx(far_cell), "xl/worksheets/sheet1.xml", lambda xml: re.sub(rb"<dimension[^>]*/>", b"", xml))
    data = with_member(data, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'r="XFD1048576"', b'r="C3"'))
    with pytest.raises(IngestError, match=r"决议.xlsx \[Sheet\]：使用范围有 3 行 × 5 列（15 个单元格），超过上限 9 个"):
        preview_file(None, data, file_name="决议.xlsx")


def _lie_about_size(data: bytes, member: str, declared: int) -> bytes:
    """Write `declared` as the member's inflated size, in its local header and in the central directory."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    patched = bytearray(data)
    struct.pack_into("<L", patched, info.header_offset + 22, declared)
    central = patched.find(b"PK\x01\x02")
    while central >= 0:
        name_length = struct.unpack_from("<H", patched, central + 28)[0]
        if patched[central + 46 : central + 46 + name_length] == member.encode():
            struct.pack_into("<L", patched, central + 24, declared)
            return bytes(patched)
        central = patched.find(b"PK\x01\x02", central + 4)
    raise AssertionError("member not found")


def test_a_zip_bomb_that_lies_in_its_directory_is_stopped_while_inflating(db: Path) -> None:
    """It declares 2 MB (ratio 40, under the guard) and inflates to 40 MB: counted, not believed."""
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(3, 603))
    padding = b"<!--" + b" " * 40_000_000 + b"-->"

    def bomb(xml: bytes) -> bytes:
        return xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>" + padding)

    data = with_member(xlsx(decisions), "xl/worksheets/sheet1.xml", bomb)
    data = _lie_about_size(data, "xl/worksheets/sheet1.xml", 2_000_000)
    before = state(db)
    with pytest.raises(IngestError, match="解压后 2000000 字节，实际更多（目录与内容不符），为安全起见未读取"):
        ingest_file(db, data, file_name="bomb.xlsx")
    assert state(db) == before


def test_a_csv_ten_thousand_columns_wide_is_refused_before_the_writer_lock(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today it holds the writer's lock for 30 minutes; now the first rows refuse it."""
    wide = ",".join(f"列{i}" for i in range(10_000)) + "\n" + ",".join("1" for _ in range(10_000)) + "\n"

    def no_writer(*args: object, **kwargs: object) -> None:
        raise AssertionError("the writer's lock was taken")

    monkeypatch.setattr("analytics.ingest.writer", no_writer)
    with pytest.raises(IngestError, match=r"^wide.csv 第1行：有 10000 列，超过上限 500 列，未导入。"):
        ingest_file(db, wide.encode(), file_name="wide.csv")


def test_a_cell_longer_than_the_budget_is_named_by_row_and_column(tmp_path: Path, db: Path, capsys) -> None:
    """Today: `内部错误：Error: field larger than field limit (131072)`."""
    path = tmp_path / "long.csv"
    path.write_text(HEADER + "D1,完成预算编制," + "长" * 131_073 + ",2026-11-02,2026-11-20\n", encoding="utf-8")
    before = state(db)
    assert main(["ingest", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "错误：long.csv 第2行 列C：单元格有 131073 个字符，超过上限 32767 个字符（Excel 单元格的上限），未导入。"
    )
    assert "内部错误" not in err and state(db) == before


def test_a_long_cell_far_below_the_header_is_named_too(db: Path) -> None:
    """A blank line sends the file through Python's csv module: the budget is checked there as well."""
    text = HEADER + ROW + "\n" + "".join(f"D{i},事项,行政部,2026-11-02,2026-11-20\n" for i in range(2, 40))
    text += "D99,事项,行政部,2026-11-02," + "x" * 40_000 + "\n"
    with pytest.raises(IngestError, match=r"^far.csv 第42行 列E：单元格有 40000 个字符，超过上限 32767"):
        ingest_file(db, text.encode(), file_name="far.csv")


def test_a_file_name_with_pattern_characters_is_taken_literally(tmp_path: Path) -> None:
    """DuckDB reads `*`, `?` and `[` in a path as a pattern: today `决议*.csv` also loads `决议二.csv`."""
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "决议*.csv").write_text(HEADER + ROW, encoding="utf-8")
    (folder / "决议二.csv").write_text(HEADER + "D2,另一个文件,行政部,2026-11-02,2026-11-20\n", encoding="utf-8")
    (folder / "决议[1].csv").write_text(HEADER + "D3,第三个,行政部,2026-11-02,2026-11-20\n", encoding="utf-8")
    db = tmp_path / "ops.duckdb"
    assert main(["ingest", str(folder / "决议*.csv"), str(folder / "决议[1].csv"), "--db", str(db)]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        loaded = con.execute("select decision_id, _file from decisions order by 1").fetchall()
    assert loaded == [("D1", "决议*.csv"), ("D3", "决议[1].csv")]


def test_start_up_sweeps_what_killed_loads_left(tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    dead = 2**22 + 12345  # above pid_max's default: no such process
    originals = db.parent / load.ORIGINALS_DIR
    left = [temp / f"ingest-{dead}-abc.csv", originals / f"{'0' * 64}.csv.{dead}.77.part"]
    old = temp / "ingest-x1y2.csv"  # a name without a process id: removed once it is an hour old
    recent = temp / "ingest-a1b2.csv"
    mine = temp / f"ingest-{os.getpid()}-live.csv"
    for path in [*left, old, recent, mine]:
        path.write_bytes(b"x")
    os.utime(old, (time.time() - 2 * 3600,) * 2)
    assert main(["ingest", str(db.parent / "good.csv"), "--db", str(db)]) == 0
    assert [p.exists() for p in [*left, old, recent, mine]] == [False, False, False, True, True]


def test_a_failed_commit_keeps_no_copy_of_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "ops.duckdb"
    path = tmp_path / "decisions.csv"
    path.write_text(HEADER + ROW, encoding="utf-8")
    real = load.transaction

    class FailingCommit:
        def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
            self.inner = real(con)

        def __enter__(self) -> duckdb.DuckDBPyConnection:
            return self.inner.__enter__()

        def __exit__(self, *exc: object) -> None:
            failure = duckdb.IOException("commit failed")
            self.inner.__exit__(type(failure), failure, None)  # rolls back
            raise failure

    monkeypatch.setattr(load, "transaction", FailingCommit)
    with pytest.raises(duckdb.IOException):
        ingest_file(db, path)
    assert list((tmp_path / load.ORIGINALS_DIR).iterdir()) == []


def test_a_full_disk_is_said_in_plain_words(tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(load.shutil, "copyfile", full)
    path = tmp_path / "decisions.csv"
    path.write_text(HEADER + "D9,事项,行政部,2026-11-02,2026-11-20\n", encoding="utf-8")
    before = state(db)
    assert main(["ingest", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert (
        err
        == "错误：decisions.csv：磁盘空间不足（No space left on device），未导入，数据库没有改动。请腾出磁盘空间或检查权限后再导入。\n"
    )
    assert state(db) == before


def test_an_encoding_that_is_no_text_encoding_is_a_usage_error(tmp_path: Path, capsys) -> None:
    """`rot13` is a codec Python knows, but a text transform: today an internal error, exit 1."""
    path = tmp_path / "decisions.csv"
    path.write_text(HEADER + ROW, encoding="utf-8")
    assert main(["ingest", str(path), "--encoding", "rot13", "--db", str(tmp_path / "ops.duckdb")]) == 2
    assert capsys.readouterr().err == "错误：--encoding rot13：未知的文字编码（例如 utf-8、gb18030、utf-16、big5）\n"


MEETINGS_EN = (
    "Meeting ID,Title,Department,Scheduled Start,Scheduled End,Attendees,Agenda,Status\r\n"
    "M-01,Café réunion ½ day,Admin,2026-11-23 09:00,2026-11-23 10:00,8,Y,held\r\n"
)


def test_a_windows_1252_file_is_read_as_windows_1252_not_cp775() -> None:
    (sheet,) = preview_file(None, MEETINGS_EN.encode("cp1252"), file_name="meetings.csv")
    assert sheet.notes == ["编码：cp1252（推测）"]
    assert sheet.rows["title"].tolist() == ["Café réunion ½ day"]


def test_when_only_a_guess_decoded_the_file_and_no_header_matches_the_encoding_is_named(db: Path) -> None:
    text = "Réunion n°,Intitulé,Début\r\nR-1,Café,2026-11-23\r\n"
    with pytest.raises(IngestError) as raised:
        ingest_file(db, text.encode("cp1252"), file_name="réunions.csv")
    assert str(raised.value).startswith("réunions.csv：")
    assert "文件的文字编码是推测的（cp1252），表头可能因此成了乱码：请在 Excel 中另存为“CSV UTF-8”后再导入" in str(
        raised.value
    )


def test_an_unclosed_quote_is_blamed_on_the_row_where_it_opened(db: Path) -> None:
    text = (
        HEADER
        + ROW
        + 'D2,"未闭合的引号,行政部,2026-11-02,2026-11-20\n'
        + "".join(f"D{i},事项,行政部,2026-11-02,2026-11-20\n" for i in range(3, 50))
    )
    before = state(db)
    with pytest.raises(IngestError, match=r"^quote.csv 第3行 第2列：这一格的引号（\"）没有配对，从这里到文件末尾"):
        ingest_file(db, text.encode(), file_name="quote.csv")
    assert state(db) == before


def test_the_app_start_sweeps_them_too(tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from analytics import bootstrap

    monkeypatch.setenv("OPS_DB", str(db))
    left = db.parent / load.ORIGINALS_DIR / f"{'1' * 64}.xlsx.{2**22 + 54321}.9.part"
    left.write_bytes(b"x")
    assert bootstrap.main() == 0
    assert not left.exists()


def test_a_cell_full_of_semicolons_is_no_reason_to_call_a_csv_wide(db: Path) -> None:
    text = HEADER + "D5,议题一；议题二," + ";".join(["行政部"] * 600) + ",2026-11-02,2026-11-20\n"
    (sheet,) = preview_file(db, text.encode(), file_name="semicolons.csv")
    assert (sheet.ledger, sheet.rows_total) == ("decisions", 1)
