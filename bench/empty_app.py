"""The floor for page loads: a near-empty Streamlit page, served and measured exactly like the app.

It shows one st.metric so that the same "loaded" test (a KPI tile visible, the script finished, no
spinner) applies to it and to the app's pages.
"""

import streamlit as st

st.set_page_config(page_title="基准 · floor", layout="wide")
st.metric("空白页 · empty page", 1)
