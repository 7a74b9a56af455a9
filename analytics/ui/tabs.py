"""Tabs whose hidden content is neither run nor sent to the browser.

A page shows the first tab's content; another tab's table or chart is built only when the user opens
it (`st.tabs(on_change="rerun")` and the tab's `.open`). A data grid the browser does not draw costs
it nothing: this, with the sidebar's filters built only while open (frame.py), took the warm load of
the overview and of a ledger page at SF 30 from about 1.8 s to 1.3 s (see bench/README.md).

The open tab is kept by name, so switching the language keeps it, and a page can also take it from
the URL (`?tab=rows` opens a ledger page on its rows).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from analytics.ui import state
from analytics.ui.i18n import t


def lazy_tabs(key: str, names: Sequence[str], *, url: str | None = None) -> tuple[str, DeltaGenerator]:
    """Tabs labelled `t("tab_<name>")`; returns the open tab's name and its container.

    With `url`, the open tab is read from and written to that URL parameter (left out for the first).
    """
    labels = {name: t(f"tab_{name}") for name in names}
    remembered = f"_{key}_name"
    wanted = state.adopt_url(url, remembered) if url else None  # a link or a typed URL wins
    if wanted is not None or st.session_state.get(key) not in labels.values():  # or a new language
        st.session_state[key] = labels.get(st.session_state.get(remembered, names[0]), labels[names[0]])
    containers = st.tabs(list(labels.values()), key=key, on_change="rerun")
    opened = next((n for n, tab in zip(names, containers, strict=True) if tab.open), names[0])
    st.session_state[remembered] = opened
    if url:
        state.write_url(url, None if opened == names[0] else opened)
    return opened, containers[list(names).index(opened)]
