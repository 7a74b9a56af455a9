"""The overview in front of the GM, under AppTest: the Word/PDF downloads with the assistant's comment,
the presentation view, and the interface in one language at a time.

Numbers are the weekly fixture's (tests/weekly_fixture.py docstring): 决议执行率 60.0 %, target ≥ 90 %.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics.ui import data
from tests.weekly_fixture import WEEK, build_weekly_fixture

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(autouse=True)
def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()
    data.forget_database_state()


@pytest.fixture
def company(db_path: Path) -> Path:
    return build_weekly_fixture(db_path)


def open_app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def html_blocks(at: AppTest) -> str:
    return "\n".join(block.proto.body for block in at.get("html"))


def test_the_overview_offers_the_review_as_excel_word_and_pdf_built_on_click(company: Path) -> None:
    at = open_app()
    assert not at.exception
    buttons = {button.proto.label: button.proto for button in at.get("download_button")}
    assert {"下载周报（Excel）", "下载周报（Word）", "下载周报（PDF）"} <= set(buttons)
    for label in ("下载周报（Word）", "下载周报（PDF）"):
        assert buttons[label].deferred_file_id and not buttons[label].url, "built only when clicked"
    comment = at.text_area(key="report_comment")
    assert comment.label == "总经理助理意见"
    comment.set_value("本周财务部逾期较多，建议周例会点名。").run()
    assert not at.exception
    assert at.session_state["report_comment"] == "本周财务部逾期较多，建议周例会点名。"


def test_the_presentation_view_has_no_controls_and_puts_the_conclusion_before_the_numbers(company: Path) -> None:
    at = open_app(week=WEEK, view="present")
    assert not at.exception
    assert not at.metric and not at.get("download_button") and not at.text_area
    body = html_blocks(at)
    title = body.index("总经理办公室周度运行复盘（2026年第47周）")
    conclusion = body.index("结论：本周11项核心及时效指标中")
    card = body.index('data-metric="decision_completion_rate"')
    assert title < conclusion < card
    decision = body[card : body.index("</div></div>", card)]
    assert (
        "60.0%" in decision
        and "未达标" in decision
        and "目标 ≥ 90.0%" in decision
        and "较上周 +10.0个百分点" in decision
    )
    assert body.count('class="present-card') == 11
    assert at.query_params["view"] == "present"
