"""`python -m analytics metrics [--week YYYY-Www | --period P] [--format json|table] [--lang zh|en] [--db PATH]`.

JSON: one object `{"week" (or "period"), "start", "end", "as_of", "complete", "metrics": {name: value},
"settings": {...}}` on standard output and nothing else. Table: every metric grouped by ledger, with the
previous period and the change. A week or period in progress is computed as of today (and says so);
one not yet begun is a usage error.
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from pathlib import Path

from analytics.config import database_path, settings_path
from analytics.db import MEMORY, connect
from analytics.errors import UsageError
from analytics.formatting import MISSING, format_delta, format_value, window_title
from analytics.ledgers import LEDGERS
from analytics.metrics.engine import MetricResult, latest_week_with_data, metric_def, metric_sql, week_report
from analytics.metrics.registry import METRICS
from analytics.settings import Settings, load_settings
from analytics.weeks import Period, Week, Window, last_complete_week, parse_period
from analytics.wording import in_language


def run(args: argparse.Namespace) -> int:
    """Print one period's metrics; a bad or not yet begun period, or no week to default to, is a UsageError."""
    period_text = getattr(args, "period", None)
    if period_text and args.week:
        raise UsageError("--week 与 --period 只能给一个")
    week: Period | None = parse_period(period_text) if period_text else Week.parse(args.week) if args.week else None
    if getattr(args, "show_sql", None):
        print(
            show_sql(args.show_sql, week or last_complete_week(), load_settings(settings_path(database_path(args.db))))
        )
        return 0
    db_path = database_path(getattr(args, "db", None))
    settings = load_settings(settings_path(db_path))
    # A database that does not exist yet has no rows: answer from an empty one rather than create a file.
    with connect(db_path if db_path.exists() else MEMORY) as con:
        if week is None:
            week = latest_week_with_data(con)
            if week is None:
                raise UsageError(f"数据库 {db_path} 中没有完整周的数据；请先导入台账，或用 --week 指定周")
        results = week_report(con, week, settings)
    window = results[0].window
    assert window is not None
    key = "period" if period_text else "week"
    if getattr(args, "format", "table") == "json":
        print(json.dumps(as_json(window, results, settings, key), ensure_ascii=False))
    else:
        print(as_table(window, results, getattr(args, "lang", "zh"), db_path))
    return 0


def show_sql(name: str, period: Period, settings: Settings) -> str:
    """One metric's statement as the engine runs it, in one hop: where its population comes from, the
    parameters, then the SQL (DuckDB's `$name` parameters)."""
    metric = metric_def(name)
    sql, params = metric_sql(name, period, settings)
    header = [
        f"-- {metric.name} {metric.label_zh} / {metric.label_en}: {metric.definition_zh}",
        f"-- population: analytics/sql/metrics/{metric.query}.sql; aggregate: {metric.aggregate}",
        *(f"-- ${key} = {json.dumps(value, default=str, ensure_ascii=False)}" for key, value in params.items()),
    ]
    return "\n".join(header) + "\n" + sql + ";"


def as_json(window: Window, results: list[MetricResult], settings: Settings, key: str = "week") -> dict[str, object]:
    """The JSON contract of metrics.md (`key` is "week" for --week, "period" for --period), plus the
    settings that produced the numbers; a metric that could not be computed is null, with its reason
    in `notes` (the others answer as usual), and so is a null or partial value for want of inputs the
    files did not supply (metrics.md, "Missing inputs")."""
    period = window.period
    answer: dict[str, object] = {
        key: str(period),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "as_of": window.as_of.isoformat(),
        "complete": window.complete,
        "metrics": {result.name: result.value for result in results},
        "settings": settings.as_dict(),
    }
    notes = {result.name: result.problem or result.note for result in results if result.problem or result.note}
    if notes:
        answer["notes"] = notes
    return answer


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def as_table(window: Window, results: list[MetricResult], lang: str = "zh", db_path: Path | None = None) -> str:
    """A terminal table: Chinese (or English) labels, grouped by ledger, this period, the previous, change."""
    zh = lang == "zh"
    kind = window.period.kind
    this, last = {
        "week": (("本周", "上周"), ("This week", "Last week")),
        "month": (("本月", "上月"), ("This month", "Last month")),
        "quarter": (("本季度", "上季度"), ("This quarter", "Last quarter")),
        "year": (("本年", "上年"), ("This year", "Last year")),
    }[kind][0 if zh else 1]
    header = ("指标", this, last, "变化") if zh else ("Metric", this, last, "Change")
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
                    format_value(result.value, metric.unit, lang),
                    format_value(result.previous, metric.unit, lang),
                    format_delta(result.delta, metric.unit, lang) or MISSING,
                )
            )
        if rows:
            sections.append((ledger.label_zh if zh else ledger.label_en, rows))
    widths = [max(_width(row[i]) for _, rows in sections for row in [*rows, header]) for i in range(len(header))]
    title = f"{window_title(window, lang)}指标" if zh else f"Metrics of {window_title(window, lang)}"
    lines = [title]
    if db_path is not None:
        lines.append(("数据库：" if zh else "Database: ") + str(db_path))
    lines += ["", "  ".join(_pad(h, w, right=i > 0) for i, (h, w) in enumerate(zip(header, widths, strict=True)))]
    for label, rows in sections:
        lines.append(f"【{label}】" if zh else f"[{label}]")
        for row in rows:
            lines.append("  ".join(_pad(c, w, right=i > 0) for i, (c, w) in enumerate(zip(row, widths, strict=True))))
    lines.append("")
    before = results[0].previous_window if results else None
    if zh:
        lines.append(f"★ 核心指标；变化 = {this} − {last}")
    else:
        lines.append(f"★ headline metric; change = {this.lower()} − {last.lower()}")
    if before is not None and not window.complete:
        lines.append(
            f"{last}按相同天数比较：{before.start} 至 {before.end}"
            if zh
            else f"{last} is compared over the same days: {before.start} to {before.end}"
        )
    for result in results:
        problem = in_language(result.problem, "zh" if zh else "en") if result.problem else None
        note = problem or (result.note if zh else result.note_en)
        if note:
            metric = METRICS[result.name]
            lines.append(f"{MISSING} {metric.label_zh if zh else metric.label_en}：{note}")
    return "\n".join(lines)
