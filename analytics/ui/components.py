"""Building blocks of the pages: header, data guard, KPI tiles, charts, the rows behind a number.

Colour rule for week-over-week deltas (the same on every tile, chart and badge): colour says
*better or worse*, the arrow says *up or down*. Green is an improvement and red a deterioration
whichever way the number moved — a falling waste rate is green, a falling completion rate red —
and grey means flat, no comparison, or a number without a good direction. We chose this over the
Chinese market convention (red = up) because the weekly meeting reads the tiles as a to-do list:
red must always mean "look here". A legend under the tiles says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from analytics import charts
from analytics.attention import counts_against
from analytics.columns import MONEY_COLUMNS, column_title, localise_rows
from analytics.formatting import escape_markdown, format_delta, format_tile, format_value, is_flat, to_csv_bytes
from analytics.ledgers import LEDGERS
from analytics.metrics.engine import QUERY_FAILURES, metric_problem
from analytics.metrics.registry import FOCUS
from analytics.targets import TARGETS, describe_target, status
from analytics.ui import access, data
from analytics.ui.frame import PAGE_FOR_LEDGER, current_view, may_open, page_object, week_label
from analytics.ui.i18n import label, lang, t
from analytics.ui.tabs import lazy_tabs
from analytics.wording import in_language

SPARK_WEEKS = 8
MAX_PROPOSALS_ON_SCREEN = 5  # the plain text under the summary carries all of them
BADGES = {
    "good": ("green", ":material/check_circle:"),
    "watch": ("orange", ":material/visibility:"),
    "bad": ("red", ":material/error:"),
}
UNIT_KEYS = {
    "rate": "unit_rate",
    "count": "unit_count",
    "money": "unit_money",
    "hours": "unit_hours",
    "days": "unit_days",
}


def _metrics() -> dict[str, Any]:
    from analytics.metrics import METRICS

    return METRICS


def definition(name: str) -> Any:
    return _metrics()[name]


def ledger_metrics(ledger: str) -> list[str]:
    """The registry's metrics of one ledger, in declaration order."""
    return [name for name, d in _metrics().items() if d.ledger == ledger]


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


def status_badge(name: str, value: float | None) -> str:
    """`:green-badge[:material/check_circle: 达标]` — a metric's standing against its target band."""
    state = status(name, value)
    if state not in BADGES:
        return ""
    colour, icon = BADGES[state]
    return f":{colour}-badge[{icon} {t('status_' + state)}]"


def short_target(name: str, unit: str) -> str | None:
    """`目标 ≥ 90.0%` — the band's good edge, for the line under a tile."""
    target = TARGETS.get(name)
    if target is None:
        return None
    sign = "≥" if target.higher_is_better else "≤"
    return f"{t('target')} {sign} {format_value(target.good, unit, lang())}"


def _delta_style(result: Any, definition: Any) -> dict[str, Any]:
    delta = format_delta(result.delta, definition.unit, lang())
    if delta is None:
        return {"delta": None}
    if is_flat(result.delta, definition.unit):
        return {"delta": delta, "delta_color": "off", "delta_arrow": "off"}
    better = definition.higher_is_better
    colour = "off" if better is None else "normal" if better else "inverse"
    return {"delta": delta, "delta_color": colour}


# The unit of the sums behind a ratio (supply_waste_rate divides yuan, the hours shares divide hours).
RATIO_PARTS = {"signed_value": "money", "value": "money", "person_hours": "hours", "hours": "hours"}


def _fraction(result: Any, definition: Any) -> str | None:
    """`36 / 147` behind a share, `¥361.00 / ¥17,017.20` behind a ratio of sums."""
    if definition.unit != "rate" or result.denominator in (None, 0):
        return None
    numerator = result.numerator if result.numerator is not None else 0
    unit = RATIO_PARTS.get(definition.value, "count") if definition.aggregate == "ratio" else "count"
    return t("fraction", num=format_value(numerator, unit, lang()), den=format_value(result.denominator, unit, lang()))


