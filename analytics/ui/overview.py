"""The overview's panels: the written summary, what needs attention, and the weekly report's downloads
with the comment typed for its last page."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from analytics.formatting import escape_markdown
from analytics.metrics import MetricResult
from analytics.summary import WeeklySummary
from analytics.targets import status
from analytics.ui import data
from analytics.ui.frame import PAGE_FOR_LEDGER, may_open, page_object, week_label
from analytics.ui.i18n import lang, t
from analytics.ui.kpi import all_metrics
from analytics.ui.page import link_params
from analytics.ui.tables import deferred_download, table
from analytics.ui.tabs import lazy_tabs

MAX_PROPOSALS_ON_SCREEN = 5  # the plain text under the summary carries all of them


def report_download(view: data.View) -> None:
    """The weekly report as the user may see it: the workbook, and the A4 review (Word, PDF) whose last
    page carries the comment typed here (kept in the session while the user moves between weeks).

    Not a fragment: after a fragment rerun, Streamlit 1.67's browser side kept clicking the download's
    previous deferred file id ("Deferred file … not found"), so the new comment never reached the file.
    """
    if view.week.kind != "week":  # the review documents are weekly: a month or quarter is read on screen
        st.caption(t("report_weekly_only"))
        return
    comment = st.session_state.get(COMMENT_KEY, "")
    with st.expander(t("report_comment_title"), icon=":material/edit_note:", expanded=bool(comment)):
        comment = st.text_area(
            t("report_comment"), key=COMMENT_KEY, height=120, max_chars=5000, placeholder=t("report_comment_hint")
        )
    stem = f"{'周报' if lang() == 'zh' else 'weekly_report'}_{view.week}"
    cells = st.columns(3)
    with cells[0]:
        deferred_download(
            view,
            t("download_weekly_report"),
            f"{stem}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            lambda: data.report_xlsx(view),
            key="download_weekly_report",
            report="xlsx",
        )
    with cells[1]:
        deferred_download(
            view,
            t("download_weekly_word"),
            f"{stem}.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            lambda: data.report_document(view, "docx", comment),
            key="download_weekly_word",
            report="docx",
        )
    with cells[2]:
        problem = pdf_problem()
        if problem:
            st.caption(problem)
        else:
            deferred_download(
                view,
                t("download_weekly_pdf"),
                f"{stem}.pdf",
                "application/pdf",
                lambda: data.report_document(view, "pdf", comment),
                key="download_weekly_pdf",
                report="pdf",
            )


COMMENT_KEY = "report_comment"


@st.cache_resource(show_spinner=False)
def pdf_problem() -> str | None:
    """Why this machine cannot make the PDF (no Pango, no Chinese font), in plain words; None when it can."""
    from analytics.report.pdf import PdfUnavailable, check_pdf_support

    try:
        check_pdf_support()
    except PdfUnavailable as problem:
        return str(problem)
    return None


def _summary_breakdowns(view: data.View, report: dict[str, MetricResult]) -> dict[str, pd.DataFrame]:
    """Department breakdowns of the review metrics that are off target (the summary names the main cause)."""
    from analytics.metrics import REVIEW

    wanted = [n for n in REVIEW if n in report and status(n, report[n].value) in ("bad", "watch")]
    return {name: data.breakdown(view, name) for name in wanted}


def review_summary(view: data.View, report: dict[str, MetricResult] | None = None) -> WeeklySummary:
    """The week's written summary (analytics.summary), as the summary tab and the presentation show it."""
    from analytics.summary import weekly_summary

    report = report if report is not None else data.week_report(view)
    from analytics.summary import period_words

    scope = view.scope.engine_departments(view.departments)
    compared = week_label(view.compare, note=False) if view.compare is not None else None
    words = period_words(view.week.kind, view.window.complete, compared, lang())
    return weekly_summary(
        list(report.values()),
        all_metrics(),
        _summary_breakdowns(view, report),
        lang(),
        scope=scope or None,
        words=words,
    )


