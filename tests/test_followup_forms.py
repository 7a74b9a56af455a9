"""督办单 and 催办 lists: built from the rows behind a decision metric, one item per page, one department
per page or sheet, red cards first; ledger text stays text."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from docx import Document
from openpyxl import load_workbook

from analytics.db import connect
from analytics.followup.forms import reminder_docx, reminder_xlsx, supervision_docx
from analytics.metrics import metric_rows
from tests.metrics_fixtures import W47, decision, insert

# W47 ends Sun 11-22; the 3rd working day after it is Wed 11-25.
ROWS = [
    decision(
        "A1", "2026-11-19", item="核对三季度费用", owner_dept="财务部", owner="赵强", original_due_date="2026-11-12"
    ),
    decision("A2", "2026-11-24", item='=HYPERLINK("x")', owner_dept="财务部", reminder_count=2),
    decision("A3", "2026-11-20", item="更新报销制度", owner_dept="研发部", last_reminder_date="2026-11-21"),
    decision("A4", "2026-12-10", item="远期事项", owner_dept="研发部"),
]


def rows(name: str) -> pd.DataFrame:
    with connect(":memory:") as con:
        insert(con, "decisions", *ROWS)
        return metric_rows(con, name, W47)


def both() -> pd.DataFrame:
    return pd.concat([rows("decisions_overdue"), rows("decisions_due_soon")], ignore_index=True)


def texts(payload: bytes) -> list[str]:
    document = Document(io.BytesIO(payload))
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            found += [cell.text for cell in row.cells]
    return found


def page_breaks(payload: bytes) -> int:
    return Document(io.BytesIO(payload)).element.body.xml.count('w:type="page"')


def test_a_supervision_sheet_per_item_with_both_deadlines_and_the_card() -> None:
    overdue = rows("decisions_overdue").set_index("decision_id").loc[["A1", "A3"]].reset_index()
    payload = supervision_docx(overdue, date(2026, 11, 23))
    assert page_breaks(payload) == 1  # two items, two pages
    found = texts(payload)
    assert "督办编号：A1" in found and "核对三季度费用" in found
    assert "2026年11月12日" in found and "2026年11月19日" in found  # original, then current deadline
    assert "1" in found  # one extension (12 → 19, the count defaulted from the dates)
    # A1 due Thu 11-19: Fri 11-20 has passed by Sunday → 1 working day overdue; A3 due Fri → 0
    assert "红牌（逾期1个工作日）" in found and "红牌（逾期0个工作日）" in found
    assert "2026年11月21日" in found  # A3's last reminder
    assert "总经理办公室（印）\n2026年11月23日" in found


def test_the_reminder_notice_has_a_page_per_department_red_first() -> None:
    payload = reminder_docx(both(), date(2026, 11, 23))
    found = texts(payload)
    assert page_breaks(payload) == 1  # 研发部, 财务部
    assert "财务部：" in found and "研发部：" in found
    notice = next(text for text in found if text.startswith("截至") and "2项" in text)
    assert "其中红牌1项" in notice  # 财务部: A1 red, A2 yellow (due Tue 11-24)
    ids = [text for text in found if text.startswith("A")]
    assert ids.index("A1") < ids.index("A2")


def test_the_reminder_workbook_has_a_sheet_per_department_and_keeps_formulas_as_text() -> None:
    book = load_workbook(io.BytesIO(reminder_xlsx(both(), date(2026, 11, 23))))
    assert book.sheetnames == ["研发部", "财务部"]  # in the order of their names
    sheet = book["财务部"]
    assert sheet["A1"].value == "催办清单 — 财务部（截至2026年11月23日，2项未办结）"
    assert [sheet.cell(r, 1).value for r in (3, 4)] == ["A1", "A2"]
    item = sheet.cell(4, 2)
    assert item.value == '=HYPERLINK("x")' and item.data_type == "s"
    assert sheet.cell(4, 7).value == "2" and sheet.cell(4, 8).value == "黄牌（剩余2个工作日）"
    assert [book["研发部"].cell(3, 1).value, book["研发部"].cell(4, 1).value] == ["A3", None]  # A4 is not due soon


def test_nothing_to_chase_still_gives_a_file() -> None:
    empty = rows("decisions_reminded").iloc[0:0]
    assert "（没有未办结的督办事项）" in texts(reminder_docx(empty))
    assert load_workbook(io.BytesIO(reminder_xlsx(empty))).sheetnames == ["（无）"]


def test_the_decisions_page_counts_the_cards_and_offers_the_papers(db_path) -> None:
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from analytics.ui import data
    from tests.weekly_fixture import build_weekly_fixture

    build_weekly_fixture(db_path)
    data.forget_database_state()
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    at.query_params["week"] = "2026-W47"
    at.run()
    at.switch_page("app_pages/decisions.py").run()
    assert not at.exception, [e.message for e in at.exception]
    # open at Sun 11-22: D3 (due 11-20) and D4 (due 11-21, done 11-23) are red; nothing else is open
    assert any("红牌 2" in m.value and "黄牌 0" in m.value and "蓝牌 0" in m.value for m in at.markdown)
    labels = [button.proto.label for button in at.get("download_button")]
    assert "督办单（Word，每项一页）" in labels and "督办通报 2026-11（Word）" in labels
