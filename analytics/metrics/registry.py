"""The metric registry: every metric of shared/spec/metrics.md, declared once, in that page's order.

A metric names the SQL file that lists its population (analytics/sql/metrics/<query>.sql, one row per
entity and week) and says how the population adds up to a number:

- `count`: the rows (of `where`, if given);
- `sum`: Σ `value` over the rows;
- `mean`: Σ `value` / rows with a value (null over no rows);
- `share`: rows with `numerator` / rows (null when there are none);
- `ratio`: Σ `value` over rows with `numerator` / Σ `value` (null when the denominator is 0, or ≤ 0 with
  `positive_denominator`).

`needs` are the metric's inputs (metrics.md, "Missing inputs"): columns of its ledger that a row's load
may not have supplied; `a|b` is satisfied by either. Rows lacking one are left out of the metric and
counted in its note; a metric over rows that all lack them is null. `unknown` names a population column
that is true where a row's outcome cannot be told (status-only completion): such rows are left out too.
The inputs of each low-efficiency meeting rule are in LOW_EFFICIENCY_RULES (a rule whose input is
lacking does not fire).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Unit = Literal["rate", "count", "money", "hours", "days"]
Aggregate = Literal["count", "sum", "mean", "share", "ratio"]
Section = Literal["headline", "service", "ledger"]


@dataclass(frozen=True)
class Band:
    """The default target band (analytics.targets): `good` is the target, `alert` the edge past which
    the week is off target; the direction is the metric's `higher_is_better`."""

    good: float
    alert: float


@dataclass(frozen=True)
class Cause:
    """How the summary names the department that contributes most to a miss.

    `count` says which number of a breakdown row measures its contribution: `misses`
    (denominator − numerator: rows that did not make it), `numerator` (rows or money that count
    against the week) or `value` (a count metric).
    """

    count: str
    zh: str
    en: str
    unit: str = "count"


@dataclass(frozen=True)
class Wording:
    """A sentence in both languages; `{dept}` is the department named by the cause."""

    zh: str
    en: str


@dataclass(frozen=True)
class Attention:
    """Which rows of the metric make one kind of 需要关注 item (analytics.attention), and how to say them."""

    kind: str
    label_zh: str
    label_en: str
    severity: int  # 0 most urgent
    id_column: str
    title_column: str
    date_column: str
    next_week: bool = False
    """Rows due in the days after the cut-off and still open at it (not the period's rows)."""
    metric: str = ""
    """Filled from the MetricDef that declares it."""

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en


DECIMALS: dict[str, int] = {"rate": 4, "count": 0, "money": 2, "hours": 2, "days": 2}


@dataclass(frozen=True)
class MetricDef:
    """One metric: its name in metrics.md, how people see it, and how the engine computes it."""

    name: str
    label_zh: str
    label_en: str
    unit: Unit
    higher_is_better: bool | None
    ledger: str
    department_column: str | None
    definition_zh: str
    definition_en: str
    query: str
    aggregate: Aggregate
    numerator: str | None = None
    value: str | None = None
    where: str | None = None
    settings: tuple[str, ...] = ()
    positive_denominator: bool = False
    needs: tuple[str, ...] = ()
    unknown: str | None = None
    section: Section = "ledger"
    """Where the weekly review shows it: the headline tiles, the service levels, or its ledger page only."""
    place: int = 0
    """Its place within its section (overview tiles, summary lines, report tables)."""
    target: Band | None = None
    cause: Cause | None = None
    proposal: Wording | None = None
    """What the summary proposes when the metric is off target or worth watching."""
    attention: Attention | None = None
    focus: bool = False
    """The number its ledger page opens on: the one whose rows the assistant most often needs."""

    @property
    def headline(self) -> bool:
        return self.section == "headline"

    @property
    def decimals(self) -> int:
        """Decimals of the published value: rates 4, money/hours/days 2, counts 0."""
        return DECIMALS[self.unit]

    @property
    def is_rate(self) -> bool:
        return self.unit == "rate"


