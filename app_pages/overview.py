"""总览 — the week at a glance: headline numbers, service levels, the written summary, what needs attention."""

import streamlit as st

from analytics.summary import HEADLINE_METRICS, SERVICE_LEVEL_METRICS
from analytics.ui import components as ui
from analytics.ui import present
from analytics.ui.followup import push_button
from analytics.ui.i18n import t
from analytics.ui.tabs import lazy_tabs

if present.requested():  # ?view=present: the weekly meeting's projector (analytics/ui/present.py)
    present.slide(ui.current_view())
    st.stop()

view = ui.page_header("overview", ":material/dashboard:")
ui.require_data(view)
present.present_link(view)

st.subheader(t("headline"), anchor=False)
ui.kpi_grid(view, HEADLINE_METRICS, columns=3, links=True)
st.subheader(t("service_levels"), anchor=False)
ui.kpi_grid(view, SERVICE_LEVEL_METRICS, columns=4, links=True)
ui.colour_legend()

ui.report_download(view)
push_button(view)
# A viewer sees company numbers, not the items behind them. The list is built when its tab is opened.
opened, tab = lazy_tabs("tab_overview", ("summary", "attention") if view.scope.row_detail else ("summary",))
with tab:
    if opened == "attention":
        ui.attention_panel(view)
    else:
        ui.summary_panel(view)
