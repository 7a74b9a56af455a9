"""总览 — the week at a glance: headline numbers, service levels, the written summary, what needs attention."""

import streamlit as st

from analytics.metrics import HEADLINE, SERVICE_LEVELS
from analytics.ui import present
from analytics.ui.followup import push_button
from analytics.ui.frame import current_view
from analytics.ui.i18n import t
from analytics.ui.kpi import colour_legend, kpi_grid
from analytics.ui.overview import overview_tabs, report_download
from analytics.ui.page import page_header, require_data

if present.requested():  # ?view=present: the weekly meeting's projector (analytics/ui/present.py)
    present.slide(current_view())
    st.stop()

view = page_header("overview", ":material/dashboard:")
require_data(view)
present.present_link(view)

st.subheader(t("headline"), anchor=False)
kpi_grid(view, HEADLINE, columns=3, links=True)
st.subheader(t("service_levels"), anchor=False)
kpi_grid(view, SERVICE_LEVELS, columns=4, links=True)
colour_legend()

report_download(view)
push_button(view)
overview_tabs(view)
