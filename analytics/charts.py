"""Charts of the weekly review, with Chinese labels and date axes: Vega-Lite specifications for the
dashboard, Plotly figures for the notebooks.

No streamlit here. The dashboard draws Vega-Lite (`*_spec`): the browser already has Vega for the
KPI sparklines, while Plotly's bundle costs it about 0.8 s of CPU on every page load. The notebooks
keep the interactive Plotly figures (`*_figure`). Both are built from the same prepared rows, so
they show the same numbers, colours and hover texts. Colour carries meaning the same way
everywhere: green on target, amber to watch, red off target, blue for a number without a target.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analytics.formatting import Lang, axis_format, format_value, hover_format
from analytics.targets import TARGETS, Status

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
STATUS_COLOURS: dict[Status, str] = {
    "good": "#2E7D32",
    "watch": "#F29D0B",
    "bad": "#C62828",
    "unknown": "#1F5FA8",
}
SERIES_COLOURS = ("#1F5FA8", "#C8102E", "#2E7D32", "#7B4FA0", "#F29D0B", "#00838F")


def _count_ticks(unit: str, values: pd.Series) -> dict[str, float]:
    """Whole-number ticks for small counts (plotly would otherwise label 0, 0.2, … as 0, 0, …)."""
    if unit != "count" or values.dropna().empty or values.max() > 8:
        return {}
    return {"tick0": 0, "dtick": 1}


def _no_data(kind: str, lang: Lang) -> str:
    """Why a chart is blank."""
    return {
        "trend": ("所选周内没有数据", "No data in these weeks"),
        "breakdown": ("本周没有按部门的数据", "No department figures this week"),
        "composition": ("没有数据", "No data"),
    }[kind][0 if lang == "zh" else 1]


def _week_word(lang: Lang) -> str:
    return "周" if lang == "zh" else "week"


def _target_label(name: str, unit: str, lang: Lang) -> str:
    """`目标 90.0%` beside the target line of a trend."""
    return ("目标 " if lang == "zh" else "target ") + format_value(TARGETS[name].good, unit, lang)


def _trend_names(trend: pd.DataFrame, labels: Mapping[str, str]) -> list[str]:
    """The metrics of `labels` that the trend has rows for, in the order of `labels`."""
    return [name for name in labels if name in set(trend["metric"])] if not trend.empty else []


def _trend_series(trend: pd.DataFrame, name: str) -> pd.DataFrame:
    return trend[trend["metric"] == name].sort_values("week_start")


def _highlight_start(trend: pd.DataFrame, highlight_week: str | None) -> pd.Timestamp | None:
    """The Monday of the week to mark on a trend, when the trend has it."""
    if highlight_week is None:
        return None
    current = trend[trend["week"] == highlight_week]
    return None if current.empty else pd.Timestamp(current["week_start"].iloc[0])


def _breakdown_bars(breakdown: pd.DataFrame, name: str, unit: str, lang: Lang) -> pd.DataFrame:
    """Departments with a value, smallest first, with the colour of their target status and the
    text on their bar (`80.0%（4/5）` for a share)."""
    frame = breakdown.dropna(subset=["value"]) if not breakdown.empty else breakdown
    if frame.empty:
        return frame
    target = TARGETS.get(name)
    frame = frame.sort_values("value", ascending=True)
    colours = [STATUS_COLOURS[target.status(v) if target else "unknown"] for v in frame["value"]]
    text = [format_value(v, unit, lang) for v in frame["value"]]
    if unit == "rate" and {"numerator", "denominator"} <= set(frame.columns):
        text = [
            f"{t}（{n:g}/{d:g}）" if lang == "zh" else f"{t} ({n:g}/{d:g})"
            for t, n, d in zip(text, frame["numerator"], frame["denominator"], strict=True)
        ]
    return pd.DataFrame(
        {
            "department": frame["department"].astype(str).to_numpy(),
            "value": frame["value"].astype("float64").to_numpy(),
            "colour": colours,
            "text": text,
        }
    )


def _composition_parts(
    frame: pd.DataFrame, category: str, value: str, colour_by: str | None, lang: Lang, top: int
) -> tuple[pd.DataFrame, list[Any]]:
    """The total of `value` per category (and per `colour_by`), for the `top` largest categories;
    returns the rows and the categories, largest first."""
    keys = [category] + ([colour_by] if colour_by else [])
    grouped = (
        frame.fillna({k: "（未填）" if lang == "zh" else "(blank)" for k in keys})
        .groupby(keys, as_index=False)[value]
        .sum()
    )
    order = grouped.groupby(category)[value].sum().sort_values(ascending=False).head(top).index.tolist()
    return grouped[grouped[category].isin(order)], order


# ---------------------------------------------------------------------------------------------------
# Plotly figures (notebooks)


def _layout(figure: go.Figure, title: str | None, height: int) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0, "font": {"size": 16}} if title else None,
        template="plotly_white",
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font": {"family": FONT}},
    )
    return figure


def empty_figure(message: str, height: int = 260) -> go.Figure:
    """A blank chart that says why it is blank."""
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, font={"size": 14, "color": "#666"})
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return _layout(figure, None, height)


def trend_figure(
    trend: pd.DataFrame,
    labels: Mapping[str, str],
    unit: str,
    lang: Lang = "zh",
    *,
    title: str | None = None,
    highlight_week: str | None = None,
    height: int = 320,
) -> go.Figure:
    """Weekly lines of one or more metrics sharing a unit, over the week's Monday on a date axis.

    `trend` has the columns of `analytics.metrics.trend`: week, week_start, metric, value. With a
    single metric its target band is shaded and the highlighted week is marked.
    """
    names = _trend_names(trend, labels)
    if not names:
        return empty_figure(_no_data("trend", lang), height)
    figure = go.Figure()
    week_word = _week_word(lang)
    for index, name in enumerate(names):
        series = _trend_series(trend, name)
        figure.add_trace(
            go.Scatter(
                x=pd.to_datetime(series["week_start"]),
                y=series["value"].astype("float64"),
                customdata=series["week"],
                name=labels[name],
                mode="lines+markers",
                line={"color": SERIES_COLOURS[index % len(SERIES_COLOURS)], "width": 2.5},
                connectgaps=False,
                hovertemplate=f"%{{customdata}} {week_word}<br>{labels[name]}：{hover_format(unit)}<extra></extra>",
            )
        )
    if len(names) == 1 and names[0] in TARGETS:
        target = TARGETS[names[0]]
        figure.add_hline(
            y=target.good,
            line={"color": STATUS_COLOURS["good"], "dash": "dash", "width": 1.5},
            annotation_text=_target_label(names[0], unit, lang),
            annotation_position="top left",
        )
        figure.add_hline(y=target.alert, line={"color": STATUS_COLOURS["bad"], "dash": "dot", "width": 1})
    highlight = _highlight_start(trend, highlight_week)
    if highlight is not None:
        figure.add_vline(x=highlight.timestamp() * 1000, line={"color": "#999", "dash": "dot", "width": 1})
    figure.update_xaxes(type="date", tickformat="%m/%d", hoverformat="%Y-%m-%d", title=None)
    figure.update_yaxes(title=None, rangemode="tozero", **axis_format(unit), **_count_ticks(unit, trend["value"]))
    return _layout(figure, title, height)


def breakdown_figure(
    breakdown: pd.DataFrame,
    name: str,
    label: str,
    unit: str,
    lang: Lang = "zh",
    *,
    title: str | None = None,
) -> go.Figure:
    """Horizontal bars per department (columns of `analytics.metrics.breakdown`), coloured by target status."""
    frame = _breakdown_bars(breakdown, name, unit, lang)
    if frame.empty:
        return empty_figure(_no_data("breakdown", lang))
    target = TARGETS.get(name)
    figure = go.Figure(
        go.Bar(
            x=frame["value"],
            y=frame["department"],
            orientation="h",
            marker={"color": list(frame["colour"])},
            text=list(frame["text"]),
            textposition="auto",
            hovertemplate=f"%{{y}}<br>{label}：%{{text}}<extra></extra>",
        )
    )
    if target is not None:
        figure.add_vline(x=target.good, line={"color": STATUS_COLOURS["good"], "dash": "dash", "width": 1.5})
    figure.update_xaxes(title=None, rangemode="tozero", **axis_format(unit), **_count_ticks(unit, frame["value"]))
    figure.update_yaxes(title=None, type="category")
    return _layout(figure, title, max(220, 44 * len(frame) + 60))


def composition_figure(
    frame: pd.DataFrame,
    category: str,
    value: str,
    unit: str,
    lang: Lang = "zh",
    *,
    colour_by: str | None = None,
    title: str | None = None,
    top: int = 12,
) -> go.Figure:
    """Bars of a total split by one column (e.g. waste value by item, coloured by reason)."""
    if frame.empty:
        return empty_figure(_no_data("composition", lang))
    grouped, order = _composition_parts(frame, category, value, colour_by, lang, top)
    figure = go.Figure()
    groups: Sequence[tuple[str | None, pd.DataFrame]] = (
        list(grouped.groupby(colour_by)) if colour_by else [(None, grouped)]
    )
    for index, (group, rows) in enumerate(groups):
        figure.add_trace(
            go.Bar(
                y=rows[category].astype(str),
                x=rows[value].astype("float64"),
                orientation="h",
                name=str(group) if group is not None else value,
                marker={"color": SERIES_COLOURS[index % len(SERIES_COLOURS)]},
                hovertemplate=f"%{{y}}：{hover_format(unit).replace('%{y', '%{x')}<extra>{group or ''}</extra>",
            )
        )
    figure.update_layout(barmode="stack", showlegend=colour_by is not None)
    figure.update_yaxes(title=None, categoryorder="array", categoryarray=[str(o) for o in reversed(order)])
    figure.update_xaxes(title=None, rangemode="tozero", **axis_format(unit))
    return _layout(figure, title, max(200, 40 * len(order) + 90))


# ---------------------------------------------------------------------------------------------------
# Vega-Lite specifications (dashboard)

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
        "config": {"font": FONT, "view": {"stroke": None}},
    }
    if title:
        spec["title"] = {"text": title, "anchor": "start", "fontSize": 16}
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
        "mark": {"type": "text", "fontSize": 14, "color": "#666"},
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
    names = _trend_names(trend, labels)
    if not names:
        return empty_spec(_no_data("trend", lang), height)
    series = pd.concat([_trend_series(trend, name) for name in names])
    values = series["value"].astype("float64")
    points = pd.DataFrame(
        {
            "week": series["week"].astype(str).to_numpy(),
            "week_start": pd.to_datetime(series["week_start"]).dt.strftime("%Y-%m-%d").to_numpy(),
            "series": [labels[name] for name in series["metric"]],
            "value": values.to_numpy(),
            "value_text": [format_value(v, unit, lang) for v in values],
        }
    )
    week_title = "周次" if lang == "zh" else "Week"
    value_title = labels[names[0]] if len(names) == 1 else ("数值" if lang == "zh" else "Value")
    tooltip = [{"field": "week", "title": week_title}]
    if len(names) > 1:
        tooltip.append({"field": "series", "title": "指标" if lang == "zh" else "Metric"})
    tooltip.append({"field": "value_text", "title": value_title})
    colour_scale = {"domain": [labels[n] for n in names], "range": list(SERIES_COLOURS[: len(names)])}
    lines: VegaLite = {
        "data": {"values": _records(points)},
        "mark": {
            "type": "line",
            "point": {"size": 40, "filled": True},
            "strokeWidth": 2.5,
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
                "legend": {"orient": "top", "title": None} if len(names) > 1 else None,
            },
            "tooltip": tooltip,
        },
    }
    layers = [lines]
    if len(names) == 1 and names[0] in TARGETS:
        target = TARGETS[names[0]]
        good = {"color": STATUS_COLOURS["good"], "strokeDash": [6, 4], "strokeWidth": 1.5}
        alert = {"color": STATUS_COLOURS["bad"], "strokeDash": [2, 3], "strokeWidth": 1}
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
                "encoding": {
                    "y": {"datum": target.good},
                    "x": {"value": 0},
                    "text": {"value": _target_label(names[0], unit, lang)},
                },
            },
        ]
    highlight = _highlight_start(trend, highlight_week)
    if highlight is not None:
        layers.append(
            {
                "data": {"values": [{"week_start": highlight.strftime("%Y-%m-%d")}]},
                "mark": {"type": "rule", "color": "#999", "strokeDash": [2, 3], "strokeWidth": 1},
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
    bars = _breakdown_bars(breakdown, name, unit, lang)
    if bars.empty:
        return empty_spec(_no_data("breakdown", lang))
    longest = float(bars["value"].abs().max()) or 1.0
    bars = bars.assign(inside=bars["value"].abs() >= INSIDE_SHARE * longest)
    order = list(reversed(bars["department"].tolist()))
    y = {"field": "department", "type": "nominal", "sort": order, "axis": {"title": None, "labelLimit": 160}}
    x = {"field": "value", "type": "quantitative", "scale": {"zero": True}, "axis": _axis(unit)}
    tooltip = [
        {"field": "department", "title": "部门" if lang == "zh" else "Department"},
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
    target = TARGETS.get(name)
    if target is not None:
        rule = {"type": "rule", "color": STATUS_COLOURS["good"], "strokeDash": [6, 4], "strokeWidth": 1.5}
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
        return empty_spec(_no_data("composition", lang))
    grouped, order = _composition_parts(frame, category, value, colour_by, lang, top)
    groups = sorted(grouped[colour_by].astype(str).unique()) if colour_by else [value]
    rows = pd.DataFrame(
        {
            "category": grouped[category].astype(str).to_numpy(),
            "group": grouped[colour_by].astype(str).to_numpy() if colour_by else value,
            "value": grouped[value].astype("float64").to_numpy(),
            "value_text": [format_value(v, unit, lang) for v in grouped[value]],
        }
    )
    colours = [SERIES_COLOURS[i % len(SERIES_COLOURS)] for i in range(len(groups))]
    tooltip = [{"field": "category", "title": "项目" if lang == "zh" else "Item"}]
    if colour_by:
        tooltip.append({"field": "group", "title": "分类" if lang == "zh" else "Group"})
    amount = ("金额", "Amount") if unit == "money" else ("数值", "Value")
    tooltip.append({"field": "value_text", "title": amount[0 if lang == "zh" else 1]})
    bars: VegaLite = {
        "data": {"values": _records(rows)},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "category",
                "type": "nominal",
                "sort": [str(o) for o in order],
                "axis": {"title": None, "labelLimit": 200},
            },
            "x": {"field": "value", "type": "quantitative", "stack": "zero", "axis": _axis(unit)},
            "color": {
                "field": "group",
                "type": "nominal",
                "scale": {"domain": groups, "range": colours},
                "legend": {"orient": "top", "title": None} if colour_by else None,
            },
            "order": {"field": "group"},
            "tooltip": tooltip,
        },
    }
    return _spec([bars], max(160, 34 * len(order)), title)
