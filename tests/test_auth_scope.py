"""Scopes: what each role may see, enforced in the query layer (numbers by hand from weekly_fixture.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from analytics.auth import queries
from analytics.auth.identity import ALL_PAGES, Identity, scope_for
from analytics.auth.masking import SECRECY_MASKS, mask_rows
from analytics.db import connect
from analytics.errors import AccessError
from analytics.settings import Settings
from analytics.weeks import Week
from tests.auth_fixture import SECRET_TITLE, build_secret_company

WEEK = Week.parse("2026-W47")
SETTINGS = Settings()
ASSISTANT = scope_for(Identity("zhuli", "助理", "assistant"))
GM = scope_for(Identity("zongjingli", "总经理", "gm"))
CAIWU = scope_for(Identity("caiwu", "财务部负责人", "dept_head", ("财务部",)))
YANFA = scope_for(Identity("yanfa", "研发部负责人", "dept_head", ("研发部",)))
VIEWER = scope_for(Identity("guest", "访客", "viewer"))


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_secret_company(tmp_path_factory.mktemp("scope") / "ops.duckdb", with_accounts=False)


@pytest.mark.parametrize(
    "scope, departments, calendar, pages, rows, uploads, settings, audit",
    [
        (ASSISTANT, None, True, ALL_PAGES, True, True, True, True),
        (GM, None, True, ALL_PAGES - {"upload"}, True, False, False, True),
        (
            CAIWU,
            ("财务部",),
            False,
            {"overview", "meetings", "decisions", "supplies", "documents", "incidents", "definitions"},
            True,
            False,
            False,
            False,
        ),
        (VIEWER, None, False, {"overview"}, False, False, False, False),
    ],
    ids=["assistant", "gm", "dept_head", "viewer"],
)
def test_each_role_has_its_scope(scope, departments, calendar, pages, rows, uploads, settings, audit) -> None:
    assert scope.departments == departments
    assert scope.calendar_details is calendar
    assert scope.pages == frozenset(pages)
    assert scope.row_detail is rows
    assert (scope.can_upload, scope.can_edit_settings, scope.can_manage_accounts) == (uploads, settings, uploads)
    assert scope.can_view_audit is audit


def test_a_department_pick_narrows_a_scope_and_never_widens_it() -> None:
    assert ASSISTANT.engine_departments([]) is None
    assert ASSISTANT.engine_departments(["研发部"]) == ["研发部"]
    assert CAIWU.engine_departments([]) == ["财务部"]
    assert CAIWU.engine_departments(["研发部"]) == ["财务部"]  # outside the scope: ignored, never "all"
    two = scope_for(Identity("x", "x", "dept_head", ("财务部", "研发部")))
    assert two.engine_departments(["研发部"]) == ["研发部"]
    assert VIEWER.engine_departments(["研发部"]) is None  # company level only
    assert CAIWU.visible_departments(["研发部", "财务部"]) == ["财务部"]
    assert VIEWER.visible_departments(["研发部", "财务部"]) == []


def test_scopes_that_see_different_rows_have_different_cache_keys() -> None:
    keys = {scope.key for scope in (ASSISTANT, GM, CAIWU, YANFA, VIEWER)}
    assert len(keys) == 5
    assert scope_for(Identity("other", "x", "dept_head", ("财务部",))).key == CAIWU.key  # same rows, one entry


def test_a_department_head_gets_their_departments_hand_computed_numbers_not_the_companys(company: Path) -> None:
    with connect(company) as con:
        mine = {r.name: r for r in queries.week_report(con, WEEK, SETTINGS, CAIWU)}
        asking_for_more = {r.name: r.value for r in queries.week_report(con, WEEK, SETTINGS, CAIWU, ["研发部"])}
        company_wide = {r.name: r.value for r in queries.week_report(con, WEEK, SETTINGS, ASSISTANT)}
        other = {r.name: r.value for r in queries.week_report(con, WEEK, SETTINGS, YANFA)}
    assert (mine["decision_completion_rate"].numerator, mine["decision_completion_rate"].denominator) == (0, 2)
    assert mine["decision_completion_rate"].value == 0.0
    assert mine["decisions_overdue"].value == 2
    assert mine["low_efficiency_meeting_share"].value == 1.0
    assert mine["supply_waste_rate"].value == pytest.approx(50 / 300, abs=1e-4)
    assert asking_for_more["decision_completion_rate"] == 0.0  # 研发部 is not theirs: still 财务部
    assert company_wide["decision_completion_rate"] == 0.6
    assert company_wide["decisions_overdue"] == 2
    assert other["decision_completion_rate"] == 1.0 and other["decisions_overdue"] == 0


def test_a_department_heads_rows_breakdown_and_filter_hold_only_their_department(company: Path) -> None:
    with connect(company) as con:
        rows = queries.metric_rows(con, "decision_completion_rate", WEEK, SETTINGS, CAIWU)
        split = queries.breakdown(con, "decision_completion_rate", WEEK, SETTINGS, CAIWU)
        depts = queries.departments(con, CAIWU)
        everyone = queries.departments(con, ASSISTANT)
    assert sorted(rows["decision_id"]) == ["D3", "D4"]
    assert set(rows["department"]) == {"财务部"}
    assert list(split["department"]) == ["财务部"]
    assert depts == ["财务部"]
    assert sorted(everyone) == sorted(["研发部", "财务部"])


def test_titles_above_internal_are_masked_for_a_department_head_and_shown_to_the_gm(company: Path) -> None:
    with connect(company) as con:
        masked = queries.metric_rows(con, "docs_overdue", WEEK, SETTINGS, CAIWU)
        shown = queries.metric_rows(con, "docs_overdue", WEEK, SETTINGS, GM)
        registered = queries.metric_rows(con, "doc_registration_on_time_rate", WEEK, SETTINGS, CAIWU)
    assert list(masked["doc_id"]) == ["F3"] and list(masked["title"]) == [SECRECY_MASKS["confidential"]]
    assert list(shown["title"]) == [SECRET_TITLE]
    titles = dict(zip(registered["doc_id"], registered["title"], strict=True))
    assert titles == {"F2": "供应商合作函", "F3": "【机密文件】"}  # 内部 shows, 机密 does not


def test_masked_titles_stay_masked_in_the_attention_list_and_the_exported_report(company: Path) -> None:
    with connect(company) as con:
        attention = queries.needs_attention(con, WEEK, SETTINGS, CAIWU)
        gm_attention = queries.needs_attention(con, WEEK, SETTINGS, GM)
        workbook = queries.report_xlsx(con, WEEK, SETTINGS, CAIWU)
        gm_workbook = queries.report_xlsx(con, WEEK, SETTINGS, GM)
        markdown = queries.report_markdown(con, WEEK, SETTINGS, CAIWU)
    assert SECRET_TITLE not in attention["title"].tolist()
    assert "【机密文件】" in attention["title"].tolist()
    assert SECRET_TITLE in gm_attention["title"].tolist()
    assert set(attention["department"]) == {"财务部"}
    assert SECRET_TITLE not in workbook_text(workbook) and "【机密文件】" in workbook_text(workbook)
    assert SECRET_TITLE in workbook_text(gm_workbook)
    assert SECRET_TITLE not in markdown
    assert "研发部" not in workbook_text(workbook).replace("范围：财务部", "")


def workbook_text(payload: bytes) -> str:
    book = load_workbook(io.BytesIO(payload))
    return "\n".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)


def test_a_department_head_sees_no_gm_calendar_details(company: Path) -> None:
    with connect(company) as con:
        theirs = queries.metric_rows(con, "schedule_conflicts", WEEK, SETTINGS, CAIWU)
        gm = queries.metric_rows(con, "schedule_conflicts", WEEK, SETTINGS, GM)
        attention = queries.needs_attention(con, WEEK, SETTINGS, CAIWU)
        workbook = workbook_text(queries.report_xlsx(con, WEEK, SETTINGS, CAIWU))
    assert theirs.empty and list(theirs.columns) == list(gm.columns)
    assert len(gm) == 1
    assert "日程冲突" not in attention["kind"].tolist()
    for title in ("战略规划会", "供应商接待", "预算评审", "媒体采访"):
        assert title not in workbook


def test_a_viewer_gets_company_numbers_and_no_rows(company: Path) -> None:
    with connect(company) as con:
        values = {r.name: r.value for r in queries.week_report(con, WEEK, SETTINGS, VIEWER, ["财务部"])}
        rows = queries.metric_rows(con, "decision_completion_rate", WEEK, SETTINGS, VIEWER)
        attention = queries.needs_attention(con, WEEK, SETTINGS, VIEWER)
    assert values["decision_completion_rate"] == 0.6
    assert rows.empty and attention.empty


def test_a_document_whose_level_cannot_be_found_is_masked(company: Path) -> None:
    import pandas as pd

    rows = pd.DataFrame({"doc_id": ["F1", "F9"], "title": ["关于年度审计的通知", "不存在的文件"]})
    with connect(company) as con:
        masked = mask_rows(con, CAIWU, "documents", rows)
    assert list(masked["title"]) == ["关于年度审计的通知", "【密级不明】"]
    assert list(rows["title"]) == ["关于年度审计的通知", "不存在的文件"]  # the input is left alone


def test_a_page_outside_the_scope_is_refused() -> None:
    queries.require_page(CAIWU, "documents")
    for page in ("schedule", "upload", "quality", "audit"):
        with pytest.raises(AccessError):
            queries.require_page(CAIWU, page)
    with pytest.raises(AccessError):
        queries.require_page(GM, "upload")
