"""Vega-Lite specifications of the weekly review, drawn only from what `prepare` computes; rendered
in the browser or to images by vl-convert, which needs no browser."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from analytics.charts import prepare
from analytics.formatting import Lang

VegaLite = dict[str, Any]
TICK_LABELS: dict[str, dict[str, Any]] = {
    "rate": {"format": ".0%"},
    "money": {"labelExpr": "'¥' + format(datum.value, ',.0f')"},
    "count": {"format": ",d", "tickMinStep": 1},
}
"""Axis labels per unit, as `formatting.axis_format` gives them to Plotly."""
DEFAULT_TICKS = {"format": ",.1f"}


def _axis(unit: str) -> dict[str, Any]:
    return {"title": None, **TICK_LABELS.get(unit, DEFAULT_TICKS)}


ONE_ROW: VegaLite = {"values": [{}]}
"""The data of a layer drawn from constants (a target line, a message): one row, so it draws once."""


def _spec(layers: list[VegaLite], height: int, title: str | None) -> VegaLite:
    """A layered Vega-Lite chart in the dashboard's font, titled like the Plotly figures.

    Each layer carries its rows inline (small: a point per week, a bar per department), so they
    reach the browser as JSON in the spec; top-level data would be converted to Arrow and back."""
    spec: VegaLite = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "height": height,
        "layer": layers,
        "config": {"font": prepare.FONT, "view": {"stroke": None}},
    }
    if title:
        spec["title"] = {"text": title, "anchor": "start", "fontSize": prepare.TITLE_SIZE}
    return spec


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows for a spec's inline data: plain numbers and strings, missing values as null."""
    return [{k: None if _is_missing(v) else v for k, v in row.items()} for row in frame.to_dict("records")]


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def empty_spec(message: str, height: int = 260) -> VegaLite:
    """A blank chart that says why it is blank."""
    text = {
        "data": ONE_ROW,
        "mark": {"type": "text", "fontSize": prepare.MESSAGE_SIZE, "color": prepare.MESSAGE_COLOUR},
        "encoding": {"text": {"value": message}},
    }
    return _spec([text], height, None)


def trend_spec(
    trend: pd.DataFrame,
    labels: Mapping[str, str],
    unit: str,
    lang: Lang = "zh",
    *,
    title: str | None = None,
    highlight_week: str | None = None,
    height: int = 280,
) -> VegaLite:
    """`trend_figure` for the dashboard: weekly lines over the week's Monday on a date axis, with the
    single metric's target (dashed green) and alert (dotted red) lines and the chosen week marked."""
    chart = prepare.trend_chart(trend, labels, unit, lang, highlight_week)
    if chart is None:
        return empty_spec(prepare.no_data("trend", lang), height)
    points = chart.points.drop(columns="metric").assign(week_start=chart.points["week_start"].dt.strftime("%Y-%m-%d"))
    several = len(chart.names) > 1
    tooltip = [{"field": "week", "title": chart.week_title}]
    if several:
        tooltip.append({"field": "series", "title": chart.series_title})
    tooltip.append({"field": "value_text", "title": chart.value_title})
    colour_scale = {"domain": list(chart.colours), "range": list(chart.colours.values())}
    lines: VegaLite = {
        "data": {"values": _records(points)},
        "mark": {
            "type": "line",
            "point": {"size": 40, "filled": True},
            "strokeWidth": prepare.LINE_WIDTH,
            "invalid": "break-paths-show-domains",  # a week without a value is a gap, as in Plotly
        },
        "encoding": {
            "x": {
                "field": "week_start",
                "type": "temporal",
                "scale": {"type": "utc"},
                "axis": {"title": None, "format": "%m/%d", "labelAngle": 0},
            },
            "y": {"field": "value", "type": "quantitative", "scale": {"zero": True}, "axis": _axis(unit)},
            "color": {
                "field": "series",
                "type": "nominal",
                "scale": colour_scale,
                "legend": {"orient": "top", "title": None} if several else None,
            },
            "tooltip": tooltip,
        },
    }
    layers = [lines]
    target = chart.target
    if target is not None:
        good = {"color": target.good_colour, "strokeDash": [6, 4], "strokeWidth": prepare.TARGET_WIDTH}
        alert = {"color": target.alert_colour, "strokeDash": [2, 3], "strokeWidth": prepare.ALERT_WIDTH}
        layers += [
            {"data": ONE_ROW, "mark": {"type": "rule", **good}, "encoding": {"y": {"datum": target.good}}},
            {"data": ONE_ROW, "mark": {"type": "rule", **alert}, "encoding": {"y": {"datum": target.alert}}},
            {
                "data": ONE_ROW,
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "bottom",
                    "dx": 4,
                    "dy": -2,
                    "color": good["color"],
                },
                "encoding": {"y": {"datum": target.good}, "x": {"value": 0}, "text": {"value": target.label}},
            },
        ]
    if chart.highlight is not None:
        layers.append(
            {
                "data": {"values": [{"week_start": chart.highlight.strftime("%Y-%m-%d")}]},
                "mark": {
                    "type": "rule",
                    "color": prepare.HIGHLIGHT_COLOUR,
                    "strokeDash": [2, 3],
                    "strokeWidth": prepare.ALERT_WIDTH,
                },
                "encoding": {"x": {"field": "week_start", "type": "temporal"}},
            }
        )
    return _spec(layers, height, title)


