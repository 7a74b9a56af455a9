"""The written summary, number formatting and target bands: pure functions, checked by hand."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pytest

from analytics.formatting import format_delta, format_value, is_flat, to_csv_bytes
from analytics.summary import metric_sentence, weekly_summary
from analytics.targets import describe_target, status


@dataclass(frozen=True)
class Result:
    name: str
    value: float | None
    previous: float | None
    delta: float | None
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class Definition:
    label_zh: str
    label_en: str
    unit: str
    higher_is_better: bool | None


DEFINITIONS = {
    "decision_completion_rate": Definition("决议执行率", "Decision completion rate", "rate", True),
    "low_efficiency_meeting_share": Definition("低效会议占比", "Low-efficiency meeting share", "rate", False),
    "supply_waste_rate": Definition("办公用品浪费率", "Supply waste rate", "rate", False),
    "decisions_overdue": Definition("逾期未办", "Decisions overdue", "count", False),
}

BY_DEPARTMENT = pd.DataFrame(
    {"department": ["研发部", "财务部"], "value": [1.0, 0.6], "numerator": [10.0, 3.0], "denominator": [10.0, 5.0]}
)


@pytest.mark.parametrize(
    ("value", "unit", "lang", "shown"),
    [
        (0.85, "rate", "zh", "85.0%"),
        (0.66666, "rate", "zh", "66.7%"),
        (1234.5, "money", "zh", "¥1,234.50"),
        (3, "count", "zh", "3"),
        (15.5, "hours", "zh", "15.5 小时"),
        (2.0, "days", "en", "2.0 days"),
        (None, "rate", "zh", "—"),
        (float("nan"), "money", "zh", "—"),
    ],
    ids=["rate", "rate-rounds", "money", "count", "hours", "days-en", "none", "nan"],
)
def test_values_are_formatted_the_chinese_way(value: float | None, unit: str, lang: str, shown: str) -> None:
    assert format_value(value, unit, lang) == shown


@pytest.mark.parametrize(
    ("delta", "unit", "lang", "shown"),
    [
        (0.05, "rate", "zh", "+5.0个百分点"),
        (-0.6667, "rate", "zh", "-66.7个百分点"),
        (0.05, "rate", "en", "+5.0 pp"),
        (-120.0, "money", "zh", "-¥120.00"),
        (2, "count", "zh", "+2"),
        (0, "count", "zh", "±0"),
        (None, "rate", "zh", None),
    ],
    ids=["points", "negative-points", "points-en", "money", "count", "zero", "unknown"],
)
def test_deltas_carry_their_sign_and_percentage_points(delta: float | None, unit: str, lang: str, shown: str) -> None:
    assert format_delta(delta, unit, lang) == shown


def test_a_delta_that_rounds_to_nothing_is_flat() -> None:
    assert is_flat(0.0004, "rate") and not is_flat(0.001, "rate") and is_flat(None, "count")


def test_targets_band_each_direction() -> None:
    assert status("decision_completion_rate", 0.95) == "good"
    assert status("decision_completion_rate", 0.85) == "watch"
    assert status("decision_completion_rate", 0.6) == "bad"
    assert status("supply_waste_rate", 0.02) == "good"
    assert status("supply_waste_rate", 0.071) == "bad"
    assert status("meetings_held", 3) == "unknown"
    assert status("decision_completion_rate", None) == "unknown"
    assert describe_target("decision_completion_rate", "rate") == "目标 ≥ 90.0%（低于 80.0% 需处理）"


def test_the_sentence_leads_with_the_number_then_the_department_behind_it() -> None:
    result = Result("decision_completion_rate", 0.85, 0.80, 0.05)
    line = metric_sentence(result, DEFINITIONS["decision_completion_rate"], BY_DEPARTMENT)
    assert line.status == "watch"
    assert line.text == "本周决议执行率85.0%（较上周+5.0个百分点），主要因财务部2项决议逾期"
    assert line.sentence == (
        "本周决议执行率85.0%（较上周+5.0个百分点），主要因财务部2项决议逾期；"
        "建议与财务部调整验收标准或延长3天周期，并在OA中逐项督办"
    )


def test_rows_without_a_department_are_not_named_as_the_cause() -> None:
    unfilled = pd.DataFrame({"department": ["（未填）"], "value": [0.0], "numerator": [0.0], "denominator": [2.0]})
    line = metric_sentence(
        Result("decision_completion_rate", 0.0, None, None), DEFINITIONS["decision_completion_rate"], unfilled
    )
    assert line.text == "本周决议执行率0.0%（上周无可比数据）"
    assert line.proposal == "建议与相关部门调整验收标准或延长3天周期，并在OA中逐项督办"


def test_a_number_on_target_gets_no_cause_and_no_proposal() -> None:
    line = metric_sentence(Result("supply_waste_rate", 0.02, None, None), DEFINITIONS["supply_waste_rate"])
    assert line.text == "本周办公用品浪费率2.0%（上周无可比数据）"
    assert line.proposal is None


def test_the_summary_puts_the_conclusion_first_and_the_worst_numbers_next() -> None:
    results = [
        Result("decision_completion_rate", 0.6, 0.5, 0.1),
        Result("low_efficiency_meeting_share", 0.1, 0.2, -0.1),
        Result("supply_waste_rate", None, None, None),
        Result("decisions_overdue", 2, 1, 1),
    ]
    summary = weekly_summary(results, DEFINITIONS, {"decision_completion_rate": BY_DEPARTMENT})
    assert summary.conclusion == (
        "结论：本周3项核心及时效指标中，1项达标、1项需留意、1项未达标，最需关注的是决议执行率（60.0%）。"
    )
    assert [line.metric for line in summary.lines] == [
        "decision_completion_rate",
        "decisions_overdue",
        "low_efficiency_meeting_share",
    ]
    assert summary.proposals[0].startswith("建议与财务部调整验收标准")
    text = summary.as_text()
    assert text.splitlines()[0] == summary.conclusion and "建议：" in text


def test_the_summary_speaks_english_too() -> None:
    results = [Result("low_efficiency_meeting_share", 0.1, 0.2, -0.1)]
    summary = weekly_summary(results, DEFINITIONS, lang="en")
    assert summary.conclusion == "Conclusion: all 1 headline and service-level numbers are on target this week."
    assert summary.lines[0].text == "Low-efficiency meeting share 10.0% this week (-10.0 pp on last week)"


def test_an_empty_week_says_so() -> None:
    summary = weekly_summary([Result("decision_completion_rate", None, None, None)], DEFINITIONS)
    assert summary.conclusion == "结论：本周没有可计算的指标，请先导入本周台账。"
    assert summary.lines == [] and summary.proposals == []


def test_csv_exports_open_in_excel_and_never_run_a_formula() -> None:
    frame = pd.DataFrame({"事项": ['=HYPERLINK("x")', "正常"], "金额": [-5.0, 1.0]})
    data = to_csv_bytes(frame)
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "-5.0" in text


def test_the_cause_is_the_department_furthest_short_of_the_target_not_the_one_with_most_misses() -> None:
    # 行政部 missed 10 of 100 (90.0%: on its target of 90%); 市场部 missed 5 of 6 (16.7%): it explains the miss
    frame = pd.DataFrame(
        {
            "department": ["市场部", "行政部"],
            "value": [1 / 6, 0.9],
            "numerator": [1.0, 90.0],
            "denominator": [6.0, 100.0],
        }
    )
    line = metric_sentence(
        Result("decision_completion_rate", 91 / 106, None, None), DEFINITIONS["decision_completion_rate"], frame
    )
    assert line.text.endswith("主要因市场部5项决议逾期")
    assert line.proposal.startswith("建议与市场部")


def test_under_a_single_department_no_line_repeats_it_as_the_cause() -> None:
    one = pd.DataFrame({"department": ["财务部"], "value": [0.6], "numerator": [3.0], "denominator": [5.0]})
    result = Result("decision_completion_rate", 0.6, None, None)
    assert "主要因财务部" in metric_sentence(result, DEFINITIONS["decision_completion_rate"], one).text
    line = metric_sentence(result, DEFINITIONS["decision_completion_rate"], one, scope=["财务部"])
    assert "主要因" not in line.text and "财务部" not in line.sentence
    summary = weekly_summary([result], DEFINITIONS, {"decision_completion_rate": one}, scope=["财务部"])
    assert "主要因" not in summary.lines[0].text


def test_a_month_or_a_week_in_progress_is_said_as_such() -> None:
    from analytics.summary import period_words

    results = [Result("decision_completion_rate", 0.6, 0.5, 0.1)]
    month = weekly_summary(results, DEFINITIONS, words=period_words("month", complete=False))
    assert month.lines[0].text.startswith("本月决议执行率60.0%（较上月同期+10.0个百分点）")
    assert month.conclusion.startswith("结论：本月1项")
    week = weekly_summary(results, DEFINITIONS, words=period_words("week", complete=False))
    assert "（较上周同期+10.0个百分点）" in week.lines[0].text
    chosen = weekly_summary(results, DEFINITIONS, words=period_words("quarter", compared_with="2025年第4季度"))
    assert chosen.lines[0].text.startswith("本季度决议执行率60.0%（较2025年第4季度+10.0个百分点）")
    english = weekly_summary(results, DEFINITIONS, lang="en", words=period_words("month", lang="en"))
    assert "this month" in english.lines[0].text and "on last month" in english.lines[0].text
