"""The report's charts as PNG images, drawn from the dashboard's own Vega-Lite specifications.

`vl-convert-python` renders a Vega-Lite spec to PNG in-process (Vega in an embedded JavaScript engine,
text through the system's fonts, so Noto CJK draws the Chinese labels): about 0.2 s a chart, no
browser, and the printed charts are the dashboard's charts — same colours, target lines, labels.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from analytics import charts
from analytics.metrics import HEADLINE, METRICS
from analytics.report.content import ReportContent, label

WIDTH = 560
"""Chart width in CSS pixels; on the page it is 16 cm, so 11 px labels print at about 9 pt."""
SCALE = 2.5
"""Pixels per CSS pixel: 1,400 px over 16 cm is about 220 dpi, sharp on paper."""
BREAKDOWN_METRIC = "decision_completion_rate"


@dataclass(frozen=True)
class Chart:
    """One figure of the report: its caption and PNG bytes (`width` × `height` CSS pixels at SCALE)."""

    caption: str
    png: bytes
    width: int
    height: int


def render_png(spec: dict, width: int = WIDTH) -> bytes:
    """A Vega-Lite spec as PNG bytes, at the report's width and resolution."""
    import vl_convert

    sized = copy.deepcopy(spec)
    sized["width"] = width
    sized.setdefault("background", "white")
    return vl_convert.vegalite_to_png(sized, scale=SCALE)


def report_charts(content: ReportContent) -> list[Chart]:
    """A 12-week trend of each headline number (with its target), and the decision rate by department."""
    lang = content.lang
    out: list[Chart] = []
    weeks = int(content.trend["week"].nunique()) if not content.trend.empty else 0
    for name in HEADLINE:
        metric = METRICS[name]
        if content.trend.empty or name not in set(content.trend["metric"]):
            continue
        spec = charts.trend_spec(
            content.trend,
            {name: label(metric, lang)},
            metric.unit,
            lang,
            highlight_week=str(content.week),
            height=170,
        )
        caption = f"{label(metric, lang)}：近{weeks}周走势" if lang == "zh" else f"{label(metric, lang)}: {weeks} weeks"
        out.append(Chart(caption, render_png(spec), WIDTH, 170))
    breakdown = content.breakdowns.get(BREAKDOWN_METRIC)
    if breakdown is not None and not breakdown.empty:
        metric = METRICS[BREAKDOWN_METRIC]
        spec = charts.breakdown_spec(breakdown, BREAKDOWN_METRIC, label(metric, lang), metric.unit, lang)
        height = max(120, int(int(spec.get("height", 160)) * 0.55))  # the dashboard's 40 px a bar is for a screen
        spec["height"] = height
        caption = f"{label(metric, lang)}：按部门" if lang == "zh" else f"{label(metric, lang)} by department"
        out.append(Chart(caption, render_png(spec), WIDTH, height))
    return out
