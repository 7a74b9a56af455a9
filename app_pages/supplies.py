"""办公用品 — supplies: waste rate and value by item and reason, idle stock and items at risk of shortage."""

import streamlit as st

from analytics.ui import components as ui
from analytics.ui.i18n import t

view = ui.page_header("supplies", ":material/inventory_2:")
ui.require_data(view)
ui.ledger_sections(view, "supplies")

st.subheader(t("waste_by_item"), anchor=False)
ui.waste_chart(view)
