"""How the rows behind the numbers are shown in the report: which populations, headers and formats.

The engine's populations (analytics/sql/metrics/*.sql) carry the ledger's canonical columns plus
derived ones (flags, reasons, durations); their titles and Chinese enum values come from
`analytics.columns`, shared with the dashboard, and their number formats from `column_kind`. One sheet per ledger merges that ledger's populations
by its key (a decision due this week may also be overdue), with a yes/no column per population; the
supply stock (one row per item) and the schedule conflicts (one row per pair) get sheets of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from analytics.columns import MONEY_COLUMNS
from analytics.formatting import Lang
from analytics.ledgers import LEDGERS

Kind = Literal["text", "int", "number", "money", "date", "datetime", "bool", "decimal"]


@dataclass(frozen=True)
class Population:
    """One engine population on a sheet, and the yes/no column saying a row belongs to it."""

    query: str
    member_zh: str | None = None
    member_en: str | None = None


@dataclass(frozen=True)
class SheetPlan:
    """A sheet of rows: its ledger, title, populations (merged on `key`) and a note on what it backs."""

    ledger: str
    title_zh: str
    title_en: str
    populations: tuple[Population, ...]
    key: str | None
    note_zh: str
    note_en: str

    def title(self, lang: Lang) -> str:
        return self.title_zh if lang == "zh" else self.title_en


SHEETS: tuple[SheetPlan, ...] = (
    SheetPlan(
        "decisions",
        "决议督办",
        "Decisions",
        (
            Population("decisions_due", "本周到期", "Due this week"),
            Population("decisions_overdue", "逾期未办", "Overdue"),
            Population("decision_cycle", "本周办结", "Completed this week"),
        ),
        "decision_id",
        "本周到期（决议执行率、按期完成率）、截至周日逾期未办、本周办结（平均完成周期）的决议。",
        "Decisions due this week (completion and on-time rates), overdue at Sunday, and completed this week (cycle).",
    ),
    SheetPlan(
        "meetings",
        "会议",
        "Meetings",
        (Population("meetings_held"),),
        "meeting_id",
        "本周召开的会议，含每条低效规则是否成立、人时和纪要是否按时（低效会议占比、低效工时占比、纪要出具率）。",
        "Meetings held this week, with each low-efficiency rule, person-hours and whether minutes were on time.",
    ),
    SheetPlan(
        "supplies",
        "办公用品",
        "Supplies",
        (Population("supply_flows"),),
        "txn_id",
        "本周领用、退库、报废、盘亏记录及计价（浪费金额、浪费率；缺单价时的取价见“单价来源”）。",
        "Issue, return, scrap and loss rows of the week, valued (waste value and rate; see the price source).",
    ),
    SheetPlan(
        "supplies",
        "办公用品库存",
        "Supply stock",
        (Population("supply_stock"),),
        "item",
        "本周日闲置或有短缺风险的物品：库存、当前单价、近30天领用和可用天数（闲置库存金额、短缺风险物品数）。",
        "Items idle or at risk of shortage at Sunday: stock, current price, 30-day demand and days of cover.",
    ),
    SheetPlan(
        "documents",
        "公文",
        "Documents",
        (
            Population("docs_received", "本周收文", "Received this week"),
            Population("docs_due", "本周到期", "Due this week"),
            Population("docs_overdue", "超期未办", "Overdue"),
            Population("doc_handling", "本周办结", "Closed this week"),
        ),
        "doc_id",
        "本周收文（登记率）、本周到期（按期办结率）、截至周日超期未办、本周办结（平均办理天数）的公文。",
        "Documents received (registration), due (on-time closing), overdue at Sunday and closed this week.",
    ),
    SheetPlan(
        "incidents",
        "突发事件",
        "Incidents",
        (Population("incidents"),),
        "incident_id",
        "本周接报的突发事件，含响应、进展通报和总结报告是否达标。",
        "Incidents reported this week, with whether response, updates and the summary report met their deadlines.",
    ),
    SheetPlan(
        "schedule",
        "总经理日程",
        "GM schedule",
        (Population("schedule_entries"),),
        "event_id",
        "开始时间在本周的日程（含已取消与改期；日程总时长、战略时间占比、改期/取消率）。",
        "Calendar entries starting this week, cancelled and rescheduled included.",
    ),
    SheetPlan(
        "schedule",
        "日程冲突",
        "Schedule conflicts",
        (Population("schedule_conflicts"),),
        None,
        "本周时间重叠的日程对（日程冲突）。",
        "Pairs of entries of the week whose times overlap.",
    ),
)

_DATE_COLUMNS = frozenset({"registration_deadline", "last_issue_date"})
_INT_FORMAT_FLOATS = frozenset({"quantity", "on_hand", "demand_30_days"})


def column_kind(ledger: str, column: str, values: pd.Series) -> Kind:
    """How a population column is formatted: from the ledger declaration, else from its name and values."""
    dtype = str(values.dtype)
    present = values.dropna()
    if dtype in ("bool", "boolean") or (
        dtype == "object" and not present.empty and present.map(lambda v: isinstance(v, bool)).all()
    ):
        return "bool"
    if column in MONEY_COLUMNS:
        return "money"
    base = column[:-2] if column.endswith(("_a", "_b")) else column
    declared = next((c for c in LEDGERS[ledger].columns if c.name == base), None)
    if declared is not None and declared.type in ("date", "datetime"):
        return declared.type
    if dtype.startswith("datetime"):
        if column in _DATE_COLUMNS:
            return "date"
        return "date" if not present.empty and (present == present.dt.normalize()).all() else "datetime"
    if declared is not None and declared.type in ("int", "bool"):
        return declared.type
    if column in _INT_FORMAT_FLOATS or (declared is not None and declared.type == "number"):
        return "number"
    if dtype.startswith(("int", "Int", "uint")):
        return "int"
    if dtype.startswith(("float", "Float")):
        numbers = pd.to_numeric(present, errors="coerce")
        return "int" if not numbers.empty and (numbers == numbers.round()).all() else "decimal"
    return "text"