def tile_value(value: float | None, unit: str) -> str:
    """The big number of a tile (formatting.format_tile) in the user's language."""
    return format_tile(value, unit, lang())


def metric_note_text(result: Any) -> str | None:
    """Why a value is missing or partial: the query's failure, else the inputs the files did not supply."""
    problem = getattr(result, "problem", None)
    if problem:
        return in_language(problem, lang())
    return getattr(result, "note" if lang() == "zh" else "note_en", None)


def comparison_text(result: Any) -> str:
    """`较上周`, `较上周同期` (a period in progress), `较上月`, `较2026年5月` (a chosen comparison)."""
    before = getattr(result, "previous_window", None)
    window = getattr(result, "window", None)
    if before is None or window is None:
        return t("vs_last_week")
    if before.period != window.period.previous:
        return t("vs_period", period=week_label(before.period, note=False))
    if not window.complete:
        return t("vs_previous_same_days")
    return t(
        {"week": "vs_last_week", "month": "vs_last_month", "quarter": "vs_last_quarter"}.get(
            window.period.kind, "vs_last_year"
        )
    )


def kpi_tile(
    result: Any,
    definition: Any,
    sparkline: Sequence[float] = (),
    *,
    link: dict[str, Any] | None = None,
    has_rows: bool = True,
) -> None:
    """One number: value, delta coloured by direction, sparkline, target band, numerator/denominator.

    `has_rows` False (its ledger has no row dated in the period): a count or sum of 0 is 无数据, with
    no status badge, never a green "0 · 达标"."""
    if not has_rows and result.value in (0, 0.0, None):
        from dataclasses import replace

        result = replace(result, value=None, delta=None)
    definition_text = definition.definition_zh if lang() == "zh" else definition.definition_en
    band = describe_target(result.name, definition.unit, lang())
    if band:
        definition_text += f"\n\n{band}"
    note = metric_note_text(result)
    st.metric(
        label(definition),
        t("no_data")
        if result.value is None and not getattr(result, "problem", None) and (note or not has_rows)
        else tile_value(result.value, definition.unit),
        help=definition_text,
        border=True,
        chart_data=list(sparkline) or None,
        chart_type="bar" if definition.unit in ("count", "money") else "line",
        delta_description=comparison_text(result) if result.delta is not None else None,
        **_delta_style(result, definition),
    )
    notes = [
        status_badge(result.name, result.value),
        _fraction(result, definition),
        short_target(result.name, definition.unit),
    ]
    if result.delta is None:
        notes.append(t("no_previous"))
    if not has_rows and result.value is None and not note:
        notes = [t("no_rows_in_period", ledger=label(LEDGERS[definition.ledger]))]
    if note:  # no data, or rows left out (metrics.md, "Missing inputs"): the note, not a number
        notes = [note] if result.value is None else [note, *notes]
    st.caption(" · ".join(n for n in notes if n))
    if link is not None:
        spec = PAGE_FOR_LEDGER.get(definition.ledger)
        if spec is not None and may_open(spec.key):
            st.page_link(
                page_object(spec.key),
                label=t("open_ledger"),
                icon=":material/arrow_forward:",
                query_params=link_params(current_view(), metric=result.name, tab="rows", **link),
            )


def sparklines(view: data.View, names: Sequence[str], weeks: int = SPARK_WEEKS) -> dict[str, list[float]]:
    """Recent weekly values per metric (gaps dropped), oldest first."""
    frame = data.trend(view, tuple(names), weeks)
    if frame.empty:
        return {}
    frame = frame.dropna(subset=["value"]).sort_values("week_start")
    return {name: [float(v) for v in group["value"]] for name, group in frame.groupby("metric")}


