"""Clicks AppTest has no method for: opening a tab built only when opened, opening the sidebar's filters."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from analytics.ui.frame import FILTERS_OPEN
from analytics.ui.i18n import STRINGS


def open_tab(at: AppTest, key: str, name: str) -> AppTest:
    """Open tab `name` of the tabs `key` (`tab_overview`, `tab_decisions`...), as a click does."""
    at.session_state[key] = STRINGS[f"tab_{name}"][0]
    return at.run()


def open_page_rows(at: AppTest, page: str) -> AppTest:
    """Switch to ledger page `page` and open its rows tab."""
    return open_tab(at.switch_page(f"app_pages/{page}.py").run(), f"tab_{page}", "rows")


def open_filters(at: AppTest, is_open: bool = True) -> AppTest:
    """Open (or close) the sidebar's departments-and-language expander."""
    at.session_state[FILTERS_OPEN] = is_open
    return at.run()
