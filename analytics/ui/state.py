"""The view's state in the URL: `?week=2026-W47&dept=研发部&lang=en` opens exactly that view.

Widgets keep the state during a session (st.navigation clears the query string when the user
switches pages from the menu); the URL is rewritten from the widgets on every run. A URL value that
differs from what the app last wrote was typed or followed as a link, and wins.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

WRITTEN = "_url_written"


def _url_value(key: str, multi: bool) -> str | list[str] | None:
    if key not in st.query_params:
        return None
    return st.query_params.get_all(key) if multi else st.query_params.get(key)


def adopt_url(key: str, state_key: str | None = None, *, multi: bool = False) -> str | list[str] | None:
    """Copy URL parameter `key` into session state under `state_key` (a widget's key) when the URL
    brings something new, or the widget has no state yet; return the value adopted, else None."""
    state_key = state_key or key
    value = _url_value(key, multi)
    written = st.session_state.setdefault(WRITTEN, {})
    if value is None:
        return None
    if state_key not in st.session_state or value != written.get(key):
        st.session_state[state_key] = value
        written[key] = value
        return value
    return None


def new_in_url(key: str) -> str | None:
    """URL parameter `key` when it differs from what the app last wrote (a link or a typed URL), else
    None; for state that several widgets share (the period, its kind, the comparison)."""
    value = _url_value(key, False)
    written = st.session_state.setdefault(WRITTEN, {})
    if value is None or value == written.get(key):
        return None
    written[key] = value
    return value  # type: ignore[return-value]


def write_url(key: str, value: str | Sequence[str] | None) -> None:
    """Put a widget's value in the URL (None or empty removes the parameter)."""
    written = st.session_state.setdefault(WRITTEN, {})
    if value is None or (not isinstance(value, str) and len(value) == 0):
        if key in st.query_params:
            del st.query_params[key]
        written[key] = None
        return
    stored = value if isinstance(value, str) else list(value)
    if _url_value(key, not isinstance(value, str)) != stored:
        st.query_params[key] = stored
    written[key] = stored
