"""Charts of the weekly review, with Chinese labels and date axes.

`prepare` computes what a chart shows (rows, target lines, colours, words) once; `plotly` draws it
as interactive figures and `vega` as Vega-Lite specifications (rendered to images by vl-convert
for the reports). No streamlit here.
"""

from __future__ import annotations

from analytics.charts.plotly import breakdown_figure, composition_figure, empty_figure, trend_figure
from analytics.charts.prepare import FONT, SERIES_COLOURS, STATUS_COLOURS
from analytics.charts.vega import VegaLite, breakdown_spec, composition_spec, empty_spec, trend_spec

__all__ = [
    "FONT",
    "SERIES_COLOURS",
    "STATUS_COLOURS",
    "VegaLite",
    "breakdown_figure",
    "breakdown_spec",
    "composition_figure",
    "composition_spec",
    "empty_figure",
    "empty_spec",
    "trend_figure",
    "trend_spec",
]
