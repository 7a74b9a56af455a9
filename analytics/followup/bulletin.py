"""The 督办通报 (bulletin) of a period: departments ranked by how they handled their resolutions.

metrics.md, "Follow-up on resolutions": per department (`owner_dept`) over a period P — 交办 (created in
P), 到期 (due in P), 按期办结 (due in P and completed by its due date), 按期办结率, 按原定时限办结率, 延期
(`decisions_extended` over P), 逾期未办 at P's end, 红牌 and 黄牌 at P's end — ordered by 按期办结率
ascending (nulls last), then 逾期未办 descending, then the department's name.

Every number comes from the metrics engine (`department_table`): the registered decision metrics over
the period's window, plus three counts only the bulletin needs (交办, 红牌, 黄牌) declared here on
queries of their own (sql/metrics/bulletin/). Company totals add the departments' counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from analytics.metrics import METRICS, MetricDef
from analytics.metrics.engine import department_table, population_rows, window_of
from analytics.settings import Settings
from analytics.weeks import Month, Period, Quarter, Week, Window, Year

_DECISIONS = {"ledger": "decisions", "department_column": "owner_dept", "higher_is_better": None, "unit": "count"}
ASSIGNED = MetricDef(
    name="bulletin_assigned",
    label_zh="交办",
    label_en="Assigned",
    definition_zh="下达日期在期间内的决议数（不含已取消）。",
    definition_en="Non-cancelled decisions created in the period.",
    query="bulletin/decisions_created",
    aggregate="count",
    **_DECISIONS,
)
RED = MetricDef(
    name="bulletin_red",
    label_zh="红牌",
    label_en="Red",
    definition_zh="期末已逾期、仍未办结的决议数。",
    definition_en="Decisions open and overdue at the period's end.",
    query="bulletin/decisions_open",
    aggregate="count",
    where="is_red",
    settings=("warn_working_days",),
    **_DECISIONS,
)
YELLOW = MetricDef(
    name="bulletin_yellow",
    label_zh="黄牌",
    label_en="Yellow",
    definition_zh="期末未办结、提前量个工作日内到期或已延期过的决议数。",
    definition_en="Decisions open at the period's end, due within the warning days or extended at least once.",
    query="bulletin/decisions_open",
    aggregate="count",
    where="is_yellow",
    settings=("warn_working_days",),
    **_DECISIONS,
)
OPEN = MetricDef(
    name="bulletin_open",
    label_zh="未办结",
    label_en="Open",
    definition_zh="期末未办结的决议（含各自的督办灯）。",
    definition_en="Decisions open at the period's end, with their cards.",
    query="bulletin/decisions_open",
    aggregate="count",
    settings=("warn_working_days",),
    **_DECISIONS,
)
ENGINE_METRICS = (
    ASSIGNED,
    METRICS["decisions_due"],
    METRICS["decision_on_time_rate"],
    METRICS["decision_original_on_time_rate"],
    METRICS["decisions_extended"],
    METRICS["decisions_overdue"],
    RED,
    YELLOW,
)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    # (field, 中文, English)
    ("department", "部门", "Department"),
    ("assigned", "交办", "Assigned"),
    ("due", "到期", "Due"),
    ("on_time", "按期办结", "Done on time"),
    ("on_time_rate", "按期办结率", "On-time rate"),
    ("original_on_time_rate", "按原定时限办结率", "By the original deadline"),
    ("extended", "延期", "Extended"),
    ("overdue", "逾期未办", "Overdue"),
    ("red", "红牌", "Red"),
    ("yellow", "黄牌", "Yellow"),
)


@dataclass(frozen=True)
class BulletinRow:
    """One department's line (or the company's total, `department` = 合计)."""

    department: str
    assigned: int
    due: int
    on_time: int
    on_time_rate: float | None
    original_due: int
    original_on_time: int
    original_on_time_rate: float | None
    extended: int
    overdue: int
    red: int
    yellow: int


@dataclass(frozen=True)
class Bulletin:
    period: Period
    window: Window
    rows: list[BulletinRow]
    total: BulletinRow
    items: pd.DataFrame
    """The red and yellow items at the period's end (red first), for the attachment."""

    @property
    def title_period(self) -> str:
        return period_words(self.period)

    @property
    def headline(self) -> str:
        """「交办59项，按期办结59项，按期办结率100%」, and the rest of the totals."""
        t = self.total
        sentence = f"{self.title_period}共交办{t.assigned}项，到期{t.due}项，按期办结{t.on_time}项，按期办结率{percent(t.on_time_rate)}"
        sentence += f"；按原定时限办结率{percent(t.original_on_time_rate)}，延期{t.extended}项"
        sentence += f"；截至{self.window.end.month}月{self.window.end.day}日逾期未办{t.overdue}项（红牌{t.red}项、黄牌{t.yellow}项）。"
        return sentence


