"""总览 — the week at a glance: headline numbers, service levels, the written summary, what needs attention."""

import streamlit as st

from analytics.metrics import HEADLINE, SERVICE_LEVELS
from analytics.ui import components as ui
from analytics.ui import present
from analytics.ui.followup import push_button
from analytics.ui.i18n import t

if present.requested():  # ?view=present: the weekly meeting's projector (analytics/ui/present.py)
    present.slide(ui.current_view())
    st.stop()

view = ui.page_header("overview", ":material/dashboard:")
ui.require_data(view)
present.present_link(view)

st.subheader(t("headline"), anchor=False)
ui.kpi_grid(view, HEADLINE, columns=3, links=True)
st.subheader(t("service_levels"), anchor=False)
ui.kpi_grid(view, SERVICE_LEVELS, columns=4, links=True)
ui.colour_legend()

ui.report_download(view)
push_button(view)
ui.overview_tabs(view)