_DECISIONS = {"ledger": "decisions", "department_column": "owner_dept"}
_MEETINGS = {"ledger": "meetings", "department_column": "organizer_dept"}
_SUPPLIES = {"ledger": "supplies", "department_column": "department"}
_DOCUMENTS = {"ledger": "documents", "department_column": "handler_dept"}
_INCIDENTS = {"ledger": "incidents", "department_column": "lead_dept"}
_SCHEDULE = {"ledger": "schedule", "department_column": "requested_by"}
_LOW_EFFICIENCY = ("overrun_factor", "low_rating_max")
_MEETING_LENGTH = ("attendees", "scheduled_end|actual_end")


@dataclass(frozen=True)
class RuleInputs:
    """The columns a low-efficiency rule reads, in `ledger` (the meeting's own, or the decisions ledger)."""

    ledger: str
    needs: tuple[str, ...]


LOW_EFFICIENCY_RULES: dict[str, RuleInputs] = {
    "no_agenda": RuleInputs("meetings", ("has_agenda",)),
    "no_outcome": RuleInputs("decisions", ("meeting_id",)),
    "overrun": RuleInputs("meetings", ("actual_start", "actual_end")),
    "low_rating": RuleInputs("meetings", ("rating",)),
}
"""A rule fires only on a meeting whose load supplied its inputs; `no_outcome` only when some decision's
load supplied `meeting_id` (the SQL reads these as `$inputs_<rule>`)."""

