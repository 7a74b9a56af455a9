"""The weekly review in front of the GM (issue 16): periods and weeks in progress on the dashboard, and
the defects found by trying it — each test here failed before its fix. Numbers by hand from
tests/weekly_fixture.py (today is 2026-11-25: 2026-W48 is in progress)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import pytest

from analytics.db import bump_data_version, writer
from tests.app_clicks import open_filters, open_tab
from tests.test_app import (
    clear_caches,  # noqa: F401 (an autouse fixture: each test starts cold)
    no_exception,
    on_page,
    open_app,
    tiles,
    url,
)
from tests.weekly_fixture import WEEK, build_weekly_fixture


@pytest.fixture
def company(db_path: Path) -> Path:
    return build_weekly_fixture(db_path)


def attention_link(at, kind_label: str):
    at = open_tab(at, "tab_overview", "attention")
    return next(link.proto for link in at.get("page_link") if link.proto.label.startswith(kind_label))


def follow(link) -> object:
    at = open_app()
    query = {key: values[0] for key, values in parse_qs(link.query_string).items()}
    at.switch_page(f"app_pages/{link.page}.py")
    at.query_params.update(query)
    return at.run()


def test_the_link_of_documents_due_soon_opens_exactly_those_documents(company: Path) -> None:
    link = attention_link(open_app(), "7日内到期公文")
    assert link.page == "documents"
    at = follow(link)
    no_exception(at)
    # F2 is due 11-27 and still open at Sunday 11-22; not F1 and F3, the rows of the on-time-close rate
    assert list(at.dataframe[0].value["doc_id"]) == ["F2"]


def test_the_link_of_resolutions_due_soon_opens_exactly_those_resolutions(company: Path) -> None:
    with writer(company) as con:
        con.execute(
            "insert into decisions (decision_id, item, owner_dept, created_date, due_date, completed_date, status) "
            "values ('D8', '整理合同', '财务部', '2026-11-16', '2026-11-24', null, 'open'), "
            "('D9', '归档', '财务部', '2026-11-16', '2026-11-24', '2026-11-20', 'done')"
        )
        bump_data_version(con)
    link = attention_link(open_app(), "7日内到期决议")
    assert "7日内到期决议：1" in link.label  # D8; D9 was done before Sunday
    at = follow(link)
    no_exception(at)
    assert list(at.dataframe[0].value["decision_id"]) == ["D8"]  # not W47's due items D1 … D5


def test_filtering_on_the_department_a_conflict_is_listed_under_keeps_it(company: Path) -> None:
    at = on_page(open_app(), "schedule")
    assert tiles(at)["日程冲突"][0] == "1"  # E2 (财务部) booked over E1 (研发部): 财务部's conflict
    at = on_page(open_app(dept="财务部"), "schedule")
    no_exception(at)
    assert tiles(at)["日程冲突"][0] == "1"
    at = on_page(open_app(dept="研发部"), "schedule")
    assert tiles(at)["日程冲突"][0] == "0"


def test_a_rate_opens_on_the_rows_that_missed_and_shows_all_on_request(company: Path) -> None:
    at = open_app().switch_page("app_pages/decisions.py")
    at.query_params.update(metric="decision_completion_rate", tab="rows")
    at = at.run()
    no_exception(at)
    toggle = at.toggle(key="only_missed_decision_completion_rate")
    assert toggle.value is True and "2 / 5" in toggle.label
    assert sorted(at.dataframe[0].value["decision_id"]) == ["D3", "D4"]  # not done by Sunday 11-22
    at = toggle.set_value(False).run()
    assert sorted(at.dataframe[0].value["decision_id"]) == ["D1", "D2", "D3", "D4", "D5"]


def test_a_ledger_without_rows_in_the_week_shows_no_data_not_a_green_zero(company: Path) -> None:
    at = on_page(open_app(week="2026-W46"), "documents")  # every document is dated in W47
    no_exception(at)
    shown = tiles(at)
    assert shown["超期未办"][0] == "无数据"
    captions = " ".join(c.value for c in at.caption)
    assert "无数据：收发文台账本期没有记录" in captions and "达标" not in captions


def test_the_week_in_progress_is_offered_second_marked_and_computed_as_of_today(company: Path) -> None:
    at = open_app()
    picker = at.selectbox(key="week")
    assert picker.value == WEEK and picker.options[0].startswith(WEEK)
    assert picker.options[1].startswith("2026-W48") and "本周进行中 · 截至 11月25日" in picker.options[1]
    at = picker.set_value("2026-W48").run()
    no_exception(at)
    assert url(at, "week") == ["2026-W48"]
    assert any("本周进行中 · 截至 11月25日" in c.value for c in at.caption)
    # D4 (due 11-21) is overdue; nothing due Mon … Wed 11-23 … 11-25, so no completion rate yet
    shown = tiles(at)
    assert shown["决议执行率"][0] == "—"


def test_a_month_and_a_comparison_come_from_the_url(company: Path) -> None:
    at = open_app(period="2026-11", compare="2026-10")
    no_exception(at)
    assert at.segmented_control(key="period_kind").value == "month"
    assert at.selectbox(key="period_month").value == "2026-11"
    assert url(at, "period") == ["2026-11"] and url(at, "compare") == ["2026-10"] and url(at, "week") == []
    # November as of 11-25: D1 … D7 are due in it; done by 11-25: all but D3 (D4 done 11-23) = 6/7
    value, delta, _ = tiles(at)["决议执行率"]
    assert value == "85.7%" and delta == ""  # October has no decision due: no comparison
    summary = "\n".join(block.value for block in at.markdown)
    assert "本月决议执行率85.7%（2026年10月无可比数据" in summary
    at = open_filters(at)
    assert at.selectbox(key="compare").value == "2026-10"


def test_a_quarter_is_offered_and_kept_in_the_url(company: Path) -> None:
    at = open_app()
    at = at.segmented_control(key="period_kind").set_value("quarter").run()
    no_exception(at)
    picker = at.selectbox(key="period_quarter")
    assert picker.value == "2026-Q3" and picker.options[1].startswith("2026年第4季度")
    at = picker.set_value("2026-Q4").run()
    assert url(at, "period") == ["2026-Q4"] and url(at, "week") == []


def save_button(at):
    return next(button for button in at.button if button.form_id)


def test_restoring_the_defaults_resets_the_form_and_the_next_save_keeps_them(company: Path, db_path: Path) -> None:
    settings_file = db_path.with_name("settings.toml")
    at = on_page(open_app(), "definitions")
    at.number_input(key="setting_overrun_factor_0").set_value(2.5)
    at = save_button(at).click().run()
    assert "overrun_factor = 2.5" in settings_file.read_text(encoding="utf-8")
    at = next(b for b in at.button if b.label == "恢复默认").click().run()
    no_exception(at)
    assert "overrun_factor = 1.25" in settings_file.read_text(encoding="utf-8")
    (shown,) = [n for n in at.number_input if n.key.startswith("setting_overrun_factor_")]
    assert shown.value == 1.25  # the form shows the defaults, not the 2.5 it held
    assert all(str(db_path.parent) not in toast.value for toast in at.toast)  # no file path in the message
    at = save_button(at).click().run()
    assert "overrun_factor = 1.25" in settings_file.read_text(encoding="utf-8")


def test_targets_from_the_settings_file_show_on_the_tiles(company: Path, db_path: Path) -> None:
    db_path.with_name("settings.toml").write_text(
        "[thresholds]\n[targets]\ndecision_completion_rate = { good = 0.6, alert = 0.5 }\n", encoding="utf-8"
    )
    at = open_app()
    no_exception(at)
    captions = " ".join(c.value for c in at.caption)
    assert "目标 ≥ 60.0%" in captions  # W47: 60.0%, on target at 60%
    db_path.with_name("settings.toml").unlink()


def test_the_summary_under_a_department_filter_does_not_name_that_department_as_the_cause(company: Path) -> None:
    company_text = "\n".join(block.value for block in open_app().markdown)
    assert "主要因财务部2项决议逾期" in company_text  # 财务部 0/2 against 研发部 3/3
    filtered = "\n".join(block.value for block in open_app(dept="财务部").markdown)
    assert "本周决议执行率0.0%" in filtered and "主要因" not in filtered