INSIDE_SHARE = 0.55
"""A bar at least this share of the longest one carries its text inside (white), else just past its end."""


def breakdown_spec(
    breakdown: pd.DataFrame,
    name: str,
    label: str,
    unit: str,
    lang: Lang = "zh",
    *,
    title: str | None = None,
) -> VegaLite:
    """`breakdown_figure` for the dashboard: horizontal bars per department, the largest on top,
    coloured by target status, each with its value (and fraction) written on it."""
    bars = prepare.breakdown_bars(breakdown, name, unit, lang)
    if bars.empty:
        return empty_spec(prepare.no_data("breakdown", lang))
    longest = float(bars["value"].abs().max()) or 1.0
    bars = bars.assign(inside=bars["value"].abs() >= INSIDE_SHARE * longest)
    order = list(reversed(bars["department"].tolist()))
    y = {"field": "department", "type": "nominal", "sort": order, "axis": {"title": None, "labelLimit": 160}}
    x = {"field": "value", "type": "quantitative", "scale": {"zero": True}, "axis": _axis(unit)}
    tooltip = [
        {"field": "department", "title": prepare.department_title(lang)},
        {"field": "text", "title": label},
    ]

    def words(inside: bool) -> VegaLite:
        placement = (
            {"align": "right", "dx": -4, "color": "white", "fontWeight": "bold"}
            if inside
            else {"align": "left", "dx": 4, "color": "#333"}
        )
        return {
            "data": {"values": _records(bars[bars["inside"] == inside])},
            "mark": {"type": "text", "baseline": "middle", **placement},
            "encoding": {"y": y, "x": x, "text": {"field": "text"}, "tooltip": tooltip},
        }

    layers: list[VegaLite] = [
        {
            "data": {"values": _records(bars)},
            "mark": {"type": "bar", "cornerRadiusEnd": 2},
            "encoding": {
                "y": y,
                "x": x,
                "color": {"field": "colour", "type": "nominal", "scale": None},
                "tooltip": tooltip,
            },
        },
        words(True),
        words(False),
    ]
    target = prepare.target_lines(name, unit, lang)
    if target is not None:
        rule = {"type": "rule", "color": target.good_colour, "strokeDash": [6, 4], "strokeWidth": prepare.TARGET_WIDTH}
        layers.append({"data": ONE_ROW, "mark": rule, "encoding": {"x": {"datum": target.good}}})
    return _spec(layers, max(160, 40 * len(bars)), title)


def composition_spec(
    frame: pd.DataFrame,
    category: str,
    value: str,
    unit: str,
    lang: Lang = "zh",
    *,
    colour_by: str | None = None,
    title: str | None = None,
    top: int = 12,
) -> VegaLite:
    """`composition_figure` for the dashboard: bars of a total split by one column (e.g. waste value
    by item, stacked by reason), the largest category on top."""
    if frame.empty:
        return empty_spec(prepare.no_data("composition", lang))
    chart = prepare.composition_chart(frame, category, value, unit, lang, colour_by, top)
    tooltip = [{"field": "category", "title": chart.category_title}]
    if colour_by:
        tooltip.append({"field": "group", "title": chart.group_title})
    tooltip.append({"field": "value_text", "title": chart.value_title})
    bars: VegaLite = {
        "data": {"values": _records(chart.rows)},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "category",
                "type": "nominal",
                "sort": chart.order,
                "axis": {"title": None, "labelLimit": 200},
            },
            "x": {"field": "value", "type": "quantitative", "stack": "zero", "axis": _axis(unit)},
            "color": {
                "field": "group",
                "type": "nominal",
                "scale": {"domain": chart.groups, "range": [chart.colours[g] for g in chart.groups]},
                "legend": {"orient": "top", "title": None} if colour_by else None,
            },
            "order": {"field": "group"},
            "tooltip": tooltip,
        },
    }
    return _spec([bars], max(160, 34 * len(chart.order)), title)
