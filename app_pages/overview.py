"""总览 — the week at a glance: headline numbers, service levels, the written summary, what needs attention."""

import streamlit as st

from analytics.summary import HEADLINE_METRICS, SERVICE_LEVEL_METRICS
from analytics.ui import components as ui
from analytics.ui.i18n import t

view = ui.page_header("overview", ":material/dashboard:")
ui.require_data(view)

st.subheader(t("headline"), anchor=False)
ui.kpi_grid(view, HEADLINE_METRICS, columns=3, links=True)
st.subheader(t("service_levels"), anchor=False)
ui.kpi_grid(view, SERVICE_LEVEL_METRICS, columns=4, links=True)
ui.colour_legend()

ui.summary_panel(view)
ui.report_download(view)
if view.scope.row_detail:  # a viewer sees company numbers, not the items behind them
    ui.attention_panel(view)