def english_summary(summary: WeeklySummary) -> WeeklySummary:
    """The summary with English counts of one in the singular."""
    from analytics.wording import english_plurals

    return replace(
        summary,
        conclusion=english_plurals(summary.conclusion),
        lines=[replace(line, text=english_plurals(line.text)) for line in summary.lines],
        proposals=[english_plurals(p) for p in summary.proposals],
    )


def summary_panel(view: data.View) -> None:
    """The written summary: conclusion, supporting data, proposals; plain text to copy."""
    summary = review_summary(view)
    if lang() == "en":  # "1 conflicts" → "1 conflict"
        summary = english_summary(summary)
    st.caption(t("summary_caption"))
    # One markdown block per part, a paragraph per line (one element per line cost the browser more)
    icons = {"bad": ":red[:material/error:]", "watch": ":orange[:material/visibility:]"}
    # The summary names departments and items from the ledgers: its text is escaped, the frame is ours.
    icon = ":green[:material/check_circle:]"
    lines = [f"{icons.get(line.status, icon)} {escape_markdown(line.text)}" for line in summary.lines]
    st.markdown("\n\n".join([f"**{escape_markdown(summary.conclusion)}**", *lines]))
    if summary.proposals:
        shown = summary.proposals[:MAX_PROPOSALS_ON_SCREEN]
        numbered = "\n".join(f"{i}. {escape_markdown(p)}" for i, p in enumerate(shown, 1))
        st.markdown(f"**{t('proposals')}**\n\n" + numbered)
    with st.expander(t("copy_summary"), icon=":material/content_copy:"):
        # A plain text box, not st.code: its syntax highlighter is a 1.5 MB download for the browser.
        text = summary.as_text(lang())
        lines = text.count("\n") + 1 + len(text) // 90  # long lines wrap
        st.text_area(
            t("copy_summary"),
            text,
            height=min(480, max(68, 24 * lines + 16)),
            label_visibility="collapsed",
        )
        st.caption(t("copy_summary_hint"))


@st.fragment
def overview_tabs(view: data.View) -> None:
    """The overview's summary and 需要关注 tabs: a fragment, so opening the other tab reruns only this
    part. A viewer sees company numbers, not the items behind them; the list is built when opened."""
    opened, tab = lazy_tabs("tab_overview", ("summary", "attention") if view.scope.row_detail else ("summary",))
    with tab:
        if opened == "attention":
            attention_panel(view)
        else:
            summary_panel(view)


def attention_panel(view: data.View, limit: int = 30) -> None:
    """Overdue and soon-due items and service-level breaches, most urgent first, with links to their pages."""
    frame = data.needs_attention(view)
    st.caption(t("attention_caption"))
    if frame.empty:
        st.success(t("attention_none"), icon=":material/check_circle:")
        return
    counts = list(frame.groupby(["kind", "ledger", "kind_code"], sort=False).size().items())
    cells = st.columns(4)
    for index, ((kind, ledger, kind_code), count) in enumerate(counts):
        spec = PAGE_FOR_LEDGER.get(ledger)
        metric = frame.loc[frame["kind"] == kind, "metric"].iloc[0]
        if spec is None or not may_open(spec.key):
            cells[index % len(cells)].caption(f"{kind}：{count}" if lang() == "zh" else f"{kind}: {count}")
            continue
        cells[index % len(cells)].page_link(
            page_object(spec.key),
            label=f"{kind}：{count}" if lang() == "zh" else f"{kind}: {count}",
            icon=":material/arrow_forward:",
            query_params=link_params(view, metric=metric, tab="rows", attention=kind_code),
        )
    shown = frame.head(limit).drop(columns=["metric", "ledger", "severity", "kind_code"])
    table(
        shown,
        column_config={
            "kind": st.column_config.TextColumn(t("kind")),
            "record_id": st.column_config.TextColumn("编号" if lang() == "zh" else "ID"),
            "title": st.column_config.TextColumn("事项" if lang() == "zh" else "Item", width="medium"),
            "department": st.column_config.TextColumn(t("department")),
            "date": st.column_config.DateColumn("日期" if lang() == "zh" else "Date", format="YYYY-MM-DD"),
            "detail": st.column_config.TextColumn(t("reason"), width="medium"),
        },
    )
