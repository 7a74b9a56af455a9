"""The upload page's workflow: several files → detected ledger and preview → header mapping →
validation report → all-or-nothing or valid rows → progress → result.

Everything about reading, matching headers, validating and loading is analytics.ingest's; this
module only lays it out. A load bumps the data version, so every page shows the new numbers at once.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from analytics.columns import _enum_names, localise_rows
from analytics.errors import AnalyticsError, IngestError, RowError
from analytics.formatting import escape_markdown, to_csv_bytes
from analytics.ledgers import LEDGERS, Ledger
from analytics.metrics.registry import METRICS
from analytics.ui import access, data
from analytics.ui.frame import current_view
from analytics.ui.i18n import label, lang, t
from analytics.ui.tables import audit_export, column_config, table

LOG = logging.getLogger(__name__)
KEEP_EXTRA = ""
RESULTS = "_upload_results"
UPLOADER_ROUND = "_uploader_round"
MAPPING_ROUND = "_mapping_round"


_COMMAND_LINE_WORDS = (
    (re.compile(r"（上传页面选“只导入有效行”，命令行加 --load-valid）"), "（可选择“只导入有效行”）"),
    (
        re.compile(r"请用 --ledger \S+(?: 或 --ledger \S+)* 指定（上传页面中选择台账）"),
        "请在上面的「指定台账类型」中选择",
    ),
    (re.compile(r"可用 --map '[^']*' 指定（上传页面中可设置列映射）"), "可在下面的「列名对应」中指定"),
    (re.compile(r"请用 --set direction=\S+ 或 --set direction=\S+ 指定（上传页面中选择）"), "请在下面选择收文还是发文"),
    (re.compile(r" ?\((?:meetings|decisions|supplies|documents|incidents|schedule)\)"), ""),
    (re.compile(r"[；，]?[^；，。\n]*--[a-z][a-z-]*[^；，。\n]*"), ""),
)
"""Command-line wording in messages from analytics.ingest, said the way the page says it."""


def for_users(message: object) -> str:
    """A message as a user of the page reads it: no command-line options, no table names."""
    text = str(message)
    for pattern, words in _COMMAND_LINE_WORDS:
        text = pattern.sub(words, text)
    return text


def _lines(message: object) -> str:
    """A message shown as written (it names files, sheets, headers and values: escaped), its own line
    breaks kept in the alert (Markdown joins single lines into one), in the page's words."""
    return escape_markdown(for_users(message)).replace("\n", "  \n")


def row_errors_frame(errors: Sequence[RowError]) -> pd.DataFrame:
    """A validation report: one row per rejected value (file, sheet, row, column, value, reason)."""
    return pd.DataFrame(
        [(e.file, e.sheet, e.row, e.column, e.value, e.reason) for e in errors],
        columns=["file", "sheet", "row", "column", "value", "reason"],
    ).astype({"row": "Int64"})


def _error_labels() -> dict[str, str]:
    return {k: t(k) for k in ("file", "sheet", "row", "column", "value", "reason")}


