"""The decisions page's follow-up papers: 督办单 and 催办 lists of the chosen metric's rows."""

from __future__ import annotations

import streamlit as st

from analytics.ui import data
from analytics.ui.components import deferred_download, definition
from analytics.ui.i18n import label, t

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def followup_papers(view: data.View, name: str) -> None:
    """Downloads of the rows behind `name` as printable papers (built only when clicked, and audited)."""
    if not view.scope.row_detail:
        return
    st.subheader(t("followup_papers"), anchor=False)
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
