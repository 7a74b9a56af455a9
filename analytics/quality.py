"""Data-quality checks a careful assistant runs before the weekly meeting, and the load records.

Each check is one SQL file in `analytics/sql/quality/` returning rows of
(ledger, record_id, field, value, detail). No streamlit here: the data-quality page, the report and
notebooks call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

import duckdb
import pandas as pd

from analytics import weeks

STALE_AFTER_WEEKS = 2
FINDING_COLUMNS = ["ledger", "record_id", "field", "value", "detail"]


@dataclass(frozen=True)
class Check:
    """One check: its SQL file and what it looks for, in both languages."""

    name: str
    label_zh: str
    label_en: str
    why_zh: str
    why_en: str


@dataclass(frozen=True)
class CheckResult:
    """A check and the records it found (columns of FINDING_COLUMNS)."""

    check: Check
    findings: pd.DataFrame

    @property
    def count(self) -> int:
        return len(self.findings)


CHECKS: tuple[Check, ...] = (
    Check(
        "end_before_start",
        "结束早于开始",
        "End before start",
        "会议、日程、突发事件的结束（或响应、处置）时间早于开始时间，时长会算错。",
        "Meetings, calendar entries or incidents that end (or are answered) before they start: durations go wrong.",
    ),
    Check(
        "completion_before_creation",
        "办结早于创建",
        "Completed before created",
        "决议办结早于下达、公文办结早于登记或收文。",
        "Resolutions completed before they were given, documents closed before they were registered.",
    ),
    Check(
        "missing_owner",
        "缺少责任人/部门",
        "Missing owner",
        "没有责任人或承办部门的事项无法督办，也进不了按部门统计。",
        "Items without an owner cannot be followed up and fall out of department breakdowns.",
    ),
    Check(
        "items_without_price",
        "物品无单价",
        "Items without a price",
        "没有任何单价的物品无法计算金额，浪费率和闲置库存会偏低。",
        "Items with no price anywhere have no value: waste rate and idle stock leave them out.",
    ),
    Check(
        "future_dates",
        "日期在未来",
        "Dates in the future",
        "已发生的事（收文、办结、领用、接报……）日期晚于今天，多为录入错误。",
        "Things that already happened (received, completed, issued, reported…) dated after today: usually typos.",
    ),
    Check(
        "negative_stock",
        "账面库存为负",
        "Negative stock",
        "出库多于入库，期初或采购记录可能缺失。",
        "More went out than came in: an opening balance or a purchase is probably missing.",
    ),
    Check(
        "stale_ledgers",
        "台账多周未更新",
        "Ledgers not updated for weeks",
        f"最新记录距今 {STALE_AFTER_WEEKS} 周以上或没有数据的台账，本周指标可能不完整。",
        f"Ledgers whose latest record is {STALE_AFTER_WEEKS}+ weeks old, or empty: this week's numbers may be incomplete.",
    ),
)


@cache
def _sql(name: str) -> str:
    return resources.files("analytics").joinpath("sql", "quality", f"{name}.sql").read_text(encoding="utf-8")


def _query(con: duckdb.DuckDBPyConnection, name: str, today: date) -> pd.DataFrame:
    sql = _sql(name)
    parameters = {"today": today} if "$today" in sql else {}
    return con.execute(sql, parameters).df()


def ledger_freshness(con: duckdb.DuckDBPyConnection, today: date | None = None) -> pd.DataFrame:
    """Per ledger: rows, latest business date, last load and whole weeks since the latest date."""
    return _query(con, "ledger_freshness", today or weeks.today())


def _stale(con: duckdb.DuckDBPyConnection, today: date) -> pd.DataFrame:
    fresh = ledger_freshness(con, today)
    stale = fresh[(fresh["rows"] == 0) | (fresh["weeks_behind"].fillna(0) >= STALE_AFTER_WEEKS)]
    details = [
        "没有数据" if rows == 0 else f"最新记录 {latest:%Y-%m-%d}，已 {int(weeks)} 周未更新"
        for rows, latest, weeks in zip(stale["rows"], stale["latest_date"], stale["weeks_behind"], strict=True)
    ]
    return pd.DataFrame(
        {
            "ledger": stale["ledger"],
            "record_id": None,
            "field": None,
            "value": [None if pd.isna(d) else f"{d:%Y-%m-%d}" for d in stale["latest_date"]],
            "detail": details,
        },
        columns=FINDING_COLUMNS,
    )


def run_checks(con: duckdb.DuckDBPyConnection, today: date | None = None) -> list[CheckResult]:
    """Every check of CHECKS, in order, with its findings."""
    today = today or weeks.today()
    results = []
    for check in CHECKS:
        findings = _stale(con, today) if check.name == "stale_ledgers" else _query(con, check.name, today)
        results.append(CheckResult(check, findings.reset_index(drop=True)))
    return results


def load_log(con: duckdb.DuckDBPyConnection, limit: int = 200) -> pd.DataFrame:
    """The latest loads, newest first."""
    return con.execute(_sql("load_log"), {"limit": limit}).df()


def quarantine(con: duckdb.DuckDBPyConnection, limit: int = 500) -> pd.DataFrame:
    """Rows kept out of the ledgers by "load the valid rows", newest load first."""
    return con.execute(_sql("quarantine"), {"limit": limit}).df()