def kpi_grid(view: data.View, names: Sequence[str], columns: int = 4, *, links: bool = False) -> None:
    """A grid of KPI tiles for `names` (metrics missing from the registry are left out)."""
    report = data.week_report(view)
    names = [n for n in names if n in report]
    spark = sparklines(view, names)
    with_rows = data.ledgers_with_rows(view)
    for start in range(0, len(names), columns):
        cells = st.columns(columns)
        for cell, name in zip(cells, names[start : start + columns], strict=False):
            with cell:
                kpi_tile(
                    report[name],
                    definition(name),
                    spark.get(name, []),
                    link={} if links else None,
                    has_rows=definition(name).ledger in with_rows,
                )


def colour_legend() -> None:
    st.caption(t("colour_legend", n=SPARK_WEEKS))


def metric_picker(names: Sequence[str], key: str, default: str) -> str:
    """Pills to choose the metric whose trend, breakdown and rows are shown; kept in the URL as `metric`."""
    from analytics.ui import state

    adopted = state.adopt_url("metric", key)
    if adopted is not None and adopted not in names:
        st.session_state[key] = default
    if st.session_state.get(key) not in names:
        st.session_state[key] = default
    chosen = st.pills(
        t("pick_metric"),
        list(names),
        key=key,
        format_func=lambda n: label(definition(n)),
        required=True,
        label_visibility="collapsed",
    )
    state.write_url("metric", chosen)
    return chosen


def trend_chart(view: data.View, name: str, weeks: int = 13) -> None:
    """The chosen metric over recent weeks, with its target and alert lines."""
    d = definition(name)
    frame = data.trend(view, (name,), weeks)
    spec = charts.trend_spec(
        frame, {name: label(d)}, d.unit, lang(), title=t("trend"), highlight_week=str(view.last_week)
    )
    st.vega_lite_chart(spec=spec, width="stretch")


def breakdown_chart(view: data.View, name: str) -> None:
    """The chosen metric by department, coloured by target status."""
    d = definition(name)
    if not getattr(d, "department_column", None) and not LEDGERS[d.ledger].department_column:
        st.info(t("no_department"), icon=":material/info:")
        return
    frame = data.breakdown(view, name)
    spec = charts.breakdown_spec(frame, name, label(d), d.unit, lang(), title=t("by_department"))
    st.vega_lite_chart(spec=spec, width="stretch")


def table(frame: pd.DataFrame, **options: Any) -> None:
    """A table across the page, without pandas' index; an empty cell shows empty, as in Excel (not `None`)."""
    st.dataframe(frame, hide_index=True, width="stretch", placeholder="", **options)


def column_config(frame: pd.DataFrame, titles: str | Callable[[str], str]) -> dict[str, Any]:
    """Titles and formats of a table's columns: dates without a time as dates, money as ¥, flags as ticks.

    `titles` is a ledger name (titles from its declaration) or a function from column to title.
    """
    config: dict[str, Any] = {}
    for column in frame.columns:
        title = column_title(titles, column, lang()) if isinstance(titles, str) else titles(column)
        dtype = frame[column].dtype
        if pd.api.types.is_datetime64_any_dtype(dtype):
            values = frame[column].dropna()
            has_time = bool((values.dt.normalize() != values).any())
            fmt = "YYYY-MM-DD HH:mm" if has_time else "YYYY-MM-DD"
            config[column] = st.column_config.DatetimeColumn(title, format=fmt)
        elif pd.api.types.is_bool_dtype(dtype):
            config[column] = st.column_config.CheckboxColumn(title)
        elif column in MONEY_COLUMNS:
            config[column] = st.column_config.NumberColumn(title, format="¥%.2f")
        elif pd.api.types.is_float_dtype(dtype):
            config[column] = st.column_config.NumberColumn(title, format="%.1f")
        else:
            config[column] = st.column_config.Column(title)
    return config


def _failing_first(frame: pd.DataFrame, d: Any) -> pd.DataFrame:
    """Rows that count against the number come first (not completed, low-efficiency, late...), the
    longest overdue first among them."""
    keys, ascending = ["_bad"], [False]
    for age in ("working_days_overdue", "days_overdue"):  # the oldest overdue first
        if age in frame:
            keys, ascending = [*keys, age], [*ascending, False]
    against = counts_against(d, frame)
    return frame.assign(_bad=against).sort_values(keys, ascending=ascending, kind="stable").drop(columns="_bad")


