"""`python -m analytics ingest`: what a script sees — exit status, stdout lines, errors on stderr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PROJECT = Path(__file__).resolve().parent.parent


def ingest(db: Path, *arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analytics", "ingest", "--db", str(db), *map(str, arguments)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def count(db: Path, table: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"select count(*) from {table}").fetchall()[0][0]


def test_good_files_load_with_one_line_each_and_exit_0(tmp_path: Path) -> None:
    db = tmp_path / "ops.duckdb"
    run = ingest(db, FIXTURES / "decisions_oa.csv", FIXTURES / "meetings_en.csv", "--user", "小王")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "decisions_oa.csv: decisions 决议督办台账 — loaded 3, replaced 0, rejected 0, skipped 1；跳过合计/小计行 1 行（第 8 行）",
        "meetings_en.csv: meetings 会议台账 — loaded 2, replaced 0, rejected 0, skipped 0",
    ]
    assert run.stderr == ""
    assert (count(db, "decisions"), count(db, "meetings")) == (3, 2)


def test_a_bad_file_exits_1_names_each_error_and_loads_nothing(tmp_path: Path) -> None:
    db = tmp_path / "ops.duckdb"
    run = ingest(db, FIXTURES / "decisions_bad.csv", FIXTURES / "meetings_en.csv")
    assert run.returncode == 1
    assert "meetings_en.csv: meetings" in run.stdout
    lines = run.stderr.splitlines()
    assert (
        lines[0]
        == "错误：decisions_bad.csv：3 行有错误（共 4 处），整个文件未导入。改正后重新导入，或只导入有效行（上传页面选“只导入有效行”，命令行加 --load-valid）。"
    )
    assert (
        "  decisions_bad.csv 第3行 列「下达日期」 值「2026-13-02」：无法识别的日期（应如 2026-11-23、2026/11/23 或 2026年11月23日）"
        in lines
    )
    assert "  decisions_bad.csv 第5行 列「决议编号」 值「JY-101」：编号重复：与第2行相同" in lines
    assert (count(db, "decisions"), count(db, "meetings")) == (0, 2)


def test_load_valid_loads_the_rest_and_still_exits_1(tmp_path: Path) -> None:
    db = tmp_path / "ops.duckdb"
    run = ingest(db, FIXTURES / "decisions_bad.csv", "--load-valid")
    assert run.returncode == 1
    assert run.stdout.startswith(
        "decisions_bad.csv: decisions 决议督办台账 — loaded 2, replaced 0, rejected 3, skipped 0"
    )
    assert "已放入隔离表 quarantine" in run.stderr
    assert (count(db, "decisions"), count(db, "quarantine")) == (2, 4)


def test_at_most_20_errors_are_shown_then_the_count_of_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text(
        "决议编号,决议事项,责任部门,下达日期,完成时限\n"
        + "".join(f"D{i},事项,行政部,昨天,2026-11-20\n" for i in range(25))
    )
    run = ingest(tmp_path / "ops.duckdb", path)
    assert run.returncode == 1
    shown = [line for line in run.stderr.splitlines() if line.startswith("  many.csv 第")]
    assert len(shown) == 20
    assert run.stderr.splitlines()[-1] == "  …另有 5 处错误未列出"


def test_a_mapping_option_is_used_and_remembered(tmp_path: Path) -> None:
    db = tmp_path / "ops.duckdb"
    path = tmp_path / "oa.csv"
    path.write_text(
        "决议编号,决议事项,经办科室,下达日期,办理期限\nD1,事项,行政部,2026-11-02,2026-11-20\n", encoding="gb18030"
    )
    assert ingest(db, path).returncode == 1
    assert ingest(db, path, "--map", "办理期限=due_date").returncode == 0
    assert ingest(db, path).returncode == 0
    assert ingest(db, path, "--map", "经办科室").returncode == 2
    assert ingest(db, path, "--map", "经办科室=no_such").returncode == 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["nope.csv"], "错误：文件不存在：nope.csv"),
        ([FIXTURES / "picture.csv"], "这是PNG 图片，不是表格文件"),
        ([FIXTURES / "notes.txt"], "内容不是表格"),
        ([FIXTURES / "decisions_oa.csv", "--ledger", "minutes"], "未知的台账：'minutes'"),
    ],
    ids=["missing-file", "png-renamed-csv", "txt", "unknown-ledger"],
)
def test_a_wrong_request_is_one_line_on_stderr_and_exit_2(tmp_path: Path, arguments: list, message: str) -> None:
    run = ingest(tmp_path / "ops.duckdb", *arguments)
    assert run.returncode == 2
    assert message in run.stderr
    assert len(run.stderr.splitlines()) == 1
    assert "Traceback" not in run.stderr


def test_set_and_map_value_options(tmp_path: Path) -> None:
    db = tmp_path / "ops.duckdb"
    docs = tmp_path / "登记簿.csv"
    docs.write_text("文件标题,文种,登记日期\n关于年会的通知,通知,2026-11-02\n", encoding="utf-8")
    asked = ingest(db, docs)
    assert asked.returncode == 2 and "--set direction=incoming" in asked.stderr
    assert ingest(db, docs, "--set", "direction=incoming").returncode == 0
    assert ingest(db, docs, "--set", "direction").returncode == 2
    items = tmp_path / "督办.csv"
    items.write_text("事项名称,拟办结时间,推进状态\n预算编制,2026-11-20,3\n", encoding="utf-8")
    refused = ingest(db, items)
    assert refused.returncode == 1 and "--map-value '标准列名:原值=取值'" in refused.stderr
    assert ingest(db, items, "--map-value", "status:3=done").returncode == 0
    assert ingest(db, items, "--map-value", "status=done").returncode == 2
    assert count(db, "decisions") == 1
