"""Plotly figures of the weekly review, drawn only from what `prepare` computes."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from analytics.charts import prepare
from analytics.formatting import Lang, axis_format, hover_format


def _count_ticks(unit: str, values: pd.Series) -> dict[str, float]:
    """Whole-number ticks for small counts (plotly would otherwise label 0, 0.2, … as 0, 0, …)."""
    if unit != "count" or values.dropna().empty or values.max() > 8:
        return {}
    return {"tick0": 0, "dtick": 1}


def _layout(figure: go.Figure, title: str | None, height: int) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0, "font": {"size": prepare.TITLE_SIZE}} if title else None,
        template="plotly_white",
        font={"family": prepare.FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font": {"family": prepare.FONT}},
    )
    return figure


def empty_figure(message: str, height: int = 260) -> go.Figure:
    """A blank chart that says why it is blank."""
    figure = go.Figure()
    figure.add_annotation(
        text=message, showarrow=False, font={"size": prepare.MESSAGE_SIZE, "color": prepare.MESSAGE_COLOUR}
    )
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
    chart = prepare.trend_chart(trend, labels, unit, lang, highlight_week)
    if chart is None:
        return empty_figure(prepare.no_data("trend", lang), height)
    figure = go.Figure()
    for name in chart.names:
        series = chart.points[chart.points["metric"] == name]
        label = labels[name]
        figure.add_trace(
            go.Scatter(
                x=pd.to_datetime(series["week_start"]),
                y=series["value"],
                customdata=series["week"],
                name=label,
                mode="lines+markers",
                line={"color": chart.colours[label], "width": prepare.LINE_WIDTH},
                connectgaps=False,
                hovertemplate=f"%{{customdata}} {chart.week_word}<br>{label}：{hover_format(unit)}<extra></extra>",
            )
        )
    if chart.target is not None:
        target = chart.target
        figure.add_hline(
            y=target.good,
            line={"color": target.good_colour, "dash": "dash", "width": prepare.TARGET_WIDTH},
            annotation_text=target.label,
            annotation_position="top left",
        )
        figure.add_hline(
            y=target.alert, line={"color": target.alert_colour, "dash": "dot", "width": prepare.ALERT_WIDTH}
        )
    if chart.highlight is not None:
        figure.add_vline(
            x=chart.highlight.timestamp() * 1000,
            line={"color": prepare.HIGHLIGHT_COLOUR, "dash": "dot", "width": prepare.ALERT_WIDTH},
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
    frame = prepare.breakdown_bars(breakdown, name, unit, lang)
    if frame.empty:
        return empty_figure(prepare.no_data("breakdown", lang))
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
    target = prepare.target_lines(name, unit, lang)
    if target is not None:
        figure.add_vline(
            x=target.good, line={"color": target.good_colour, "dash": "dash", "width": prepare.TARGET_WIDTH}
        )
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
        return empty_figure(prepare.no_data("composition", lang))
    chart = prepare.composition_chart(frame, category, value, unit, lang, colour_by, top)
    figure = go.Figure()
    for group in chart.groups:
        rows = chart.rows[chart.rows["group"] == group]
        figure.add_trace(
            go.Bar(
                y=rows["category"],
                x=rows["value"],
                orientation="h",
                name=group,
                marker={"color": chart.colours[group]},
                hovertemplate=f"%{{y}}：{hover_format(unit).replace('%{y', '%{x')}<extra>{group if colour_by else ''}</extra>",
            )
        )
    figure.update_layout(barmode="stack", showlegend=colour_by is not None)
    figure.update_yaxes(title=None, categoryorder="array", categoryarray=list(reversed(chart.order)))
    figure.update_xaxes(title=None, rangemode="tozero", **axis_format(unit))
    return _layout(figure, title, max(200, 40 * len(chart.order) + 90))
