"""The 督办通报: each department's numbers over a month, hand-computed; the ranking and its ties; the
period's end as the cut-off (today while the month is in progress); the files and the command line."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from analytics.cli import main
from analytics.db import connect, writer
from analytics.followup.bulletin import gather_bulletin
from analytics.settings import Settings
from analytics.weeks import Month
from tests.metrics_fixtures import decision, insert

# October 2026 (1st–7th National Day). Cut-off Sat 10-31; its 3 working days after: 11-02, 11-03, 11-04.
ROWS = [
    # 行政部: 4 assigned, 3 due (a1 on time, a2 on time after an extension, a3 open), a4 due soon
    decision("a1", "2026-10-15", "2026-10-14", owner_dept="行政部", created_date="2026-10-08"),
    decision(
        "a2", "2026-10-27", "2026-10-27", owner_dept="行政部", created_date="2026-10-09", original_due_date="2026-10-20"
    ),
    decision("a3", "2026-10-30", owner_dept="行政部", created_date="2026-10-10"),
    decision("a4", "2026-11-03", owner_dept="行政部", created_date="2026-10-12"),
    # 财务部: b1 late, b2 on time, b3 overdue since September, b4 extended twice (yellow)
    decision("b1", "2026-10-09", "2026-10-12", owner_dept="财务部", created_date="2026-09-20"),
    decision("b2", "2026-10-22", "2026-10-22", owner_dept="财务部", created_date="2026-10-15"),
    decision("b3", "2026-09-30", owner_dept="财务部", created_date="2026-09-25"),
    decision(
        "b4",
        "2026-11-20",
        owner_dept="财务部",
        created_date="2026-10-20",
        original_due_date="2026-11-06",
        extension_count=2,
    ),
    # 采购部 and 法务部 alike: one on time, one late, nothing overdue (a tie broken by the name)
    decision("c1", "2026-10-10", "2026-10-10", owner_dept="采购部", created_date="2026-10-05"),
    decision("c2", "2026-10-16", "2026-10-20", owner_dept="采购部", created_date="2026-10-06"),
    decision("c3", "2026-10-12", owner_dept="采购部", created_date="2026-10-05", status="cancelled"),
    decision("e1", "2026-10-10", "2026-10-10", owner_dept="法务部", created_date="2026-10-05"),
    decision("e2", "2026-10-16", "2026-10-20", owner_dept="法务部", created_date="2026-10-06"),
    # 研发部: assigned, nothing due: no rate, ranked last
    decision("d1", "2026-11-30", owner_dept="研发部", created_date="2026-10-25"),
]
FIELDS = (
    "department",
    "assigned",
    "due",
    "on_time",
    "on_time_rate",
    "original_on_time_rate",
    "extended",
    "overdue",
    "red",
    "yellow",
)


def numbers(row) -> tuple:
    return tuple(getattr(row, field) for field in FIELDS)


@pytest.fixture(scope="module")
def october():
    with connect(":memory:") as con:
        insert(con, "decisions", *ROWS)
        return gather_bulletin(con, Month(2026, 10), Settings(), as_of=date(2026, 11, 25))


def test_each_department_is_counted_as_metrics_md_says(october) -> None:
    by_name = {row.department: numbers(row) for row in october.rows}
    assert by_name["行政部"] == ("行政部", 4, 3, 2, 0.6667, 0.3333, 1, 1, 1, 1)  # original: a1 only of a1–a3
    assert by_name["财务部"] == ("财务部", 2, 2, 1, 0.5, 0.5, 0, 1, 1, 1)  # b3 overdue from September; b4 extended
    assert by_name["采购部"] == ("采购部", 2, 2, 1, 0.5, 0.5, 0, 0, 0, 0)  # c3 cancelled: nowhere
    assert by_name["研发部"] == ("研发部", 1, 0, 0, None, None, 0, 0, 0, 0)  # d1 blue


def test_departments_rank_by_on_time_rate_then_overdue_then_name_with_no_rate_last(october) -> None:
    # 财务部, 采购部, 法务部 tie at 50%: 财务部 has an overdue item; 法务部 (U+6CD5) sorts before 采购部 (U+91C7)
    assert [row.department for row in october.rows] == ["财务部", "法务部", "采购部", "行政部", "研发部"]


def test_the_total_and_the_headline(october) -> None:
    assert numbers(october.total) == ("合计", 11, 9, 5, 0.5556, 0.4444, 1, 2, 2, 2)
    assert october.headline == (
        "2026年10月共交办11项，到期9项，按期办结5项，按期办结率55.6%；按原定时限办结率44.4%，延期1项；"
        "截至10月31日逾期未办2项（红牌2项、黄牌2项）。"
    )
    assert sorted(october.items["decision_id"]) == ["a3", "a4", "b3", "b4"]


def test_a_month_in_progress_is_cut_off_today() -> None:
    with connect(":memory:") as con:
        insert(con, "decisions", *ROWS)
        november = gather_bulletin(con, Month(2026, 11), Settings(), as_of=date(2026, 11, 25))
    assert not november.window.complete and november.window.end == date(2026, 11, 25)
    by_name = {row.department: numbers(row) for row in november.rows}
    # a4 (11-03) and b4 (11-20) fell due and are overdue; d1 (11-30) is not due yet but due soon (26, 27, 30)
    assert by_name["行政部"] == ("行政部", 0, 1, 0, 0.0, 0.0, 0, 2, 2, 0)  # a4: original = current deadline 11-03
    assert by_name["财务部"] == ("财务部", 0, 1, 0, 0.0, 0.0, 1, 2, 2, 0)
    assert by_name["研发部"] == ("研发部", 0, 0, 0, None, None, 0, 0, 0, 1)
    assert "截至11月25日逾期未办4项（红牌4项、黄牌1项）" in november.headline


@pytest.fixture
def loaded(db_path: Path) -> Path:
    with writer(db_path) as con:
        insert(con, "decisions", *ROWS)
    return db_path


def test_the_command_writes_markdown_excel_and_word(loaded: Path, tmp_path: Path, capsys) -> None:
    for suffix in ("md", "xlsx", "docx"):
        assert (
            main(["bulletin", "--period", "2026-10", "--out", str(tmp_path / f"b.{suffix}"), "--db", str(loaded)]) == 0
        )
    assert "按期办结率55.6%" in capsys.readouterr().out
    markdown = (tmp_path / "b.md").read_text(encoding="utf-8")
    assert markdown.startswith("# 关于2026年10月决议事项督办情况的通报")
    assert "| 1 | 财务部 | 2 | 2 | 1 | 50% | 50% | 0 | 1 | 1 | 1 |" in markdown
    assert "| 5 | 研发部 | 1 | 0 | 0 | — | — | 0 | 0 | 0 | 0 |" in markdown
    sheet = load_workbook(tmp_path / "b.xlsx")["督办通报"]
    assert [sheet.cell(5, c).value for c in range(1, 12)] == [1, "财务部", 2, 2, 1, 0.5, 0.5, 0, 1, 1, 1]
    assert sheet.cell(10, 2).value == "合计" and sheet.cell(10, 6).value == 0.5556
    assert sorted(c.value for c in load_workbook(tmp_path / "b.xlsx")["红黄牌事项"]["B"][1:]) == [
        "a3",
        "a4",
        "b3",
        "b4",
    ]
    word = Document(io.BytesIO((tmp_path / "b.docx").read_bytes()))
    paragraphs = [p.text for p in word.paragraphs]
    assert "关于2026年10月决议事项督办情况的通报" in paragraphs and "各部门：" in paragraphs
    table = word.tables[0]
    assert [c.text for c in table.rows[1].cells] == ["1", "财务部", "2", "2", "1", "50%", "50%", "0", "1", "1", "1"]
    assert round(word.sections[0].page_width.cm, 1) == 21.0 and round(word.sections[0].page_height.cm, 1) == 29.7  # A4


@pytest.mark.parametrize(
    ("period", "out"),
    [("2026-13", "b.md"), ("2027-01", "b.md"), ("2026-10", "b.pdf"), ("abc", "b.docx")],
    ids=["bad-month", "not-begun", "bad-type", "bad-period"],
)
def test_a_wrong_request_is_exit_2_with_one_line(loaded: Path, tmp_path: Path, capsys, period: str, out: str) -> None:
    assert main(["bulletin", "--period", period, "--out", str(tmp_path / out), "--db", str(loaded)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and err.count("\n") == 1
    assert not (tmp_path / out).exists()


def test_open_decisions_by_card_at_the_period_end() -> None:
    from analytics.followup.bulletin import open_lights

    with connect(":memory:") as con:
        insert(con, "decisions", *ROWS)
        october = open_lights(con, Month(2026, 10), Settings(), as_of=date(2026, 11, 25))
        scoped = open_lights(con, Month(2026, 10), Settings(), ["财务部"], as_of=date(2026, 11, 25))
    # open at 10-31: a3, b3 red; a4 (due 11-03), b4 (extended) yellow; d1 blue
    assert october == {"red": 2, "yellow": 2, "blue": 1}
    assert scoped == {"red": 1, "yellow": 1, "blue": 0}
