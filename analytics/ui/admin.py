"""Components of the data pages: data quality (checks, load log, quarantine) and metric definitions."""

from __future__ import annotations

import contextlib
from dataclasses import fields

import pandas as pd
import streamlit as st

from analytics import snapshots
from analytics.columns import column_title
from analytics.config import settings_path
from analytics.errors import DatabaseBusyError, UsageError
from analytics.formatting import escape_markdown
from analytics.ledgers import LEDGERS
from analytics.settings import INTEGER_SETTINGS, SETTING_LABELS, SETTING_RANGES, Settings, save_settings
from analytics.targets import TARGETS, describe_target, target_problem
from analytics.ui import access, data
from analytics.ui.i18n import label, lang, t
from analytics.ui.kpi import UNIT_KEYS, all_metrics
from analytics.ui.tables import column_config, table
from analytics.wording import audit_detail, outcome_label, source_label

LOG_LABELS = {
    "zh": {
        "loaded_at": "导入时间",
        "file_name": "文件",
        "ledger": "台账",
        "sheet": "工作表",
        "mode": "方式",
        "rows_loaded": "导入行数",
        "rows_replaced": "替换",
        "rows_rejected": "拒绝",
        "rows_skipped": "跳过",
        "loaded_by": "操作人",
        "notes": "说明",
        "sha256": "SHA-256",
        "row_number": "行号",
        "column_name": "列",
        "value": "值",
        "reason": "原因",
        "record_id": "编号",
        "field": "字段",
        "date": "日期",
        "detail": "说明",
        "rows": "行数",
        "latest_date": "最新业务日期",
        "last_loaded_at": "最近导入",
        "weeks_behind": "落后周数",
    },
    "en": {},
}


LOAD_MODES = {"all_rows": "mode_all_short", "valid_rows": "mode_valid_short"}


def _ledger_name(name: object) -> str:
    ledger = LEDGERS.get(str(name))
    return label(ledger) if ledger else str(name or "")


def _table(frame: pd.DataFrame, *, key: str | None = None) -> None:
    labels = LOG_LABELS.get(lang(), {})
    shown = frame.copy()
    if "field" in shown and "ledger" in shown:  # a check names a ledger column: its title, not its code
        shown["field"] = [
            column_title(str(ledger), field, lang()) if str(ledger) in LEDGERS and isinstance(field, str) else field
            for ledger, field in zip(shown["ledger"], shown["field"], strict=True)
        ]
    if "ledger" in shown:
        shown["ledger"] = shown["ledger"].map(_ledger_name)
    if "loaded_by" in shown:
        shown["loaded_by"] = shown["loaded_by"].map(access.person_name)
    if "mode" in shown:
        shown["mode"] = shown["mode"].map(lambda m: t(LOAD_MODES[m]) if m in LOAD_MODES else m)
    config = column_config(shown, lambda column: labels.get(column, column.replace("_", " ")))
    table(shown, column_config=config, key=key)


def quality_checks(view: data.View) -> None:
    """Each check with its count; the findings in an expander (open when there are any)."""
    st.subheader(t("checks"), anchor=False)
    results = data.quality_checks(view)
    columns = st.columns(4)
    for index, result in enumerate(results):
        name = result.check.label_zh if lang() == "zh" else result.check.label_en
        columns[index % 4].metric(
            name,
            result.count,
            border=True,
            help=result.check.why_zh if lang() == "zh" else result.check.why_en,
        )
    for result in results:
        if not result.count:
            continue
        name = result.check.label_zh if lang() == "zh" else result.check.label_en
        with st.expander(f"{name}：{t('check_found', n=result.count)}", icon=":material/report:"):
            st.caption(result.check.why_zh if lang() == "zh" else result.check.why_en)
            _table(result.findings, key=f"check_{result.check.name}")


def _section(title: str, frame: pd.DataFrame, empty: str | None, key: str) -> None:
    st.subheader(t(title), anchor=False)
    if frame.empty and empty:
        st.caption(t(empty))
        return
    _table(frame, key=key)


def freshness(view: data.View) -> None:
    """Per ledger: rows, latest business date, last load, weeks behind."""
    _section("freshness", data.freshness(view), None, "freshness")


def load_log(view: data.View) -> None:
    """Every load, newest first."""
    _section("load_log", data.load_log(view), "log_empty", "load_log")


