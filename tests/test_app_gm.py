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


# One language at a time


def audit_rows(at: AppTest) -> dict[str, dict[str, str]]:
    frame = at.dataframe[0].value
    return {row["action"]: row for row in frame.to_dict("records")}


@pytest.mark.parametrize(
    ("lang", "export", "refusal", "who"),
    [
        ("zh", ("成功", "本地账号", "周次：2026-W47；部门：全部部门；格式：pdf"), ("拒绝", "账号已锁定"), "本机管理员"),
        (
            "en",
            ("OK", "Local account", "week: 2026-W47; departments: all departments; format: pdf"),
            ("Refused", "account locked"),
            "Local administrator",
        ),
    ],
    ids=["zh", "en"],
)
def test_the_audit_log_reads_as_words_not_codes_or_json(
    company: Path, lang: str, export: tuple[str, str, str], refusal: tuple[str, str], who: str
) -> None:
    from analytics.auth import LOCAL_ADMINISTRATOR, audit

    audit.log(
        company,
        "export",
        LOCAL_ADMINISTRATOR,
        target="周报.pdf",
        detail={"week": WEEK, "departments": "all", "report": "pdf"},
    )
    audit.log(company, "sign_in", "张三", source="local", outcome="refused", detail="locked")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.switch_page("app_pages/audit.py").run()
    assert not at.exception
    rows = list(audit_rows(at).values())
    exported = next(row for row in rows if row["target"] == "周报.pdf")
    assert (exported["outcome"], exported["source"], exported["detail"]) == export
    assert exported["actor"] == who
    refused = next(row for row in rows if row["actor"] == "张三")
    assert (refused["outcome"], refused["detail"]) == refusal


def test_english_counts_of_one_are_singular(company: Path) -> None:
    at = open_app(lang="en")
    text = "\n".join(block.value for block in at.markdown)
    assert "1 conflict in entries requested by 财务部" in text  # the fixture's one conflict
    assert "1 conflicts" not in text
    signed_in = [caption.value for caption in at.caption if caption.value.startswith("Signed in")]
    assert signed_in == ["Signed in: Local administrator · Assistant"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("1 conflicts in entries", "1 conflict in entries"),
        ("1 low-efficiency meetings of 研发部", "1 low-efficiency meeting of 研发部"),
        ("1 overdue resolutions", "1 overdue resolution"),
        ("2 conflicts", "2 conflicts"),
        ("11 rows", "11 rows"),
        ("0.1 rows, 2,1 rows", "0.1 rows, 2,1 rows"),
        ("Load 1 files", "Load 1 file"),
    ],
)
def test_english_plurals(text: str, want: str) -> None:
    from analytics.wording import english_plurals

    assert english_plurals(text) == want
