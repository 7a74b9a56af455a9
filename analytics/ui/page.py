"""The frame of every page: its header (and the second lock on pages a role may not open), the data
guard, and the query parameters that carry the current view into a link."""

from __future__ import annotations

from typing import Any

import streamlit as st

from analytics.formatting import escape_markdown
from analytics.ui import access, data
from analytics.ui.frame import current_view, page_object, week_label
from analytics.ui.i18n import t


def link_params(view: data.View, **extra: str) -> dict[str, Any]:
    """Query parameters that carry the current view into a link."""
    params: dict[str, Any] = {"week" if view.week.kind == "week" else "period": str(view.week)}
    if view.compare is not None:
        params["compare"] = str(view.compare)
    if view.departments:
        params["dept"] = list(view.departments)
    if view.lang != "zh":
        params["lang"] = view.lang
    params.update(extra)
    return params


def page_header(key: str, icon: str, intro: str | None = None) -> data.View:
    """Title, the view in one line (week · departments), an optional intro; returns the view.

    A page the user's role may not open stops here (it is not in their menu, and st.navigation does
    not route to it; this is the second lock), and the attempt is audited.
    """
    view = current_view()
    if not view.scope.may_open(key):
        access.record(view.db_path, view.identity, "page_refused", target=key, outcome="refused")
        st.error(t("page_refused"), icon=":material/block:")
        st.stop()
    st.title(f"{icon} {t(f'page_{key}')}", anchor=False)
    shown = view.scope.engine_departments(view.departments)
    depts = escape_markdown("、".join(shown)) if shown else t("all_departments")
    st.caption(t("showing", week=week_label(view.week), depts=depts) + (f" — {intro}" if intro else ""))
    return view


def require_data(view: data.View) -> None:
    """On an empty database: offer the sample company in one click (or the upload page), then stop.
    On a week without any data: say so (the tiles then show dashes)."""
    if view.has_data:
        if not any(r.value for r in data.week_report(view).values()):
            st.info(t("no_data_week", week=week_label(view.week)), icon=":material/event_busy:")
        return
    with st.container(border=True):
        st.subheader(t("empty_title"), anchor=False)
        if not view.scope.can_upload:  # only the assistant loads data
            st.stop()
        st.write(t("empty_body"))
        left, right = st.columns([1, 1])
        if left.button(t("load_sample"), icon=":material/domain_add:", type="primary", key="load_sample"):
            from analytics.bootstrap import load_sample_company

            bar = st.progress(0.0, text=t("loading_sample"))
            load_sample_company(view.db_path, progress=lambda done, message: bar.progress(done, text=message))
            data.forget_database_state(view.db_path)
            access.record(view.db_path, view.identity, "upload", target="sample company")
            st.toast(t("sample_loaded"), icon=":material/check_circle:")
            st.rerun()
        right.page_link(page_object("upload"), label=t("go_upload"), icon=":material/upload_file:")
    st.stop()
