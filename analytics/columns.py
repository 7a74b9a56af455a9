"""How the rows behind a number are shown to a person: column titles and enum values in Chinese.

The engine's rows (`analytics.metrics.metric_rows`) carry canonical column names and enum values
(`status = done`, `priority = strategic`); a table for the weekly meeting says 状态 = 已完成 and
优先级 = 战略级. Titles of ledger columns come from the ledger declarations, titles of computed
columns from COMPUTED below. No streamlit: the dashboard and the report share this.
"""

from __future__ import annotations

import re

import pandas as pd

from analytics.formatting import Lang
from analytics.ledgers import LEDGERS

HIDDEN = frozenset({"week_start", "reason_codes", "in_numerator", "signed_value", "in_schedule"})
_PAIR = re.compile(r"^(?P<base>.+)_(?P<side>[ab])$")

COMPUTED: dict[str, tuple[str, str]] = {
    "department": ("部门", "Department"),
    "completed_by_week_end": ("本周日前办结", "Completed by Sunday"),
    "completed_on_time": ("按期完成", "On time"),
    "completion_unknown": ("办结情况不明", "Completion unknown"),
    "outcome": ("结果", "Outcome"),
    "days_late": ("延迟天数", "Days late"),
    "days_overdue": ("逾期天数", "Days overdue"),
    "working_days_overdue": ("逾期工作日", "Working days overdue"),
    "cycle_days": ("完成周期（天）", "Cycle (days)"),
    "handling_days": ("办理天数", "Handling (days)"),
    "closed_on_time": ("按期办结", "Closed on time"),
    "reason": ("原因", "Reason"),
    "reasons": ("低效原因", "Reasons"),
    "registration_deadline": ("登记期限", "Register by"),
    "registered_on_time": ("按时登记", "Registered on time"),
    "working_days_to_register": ("登记用时（工作日）", "Working days to register"),
    "response_minutes": ("响应用时（分钟）", "Response (minutes)"),
    "responded_on_time": ("按时响应", "Responded on time"),
    "is_resolved": ("已处置", "Resolved"),
    "updates_required": ("应通报次数", "Updates required"),
    "update_compliant": ("通报达标", "Updates compliant"),
    "report_deadline": ("报告期限", "Report due"),
    "report_on_time": ("报告按时", "Report on time"),
    "missed_service_levels": ("未达时效", "Missed service levels"),
    "planned_minutes": ("计划时长（分钟）", "Planned (minutes)"),
    "actual_minutes": ("实际时长（分钟）", "Actual (minutes)"),
    "person_hours": ("人时", "Person-hours"),
    "no_agenda": ("无议程", "No agenda"),
    "no_outcome": ("无决议产出", "No outcome"),
    "overrun": ("超时", "Overrun"),
    "low_rating": ("评分低", "Low rating"),
    "low_efficiency": ("低效会议", "Low-efficiency"),
    "minutes_deadline": ("纪要期限", "Minutes due"),
    "minutes_on_time": ("纪要按时", "Minutes on time"),
    "price": ("计价单价", "Price used"),
    "price_source": ("单价来源", "Price source"),
    "value": ("金额", "Value"),
    "is_waste": ("浪费", "Waste"),
    "waste_kind": ("浪费类型", "Waste kind"),
    "on_hand": ("账面库存", "On hand"),
    "current_price": ("当前单价", "Current price"),
    "stock_value": ("库存金额", "Stock value"),
    "last_issue_date": ("最近领用", "Last issued"),
    "issues_in_idle_window": ("闲置期内领用次数", "Issues in idle window"),
    "demand_30_days": ("近30天领用量", "Issued in 30 days"),
    "daily_demand": ("日均领用", "Daily demand"),
    "cover_days": ("可用天数", "Days of cover"),
    "is_idle": ("闲置", "Idle"),
    "idle_value": ("闲置金额", "Idle value"),
    "is_shortage_risk": ("短缺风险", "Shortage risk"),
    "hours": ("时长（小时）", "Hours"),
    "is_strategic": ("战略级", "Strategic"),
    "changed": ("改期/取消", "Changed"),
    "overlap_minutes": ("重叠（分钟）", "Overlap (minutes)"),
    "light": ("督办灯", "Card"),
    "is_extended": ("已延期", "Extended"),
    "days_extended": ("延期天数", "Days extended"),
    "completed_by_original_due": ("按原定时限完成", "Done by the original deadline"),
    "working_days_left": ("剩余工作日", "Working days left"),
}
# A decision's card at the week's end (metrics.md, "Follow-up on resolutions").
LIGHTS: dict[str, tuple[str, str]] = {"red": ("红牌", "Red"), "yellow": ("黄牌", "Yellow"), "blue": ("蓝牌", "Blue")}
MONEY_COLUMNS = frozenset({"unit_price", "price", "value", "current_price", "stock_value", "idle_value"})


def column_title(ledger: str, column: str, lang: Lang = "zh") -> str:
    """The title of a column of a ledger's rows: 会议编号, 低效原因, 日程编号（甲）…"""
    pair = _PAIR.match(column)
    if pair and column not in COMPUTED:
        side = pair.group("side")
        base = column_title(ledger, pair.group("base"), lang)
        if base != pair.group("base").replace("_", " "):
            return f"{base}（{'甲' if side == 'a' else '乙'}）" if lang == "zh" else f"{base} ({side.upper()})"
    if column in COMPUTED:
        return COMPUTED[column][0 if lang == "zh" else 1]
    declared = LEDGERS.get(ledger)
    if declared is not None:
        for candidate in declared.columns:
            if candidate.name == column:
                return candidate.label_zh if lang == "zh" else column.replace("_", " ")
    return column.replace("_", " ")


def _enum_names(ledger: str, column: str) -> dict[str, str]:
    declared = LEDGERS.get(ledger)
    pair = _PAIR.match(column)
    base = pair.group("base") if pair else column
    if declared is None:
        return {}
    for candidate in declared.columns:
        if candidate.name == base and candidate.enum:
            return {value: candidate.display_value(value) for value in candidate.enum}
    return {}


# Shown right after the record's key and title: why the row is counted.
FRONT = ("light", "reasons", "reason", "missed_service_levels", "outcome", "working_days_overdue", "days_overdue")


def _ordered(columns: list[str], ledger: str) -> list[str]:
    declared = LEDGERS.get(ledger)
    key = declared.key.name if declared else None
    head = [c for c in ("department", key, "title", "item") if c in columns]
    head += [c for c in FRONT if c in columns]
    return head + [c for c in columns if c not in head]


def localise_rows(frame: pd.DataFrame, ledger: str, lang: Lang = "zh") -> pd.DataFrame:
    """Rows ready to show: technical columns dropped, the reasons next to the record's name, enum
    values in Chinese (`done` → 已完成)."""
    shown = frame.drop(columns=[c for c in frame.columns if c in HIDDEN])
    shown = shown[_ordered(list(shown.columns), ledger)]
    if "light" in shown:
        side = 0 if lang == "zh" else 1
        shown["light"] = shown["light"].map(lambda v: LIGHTS[v][side] if v in LIGHTS else v)
    if lang != "zh":
        return shown
    for column in shown.columns:
        names = _enum_names(ledger, column)
        if names:
            shown[column] = shown[column].map(lambda v, names=names: names.get(v, v) if isinstance(v, str) else v)
    return shown