def _attention_kind(name: str) -> Any:
    """The attention kind a 需要关注 link asked for (`?attention=KIND`), when it is one of this metric's."""
    from analytics.attention import KINDS

    source = KINDS.get(st.query_params.get("attention", ""))
    return source if source is not None and source.metric == name else None


def _lead_with(shown: pd.DataFrame, column: str | None) -> pd.DataFrame:
    """The column that decides whether a row counts, right after the record's department, key and title."""
    if not column or column not in shown:
        return shown
    columns = [c for c in shown.columns if c != column]
    head = 0
    while head < len(columns) and head < 3 and columns[head] not in FRONT_REASONS:
        head += 1
    return shown[[*columns[:head], column, *columns[head:]]]


FRONT_REASONS = ("light", "reasons", "reason", "missed_service_levels", "outcome")


def rows_table(view: data.View, name: str, *, key: str | None = None) -> pd.DataFrame:
    """The rows behind a number, with their reasons (the ones counting against it first), and a CSV.

    A rate opens on only the rows that missed (a toggle shows the whole denominator), with the column
    that decides it in front; a 需要关注 link (`?attention=KIND`) opens exactly the rows it counted."""
    d = definition(name)
    st.subheader(t("rows_behind", label=label(d)), anchor=False)
    source = _attention_kind(name)
    try:
        rows = data.attention_rows(view, source.kind) if source else data.metric_rows(view, name)
    except QUERY_FAILURES as error:
        st.warning(in_language(metric_problem(error), lang()), icon=":material/warning:")
        return pd.DataFrame()
    if source is not None:
        st.caption(t("attention_rows", kind=source.label(lang()), n=len(rows)))
        if st.button(t("show_all_rows"), icon=":material/list:", key=f"all_rows_{name}"):
            del st.query_params["attention"]
            st.rerun()
    elif not rows.empty:
        against = counts_against(d, rows)
        if 0 < int(against.sum()) < len(rows) or (d.is_rate and not against.all()):
            only = st.toggle(
                t("only_missed", n=int(against.sum()), total=len(rows)),
                value=d.is_rate,
                key=f"only_missed_{name}",
            )
            if only:
                rows = rows[against]
    if rows.empty:
        st.caption(t("no_rows"))
        return rows
    shown = _lead_with(localise_rows(_failing_first(rows, d), d.ledger, lang()), d.numerator)
    st.caption(t("rows_count", n=len(shown)))
    table(shown, column_config=column_config(shown, d.ledger))
    titles = {c: column_title(d.ledger, c, lang()) for c in shown.columns}
    deferred_download(
        view,
        t("download_csv"),
        f"{name}_{view.week}.csv",
        "text/csv",
        lambda: to_csv_bytes(shown.rename(columns=titles)),
        key=key or f"download_{name}",
        rows=len(shown),
    )
    return rows


def deferred_download(
    view: data.View, label: str, file_name: str, mime: str, build: Callable[[], bytes], *, key: str, **detail: Any
) -> None:
    """A download button whose file is built only when the user clicks (a rerun builds nothing and
    sends nothing), and the download is audited then."""
    record = audit_export(view, file_name, **detail)

    def payload() -> bytes:
        content = build()
        record()
        return content

    st.download_button(
        label, data=payload, file_name=file_name, mime=mime, icon=":material/download:", key=key, on_click="ignore"
    )


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


def audit_export(view: data.View, file_name: str, **detail: Any) -> Callable[[], None]:
    """A download button's on_click: one audit row for the file the user took away."""

    def record() -> None:
        scope = view.scope.engine_departments(view.departments)
        access.record(
            view.db_path,
            view.identity,
            "export",
            target=file_name,
            detail={"week": str(view.week), "departments": scope or "all", **detail},
        )

    return record


