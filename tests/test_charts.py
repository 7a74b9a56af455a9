"""The dashboard's Vega-Lite charts and the notebooks' Plotly figures: same rows, colours and texts.

Small frames, numbers checked by eye: completion rates of three departments against the 90% target
(alert below 80%), waste value of three items split by reason.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from analytics import charts

GREEN, AMBER, RED, BLUE = (charts.STATUS_COLOURS[s] for s in ("good", "watch", "bad", "unknown"))

BREAKDOWN = pd.DataFrame(
    {
        "department": ["研发部", "财务部", "行政部"],
        "value": [0.95, 0.5, 0.85],
        "numerator": [19, 1, 17],
        "denominator": [20, 2, 20],
    }
)
TREND = pd.DataFrame(
    {
        "week": ["2026-W45", "2026-W46", "2026-W47"],
        "week_start": [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)],
        "metric": ["decision_completion_rate"] * 3,
        "value": [0.8, None, 0.6],
    }
)
WASTE = pd.DataFrame(
    {
        "item": ["A4纸", "A4纸", "签字笔", "硒鼓", "A4纸"],
        "note": ["受潮", "破损", "破损", None, "受潮"],
        "value": [50.0, 10.0, 4.0, 120.0, 25.0],
    }
)


def layer(spec: dict, mark: str, **where: object) -> dict:
    """The first layer drawing `mark` whose mark properties include `where`."""
    for candidate in spec["layer"]:
        kind = candidate["mark"]["type"] if isinstance(candidate["mark"], dict) else candidate["mark"]
        if kind == mark and all(candidate["mark"].get(k) == v for k, v in where.items()):
            return candidate
    raise AssertionError(f"no {mark} layer with {where}")


def test_breakdown_bars_are_coloured_by_target_status_largest_on_top_with_their_fractions() -> None:
    spec = charts.breakdown_spec(BREAKDOWN, "decision_completion_rate", "决议执行率", "rate", title="按部门")
    rows = {row["department"]: row for row in layer(spec, "bar")["data"]["values"]}
    assert {d: rows[d]["colour"] for d in rows} == {"研发部": GREEN, "行政部": AMBER, "财务部": RED}
    assert rows["研发部"]["text"] == "95.0%（19/20）"
    assert rows["财务部"]["text"] == "50.0%（1/2）"
    assert layer(spec, "bar")["encoding"]["y"]["sort"] == ["研发部", "行政部", "财务部"]
    # long bars carry their text inside, short ones just past their end
    inside, outside = layer(spec, "text", color="white"), layer(spec, "text", color="#333")
    assert [row["department"] for row in inside["data"]["values"]] == ["行政部", "研发部"]
    assert [row["department"] for row in outside["data"]["values"]] == ["财务部"]
    assert layer(spec, "rule")["encoding"]["x"]["datum"] == 0.9  # the target
    assert layer(spec, "bar")["encoding"]["tooltip"][1] == {"field": "text", "title": "决议执行率"}
    assert spec["title"]["text"] == "按部门"
    json.dumps(spec)  # what st.vega_lite_chart sends


def test_the_plotly_figure_shows_the_same_bars_as_the_dashboard() -> None:
    figure = charts.breakdown_figure(BREAKDOWN, "decision_completion_rate", "决议执行率", "rate")
    spec = charts.breakdown_spec(BREAKDOWN, "decision_completion_rate", "决议执行率", "rate")
    bars = figure.data[0]
    assert list(bars.y) == ["财务部", "行政部", "研发部"]  # plotly draws the first at the bottom
    assert list(bars.marker.color) == [RED, AMBER, GREEN]
    assert sorted(bars.text) == sorted(row["text"] for row in layer(spec, "bar")["data"]["values"])


def test_trend_has_a_gap_for_a_missing_week_the_target_lines_and_the_week_marked() -> None:
    spec = charts.trend_spec(TREND, {"decision_completion_rate": "决议执行率"}, "rate", highlight_week="2026-W47")
    lines = layer(spec, "line")
    points = lines["data"]["values"]
    assert [(p["week_start"], p["value"], p["value_text"]) for p in points] == [
        ("2026-11-02", 0.8, "80.0%"),
        ("2026-11-09", None, "—"),
        ("2026-11-16", 0.6, "60.0%"),
    ]
    assert lines["mark"]["invalid"] == "break-paths-show-domains"
    assert lines["encoding"]["color"]["scale"]["range"] == [charts.SERIES_COLOURS[0]]
    assert lines["encoding"]["color"]["legend"] is None  # one series: no legend
    assert lines["encoding"]["y"]["axis"]["format"] == ".0%"
    assert layer(spec, "rule", color=GREEN)["encoding"]["y"]["datum"] == 0.9
    assert layer(spec, "rule", color=RED)["encoding"]["y"]["datum"] == 0.8
    assert layer(spec, "text")["encoding"]["text"]["value"] == "目标 90.0%"
    assert layer(spec, "rule", color="#999")["data"]["values"] == [{"week_start": "2026-11-16"}]


def test_several_metrics_share_a_trend_with_a_legend_in_english() -> None:
    both = pd.concat([TREND, TREND.assign(metric="decision_on_time_rate", value=[0.7, 0.75, 0.5])])
    labels = {"decision_completion_rate": "Completion", "decision_on_time_rate": "On time"}
    spec = charts.trend_spec(both, labels, "rate", "en")
    lines = layer(spec, "line")
    assert lines["encoding"]["color"]["scale"] == {
        "domain": ["Completion", "On time"],
        "range": list(charts.SERIES_COLOURS[:2]),
    }
    assert lines["encoding"]["color"]["legend"] is not None
    assert [t["title"] for t in lines["encoding"]["tooltip"]] == ["Week", "Metric", "Value"]
    assert len(spec["layer"]) == 1  # no target lines for two metrics


def test_composition_stacks_reasons_per_item_largest_item_on_top() -> None:
    spec = charts.composition_spec(WASTE, "item", "value", "money", colour_by="note", top=2)
    bars = layer(spec, "bar")
    assert bars["encoding"]["y"]["sort"] == ["硒鼓", "A4纸"]  # 120 vs 85; 签字笔 (4) is not in the top 2
    rows = {(r["category"], r["group"]): r["value_text"] for r in bars["data"]["values"]}
    assert rows == {("A4纸", "受潮"): "¥75.00", ("A4纸", "破损"): "¥10.00", ("硒鼓", "（未填）"): "¥120.00"}
    assert bars["encoding"]["color"]["scale"] == {
        "domain": ["受潮", "破损", "（未填）"],
        "range": list(charts.SERIES_COLOURS[:3]),
    }


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (charts.trend_spec(TREND.iloc[0:0], {"decision_completion_rate": "x"}, "rate"), "所选周内没有数据"),
        (
            charts.breakdown_spec(BREAKDOWN.assign(value=None), "decisions_overdue", "x", "count"),
            "本周没有按部门的数据",
        ),
        (charts.composition_spec(WASTE.iloc[0:0], "item", "value", "money", "en"), "No data"),
    ],
    ids=["trend", "breakdown", "composition"],
)
def test_an_empty_chart_says_why(spec: dict, message: str) -> None:
    assert layer(spec, "text")["encoding"]["text"]["value"] == message
