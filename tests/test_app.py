"""The Streamlit app under AppTest, on the small company of tests/weekly_fixture.py.

Every number asserted here was computed by hand (the table in weekly_fixture.py's docstring).
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import streamlit as st
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from analytics import charts
from analytics.ui import data
from analytics.ui.frame import PAGES
from tests.app_clicks import open_filters, open_page_rows, open_tab
from tests.weekly_fixture import PREVIOUS_WEEK, WEEK, build_weekly_fixture

APP = str(Path(__file__).resolve().parent.parent / "app.py")
GREEN, RED, GRAY = MetricProto.MetricColor.GREEN, MetricProto.MetricColor.RED, MetricProto.MetricColor.GRAY


@pytest.fixture(autouse=True)
def clear_caches() -> None:
    """Each test starts cold: cached reads of another test's database must not leak in."""
    st.cache_data.clear()
    st.cache_resource.clear()
    data.forget_database_state()


@pytest.fixture
def company(db_path: Path) -> Path:
    return build_weekly_fixture(db_path)


def open_app(**query: str | list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def on_page(at: AppTest, key: str) -> AppTest:
    return at.switch_page(f"app_pages/{key}.py").run()


def tiles(at: AppTest) -> dict[str, tuple[str, str, int]]:
    """KPI tiles by label: (value, delta, colour)."""
    return {m.label: (m.value, m.proto.delta, m.proto.color) for m in at.metric}


def url(at: AppTest, key: str) -> list[str]:
    """A query parameter as a list (AppTest gives a single value as a plain string)."""
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def test_the_overview_shows_the_hand_computed_headline_numbers_with_deltas_coloured_by_direction(company: Path) -> None:
    at = open_app()
    no_exception(at)
    shown = tiles(at)
    # up and better → green; up and worse → red (colour = better/worse, arrow = direction)
    assert shown["决议执行率"] == ("60.0%", "+10.0个百分点", GREEN)
    assert shown["低效会议占比"] == ("66.7%", "+66.7个百分点", RED)
    assert shown["办公用品浪费率"] == ("7.1%", "+7.1个百分点", RED)
    # down and worse → red
    assert shown["纪要24小时出具率"] == ("33.3%", "-66.7个百分点", RED)
    assert shown["1个工作日内登记率"][0] == "66.7%"
    assert shown["5分钟响应率"][0] == "50.0%"
    assert shown["24小时总结报告率"][0] == "50.0%"
    assert shown["日程冲突"] == ("1", "+1", RED)
    assert shown["逾期未办"] == ("2", "+1", RED)
    assert shown["超期未办"][0] == "1"
    assert url(at, "week") == [WEEK]


def test_the_default_week_is_the_latest_complete_week_with_data(company: Path) -> None:
    at = open_app()
    assert at.selectbox(key="week").value == WEEK


def test_the_summary_states_the_conclusion_then_the_cause_then_a_proposal(company: Path) -> None:
    at = open_app()
    text = "\n".join(md.value for md in at.markdown)
    assert "结论：本周11项核心及时效指标中" in text
    assert "本周决议执行率60.0%（较上周+10.0个百分点），主要因财务部2项决议逾期" in text
    assert "建议与财务部调整验收标准或延长3天周期" in text


def test_the_summary_is_offered_as_plain_text_to_copy(company: Path) -> None:
    at = open_app()
    text = next(area.value for area in at.text_area if area.key != "report_comment")
    assert text.startswith("结论：本周11项核心及时效指标中")
    assert "本周决议执行率60.0%（较上周+10.0个百分点），主要因财务部2项决议逾期" in text
    assert not at.code, "no st.code: its syntax highlighter is a 1.5 MB download for every page load"


def vega_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def chart_rows(spec: dict) -> list[dict]:
    """The rows of a chart's first layer (the lines or the bars)."""
    return spec["layer"][0]["data"]["values"]


def test_the_decisions_page_draws_the_trend_and_the_departments_of_the_chosen_number(company: Path) -> None:
    at = on_page(open_app(), "decisions")
    trend, departments = vega_specs(at)
    weeks = {row["week"]: row["value_text"] for row in chart_rows(trend)}
    assert (weeks[PREVIOUS_WEEK], weeks[WEEK]) == ("1", "2")  # D7; D3 and D4
    assert len(weeks) == 13
    bars = {row["department"]: (row["text"], row["colour"]) for row in chart_rows(departments)}
    assert bars == {"财务部": ("2", charts.STATUS_COLOURS["watch"])}  # target 0, alert above 3
    assert not at.get("plotly_chart")


def test_the_charts_follow_the_picked_metric(company: Path) -> None:
    at = on_page(open_app(), "decisions")
    at.button_group(key="metric_decisions").set_value("decision_completion_rate").run()
    trend, departments = vega_specs(at)
    assert {row["week"]: row["value_text"] for row in chart_rows(trend)}[WEEK] == "60.0%"
    bars = {row["department"]: (row["text"], row["colour"]) for row in chart_rows(departments)}
    assert bars == {
        "研发部": ("100.0%（3/3）", charts.STATUS_COLOURS["good"]),
        "财务部": ("0.0%（0/2）", charts.STATUS_COLOURS["bad"]),
    }


def test_the_supplies_page_draws_waste_by_item_and_reason(company: Path) -> None:
    at = on_page(open_app(), "supplies")
    waste = vega_specs(at)[-1]
    assert [(r["category"], r["group"], r["value_text"]) for r in chart_rows(waste)] == [("A4纸", "受潮", "¥50.00")]


def test_the_attention_list_names_overdue_items_and_breaches(company: Path) -> None:
    at = open_app()
    assert not at.dataframe, "the list is built when its tab is opened"
    at = open_tab(at, "tab_overview", "attention")
    items = at.dataframe[-1].value
    overdue = items[items["kind"] == "逾期决议"]
    assert sorted(overdue["record_id"]) == ["D3", "D4"]
    assert "超期公文" in set(items["kind"]) and "日程冲突" in set(items["kind"])
    assert "F2" in set(items.loc[items["kind"] == "7日内到期公文", "record_id"])
    overdue_link = next(link.proto for link in at.get("page_link") if link.proto.label.startswith("逾期决议"))
    assert overdue_link.page == "decisions"
    assert parse_qs(overdue_link.query_string) == {
        "week": [WEEK],
        "metric": ["decisions_overdue"],
        "tab": ["rows"],
        "attention": ["overdue_decision"],
    }


def test_a_link_to_a_week_and_a_department_opens_exactly_that_view(company: Path) -> None:
    at = open_app(week=PREVIOUS_WEEK, dept="研发部")
    no_exception(at)
    assert at.selectbox(key="week").value == PREVIOUS_WEEK
    assert at.sidebar.expander[0].label == "研发部 · 中文"
    shown = tiles(at)
    assert shown["决议执行率"][0] == "100.0%"  # D6 1/1
    assert shown["低效会议占比"][0] == "0.0%"  # M5 efficient
    assert shown["办公用品浪费率"][0] == "0.0%"


def test_changing_the_week_changes_the_numbers_and_the_url(company: Path) -> None:
    at = open_app()
    at.selectbox(key="week").set_value(PREVIOUS_WEEK).run()
    no_exception(at)
    shown = tiles(at)
    assert shown["决议执行率"][0] == "50.0%"  # D6 yes, D7 completed after Sunday
    assert shown["低效会议占比"][0] == "0.0%"
    assert shown["逾期未办"][0] == "1"  # D7
    assert url(at, "week") == [PREVIOUS_WEEK]


@pytest.mark.parametrize(
    ("department", "completion", "low_efficiency", "waste"),
    [("研发部", "100.0%", "50.0%", "0.0%"), ("财务部", "0.0%", "100.0%", "16.7%")],
    ids=["rnd", "finance"],
)
def test_filtering_a_department_recomputes_every_tile(
    company: Path, department: str, completion: str, low_efficiency: str, waste: str
) -> None:
    at = open_filters(open_app())
    at.multiselect(key="dept").set_value([department]).run()
    no_exception(at)
    shown = tiles(at)
    assert (shown["决议执行率"][0], shown["低效会议占比"][0], shown["办公用品浪费率"][0]) == (
        completion,
        low_efficiency,
        waste,
    )
    assert url(at, "dept") == [department]


def test_the_department_survives_a_page_switch(company: Path) -> None:
    at = open_app(dept="财务部")
    on_page(at, "decisions")
    no_exception(at)
    assert tiles(at)["决议执行率"][0] == "0.0%"
    assert url(at, "dept") == ["财务部"]


def test_the_filters_are_built_only_while_open_and_their_choice_stays_when_closed(company: Path) -> None:
    at = open_app()
    assert not at.sidebar.multiselect and not at.sidebar.radio
    assert at.sidebar.expander[0].label == "全部部门 · 中文"
    at = open_filters(at)
    at.multiselect(key="dept").set_value(["财务部"]).run()
    assert at.sidebar.expander[0].label == "财务部 · 中文" and at.sidebar.multiselect, "still open"
    at = on_page(open_filters(at, is_open=False), "decisions")
    assert not at.sidebar.multiselect
    assert tiles(at)["决议执行率"][0] == "0.0%"  # 财务部 0/2
    assert url(at, "dept") == ["财务部"]


def test_a_ledger_page_builds_its_rows_only_when_their_tab_is_opened(company: Path) -> None:
    at = on_page(open_app(), "decisions")
    assert not at.dataframe and len(vega_specs(at)) == 2  # trend and departments
    at = open_tab(at, "tab_decisions", "rows")
    assert list(at.dataframe[0].value["decision_id"]) == ["D3", "D4"] and not vega_specs(at)
    assert url(at, "tab") == ["rows"]
    at = open_tab(at, "tab_decisions", "charts")
    assert not at.dataframe and url(at, "tab") == []
    at = open_filters(open_tab(at, "tab_decisions", "rows"))
    at.radio(key="lang").set_value("en").run()  # the open tab is kept by name, not by its label
    no_exception(at)
    assert at.tabs[1].label.endswith("Rows") and at.dataframe


@pytest.mark.parametrize("page", [spec.key for spec in PAGES], ids=[spec.key for spec in PAGES])
def test_every_page_renders_without_an_exception(company: Path, page: str) -> None:
    at = on_page(open_app(), page)
    no_exception(at)
    assert at.title, "every page has a title"


@pytest.mark.parametrize(
    ("page", "label", "value"),
    [
        ("meetings", "低效会议占比", "66.7%"),
        ("meetings", "会议人时", "15.5 小时"),
        ("decisions", "逾期未办", "2"),
        ("decisions", "按期完成率", "40.0%"),
        ("supplies", "浪费金额", "¥50.00"),
        ("documents", "1个工作日内登记率", "66.7%"),
        ("incidents", "30分钟通报达标率", "50.0%"),
        ("schedule", "战略事务时间占比", "25.0%"),
    ],
    ids=lambda v: str(v),
)
def test_ledger_pages_show_their_hand_computed_numbers(company: Path, page: str, label: str, value: str) -> None:
    at = on_page(open_app(), page)
    assert tiles(at)[label][0] == value


@pytest.mark.parametrize(("count", "per_row"), [(1, 1), (3, 3), (4, 4), (5, 3), (6, 3), (7, 4), (8, 4), (9, 3)])
def test_tiles_are_laid_out_in_even_rows_of_at_most_four(count: int, per_row: int) -> None:
    from analytics.ui.kpi import balanced_columns

    assert balanced_columns(count, 4) == per_row


def test_the_meetings_page_lays_its_five_tiles_three_then_two(company: Path) -> None:
    at = on_page(open_app(), "meetings")
    tiles_in = [column for column in at.main.columns if column.metric]
    assert len(tiles_in) == 5 and all(len(column.metric) == 1 for column in tiles_in)
    assert {round(column.weight, 3) for column in tiles_in} == {0.333}  # a third of the width each, not a fifth


def test_the_decisions_page_lists_overdue_resolutions_with_age_and_source_meeting(company: Path) -> None:
    at = open_page_rows(open_app(), "decisions")
    rows = at.dataframe[0].value
    assert list(rows["decision_id"]) == ["D3", "D4"]
    assert list(rows["meeting_id"]) == ["M2", "M2"]
    assert list(rows["working_days_overdue"]) == [0, 0]
    assert list(rows["days_overdue"]) == [2, 1]


def test_the_csv_of_the_rows_is_built_only_when_the_user_downloads_it(company: Path) -> None:
    at = open_page_rows(open_app(), "decisions")
    button = at.get("download_button")[0].proto
    assert button.label == "下载 CSV"
    assert button.deferred_file_id and not button.url, "a rerun neither builds nor sends the file"
    assert button.ignore_rerun


def test_the_meetings_page_gives_each_low_efficiency_meeting_its_reasons(company: Path) -> None:
    at = open_page_rows(open_app(), "meetings")
    rows = at.dataframe[0].value.set_index("meeting_id")
    assert rows.loc["M3", "reasons"] == "无议程、无决议产出"
    assert rows.loc["M2", "reasons"] == "超时"
    assert set(rows.index) == {"M2", "M3"}  # a rate opens on the ones that missed
    at = at.toggle(key="only_missed_low_efficiency_meeting_share").set_value(False).run()
    rows = at.dataframe[0].value.set_index("meeting_id")
    assert set(rows.index[:2]) == {"M2", "M3"}  # the low-efficiency ones first, M1 last
    assert rows.index[2] == "M1"


def test_picking_another_metric_shows_its_rows_and_keeps_it_in_the_url(company: Path) -> None:
    at = open_page_rows(open_app(), "incidents")
    at.button_group(key="metric_incidents").set_value("incident_report_on_time_rate").run()
    no_exception(at)
    rows = at.dataframe[0].value.set_index("incident_id")
    assert "总结报告超时" in rows.loc["I2", "missed_service_levels"]
    assert url(at, "metric") == ["incident_report_on_time_rate"]


def test_a_drill_down_link_opens_the_ledger_page_on_its_metric_and_its_rows(company: Path) -> None:
    at = open_app().switch_page("app_pages/documents.py")  # the overview's link to its overdue documents
    at.query_params.update(metric="docs_overdue", tab="rows")
    at.run()
    assert at.button_group(key="metric_documents").value == "docs_overdue"
    assert list(at.dataframe[0].value["doc_id"]) == ["F3"]


def test_the_overview_links_each_tile_to_its_ledger_page(company: Path) -> None:
    at = open_app()
    links = [link.proto for link in at.get("page_link") if link.proto.label == "查看明细"]
    assert len(links) == 11
    first = links[0]
    assert first.page == "decisions"
    assert parse_qs(first.query_string) == {"week": [WEEK], "metric": ["decision_completion_rate"], "tab": ["rows"]}


def test_the_interface_switches_to_english(company: Path) -> None:
    at = open_app(lang="en")
    no_exception(at)
    assert at.title[0].value.endswith("Overview")
    assert tiles(at)["Decision completion rate"][:2] == ("60.0%", "+10.0 pp")
    assert url(at, "lang") == ["en"]


def test_an_empty_database_offers_the_sample_company_in_one_click(db_path: Path, monkeypatch) -> None:
    loaded: list[Path] = []

    def load_sample_company(path: Path, progress: object = None) -> None:
        loaded.append(Path(path))
        build_weekly_fixture(Path(path))

    monkeypatch.setitem(
        sys.modules, "analytics.bootstrap", types.SimpleNamespace(load_sample_company=load_sample_company)
    )
    at = open_app()
    no_exception(at)
    assert not at.metric
    at.button(key="load_sample").click().run()
    no_exception(at)
    assert loaded == [db_path]
    assert tiles(at)["决议执行率"][0] == "60.0%"
    assert at.selectbox(key="week").value == WEEK


GB18030_DECISIONS = (
    "决议编号,来源会议,决议事项,责任部门,责任人,下达日期,完成时限,办结日期,状态\n"
    "D8,M2,补交发票,财务部,赵强,2026/11/12,2026/11/19,2026/11/19,已办结\n"
).encode("gb18030")
BROKEN_DECISIONS = (
    "决议编号,决议事项,责任部门,下达日期,完成时限,办结日期,状态\n"
    "D9,整理档案,研发部,2026-11-12,2026-11-19,2026-11-18,已办结\n"
    "D10,清点资产,研发部,2026-11-12,下周五,,进行中\n"
).encode()


def test_the_upload_page_loads_a_gb18030_file_and_the_overview_shows_it(company: Path) -> None:
    at = on_page(open_app(), "upload")
    at.file_uploader[0].set_value(("决议督办.csv", GB18030_DECISIONS, "text/csv")).run()
    no_exception(at)
    assert any("决议督办台账" in md.value for md in at.markdown)
    # the preview's empty cells (no 验收标准 in the file) show empty, not `None`
    assert at.dataframe and all(table.proto.HasField("placeholder") for table in at.dataframe)
    assert {table.proto.placeholder for table in at.dataframe} == {""}
    at.button(key="load").click().run()
    no_exception(at)
    assert any("导入 1 行" in s.value for s in at.success)
    on_page(at, "overview")
    # D8 (财务部, due 11-19, completed 11-19) joins due(W47): 4 of 6
    assert tiles(at)["决议执行率"][:2] == ("66.7%", "+16.7个百分点")


def test_the_upload_page_refuses_a_broken_file_naming_the_row(company: Path) -> None:
    at = on_page(open_app(), "upload")
    at.file_uploader[0].set_value(("broken.csv", BROKEN_DECISIONS, "text/csv")).run()
    report = at.dataframe[-1].value
    assert list(report["row"]) == [3] and list(report["value"]) == ["下周五"]
    at.button(key="load").click().run()
    no_exception(at)
    assert any("未导入" in e.value and "1 行有错误" in e.value for e in at.error)
    on_page(at, "overview")
    assert tiles(at)["决议执行率"][0] == "60.0%"  # nothing loaded


def test_after_a_refusal_the_files_stay_for_a_second_try_with_the_valid_rows(company: Path) -> None:
    at = on_page(open_app(), "upload")
    at.file_uploader[0].set_value(("broken.csv", BROKEN_DECISIONS, "text/csv")).run()
    at.button(key="load").click().run()
    assert any("未导入" in e.value for e in at.error)
    at.radio(key="load_mode").set_value("valid").run()
    at.button(key="load").click().run()
    no_exception(at)
    assert any("导入 1 行" in s.value and "拒绝 1 行" in s.value for s in at.success)


def test_the_valid_rows_of_a_broken_file_load_when_asked_and_the_rest_are_quarantined(company: Path) -> None:
    at = on_page(open_app(), "upload")
    at.file_uploader[0].set_value(("broken.csv", BROKEN_DECISIONS, "text/csv")).run()
    at.radio(key="load_mode").set_value("valid").run()
    at.button(key="load").click().run()
    no_exception(at)
    assert any("导入 1 行" in s.value and "拒绝 1 行" in s.value for s in at.success)
    on_page(at, "quality")
    quarantined = at.dataframe[-1].value  # the quarantine is the last table of the page
    assert list(quarantined["row_number"]) == [3]


def test_a_changed_threshold_is_saved_and_applies_everywhere(company: Path, db_path: Path) -> None:
    at = on_page(open_app(), "definitions")
    at.number_input(key="setting_overrun_factor_0").set_value(2.5)
    next(button for button in at.button if button.form_id).click().run()
    no_exception(at)
    assert "overrun_factor = 2.5" in (db_path.with_name("settings.toml")).read_text(encoding="utf-8")
    on_page(at, "overview")
    # M2 ran 120 of 60 planned minutes: no longer an overrun at 2.5 ×, so only M3 is low-efficiency
    assert tiles(at)["低效会议占比"][0] == "33.3%"


UNKNOWN_HEADER = (
    "决议编号,交办工作,责任部门,下达日期,完成时限,办结日期,状态\n"
    "D8,补交发票,财务部,2026-11-12,2026-11-19,2026-11-19,已办结\n"
).encode("gb18030")


def test_a_header_nobody_declared_is_mapped_on_the_page_and_remembered(company: Path, db_path: Path) -> None:
    at = on_page(open_app(), "upload")
    at.file_uploader[0].set_value(("督办.csv", UNKNOWN_HEADER, "text/csv")).run()
    (warning,) = [w.value for w in at.warning if "未能识别台账类型" in w.value]
    assert "  \n找到的表头：决议编号、交办工作、责任部门" in warning  # the message's lines stay lines
    mapping = next(box for box in at.selectbox if box.label == "交办工作")
    mapping.set_value("item").run()
    no_exception(at)
    assert any("识别为：**决议督办台账**" in md.value for md in at.markdown)
    at.button(key="load").click().run()
    assert any("导入 1 行" in s.value for s in at.success)
    from analytics.ingest import list_mappings

    saved = list_mappings(db_path)
    assert ("交办工作", "item") in set(zip(saved["header"], saved["column_name"], strict=True))