def format_number(value: float | None, unit: str) -> str:
    return format_value(value, unit, lang())


def unit_label(unit: str) -> str:
    return t(UNIT_KEYS.get(unit, "unit_count"))


def balanced_columns(count: int, most: int) -> int:
    """Tiles per row so that rows are as even as possible with at most `most` a row: 5 → 3 + 2, 7 → 4 + 3."""
    rows = max(1, math.ceil(count / most))
    return max(1, math.ceil(count / rows))


def ledger_sections(
    view: data.View, ledger: str, *, most_columns: int = 4, after: Callable[[str], None] | None = None
) -> str:
    """A ledger page's body: its KPIs, then for the chosen metric the trend and the departments, and
    on a second tab (built when opened) the rows; `after(chosen)` adds what depends on the choice.

    At most four tiles a row: five in a row truncate values like `1,569.0 小时` on a 1440-px screen.
    Picking another metric or tab reruns only the part below the tiles (a fragment): the tiles, the
    sidebar and the menu stay as they are, on the server and in the browser.
    """
    names = ledger_metrics(ledger)
    kpi_grid(view, names, columns=balanced_columns(len(names), most_columns))
    colour_legend()
    ledger_detail(view, ledger, tuple(names), after)
    return st.session_state[f"metric_{ledger}"]


@st.fragment
def ledger_detail(
    view: data.View, ledger: str, names: tuple[str, ...], after: Callable[[str], None] | None = None
) -> None:
    """The metric picker and the charts / rows tabs of a ledger page: a fragment, so a choice here
    reruns only this part (its URL parameters `metric` and `tab` are still written)."""
    chosen = metric_picker(names, key=f"metric_{ledger}", default=FOCUS.get(ledger, names[0]))
    opened, tab = lazy_tabs(f"tab_{ledger}", ("charts", "rows"), url="tab")
    with tab:
        if opened == "rows":
            rows_table(view, chosen)
        else:
            left, right = st.columns([3, 2])
            with left:
                trend_chart(view, chosen)
            with right:
                breakdown_chart(view, chosen)
    if after is not None:
        after(chosen)


def _summary_breakdowns(view: data.View, report: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """Department breakdowns of the review metrics that are off target (the summary names the main cause)."""
    from analytics.metrics import REVIEW

    wanted = [n for n in REVIEW if n in report and status(n, report[n].value) in ("bad", "watch")]
    return {name: data.breakdown(view, name) for name in wanted}


def review_summary(view: data.View, report: dict[str, Any] | None = None) -> Any:
    """The week's written summary (analytics.summary), as the summary tab and the presentation show it."""
    from analytics.summary import weekly_summary

    report = report if report is not None else data.week_report(view)
    from analytics.summary import period_words

    scope = view.scope.engine_departments(view.departments)
    compared = week_label(view.compare, note=False) if view.compare is not None else None
    words = period_words(view.week.kind, view.window.complete, compared, lang())
    return weekly_summary(
        list(report.values()), _metrics(), _summary_breakdowns(view, report), lang(), scope=scope or None, words=words
    )


def english_summary(summary: Any) -> Any:
    """The summary with English counts of one in the singular."""
    from dataclasses import replace

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


WASTE_WEEKS = 13


def waste_chart(view: data.View) -> None:
    """Waste value of recent weeks by item, stacked by the reason written on the row."""
    st.subheader(t("waste_by_item", n=WASTE_WEEKS), anchor=False)
    try:
        rows = data.metric_rows_over(view, "supply_waste_value", WASTE_WEEKS)
    except QUERY_FAILURES as error:
        st.warning(in_language(metric_problem(error), lang()), icon=":material/warning:")
        return
    reason = "note" if "note" in rows and rows["note"].notna().any() else "waste_kind"
    spec = charts.composition_spec(rows, "item", "value", "money", lang(), colour_by=reason)
    st.vega_lite_chart(spec=spec, width="stretch")