_DEFINITIONS: tuple[MetricDef, ...] = (
    # Decisions (决议督办)
    MetricDef(
        name="decisions_due",
        label_zh="本周到期决议数",
        label_en="Decisions due",
        unit="count",
        higher_is_better=None,
        definition_zh="完成时限在本周内的决议数（不含已取消）。",
        definition_en="Non-cancelled decisions whose due date falls in the week.",
        query="decisions_due",
        aggregate="count",
        attention=Attention(
            "due_soon_decision",
            "7日内到期决议",
            "Resolution due within 7 days",
            2,
            "decision_id",
            "item",
            "due_date",
            next_week=True,
        ),
        **_DECISIONS,
    ),
    MetricDef(
        name="decision_completion_rate",
        label_zh="决议执行率",
        label_en="Decision completion rate",
        unit="rate",
        higher_is_better=True,
        definition_zh="本周到期的决议中，办结日期不晚于本周日的比例。",
        definition_en="Share of the decisions due in the week completed by its Sunday.",
        query="decisions_due",
        aggregate="share",
        numerator="completed_by_week_end",
        unknown="completion_unknown",
        section="headline",
        place=1,
        target=Band(0.9, 0.8),
        cause=Cause("misses", "{dept}{n}项决议逾期", "{n} resolutions of {dept} overdue"),
        proposal=Wording(
            "建议与{dept}调整验收标准或延长3天周期，并在OA中逐项督办",
            "suggest agreeing acceptance criteria with {dept} or extending the deadline by 3 days, followed up in OA",
        ),
        **_DECISIONS,
    ),
    MetricDef(
        name="decision_on_time_rate",
        label_zh="按期完成率",
        label_en="Decisions completed on time",
        unit="rate",
        higher_is_better=True,
        definition_zh="本周到期的决议中，办结日期不晚于完成时限的比例。",
        definition_en="Share of the decisions due in the week completed on or before their due date.",
        query="decisions_due",
        aggregate="share",
        numerator="completed_on_time",
        unknown="on_time_unknown",
        target=Band(0.85, 0.7),
        cause=Cause("misses", "{dept}{n}项决议未按期完成", "{n} resolutions of {dept} completed late"),
        proposal=Wording(
            "建议与{dept}复核决议时限是否合理",
            "suggest reviewing with {dept} whether the deadlines are realistic",
        ),
        **_DECISIONS,
    ),
    MetricDef(
        name="decisions_overdue",
        label_zh="逾期未办",
        label_en="Decisions overdue",
        unit="count",
        higher_is_better=False,
        definition_zh="截至本周日已过完成时限、且到本周日仍未办结的决议数（不限本周到期，不含已取消）。",
        definition_en="Non-cancelled decisions due by the week's Sunday and not completed by then (any due week).",
        query="decisions_overdue",
        aggregate="count",
        unknown="completion_unknown",
        section="service",
        place=7,
        target=Band(0, 3),
        cause=Cause("value", "{dept}{n}项决议逾期未办", "{n} overdue resolutions of {dept}"),
        proposal=Wording(
            "建议向{dept}发出督办提醒，并在周例会上逐项确认",
            "suggest sending {dept} a follow-up reminder and confirming each item at the weekly meeting",
        ),
        attention=Attention("overdue_decision", "逾期决议", "Overdue resolution", 0, "decision_id", "item", "due_date"),
        focus=True,
        **_DECISIONS,
    ),
    MetricDef(
        name="decision_avg_cycle_days",
        label_zh="平均完成周期",
        label_en="Average decision cycle",
        unit="days",
        higher_is_better=False,
        definition_zh="本周办结的决议从下达到办结的平均天数（办结日期 − 下达日期）。",
        definition_en="Mean of completed date − created date (days) over decisions completed in the week.",
        query="decision_cycle",
        aggregate="mean",
        value="cycle_days",
        needs=("created_date",),
        **_DECISIONS,
    ),
    # Meetings (会议)
    MetricDef(
        name="meetings_held",
        label_zh="召开会议数",
        label_en="Meetings held",
        unit="count",
        higher_is_better=None,
        definition_zh="计划开始时间在本周、状态为已召开的会议数。",
        definition_en="Meetings held whose scheduled start falls in the week.",
        query="meetings_held",
        aggregate="count",
        **_MEETINGS,
    ),
    MetricDef(
        name="low_efficiency_meeting_share",
        label_zh="低效会议占比",
        label_en="Low-efficiency meeting share",
        unit="rate",
        higher_is_better=False,
        definition_zh="本周召开的会议中低效会议的比例：无议程、无决议产出、超时（实际时长 > 计划 × 超时倍数）或评分低（≤ 低评分上限）任一成立。",
        definition_en="Share of meetings held that are low-efficiency: no agenda, no decision recorded, overrun "
        "(actual > planned × overrun factor) or low rating (≤ low-rating maximum).",
        query="meetings_held",
        aggregate="share",
        numerator="low_efficiency",
        settings=_LOW_EFFICIENCY,
        section="headline",
        place=2,
        target=Band(0.2, 0.3),
        cause=Cause("numerator", "{dept}{n}场低效会议", "{n} low-efficiency meetings of {dept}"),
        proposal=Wording(
            "建议{dept}会前提交议程、控制时长，无决议产出的例会改为书面沟通",
            "suggest {dept} sends an agenda beforehand and keeps to time; turn meetings without outcomes into written updates",
        ),
        focus=True,
        **_MEETINGS,
    ),
    MetricDef(
        name="low_efficiency_hours_share",
        label_zh="低效会议工时占比",
        label_en="Low-efficiency meeting hours share",
        unit="rate",
        higher_is_better=False,
        definition_zh="低效会议的人时（参会人数 × 实际时长）占本周全部会议人时的比例。",
        definition_en="Person-hours (attendees × actual duration) of low-efficiency meetings / person-hours of all meetings held.",
        query="meetings_held",
        aggregate="ratio",
        numerator="low_efficiency",
        value="person_hours",
        settings=_LOW_EFFICIENCY,
        needs=_MEETING_LENGTH,
        target=Band(0.2, 0.3),
        **_MEETINGS,
    ),
    MetricDef(
        name="meeting_person_hours",
        label_zh="会议人时",
        label_en="Meeting person-hours",
        unit="hours",
        higher_is_better=None,
        definition_zh="本周召开会议的参会人数 × 实际时长（小时）之和；无实际时间时按计划时长。",
        definition_en="Σ attendees × actual hours over meetings held (planned hours when actual times are missing).",
        query="meetings_held",
        aggregate="sum",
        value="person_hours",
        needs=_MEETING_LENGTH,
        **_MEETINGS,
    ),
    MetricDef(
        name="minutes_on_time_rate",
        label_zh="纪要24小时出具率",
        label_en="Minutes issued within 24 h",
        unit="rate",
        higher_is_better=True,
        definition_zh="本周召开的会议中，会议纪要在会议结束（实际结束，无则计划结束）后规定小时数内发布的比例。",
        definition_en="Share of meetings held whose minutes were issued within the deadline after the meeting's end "
        "(actual end, else scheduled end).",
        query="meetings_held",
        aggregate="share",
        numerator="minutes_on_time",
        settings=("minutes_sla_hours",),
        needs=("minutes_issued_at",),
        section="service",
        place=1,
        target=Band(0.95, 0.85),
        cause=Cause("misses", "{dept}{n}场会议纪要超时", "{n} meetings of {dept} with late minutes"),
        proposal=Wording(
            "建议会后24小时内出具纪要（写明责任人、时限和验收标准），由{dept}指定纪要人",
            "suggest issuing minutes within 24 hours (owner, deadline, acceptance criteria), with a minute-taker named by {dept}",
        ),
        attention=Attention("late_minutes", "纪要超时", "Late minutes", 1, "meeting_id", "title", "scheduled_start"),
        **_MEETINGS,
    ),
    # Supplies (办公用品)
    MetricDef(
        name="supply_waste_value",
        label_zh="浪费金额",
        label_en="Supply waste value",
        unit="money",
        higher_is_better=False,
        definition_zh="本周报废与盘亏记录的金额之和（数量 × 单价；缺单价取此前最近单价，否则取此后最早单价）。",
        definition_en="Σ value (quantity × unit price, missing prices filled) of scrap and loss rows dated in the week.",
        query="supply_flows",
        aggregate="sum",
        value="value",
        where="is_waste",
        needs=("unit_price",),
        focus=True,
        **_SUPPLIES,
    ),
    MetricDef(
        name="supply_waste_rate",
        label_zh="办公用品浪费率",
        label_en="Supply waste rate",
        unit="rate",
        higher_is_better=False,
        definition_zh="浪费金额 ÷（领用金额 − 退库金额 + 浪费金额），均为本周记录；分母 ≤ 0 时无数值。",
        definition_en="Waste value / (issue value − return value + waste value), all dated in the week; "
        "null when the denominator ≤ 0.",
        query="supply_flows",
        aggregate="ratio",
        numerator="is_waste",
        value="signed_value",
        positive_denominator=True,
        needs=("unit_price",),
        section="headline",
        place=3,
        target=Band(0.03, 0.05),
        cause=Cause("numerator", "{dept}报废/盘亏{n}", "{n} scrapped or lost by {dept}", unit="money"),
        proposal=Wording(
            "建议核查{dept}报废与盘亏原因，按实际领用量调整采购与库存",
            "suggest reviewing why {dept} scrapped or lost stock and buying to actual demand",
        ),
        **_SUPPLIES,
    ),
    MetricDef(
        name="supply_idle_value",
        label_zh="闲置库存金额",
        label_en="Idle stock value",
        unit="money",
        higher_is_better=False,
        definition_zh="本周日库存 > 0 且闲置天数内无领用的物品，其库存 × 当前单价（最近登记单价）之和。",
        definition_en="Σ on-hand × current price over items with stock at Sunday and no issue within the idle-days window.",
        query="supply_stock",
        aggregate="sum",
        value="idle_value",
        where="is_idle",
        settings=("idle_days",),
        **_SUPPLIES,
    ),
    MetricDef(
        name="supply_shortage_items",
        label_zh="短缺风险物品数",
        label_en="Items at risk of shortage",
        unit="count",
        higher_is_better=False,
        definition_zh="闲置天数内有领用、且本周日库存低于覆盖天数需求（近30天日均领用量 × 覆盖天数）的物品数。",
        definition_en="Items issued within the idle-days window whose Sunday stock is below the cover days of demand "
        "(issues over the last 30 days / 30).",
        query="supply_stock",
        aggregate="count",
        where="is_shortage_risk",
        settings=("idle_days", "shortage_cover_days"),
        target=Band(0, 2),
        **_SUPPLIES,
    ),
    # Documents (公文)
    MetricDef(
        name="docs_received",
        label_zh="本周收文数",
        label_en="Documents received",
        unit="count",
        higher_is_better=None,
        definition_zh="收文日期在本周的来文数。",
        definition_en="Incoming documents received in the week.",
        query="docs_received",
        aggregate="count",
        needs=("received_date",),
        **_DOCUMENTS,
    ),
    MetricDef(
        name="doc_registration_on_time_rate",
        label_zh="1个工作日内登记率",
        label_en="Registered within 1 working day",
        unit="rate",
        higher_is_better=True,
        definition_zh="本周收文中，登记日期不晚于收文后下一个工作日（按国家法定节假日及调休）的比例。",
        definition_en="Share of documents received in the week registered by the next PRC working day after receipt.",
        query="docs_received",
        aggregate="share",
        numerator="registered_on_time",
        needs=("received_date", "registered_date"),
        section="service",
        place=2,
        target=Band(0.95, 0.85),
        cause=Cause("misses", "{dept}{n}份来文登记超时", "{n} documents of {dept} registered late"),
        proposal=Wording(
            "建议来文当日登记编号，{dept}指定专人每日清点",
            "suggest registering documents on the day they arrive, with one person in {dept} checking daily",
        ),
        attention=Attention(
            "late_registration", "登记超时", "Late registration", 1, "doc_id", "title", "received_date"
        ),
        **_DOCUMENTS,
    ),
    MetricDef(
        name="docs_overdue",
        label_zh="超期未办",
        label_en="Documents overdue",
        unit="count",
        higher_is_better=False,
        definition_zh="截至本周日已过办理时限、且到本周日仍未办结的公文数（收文、发文均计）。",
        definition_en="Documents (either direction) due by the week's Sunday and not closed by then.",
        query="docs_overdue",
        aggregate="count",
        needs=("due_date", "closed_date"),
        section="service",
        place=8,
        target=Band(0, 3),
        cause=Cause("value", "{dept}{n}份公文超期未办", "{n} overdue documents of {dept}"),
        proposal=Wording(
            "建议对{dept}的超期公文发催办，并报总经理知悉",
            "suggest chasing {dept}'s overdue documents and informing the GM",
        ),
        attention=Attention("overdue_document", "超期公文", "Overdue document", 0, "doc_id", "title", "due_date"),
        focus=True,
        **_DOCUMENTS,
    ),
    MetricDef(
        name="doc_on_time_close_rate",
        label_zh="按期办结率",
        label_en="Documents closed on time",
        unit="rate",
        higher_is_better=True,
        definition_zh="办理时限在本周的公文中，办结日期不晚于办理时限的比例。",
        definition_en="Share of documents due in the week closed on or before their due date.",
        query="docs_due",
        aggregate="share",
        numerator="closed_on_time",
        needs=("due_date", "closed_date"),
        target=Band(0.9, 0.8),
        cause=Cause("misses", "{dept}{n}份公文未按期办结", "{n} documents of {dept} closed late"),
        proposal=Wording(
            "建议对{dept}临期公文提前一天提醒",
            "suggest reminding {dept} a day before a document falls due",
        ),
        attention=Attention(
            "due_soon_document",
            "7日内到期公文",
            "Document due within 7 days",
            2,
            "doc_id",
            "title",
            "due_date",
            next_week=True,
        ),
        **_DOCUMENTS,
    ),
    MetricDef(
        name="doc_avg_handling_days",
        label_zh="平均办理天数",
        label_en="Average handling time",
        unit="days",
        higher_is_better=False,
        definition_zh="本周办结且已登记的公文，办结日期 − 登记日期的平均天数。",
        definition_en="Mean of closed date − registered date (days) over registered documents closed in the week.",
        query="doc_handling",
        aggregate="mean",
        value="handling_days",
        needs=("registered_date", "closed_date"),
        **_DOCUMENTS,
    ),
    # Incidents (突发事件)
    MetricDef(
        name="incidents",
        label_zh="突发事件数",
        label_en="Incidents",
        unit="count",
        higher_is_better=False,
        definition_zh="接报时间在本周的突发事件数。",
        definition_en="Incidents reported in the week.",
        query="incidents",
        aggregate="count",
        focus=True,
        **_INCIDENTS,
    ),
    MetricDef(
        name="incident_response_on_time_rate",
        label_zh="5分钟响应率",
        label_en="Responded within 5 minutes",
        unit="rate",
        higher_is_better=True,
        definition_zh="本周接报的事件中，在响应时限内响应（响应时间 − 接报时间）的比例。",
        definition_en="Share of incidents reported in the week responded to within the response deadline.",
        query="incidents",
        aggregate="share",
        numerator="responded_on_time",
        settings=("response_sla_minutes",),
        needs=("responded_at",),
        section="service",
        place=3,
        target=Band(0.95, 0.85),
        cause=Cause("misses", "{dept}{n}起事件响应超时", "{n} incidents of {dept} answered late"),
        proposal=Wording(
            "建议重申5分钟内确认事件类型与影响，更新值班联络表",
            "suggest restating the 5-minute confirmation rule and updating the duty roster",
        ),
        attention=Attention(
            "late_response", "事件响应超时", "Late incident response", 1, "incident_id", "incident_type", "reported_at"
        ),
        **_INCIDENTS,
    ),
    MetricDef(
        name="incident_update_compliance_rate",
        label_zh="30分钟通报达标率",
        label_en="Progress updates every 30 minutes",
        unit="rate",
        higher_is_better=True,
        definition_zh="本周接报且已处置完成的事件中，进展通报次数 ≥ ⌊处置时长 ÷ 通报间隔⌋ 的比例（处置时长自响应起算，无响应时间自接报起算）。",
        definition_en="Share of resolved incidents reported in the week with progress updates ≥ floor(duration / update "
        "interval), the duration counted from response (else report) to resolution.",
        query="incidents",
        aggregate="share",
        numerator="update_compliant",
        where="is_resolved",
        settings=("update_interval_minutes",),
        needs=("progress_updates", "resolved_at"),
        section="service",
        place=4,
        target=Band(0.9, 0.8),
        cause=Cause("misses", "{dept}{n}起事件进展通报不足", "{n} incidents of {dept} with too few updates"),
        proposal=Wording(
            "建议处置期间每30分钟向总经理通报一次进展",
            "suggest updating the GM every 30 minutes while an incident is open",
        ),
        attention=Attention(
            "few_updates", "进展通报不足", "Too few incident updates", 1, "incident_id", "incident_type", "resolved_at"
        ),
        **_INCIDENTS,
    ),
    MetricDef(
        name="incident_report_on_time_rate",
        label_zh="24小时总结报告率",
        label_en="Summary report within 24 h",
        unit="rate",
        higher_is_better=True,
        definition_zh="本周接报且已处置完成的事件中，在处置完成后规定小时数内提交总结报告的比例。",
        definition_en="Share of resolved incidents reported in the week whose summary report was issued within the "
        "deadline after resolution.",
        query="incidents",
        aggregate="share",
        numerator="report_on_time",
        where="is_resolved",
        settings=("report_sla_hours",),
        needs=("report_issued_at", "resolved_at"),
        section="service",
        place=5,
        target=Band(0.95, 0.85),
        cause=Cause("misses", "{dept}{n}起事件总结报告超时", "{n} incident reports of {dept} late"),
        proposal=Wording(
            "建议处置完成后24小时内提交总结报告",
            "suggest filing the summary report within 24 hours of resolution",
        ),
        attention=Attention(
            "late_report", "总结报告超时", "Late incident report", 1, "incident_id", "incident_type", "resolved_at"
        ),
        **_INCIDENTS,
    ),
    # Schedule (总经理日程)
    MetricDef(
        name="schedule_hours",
        label_zh="日程总时长",
        label_en="Scheduled hours",
        unit="hours",
        higher_is_better=None,
        definition_zh="开始时间在本周、未取消日程的时长之和（小时；已改期的按台账所列时间计）。",
        definition_en="Σ hours of non-cancelled entries starting in the week (rescheduled entries at their listed times).",
        query="schedule_entries",
        aggregate="sum",
        value="hours",
        where="in_schedule",
        needs=("end",),
        **_SCHEDULE,
    ),
    MetricDef(
        name="strategic_time_share",
        label_zh="战略事务时间占比",
        label_en="Strategic time share",
        unit="rate",
        higher_is_better=True,
        definition_zh="战略级日程时长占本周日程总时长的比例。",
        definition_en="Hours of strategic entries / all scheduled hours of the week.",
        query="schedule_entries",
        aggregate="ratio",
        numerator="is_strategic",
        value="hours",
        where="in_schedule",
        needs=("end",),
        target=Band(0.3, 0.2),
        **_SCHEDULE,
    ),
    MetricDef(
        name="schedule_conflicts",
        label_zh="日程冲突",
        label_en="Schedule conflicts",
        unit="count",
        higher_is_better=False,
        definition_zh="本周开始、未取消的日程中时间重叠的日程对数（首尾相接不算重叠）。",
        definition_en="Unordered pairs of non-cancelled entries starting in the week whose [start, end) intervals overlap.",
        query="schedule_conflicts",
        aggregate="count",
        needs=("end",),
        section="service",
        place=6,
        target=Band(0, 1),
        cause=Cause("value", "{dept}发起的日程有{n}处冲突", "{n} conflicts in entries requested by {dept}"),
        proposal=Wording(
            "建议每日汇总日程申请，冲突时优先保障战略事项，并设置无会时段",
            "suggest collecting requests daily, giving strategic items priority and keeping meeting-free blocks",
        ),
        attention=Attention(
            "schedule_conflict", "日程冲突", "Schedule conflict", 1, "event_id_a", "title_a", "start_a"
        ),
        focus=True,
        **_SCHEDULE,
    ),
    MetricDef(
        name="schedule_change_rate",
        label_zh="改期/取消率",
        label_en="Rescheduled or cancelled",
        unit="rate",
        higher_is_better=False,
        definition_zh="开始时间在本周的日程中，已改期或已取消的比例（分母含已取消）。",
        definition_en="Entries starting in the week that were rescheduled or cancelled / all entries starting in the week.",
        query="schedule_entries",
        aggregate="share",
        numerator="changed",
        target=Band(0.1, 0.2),
        **_SCHEDULE,
    ),
    # Follow-up on resolutions (督办)
    MetricDef(
        name="decisions_extended",
        label_zh="延期事项",
        label_en="Decisions extended",
        unit="count",
        higher_is_better=False,
        definition_zh="原定时限在本周、且现完成时限晚于原定时限的决议数（不含已取消）。",
        definition_en="Non-cancelled decisions whose original deadline falls in the week and whose current deadline is later.",
        query="decisions_original_due",
        aggregate="count",
        where="is_extended",
        **_DECISIONS,
    ),
    MetricDef(
        name="decision_original_on_time_rate",
        label_zh="按原定时限完成率",
        label_en="Completed by the original deadline",
        unit="rate",
        higher_is_better=True,
        definition_zh="原定时限在本周的决议中，办结日期不晚于原定时限的比例（延期后办结不算按原定时限完成）。",
        definition_en="Share of the decisions whose original deadline falls in the week completed by that original "
        "deadline (an extension does not make a late item on time).",
        query="decisions_original_due",
        aggregate="share",
        numerator="completed_by_original_due",
        unknown="original_unknown",
        **_DECISIONS,
    ),
    MetricDef(
        name="decisions_due_soon",
        label_zh="即将到期",
        label_en="Decisions due soon",
        unit="count",
        higher_is_better=None,
        definition_zh="到本周日仍未办结、完成时限在本周日之后的提前量个工作日内（按法定节假日及调休）的决议数。",
        definition_en="Decisions open at the week's Sunday and due within the warning number of PRC working days after it.",
        query="decisions_due_soon",
        aggregate="count",
        unknown="completion_unknown",
        settings=("warn_working_days",),
        **_DECISIONS,
    ),
    MetricDef(
        name="decisions_reminded",
        label_zh="本周催办",
        label_en="Decisions chased this week",
        unit="count",
        higher_is_better=None,
        definition_zh="最近催办日期在本周的决议数（不含已取消）。",
        definition_en="Non-cancelled decisions whose latest reminder falls in the week.",
        query="decisions_reminded",
        aggregate="count",
        needs=("last_reminder_date",),
        **_DECISIONS,
    ),
)

METRICS: dict[str, MetricDef] = {metric.name: metric for metric in _DEFINITIONS}


def _in_section(section: Section) -> tuple[str, ...]:
    return tuple(m.name for m in sorted(_DEFINITIONS, key=lambda m: m.place) if m.section == section)


HEADLINE: tuple[str, ...] = _in_section("headline")
SERVICE_LEVELS: tuple[str, ...] = _in_section("service")
REVIEW: tuple[str, ...] = HEADLINE + SERVICE_LEVELS
"""The numbers of the weekly review (overview tiles, summary, report), in their order."""
FOCUS: dict[str, str] = {m.ledger: m.name for m in _DEFINITIONS if m.focus}
"""Ledger → the metric its page opens on."""
ATTENTION: tuple[Attention, ...] = tuple(
    replace(m.attention, metric=m.name) for m in _DEFINITIONS if m.attention is not None
)
"""The kinds of 需要关注 item, each with the metric whose rows it lists."""