def show_row_errors(errors: Sequence[RowError], key: str) -> None:
    """The validation report on screen (first 200) and as a CSV download (all)."""
    frame = row_errors_frame(errors)
    rows = frame["row"].nunique(dropna=True)
    st.warning(t("validation_errors", n=len(frame), rows=rows), icon=":material/rule:")
    labels = _error_labels()
    table(
        frame.head(200),
        column_config={c: st.column_config.Column(labels[c]) for c in frame.columns},
    )
    file_name = f"校验报告_{key}.csv" if lang() == "zh" else f"validation_{key}.csv"
    st.download_button(
        t("download_report"),
        data=to_csv_bytes(frame.rename(columns=labels)),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        key=f"report_{key}",
        on_click=audit_export(current_view(), file_name, rows=len(frame)),
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _preview(
    db: str,
    version: int,
    mapping_round: int,
    digest: str,
    _content: bytes,
    file_name: str,
    ledger: str | None,
    mappings: tuple[tuple[str, str], ...],
    values: tuple[tuple[str, str, str], ...] = (),
    constants: tuple[tuple[str, str], ...] = (),
) -> list[Any]:
    from analytics.ingest import preview_file

    return preview_file(
        db,
        _content,
        file_name=file_name,
        ledger=ledger,
        mappings=dict(mappings) or None,
        value_mappings=list(values) or None,
        constants=dict(constants) or None,
    )


def _ledger_picker(key: str) -> str | None:
    options = [None, *LEDGERS]
    return st.selectbox(
        t("choose_ledger"),
        options,
        key=key,
        format_func=lambda name: t("auto_detect") if name is None else label(LEDGERS[name]),
    )


def closest_ledger(mapping: dict[str, str]) -> str | None:
    """The ledger whose columns hold every recognised header of an unrecognised sheet (the most
    specific one when several do): the one the user is most likely mapping to."""
    named = set(mapping.values())
    if not named:
        return None
    fitting = [(len(led.columns), name) for name, led in LEDGERS.items() if named <= {c.name for c in led.columns}]
    return min(fitting)[1] if fitting else None


def _mapping_step(sheet: Any, ledger: str | None, key: str) -> dict[str, str]:
    """Selectboxes for headers the matcher does not know; returns header → canonical column."""
    if not sheet.unknown_headers:
        return {}
    target = ledger or sheet.ledger or sheet.closest or closest_ledger(sheet.mapping)
    if target not in LEDGERS:
        return {}  # nothing to map to: the sheet's warning lists the headers and the ledger picker helps
    st.markdown(f"**{t('mapping')}**")
    st.caption(t("mapping_help"))
    mapped = set(sheet.mapping.values())
    columns = [c for c in LEDGERS[target].columns if c.name not in mapped]
    options = [KEEP_EXTRA, *[c.name for c in columns]]
    names = {c.name: f"{c.label_zh}（{c.name}）" if lang() == "zh" else c.name for c in columns}
    chosen: dict[str, str] = {}
    cells = st.columns(min(3, len(sheet.unknown_headers)))
    for index, header in enumerate(sheet.unknown_headers):
        column = cells[index % len(cells)].selectbox(
            escape_markdown(header),
            options,
            key=f"map_{key}_{index}",
            format_func=lambda name: t("keep_extra") if name == KEEP_EXTRA else names.get(name, name),
        )
        if column != KEEP_EXTRA:
            chosen[str(header)] = column
    return chosen


def _constants_step(sheet: Any, ledger: str | None, key: str) -> dict[str, str]:
    """One value for a whole file: what it cannot load without (documents: incoming or outgoing), and
    the department it belongs to when it has no department column."""
    constants: dict[str, str] = {}
    if "direction" in sheet.needs:
        choice = st.radio(
            t("direction_question"),
            ["incoming", "outgoing"],
            index=None,
            horizontal=True,
            key=f"direction_{key}",
            format_func=lambda value: t(f"direction_{value}"),
        )
        if choice:
            constants["direction"] = choice
    target = LEDGERS.get(ledger or sheet.ledger or "")
    column = target.department_column if target else None
    if target is not None and sheet.ledger and column and column not in sheet.columns_supplied:
        title = target.column(column).label_zh if lang() == "zh" else column
        department = st.text_input(t("department_constant", column=title), key=f"department_{key}")
        if department.strip():
            constants[column] = department.strip()
    return constants


def _unknown_values(sheet: Any) -> dict[str, list[str]]:
    """Enum column → the words of the file it does not know (from the validation report), in file order."""
    found: dict[str, list[str]] = {}
    for error in sheet.row_errors:
        column = sheet.mapping.get(error.column)
        if column and error.value is not None and error.reason.startswith("不是可用的取值"):
            words = found.setdefault(column, [])
            if error.value not in words:
                words.append(error.value)
    return found


def _values_step(sheet: Any, key: str) -> list[tuple[str, str, str]]:
    """A choice per word the file uses that the review does not know (`推进中,有阶段性进展`, a code `3`)."""
    unknown = _unknown_values(sheet)
    if not unknown or sheet.ledger not in LEDGERS:
        return []
    st.markdown(f"**{t('values_title')}**")
    st.caption(t("values_help"))
    chosen = []
    for column, words in unknown.items():
        declared = LEDGERS[sheet.ledger].column(column)
        names = _enum_names(sheet.ledger, column) if lang() == "zh" else {}
        header = next((h for h, c in sheet.mapping.items() if c == column), column)
        for number, word in enumerate(words[:20]):
            value = st.selectbox(
                t("value_question", header=escape_markdown(header), word=escape_markdown(word)),
                ["", *declared.enum],
                key=f"value_{key}_{column}_{number}",
                format_func=lambda v, names=names: t("value_unknown") if v == "" else names.get(v, v),
            )
            if value:
                chosen.append((column, word, value))
    return chosen


def lacking_metrics(ledger: str, supplied: set[str]) -> list[Any]:
    """The review's metrics of a ledger that a file supplying only `supplied` cannot feed."""
    return [
        metric
        for metric in METRICS.values()
        if metric.ledger == ledger and any(not any(n in supplied for n in need.split("|")) for need in metric.needs)
    ]


def _review_reach(sheet: Any) -> None:
    """The columns a sheet lacks and what the review will not be able to compute without them."""
    ledger: Ledger = LEDGERS[sheet.ledger]
    supplied = set(sheet.columns_supplied)
    missing = [c for c in ledger.columns if c.name not in supplied and not c.key]
    if missing:
        titles = "、".join(c.label_zh if lang() == "zh" else c.name for c in missing)
        st.caption(t("columns_missing", columns=titles))
    lacking = lacking_metrics(ledger.name, supplied)
    if lacking:
        st.caption(t("review_cannot", metrics="、".join(label(metric) for metric in lacking)))
    else:
        st.caption(t("review_can"))
    if sheet.derived_key:
        st.caption(t("derived_keys"))


def _sheet_preview(sheet: Any, key: str) -> None:
    """Detected ledger, recognised columns, first rows and the validation report of one sheet."""
    title = f"**{t('sheet')}：{escape_markdown(sheet.sheet)}** · " if sheet.sheet else ""
    if sheet.ledger in LEDGERS:
        counts = t("counts", rows=sheet.rows_total)
        st.markdown(title + t("detected", ledger=label(LEDGERS[sheet.ledger])) + f" · {counts}")
    else:
        if sheet.fitting:
            names = "、".join(f"「{label(LEDGERS[n])}」" for n in sheet.fitting)
            st.warning(title + t("ambiguous", ledgers=names), icon=":material/help:")
        else:
            st.warning(title + t("not_detected", why=_lines(sheet.problem or "")), icon=":material/help:")
        return
    for note in sheet.notes:
        st.caption(_lines(note))
    _review_reach(sheet)
    if sheet.mapping:
        with st.expander(t("recognised_columns"), icon=":material/table_view:"):
            titles = {c.name: c.label_zh for c in LEDGERS[sheet.ledger].columns}
            table(
                pd.DataFrame(
                    [(header, titles.get(column, column), column) for header, column in sheet.mapping.items()],
                    columns=[t("file"), t("column"), "column"],
                )
            )
    if not sheet.rows.empty:
        st.caption(t("preview_rows"))
        rows = localise_rows(sheet.rows.head(10), sheet.ledger, lang())
        rows = rows[["_row", *[c for c in rows.columns if c != "_row"]]] if "_row" in rows else rows
        config = column_config(rows, sheet.ledger) | {"_row": st.column_config.NumberColumn(t("row"), format="%d")}
        table(rows, column_config=config)
    if sheet.row_errors:
        show_row_errors(sheet.row_errors, key)
    else:
        st.success(t("validation_ok", n=sheet.rows_valid), icon=":material/check_circle:")


def _file_section(view: data.View, upload: Any, index: int) -> dict[str, Any] | None:
    """One uploaded file: ledger choice, mapping step for unknown headers, then per sheet the
    detected ledger, the first rows and the validation report. Returns what a load needs."""
    content = upload.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    key = f"{digest[:12]}_{index}"
    with st.container(border=True):
        st.markdown(f"#### :material/draft: {t('file_section', name=escape_markdown(upload.name))}")
        ledger = _ledger_picker(f"ledger_{key}")

        def preview(
            mappings: dict[str, str], values: list[tuple[str, str, str]], constants: dict[str, str]
        ) -> list[Any]:
            return _preview(
                str(view.db_path),
                view.version,
                st.session_state.get(MAPPING_ROUND, 0),
                digest,
                content,
                upload.name,
                ledger,
                tuple(sorted(mappings.items())),
                tuple(values),
                tuple(sorted(constants.items())),
            )

        try:
            base = preview({}, [], {})
            chosen: dict[str, str] = {}
            constants: dict[str, str] = {}
            # In a workbook where some sheets are ledgers, the others (notes, pivots) are simply skipped.
            some_recognised = any(sheet.ledger for sheet in base)
            for number, sheet in enumerate(base):
                if sheet.ledger or not some_recognised:
                    chosen |= _mapping_step(sheet, ledger, f"{key}_{number}")
                    constants |= _constants_step(sheet, ledger, f"{key}_{number}")
            taught = preview(chosen, [], constants) if chosen or constants else base
            values: list[tuple[str, str, str]] = []
            for number, sheet in enumerate(taught):
                if sheet.ledger:
                    values += _values_step(sheet, f"{key}_{number}")
            previews = preview(chosen, values, constants) if values else taught
        except IngestError as exc:
            st.error(
                t("preview_failed", name=escape_markdown(upload.name), message=_lines(exc)), icon=":material/error:"
            )
            if exc.row_errors:
                show_row_errors(exc.row_errors, key)
            return None
        except AnalyticsError as exc:
            st.error(
                t("preview_failed", name=escape_markdown(upload.name), message=_lines(exc)), icon=":material/error:"
            )
            return None
        except Exception as exc:  # noqa: BLE001 — one unreadable file must not take the page down
            LOG.exception("preview of %s failed", upload.name)
            st.error(
                t("preview_failed", name=escape_markdown(upload.name), message=type(exc).__name__),
                icon=":material/error:",
            )
            return None
        if chosen or values or constants:
            st.caption(t("save_mapping"))
        some_recognised = any(sheet.ledger for sheet in previews)
        for number, sheet in enumerate(previews):
            if sheet.ledger is None and some_recognised:
                st.caption(t("sheet_skipped", sheet=escape_markdown(sheet.sheet)), help=_lines(sheet.problem or ""))
                continue
            _sheet_preview(sheet, f"{key}_{number}")
        if not some_recognised:
            return None  # nothing in it can load: not offered to the load button
        return {
            "name": upload.name,
            "content": content,
            "ledger": ledger,
            "mappings": chosen,
            "values": values,
            "constants": constants,
        }


def _load(view: data.View, prepared: list[dict[str, Any]], load_valid: bool) -> list[dict[str, Any]]:
    """Load each prepared file in turn, with a progress bar; collect results and failures."""
    from analytics.ingest import ingest_file

    outcomes = []
    bar = st.progress(0.0, text="")
    for number, item in enumerate(prepared):
        share, start = 1 / len(prepared), number / len(prepared)
        bar.progress(start, text=t("loading", name=escape_markdown(item["name"])))

        def progress(
            fraction: float, message: str, _start: float = start, _share: float = share, _name: str = item["name"]
        ) -> None:
            bar.progress(min(1.0, _start + _share * fraction), text=escape_markdown(f"{_name}：{message}"))

        try:
            results = ingest_file(
                view.db_path,
                item["content"],
                file_name=item["name"],
                ledger=item["ledger"],
                load_valid=load_valid,
                mappings=item["mappings"] or None,
                user=view.identity.name,
                progress=progress,
                value_mappings=item["values"] or None,
                constants=item["constants"] or None,
            )
            outcomes.append({"name": item["name"], "results": results, "error": None, "row_errors": []})
        except IngestError as exc:
            outcomes.append({"name": item["name"], "results": [], "error": str(exc), "row_errors": exc.row_errors})
        except AnalyticsError as exc:
            outcomes.append({"name": item["name"], "results": [], "error": str(exc), "row_errors": []})
        except Exception as exc:  # noqa: BLE001 — report it for this file and go on with the others
            LOG.exception("load of %s failed", item["name"])
            outcomes.append({"name": item["name"], "results": [], "error": type(exc).__name__, "row_errors": []})
    bar.progress(1.0, text="")
    data.forget_database_state(view.db_path)  # the new data version shows on the next rerun
    for outcome in outcomes:
        access.record(
            view.db_path,
            view.identity,
            "upload",
            target=outcome["name"],
            outcome="ok" if outcome["error"] is None else "failed",
            detail={
                "mode": "valid_rows" if load_valid else "all_rows",
                "loaded": sum(r.rows_loaded for r in outcome["results"]),
                "rejected": sum(r.rows_rejected for r in outcome["results"]) or len(outcome["row_errors"]),
            },
        )
    return outcomes


def _show_outcomes(outcomes: list[dict[str, Any]]) -> None:
    st.subheader(t("results"), anchor=False)
    for number, outcome in enumerate(outcomes):
        if outcome["error"] is not None:
            name = escape_markdown(outcome["name"])
            st.error(t("load_failed", name=name, message=_lines(outcome["error"])), icon=":material/error:")
            if outcome["row_errors"]:
                show_row_errors(outcome["row_errors"], f"result_{number}")
            continue
        for result in outcome["results"]:
            ledger = LEDGERS.get(result.ledger)
            name = escape_markdown(f"{result.file_name}" + (f" [{result.sheet}]" if result.sheet else ""))
            if ledger is not None:
                name += f" → {label(ledger)}"
            st.success(
                t(
                    "load_done",
                    name=name,
                    loaded=result.rows_loaded,
                    replaced=result.rows_replaced,
                    rejected=result.rows_rejected,
                    skipped=result.rows_skipped,
                ),
                icon=":material/check_circle:",
            )
            for note in result.notes or ():
                st.caption(_lines(note))
            if result.row_errors:
                show_row_errors(result.row_errors, f"result_{number}_{result.sheet}")


def upload_section(view: data.View) -> None:
    """The whole upload workflow."""
    uploads = st.file_uploader(
        t("uploader"),
        type=["csv", "tsv", "txt", "xlsx", "xls", "htm", "html", "ics"],
        accept_multiple_files=True,
        key=f"uploads_{st.session_state.get(UPLOADER_ROUND, 0)}",
    )
    sections = [(upload, _file_section(view, upload, i)) for i, upload in enumerate(uploads or [])]
    prepared = [item for _, item in sections if item]
    left_out = [upload.name for upload, item in sections if not item]
    if left_out and prepared:
        names = "、".join(escape_markdown(name) for name in left_out)
        st.warning(t("files_left_out", names=names), icon=":material/block:")
    if prepared:
        mode = st.radio(t("mode"), ["all", "valid"], key="load_mode", format_func=lambda m: t(f"mode_{m}"))
        if st.button(t("load_button", n=len(prepared)), type="primary", icon=":material/upload:", key="load"):
            outcomes = _load(view, prepared, load_valid=mode == "valid")
            st.session_state[RESULTS] = outcomes
            if all(outcome["error"] is None for outcome in outcomes):
                # all loaded: clear the uploader; otherwise keep the files for "load the valid rows"
                st.session_state[UPLOADER_ROUND] = st.session_state.get(UPLOADER_ROUND, 0) + 1
            st.session_state[MAPPING_ROUND] = st.session_state.get(MAPPING_ROUND, 0) + 1
            st.rerun()
    if st.session_state.get(RESULTS):
        _show_outcomes(st.session_state[RESULTS])
