"""Tables: a frame across the page with typed columns, the rows behind a number, and audited downloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from analytics.attention import Source, counts_against
from analytics.columns import MONEY_COLUMNS, column_title, localise_rows
from analytics.formatting import to_csv_bytes
from analytics.metrics import MetricDef
from analytics.metrics.engine import QUERY_FAILURES, metric_problem
from analytics.ui import access, data
from analytics.ui.i18n import label, lang, t
from analytics.ui.kpi import definition
from analytics.wording import in_language


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


def _failing_first(frame: pd.DataFrame, d: MetricDef) -> pd.DataFrame:
    """Rows that count against the number come first (not completed, low-efficiency, late...), the
    longest overdue first among them."""
    keys, ascending = ["_bad"], [False]
    for age in ("working_days_overdue", "days_overdue"):  # the oldest overdue first
        if age in frame:
            keys, ascending = [*keys, age], [*ascending, False]
    against = counts_against(d, frame)
    return frame.assign(_bad=against).sort_values(keys, ascending=ascending, kind="stable").drop(columns="_bad")


def _attention_kind(name: str) -> Source | None:
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
