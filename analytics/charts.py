"""Plotly figures of the weekly review, with Chinese labels and date axes.

No streamlit here: the dashboard, notebooks and the exported report draw the same figures.
Colour carries meaning the same way everywhere: green on target, amber to watch, red off target,
blue for a number without a target.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
    names = [name for name in labels if name in set(trend["metric"])] if not trend.empty else []
    if not names:
        return empty_figure("所选周内没有数据" if lang == "zh" else "No data in these weeks", height)
    figure = go.Figure()
    week_word = "周" if lang == "zh" else "week"
    for index, name in enumerate(names):
        series = trend[trend["metric"] == name].sort_values("week_start")
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
        good_label = ("目标 " if lang == "zh" else "target ") + format_value(target.good, unit, lang)
        figure.add_hline(
            y=target.good,
            line={"color": STATUS_COLOURS["good"], "dash": "dash", "width": 1.5},
            annotation_text=good_label,
            annotation_position="top left",
        )
        figure.add_hline(y=target.alert, line={"color": STATUS_COLOURS["bad"], "dash": "dot", "width": 1})
    if highlight_week is not None:
        current = trend[trend["week"] == highlight_week]
        if not current.empty:
            figure.add_vline(
                x=pd.to_datetime(current["week_start"].iloc[0]).timestamp() * 1000,
                line={"color": "#999", "dash": "dot", "width": 1},
            )
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
    frame = breakdown.dropna(subset=["value"]) if not breakdown.empty else breakdown
    if frame.empty:
        return empty_figure("本周没有按部门的数据" if lang == "zh" else "No department figures this week")
    target = TARGETS.get(name)
    frame = frame.sort_values("value", ascending=True)
    colours = [STATUS_COLOURS[target.status(v) if target else "unknown"] for v in frame["value"]]
    text = [format_value(v, unit, lang) for v in frame["value"]]
    if unit == "rate" and {"numerator", "denominator"} <= set(frame.columns):
        text = [
            f"{t}（{n:g}/{d:g}）" if lang == "zh" else f"{t} ({n:g}/{d:g})"
            for t, n, d in zip(text, frame["numerator"], frame["denominator"], strict=True)
        ]
    figure = go.Figure(
        go.Bar(
            x=frame["value"].astype("float64"),
            y=frame["department"].astype(str),
            orientation="h",
            marker={"color": colours},
            text=text,
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
        return empty_figure("没有数据" if lang == "zh" else "No data")
    keys = [category] + ([colour_by] if colour_by else [])
    grouped = (
        frame.fillna({k: "（未填）" if lang == "zh" else "(blank)" for k in keys})
        .groupby(keys, as_index=False)[value]
        .sum()
    )
    order = grouped.groupby(category)[value].sum().sort_values(ascending=False).head(top).index.tolist()
    grouped = grouped[grouped[category].isin(order)]
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
