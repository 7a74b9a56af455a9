"""What both renderers of a chart need, computed once: the rows to draw, the target lines, the
colours, the words and the status colouring. Plotly (`plotly.py`) and Vega-Lite (`vega.py`) only
turn these into their own syntax.

Colour carries meaning the same way everywhere: green on target, amber to watch, red off target,
blue for a number without a target.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analytics.formatting import Lang, format_value
from analytics.targets import TARGETS, Status

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
STATUS_COLOURS: dict[Status, str] = {
    "good": "#2E7D32",
    "watch": "#F29D0B",
    "bad": "#C62828",
    "unknown": "#1F5FA8",
}
SERIES_COLOURS = ("#1F5FA8", "#C8102E", "#2E7D32", "#7B4FA0", "#F29D0B", "#00838F")
MESSAGE_COLOUR = "#666"
"""The text of a blank chart's message."""
HIGHLIGHT_COLOUR = "#999"
"""The dotted line marking the chosen week on a trend."""
TITLE_SIZE = 16
MESSAGE_SIZE = 14
LINE_WIDTH = 2.5
"""A trend's lines."""
TARGET_WIDTH = 1.5
"""The dashed target line (and its bar-chart twin)."""
ALERT_WIDTH = 1
"""The dotted alert line, and the highlighted week's line."""


def series_colour(index: int) -> str:
    """The colour of the `index`-th series of a chart, cycling through `SERIES_COLOURS`."""
    return SERIES_COLOURS[index % len(SERIES_COLOURS)]


def no_data(kind: str, lang: Lang) -> str:
    """Why a chart is blank."""
    return {
        "trend": ("所选周内没有数据", "No data in these weeks"),
        "breakdown": ("本周没有按部门的数据", "No department figures this week"),
        "composition": ("没有数据", "No data"),
    }[kind][0 if lang == "zh" else 1]


def words(zh: str, en: str, lang: Lang) -> str:
    """One of two spellings of a chart's word, by language."""
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class TargetLines:
    """A metric's target (dashed green, labelled) and alert (dotted red) values on its chart."""

    good: float
    alert: float
    label: str
    good_colour: str = STATUS_COLOURS["good"]
    alert_colour: str = STATUS_COLOURS["bad"]


def target_lines(name: str, unit: str, lang: Lang) -> TargetLines | None:
    """The target lines of metric `name`, or None when it has no target."""
    target = TARGETS.get(name)
    if target is None:
        return None
    label = words("目标 ", "target ", lang) + format_value(target.good, unit, lang)
    return TargetLines(good=target.good, alert=target.alert, label=label)


# ---------------------------------------------------------------------------------------------------
# Trend


@dataclass(frozen=True)
class TrendChart:
    """A trend's points (one row per metric and week, in the order of `names`), with what goes around them."""

    names: list[str]
    points: pd.DataFrame
    """week, week_start (Timestamp), metric, series (label), colour, value, value_text."""
    colours: dict[str, str]
    """series label → colour."""
    target: TargetLines | None
    """Only for a single metric with a target."""
    highlight: pd.Timestamp | None
    week_word: str
    week_title: str
    series_title: str
    value_title: str


def trend_names(trend: pd.DataFrame, labels: Mapping[str, str]) -> list[str]:
    """The metrics of `labels` that the trend has rows for, in the order of `labels`."""
    return [name for name in labels if name in set(trend["metric"])] if not trend.empty else []


def highlight_start(trend: pd.DataFrame, highlight_week: str | None) -> pd.Timestamp | None:
    """The Monday of the week to mark on a trend, when the trend has it."""
    if highlight_week is None:
        return None
    current = trend[trend["week"] == highlight_week]
    return None if current.empty else pd.Timestamp(current["week_start"].iloc[0])


def trend_chart(
    trend: pd.DataFrame, labels: Mapping[str, str], unit: str, lang: Lang, highlight_week: str | None
) -> TrendChart | None:
    """The weekly points of the metrics in `labels`, or None when there are none."""
    names = trend_names(trend, labels)
    if not names:
        return None
    series = pd.concat([trend[trend["metric"] == name].sort_values("week_start") for name in names])
    values = series["value"].astype("float64")
    colours = {labels[name]: series_colour(index) for index, name in enumerate(names)}
    points = pd.DataFrame(
        {
            "week": series["week"].astype(str).to_numpy(),
            "week_start": pd.to_datetime(series["week_start"]).to_numpy(),
            "metric": series["metric"].to_numpy(),
            "series": [labels[name] for name in series["metric"]],
            "value": values.to_numpy(),
            "value_text": [format_value(v, unit, lang) for v in values],
        }
    )
    return TrendChart(
        names=names,
        points=points,
        colours=colours,
        target=target_lines(names[0], unit, lang) if len(names) == 1 else None,
        highlight=highlight_start(trend, highlight_week),
        week_word=words("周", "week", lang),
        week_title=words("周次", "Week", lang),
        series_title=words("指标", "Metric", lang),
        value_title=labels[names[0]] if len(names) == 1 else words("数值", "Value", lang),
    )


# ---------------------------------------------------------------------------------------------------
# Breakdown


def breakdown_bars(breakdown: pd.DataFrame, name: str, unit: str, lang: Lang) -> pd.DataFrame:
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


def department_title(lang: Lang) -> str:
    return words("部门", "Department", lang)


# ---------------------------------------------------------------------------------------------------
# Composition


@dataclass(frozen=True)
class CompositionChart:
    """A total per category (and per colour group), for the largest categories."""

    rows: pd.DataFrame
    """category (str), group (str), value, value_text; grouped in `groups` order."""
    order: list[str]
    """The categories, largest first."""
    groups: list[str]
    """The colour groups, sorted (the metric's column name when there is no `colour_by`)."""
    colours: dict[str, str]
    """group → colour."""
    category_title: str
    group_title: str
    value_title: str


def composition_chart(
    frame: pd.DataFrame, category: str, value: str, unit: str, lang: Lang, colour_by: str | None, top: int
) -> CompositionChart:
    """The total of `value` per category (and per `colour_by`), for the `top` largest categories."""
    keys = [category] + ([colour_by] if colour_by else [])
    grouped = (
        frame.fillna({k: words("（未填）", "(blank)", lang) for k in keys}).groupby(keys, as_index=False)[value].sum()
    )
    order = grouped.groupby(category)[value].sum().sort_values(ascending=False).head(top).index.tolist()
    grouped = grouped[grouped[category].isin(order)]
    rows = pd.DataFrame(
        {
            "category": grouped[category].astype(str).to_numpy(),
            "group": grouped[colour_by].astype(str).to_numpy() if colour_by else value,
            "value": grouped[value].astype("float64").to_numpy(),
            "value_text": [format_value(v, unit, lang) for v in grouped[value]],
        }
    )
    groups = sorted(rows["group"].unique()) if colour_by else [value]
    amount = ("金额", "Amount") if unit == "money" else ("数值", "Value")
    return CompositionChart(
        rows=rows,
        order=[str(o) for o in order],
        groups=groups,
        colours={group: series_colour(index) for index, group in enumerate(groups)},
        category_title=words("项目", "Item", lang),
        group_title=words("分类", "Group", lang),
        value_title=words(*amount, lang),
    )
