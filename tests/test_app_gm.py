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


@pytest.mark.parametrize(("lang", "field"), [("zh", "办结日期"), ("en", "completed date")], ids=["zh", "en"])
def test_a_quality_finding_names_the_column_by_its_title_not_its_code(company: Path, lang: str, field: str) -> None:
    from analytics.db import connect

    with connect(company) as con:  # D9 completed before it was given: 办结早于下达
        con.execute(
            "insert into decisions (decision_id, item, owner_dept, created_date, due_date, completed_date, status)"
            " values ('D9', '补录事项', '行政部', '2026-11-18', '2026-11-20', '2026-11-17', 'done')"
        )
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.switch_page("app_pages/quality.py").run()
    assert not at.exception
    findings = next(frame.value for frame in at.dataframe if "field" in frame.value.columns)
    row = findings.set_index("record_id").loc["D9"]
    assert row["field"] == field


@pytest.mark.parametrize(
    ("lang", "shown", "hidden"),
    [("zh", "账号或密码不正确。", "Wrong account"), ("en", "Wrong account name or password.", "账号")],
    ids=["zh", "en"],
)
def test_a_refused_sign_in_speaks_the_readers_language_only(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, shown: str, hidden: str
) -> None:
    from analytics.auth import accounts
    from tests.auth_fixture import build_secret_company

    build_secret_company(db_path)
    monkeypatch.setattr(accounts, "failure_delay", lambda failures: 0.0)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.text_input(key="sign_in_name").input("caiwu")
    at.text_input(key="sign_in_password").input("not-the-password")
    at.button[-1].click().run()
    errors = [error.value for error in at.error]
    assert errors == [shown] and hidden not in errors[0]


@pytest.mark.parametrize(
    ("message", "zh", "en"),
    [
        ("账号或密码不正确。 Wrong account name or password.", "账号或密码不正确。", "Wrong account name or password."),
        (
            "尝试次数过多，该账号已锁定，请 3 分钟后再试。 Too many failed attempts: locked, try again in 3 min.",
            "尝试次数过多，该账号已锁定，请 3 分钟后再试。",
            "Too many failed attempts: locked, try again in 3 min.",
        ),
        (
            "无法计算：数据有误（请在数据质量页检查）",
            "无法计算：数据有误（请在数据质量页检查）",
            "无法计算：数据有误（请在数据质量页检查）",
        ),
    ],
)
def test_a_message_in_both_languages_is_split(message: str, zh: str, en: str) -> None:
    from analytics.wording import in_language

    assert (in_language(message, "zh"), in_language(message, "en")) == (zh, en)


@pytest.mark.parametrize("page", ["meetings", "decisions", "supplies", "documents", "incidents", "schedule"])
def test_in_chinese_every_column_of_a_ledgers_rows_has_a_chinese_title(company: Path, page: str) -> None:
    import json
    import re

    from tests.app_clicks import open_page_rows

    at = open_page_rows(open_app(), page)
    assert not at.exception
    frame = at.dataframe[0]
    config = json.loads(frame.proto.columns or "{}")
    titles = {column: (config.get(column) or {}).get("label") or column for column in frame.value.columns}
    english = {column: title for column, title in titles.items() if re.search(r"[A-Za-z]{3,}", title)}
    assert english == {}


def test_a_card_of_the_presentation_view_for_a_ledger_without_rows_shows_no_data_not_a_green_zero(
    company: Path,
) -> None:
    at = open_app(week="2026-W46", view="present")  # every document of the fixture is dated in W47
    assert not at.exception
    body = html_blocks(at)
    start = body.index('data-metric="docs_overdue"')
    card = body[start : body.index("</div></div>", start)]
    assert '<div class="value">无数据</div>' in card
    assert "达标" not in card and "present-card good" not in body[start - 40 : start]
    assert "无数据：收发文台账本期没有记录" in card
