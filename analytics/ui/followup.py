"""督办 on the pages: the decisions page's follow-up papers (督办单, 催办 lists of the chosen metric's rows)
and the overview's button that sends the week's summary to a group robot."""

from __future__ import annotations

import streamlit as st

from analytics import snapshots
from analytics.auth.identity import ASSISTANT
from analytics.config import settings_path
from analytics.errors import AnalyticsError
from analytics.formatting import escape_markdown
from analytics.ui import data
from analytics.ui.i18n import label, t
from analytics.ui.kpi import definition
from analytics.ui.tables import deferred_download

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def followup_papers(view: data.View, name: str) -> None:
    """Downloads of the rows behind `name` as printable papers (built only when clicked, and audited)."""
    if not view.scope.row_detail:
        return
    st.subheader(t("followup_papers"), anchor=False)
    counts = data.lights(view)
    st.markdown(
        t("lights_line", red=counts["red"], yellow=counts["yellow"], blue=counts["blue"], day=str(view.week.end))
    )
    st.caption(t("followup_caption", n=view.settings.warn_working_days, label=label(definition(name))))
    papers = (
        ("supervision", "download_supervision", f"督办单_{view.week}.docx", DOCX),
        ("reminders_docx", "download_reminders_docx", f"催办通知_{view.week}.docx", DOCX),
        ("reminders_xlsx", "download_reminders_xlsx", f"催办清单_{view.week}.xlsx", XLSX),
    )
    for cell, (kind, key, file_name, mime) in zip(st.columns(len(papers)), papers, strict=True):
        with cell:
            deferred_download(
                view,
                t(key),
                file_name,
                mime,
                lambda kind=kind: data.followup_paper(view, name, kind),
                key=f"download_{kind}",
                metric=name,
                paper=kind,
            )
    month = f"{view.week.end.year}-{view.week.end.month:02d}"
    left, right = st.columns(2)
    for cell, kind, mime in ((left, "docx", DOCX), (right, "xlsx", XLSX)):
        with cell:
            deferred_download(
                view,
                t(f"download_bulletin_{kind}", month=month),
                f"督办通报_{month}.{kind}",
                mime,
                lambda kind=kind: data.bulletin_file(view, kind),
                key=f"download_bulletin_{kind}",
                period=month,
            )


def push_button(view: data.View) -> None:
    """The assistant sends the week's written summary (company-wide) to a configured group robot.

    Nothing is built until the click: then the message is composed, sent, audited, and the outcome shown.
    """
    if view.scope.role != ASSISTANT:
        return
    from analytics import push

    config = settings_path(view.db_path)
    try:
        robots = push.robots(config)
    except AnalyticsError as error:
        st.caption(escape_markdown(error))  # it quotes the settings file: names, addresses
        return
    with st.popover(t("push_to_group"), icon=":material/send:"):
        if not robots:
            st.caption(t("push_none", path=escape_markdown(config)))
            return
        st.caption(t("push_caption"))
        name = st.selectbox(t("push_robot"), list(robots), format_func=lambda n: robots[n].label, key="push_robot")
        if st.button(t("push_send"), icon=":material/send:", type="primary", key="push_send"):
            try:
                with snapshots.serving(view.db_path):  # also in a fragment's rerun, which pins nothing
                    request, week = push.prepare(view.db_path, robots[name], view.week)
                st.success(escape_markdown(push.send(view.db_path, robots[name], request, week, actor=view.identity)))
            except AnalyticsError as error:
                st.error(escape_markdown(error), icon=":material/error:")