def period_words(period: Period) -> str:
    """2026年11月, 2026年第四季度, 2026年, 2026年第47周（11月16日—11月22日）."""
    if isinstance(period, Month):
        return f"{period.start.year}年{period.start.month}月"
    if isinstance(period, Quarter):
        return f"{period.start.year}年第{'一二三四'[period.start.month // 3]}季度"
    if isinstance(period, Year):
        return f"{period.start.year}年"
    if isinstance(period, Week):
        return f"{period.year}年第{period.number}周（{period.start.month}月{period.start.day}日—{period.end.month}月{period.end.day}日）"
    return str(period)


def percent(rate: float | None) -> str:
    """100%, 85.7%, 89.0%, —: a published rate in the bulletin's words (one decimal, none when whole)."""
    if rate is None:
        return "—"
    if round(rate * 10000) % 100 == 0:  # a whole percentage: 100%, 50%
        return f"{round(rate * 100)}%"
    return f"{rate * 100:.1f}%"


def _rate(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else round(numerator / denominator, 4)


def _count(value: object) -> int:
    return 0 if value is None or value != value else int(value)


def gather_bulletin(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    settings: Settings,
    departments: Sequence[str] | None = None,
    *,
    as_of: date | None = None,
) -> Bulletin:
    """The bulletin of `period` (as of `as_of` while it is in progress), ranked."""
    window = window_of(period, as_of)
    table = department_table(con, ENGINE_METRICS, window, settings, departments)
    numbers: dict[str, dict[str, tuple[int, int]]] = {}
    for record in table.itertuples(index=False):
        numbers.setdefault(record.department, {})[record.metric] = (
            _count(record.exact_numerator),
            _count(record.exact_denominator),
        )

    def line(department: str, got: dict[str, tuple[int, int]]) -> BulletinRow:
        on_time, due = got.get("decision_on_time_rate", (0, 0))
        original_on_time, original_due = got.get("decision_original_on_time_rate", (0, 0))
        return BulletinRow(
            department=department,
            assigned=got.get(ASSIGNED.name, (0, 0))[0],
            due=got.get("decisions_due", (0, 0))[0],
            on_time=on_time,
            on_time_rate=_rate(on_time, due),
            original_due=original_due,
            original_on_time=original_on_time,
            original_on_time_rate=_rate(original_on_time, original_due),
            extended=got.get("decisions_extended", (0, 0))[0],
            overdue=got.get("decisions_overdue", (0, 0))[0],
            red=got.get(RED.name, (0, 0))[0],
            yellow=got.get(YELLOW.name, (0, 0))[0],
        )

    rows = [line(department, got) for department, got in numbers.items()]
    # the published rate (4 decimals), as the reader sees it; its denominator leaves out decisions done
    # without a date whose completion cannot be told (metrics.md, "Status-only exports")
    rows.sort(key=lambda r: (r.on_time_rate is None, r.on_time_rate or 0.0, -r.overdue, r.department))
    summed = {
        name: (
            sum(got.get(name, (0, 0))[0] for got in numbers.values()),
            sum(got.get(name, (0, 0))[1] for got in numbers.values()),
        )
        for name in {metric.name for metric in ENGINE_METRICS}
    }
    total = line("合计", summed)
    items = pd.concat(
        [population_rows(con, metric, window, settings, departments) for metric in (RED, YELLOW)],
        ignore_index=True,
    )
    return Bulletin(period, window, rows, total, items)


def open_lights(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    settings: Settings,
    departments: Sequence[str] | None = None,
    *,
    as_of: date | None = None,
) -> dict[str, int]:
    """How many decisions are open at the period's end (its cut-off), by card: red, yellow, blue."""
    rows = population_rows(con, OPEN, period, settings, departments, as_of=as_of)
    counts = rows["light"].value_counts() if not rows.empty else {}
    return {light: int(counts.get(light, 0)) for light in ("red", "yellow", "blue")}


def as_frame(bulletin: Bulletin, lang: str = "zh") -> pd.DataFrame:
    """The ranked table with its total, as published (rates rounded to 4 decimals)."""
    fields = [field for field, _, _ in COLUMNS]
    records = [{field: getattr(row, field) for field in fields} for row in [*bulletin.rows, bulletin.total]]
    frame = pd.DataFrame(records, columns=fields)
    frame.insert(0, "rank", [*range(1, len(bulletin.rows) + 1), None])
    titles = {"rank": "排名" if lang == "zh" else "Rank"} | {f: zh if lang == "zh" else en for f, zh, en in COLUMNS}
    return frame.rename(columns=titles)
