"""Requests that once hurt the command line: a week beyond the calendar, a `--db` that is no database,
and cell values carrying terminal escape sequences."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from analytics.cli import main, printable

DECISIONS_HEADER = "决议编号,决议事项,责任部门,下达日期,完成时限\n"


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01", "1989-W52"])
def test_a_week_beyond_the_calendar_is_a_usage_error(week: str, tmp_path: Path, capsys) -> None:
    assert main(["metrics", "--week", week, "--db", str(tmp_path / "ops.duckdb")]) == 2
    err = capsys.readouterr().err
    assert err == f"错误：无效的周：'{week}'（年份应在 1990 到 2099 之间）\n"


def test_a_folder_as_database_is_refused_and_left_as_it_was(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    before = sorted(os.listdir(tmp_path))
    assert main(["metrics", "--week", "2026-W47", "--db", str(folder)]) == 2
    assert "这是一个文件夹，不是数据库文件" in capsys.readouterr().err
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert sorted(os.listdir(tmp_path)) == before and os.listdir(folder) == []


def test_a_data_file_suffix_is_no_database_name(tmp_path: Path, capsys) -> None:
    """`--db x.csv` used to load into a database nobody would find again."""
    source = tmp_path / "decisions.csv"
    source.write_text(DECISIONS_HEADER + "D1,事项,行政部,2026-11-02,2026-11-20\n", encoding="utf-8")
    assert main(["ingest", str(source), "--db", str(tmp_path / "x.csv")]) == 2
    assert ".csv 是数据文件的后缀，不是数据库" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["decisions.csv"]


@pytest.mark.parametrize("path", ["/proc/version", "/dev/null"])
def test_a_file_that_is_no_duckdb_database_is_refused_untouched(path: str, capsys) -> None:
    assert main(["metrics", "--week", "2026-W47", "--db", path]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"错误：--db {path}：") and "另一个导入" not in err


def test_an_existing_spreadsheet_is_never_opened_as_a_database(tmp_path: Path, capsys) -> None:
    sheet = tmp_path / "ops.duckdb"
    sheet.write_text(DECISIONS_HEADER, encoding="utf-8")
    assert main(["ingest", str(sheet), "--db", str(sheet)]) == 2
    assert "不是本工作台的数据库" in capsys.readouterr().err
    assert sheet.read_text(encoding="utf-8") == DECISIONS_HEADER


def test_cell_values_cannot_send_terminal_escape_sequences(tmp_path: Path, capsys) -> None:
    """A refused value `\\x1b[2J` (clear screen) is printed as the text `\\u001b[2J`."""
    source = tmp_path / "decisions.csv"
    source.write_text(DECISIONS_HEADER + "D1,事项,行政部,\x1b[2J\x1b]0;owned\x07,2026-11-20\r\n", encoding="utf-8")
    assert main(["ingest", str(source), "--db", str(tmp_path / "ops.duckdb")]) == 1
    err = capsys.readouterr().err
    assert "值「\\u001b[2J\\u001b]0;owned\\u0007」" in err
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in err)


def test_printable_keeps_lines_and_tabs_and_escapes_every_other_control() -> None:
    assert printable("a\tb\nc\x1b[31md\re\x9bf\u202eg") == "a\tb\nc\\u001b[31md\\u000de\\u009bf\\u202eg"