def quarantine(view: data.View) -> None:
    """Rows kept out by "load the valid rows"."""
    _section("quarantine", data.quarantine(view), "quarantine_empty", "quarantine")


FORM_GENERATION = "_settings_form_generation"
"""Part of every settings widget's key: a new generation after a save or a reset gives new widgets,
which start from the values now in force (the browser keeps an old widget's value and sends it back)."""


def _target_rows() -> pd.DataFrame:
    """The bands in force as the assistant edits them: rates in percent, the others in their unit."""
    rows = []
    for name, target in TARGETS.items():
        d = all_metrics()[name]
        scale = 100.0 if d.unit == "rate" else 1.0
        rows.append(
            {
                "name": name,
                "metric": label(d),
                "direction": t("higher_better" if target.higher_is_better else "lower_better"),
                "unit": "%" if d.unit == "rate" else t(UNIT_KEYS[d.unit]),
                "good": round(target.good * scale, 4),
                "alert": round(target.alert * scale, 4),
            }
        )
    return pd.DataFrame(rows)


def _edited_targets(frame: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """The edited table back in the metrics' own units (rates as fractions)."""
    bands = {}
    for record in frame.itertuples(index=False):
        scale = 100.0 if all_metrics()[record.name].unit == "rate" else 1.0
        bands[record.name] = (round(float(record.good) / scale, 6), round(float(record.alert) / scale, 6))
    return bands


def settings_form(view: data.View) -> None:
    """The thresholds and the target bands, editable; saved beside the database (settings.toml:
    `[thresholds]` and `[targets]`) so every page, report and the command line use them."""
    st.subheader(t("settings"), anchor=False)
    if not view.scope.can_edit_settings:  # the thresholds in force are in the table below
        st.caption(t("settings_read_only"))
        return
    current = view.settings
    generation = st.session_state.setdefault(FORM_GENERATION, 0)
    with st.form(f"settings_form_{generation}", border=True):
        columns = st.columns(2)
        values: dict[str, float] = {}
        for index, field in enumerate(fields(Settings)):
            zh, en = SETTING_LABELS[field.name]
            value = getattr(current, field.name)
            is_int = field.name in INTEGER_SETTINGS
            low, high = SETTING_RANGES[field.name]
            values[field.name] = columns[index % 2].number_input(
                zh if lang() == "zh" else en,
                min_value=int(low) if is_int else float(low),
                max_value=int(high) if is_int else float(high),
                value=int(value) if is_int else float(value),
                step=1 if is_int else 0.05 if field.name == "overrun_factor" else 1.0,
                key=f"setting_{field.name}_{generation}",
                help=f"{field.name} = {getattr(Settings(), field.name)!r}（默认）",
            )
        st.markdown(f"**{t('targets_title')}**")
        st.caption(t("targets_help"))
        edited = st.data_editor(
            _target_rows(),
            key=f"targets_{generation}",
            hide_index=True,
            width="stretch",
            disabled=["name", "metric", "direction", "unit"],
            column_order=["metric", "direction", "unit", "good", "alert"],
            column_config={
                "metric": st.column_config.TextColumn(t("metric")),
                "direction": st.column_config.TextColumn(t("direction")),
                "unit": st.column_config.TextColumn(t("unit")),
                "good": st.column_config.NumberColumn(t("target_good"), min_value=0.0, required=True),
                "alert": st.column_config.NumberColumn(t("target_alert"), min_value=0.0, required=True),
            },
        )
        save = st.form_submit_button(t("save_settings"), icon=":material/save:", type="primary")
    if st.button(t("reset_settings"), icon=":material/restart_alt:"):
        save_settings(Settings(), settings_path(view.db_path), targets={})
        access.record(view.db_path, view.identity, "settings", target="reset", detail=Settings().as_dict())
        _saved(view)
    if save:
        try:
            saved = Settings().with_changes(**values)
            bands = _edited_targets(edited)
            problems = [p for name, (good, alert) in bands.items() if (p := target_problem(name, good, alert))]
            if problems:
                raise UsageError("；".join(problems))
        except UsageError as exc:  # a sentence, and nothing saved
            st.error(escape_markdown(exc), icon=":material/error:")
            return
        save_settings(saved, settings_path(view.db_path), targets=bands)
        changed = {k: v for k, v in saved.as_dict().items() if current.as_dict().get(k) != v}
        access.record(view.db_path, view.identity, "settings", target="save", detail=changed)
        _saved(view)


def _saved(view: data.View) -> None:
    """After a save or a reset: publish the settings with the data, give the form new widgets (they
    start from the values now in force), say so — without naming a file — and rerun."""
    if snapshots.enabled(view.db_path):
        with contextlib.suppress(DatabaseBusyError):  # a load is writing: its publish carries the settings
            snapshots.publish(view.db_path)
    data.forget_database_state(view.db_path)
    st.session_state[FORM_GENERATION] = st.session_state.get(FORM_GENERATION, 0) + 1
    st.toast(t("settings_saved"), icon=":material/check_circle:")
    st.rerun()


def definitions_table(view: data.View) -> None:
    """Every metric of the registry: label, name, unit, direction, target, definition, settings used."""
    for ledger_name, ledger in LEDGERS.items():
        names = [n for n, d in all_metrics().items() if d.ledger == ledger_name]
        if not names:
            continue
        st.subheader(label(ledger), anchor=False)
        rows = []
        for name in names:
            d = all_metrics()[name]
            direction = (
                t("neutral")
                if d.higher_is_better is None
                else t("higher_better" if d.higher_is_better else "lower_better")
            )
            used = "；".join(f"{s} = {getattr(view.settings, s):g}" for s in d.settings)
            rows.append(
                {
                    t("metric"): label(d) + ("  ★" if d.headline else ""),
                    "name": name,
                    t("unit"): t(UNIT_KEYS[d.unit]),
                    t("direction"): direction,
                    t("target"): describe_target(name, d.unit, lang()) or "—",
                    t("definition"): d.definition_zh if lang() == "zh" else d.definition_en,
                    t("settings_used"): used or "—",
                }
            )
        st.table(pd.DataFrame(rows).set_index(t("metric")))


AUDIT_COLUMNS = ("occurred_at", "actor", "role", "source", "action", "target", "outcome", "detail")


def audit_log(view: data.View, limit: int = 1000) -> None:
    """The audit log, newest first, filterable by person and action (assistant and GM only)."""
    from analytics.auth import audit, role_label

    if not view.scope.can_view_audit:
        st.error(t("page_refused"), icon=":material/block:")
        return
    with snapshots.reading_database(view.db_path):  # the log as written, not as last published
        entries = audit.entries(view.db_path, limit)
    if entries.empty:
        st.caption(t("audit_empty"))
        return
    left, right = st.columns(2)
    actions = [a for a in audit.ACTIONS if a in set(entries["action"])]
    action_label = {a: audit.ACTIONS[a][0 if lang() == "zh" else 1] for a in audit.ACTIONS}
    chosen_action = left.selectbox(
        t("audit_action"), ["", *actions], format_func=lambda a: action_label.get(a, t("audit_all")), key="audit_action"
    )
    actors = sorted({str(a) for a in entries["actor"].dropna()})
    chosen_actor = right.selectbox(
        t("audit_actor"), ["", *actors], format_func=lambda a: a or t("audit_all"), key="audit_actor"
    )
    shown = entries
    if chosen_action:
        shown = shown[shown["action"] == chosen_action]
    if chosen_actor:
        shown = shown[shown["actor"] == chosen_actor]
    shown = shown[list(AUDIT_COLUMNS)].assign(
        action=shown["action"].map(lambda a: action_label.get(a, a)),
        role=shown["role"].map(lambda r: role_label(r, lang()) if isinstance(r, str) else ""),
        actor=shown["actor"].map(access.person_name),
        source=shown["source"].map(lambda s: source_label(s, lang())),
        outcome=shown["outcome"].map(lambda o: outcome_label(o, lang())),
        detail=shown["detail"].map(lambda d: audit_detail(d, lang())),
    )
    text_columns = [c for c in AUDIT_COLUMNS if c != "occurred_at"]
    shown[text_columns] = shown[text_columns].astype("object").where(shown[text_columns].notna(), "")
    titles = {
        "occurred_at": t("audit_when"),
        "actor": t("audit_actor"),
        "role": t("audit_role"),
        "source": t("audit_source"),
        "action": t("audit_action"),
        "target": t("audit_target"),
        "outcome": t("audit_outcome"),
        "detail": t("audit_detail"),
    }
    table(
        shown,
        key="audit_table",
        column_config={
            **{c: st.column_config.TextColumn(title) for c, title in titles.items()},
            "occurred_at": st.column_config.DatetimeColumn(t("audit_when"), format="YYYY-MM-DD HH:mm:ss"),
        },
    )
