"""`python -m analytics metrics [--week YYYY-Www] [--format json|table] [--lang zh|en] [--db PATH]`.

JSON: one object `{"week", "start", "end", "metrics": {name: value}, "settings": {...}}` on standard
output and nothing else. Table: every metric grouped by ledger, with last week and the change.
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from pathlib import Path

from analytics.config import database_path, settings_path
from analytics.db import MEMORY, connect
from analytics.errors import UsageError
from analytics.ledgers import LEDGERS
from analytics.metrics.engine import MetricResult, latest_week_with_data, week_report
from analytics.metrics.registry import METRICS, MetricDef
from analytics.settings import Settings, load_settings
from analytics.weeks import Week

MISSING = "—"


def run(args: argparse.Namespace) -> int:
    """Print one week's metrics; a bad week, or no week to default to, is a UsageError."""
    week = Week.parse(args.week) if args.week else None
    db_path = database_path(getattr(args, "db", None))
    settings = load_settings(settings_path(db_path))
    # A database that does not exist yet has no rows: answer from an empty one rather than create a file.
    with connect(db_path if db_path.exists() else MEMORY) as con:
        if week is None:
            week = latest_week_with_data(con)
            if week is None:
                raise UsageError(f"数据库 {db_path} 中没有完整周的数据；请先导入台账，或用 --week 指定周")
        results = week_report(con, week, settings)
    if getattr(args, "format", "table") == "json":
        print(json.dumps(as_json(week, results, settings), ensure_ascii=False))
    else:
        print(as_table(week, results, getattr(args, "lang", "zh"), db_path))
    return 0


def as_json(week: Week, results: list[MetricResult], settings: Settings) -> dict[str, object]:
    """The JSON contract of metrics.md, plus the settings that produced the numbers; a metric that could
    not be computed is null, with its reason in `notes` (the others answer as usual)."""
    answer: dict[str, object] = {
        "week": str(week),
        "start": week.start.isoformat(),
        "end": week.end.isoformat(),
        "metrics": {result.name: result.value for result in results},
        "settings": settings.as_dict(),
    }
    notes = {result.name: result.problem for result in results if result.problem}
    if notes:
        answer["notes"] = notes
    return answer


def format_number(value: float | None, metric: MetricDef, lang: str = "zh", signed: bool = False) -> str:
    """`85.0%`, `¥1,234.50`, `12`, `3.50 小时`; with `signed`, a change: `+5.0个百分点`, `-¥12.00`."""
    if value is None:
        return MISSING
    sign = ("+" if value > 0 else "-" if value < 0 else "±") if signed else ("-" if value < 0 else "")
    size = abs(value)
    if metric.unit == "rate":
        if signed:
            return f"{sign}{size * 100:.1f}" + ("个百分点" if lang == "zh" else " pp")
        return f"{sign}{size * 100:.1f}%"
    if metric.unit == "money":
        return f"{sign}¥{size:,.2f}"
    if metric.unit == "count":
        return f"{sign}{int(size):,}"
    suffix = {"hours": (" 小时", " h"), "days": (" 天", " days")}[metric.unit][lang != "zh"]
    return f"{sign}{size:,.2f}{suffix}"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def as_table(week: Week, results: list[MetricResult], lang: str = "zh", db_path: Path | None = None) -> str:
    """A terminal table: Chinese (or English) labels, grouped by ledger, this week, last week, change."""
    zh = lang == "zh"
    header = ("指标", "本周", "上周", "变化") if zh else ("Metric", "This week", "Last week", "Change")
    by_name = {result.name: result for result in results}
    sections: list[tuple[str, list[tuple[str, str, str, str]]]] = []
    for ledger_name in dict.fromkeys(metric.ledger for metric in METRICS.values()):  # metrics.md order
        ledger = LEDGERS[ledger_name]
        rows = []
        for metric in METRICS.values():
            if metric.ledger != ledger.name or metric.name not in by_name:
                continue
            result = by_name[metric.name]
            rows.append(
                (
                    ("★ " if metric.headline else "  ") + (metric.label_zh if zh else metric.label_en),
                    format_number(result.value, metric, lang),
                    format_number(result.previous, metric, lang),
                    format_number(result.delta, metric, lang, signed=True),
                )
            )
        if rows:
            sections.append((ledger.label_zh if zh else ledger.label_en, rows))
    widths = [max(_width(row[i]) for _, rows in sections for row in [*rows, header]) for i in range(len(header))]
    title = f"{week}（{week.start} 至 {week.end}）周度指标" if zh else f"Metrics of {week} ({week.start} to {week.end})"
    lines = [title]
    if db_path is not None:
        lines.append(("数据库：" if zh else "Database: ") + str(db_path))
    lines += ["", "  ".join(_pad(h, w, right=i > 0) for i, (h, w) in enumerate(zip(header, widths, strict=True)))]
    for label, rows in sections:
        lines.append(f"【{label}】" if zh else f"[{label}]")
        for row in rows:
            lines.append("  ".join(_pad(c, w, right=i > 0) for i, (c, w) in enumerate(zip(row, widths, strict=True))))
    lines.append("")
    lines.append("★ 核心指标；变化 = 本周 − 上周" if zh else "★ headline metric; change = this week − last week")
    for result in results:
        if result.problem:
            metric = METRICS[result.name]
            lines.append(f"{MISSING} {metric.label_zh if zh else metric.label_en}：{result.problem}")
    return "\n".join(lines)
