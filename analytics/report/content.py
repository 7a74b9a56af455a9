"""What the weekly report says, gathered once from the metrics engine for every output format.

Nothing here computes a metric: values, last week's values, deltas, numerators and denominators come
from `analytics.metrics.week_report`, the written summary from `analytics.summary`, trends from
`analytics.metrics.trend` and the rows behind the numbers from `analytics.metrics.metric_rows`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from analytics import metrics
from analytics.formatting import Lang, format_value, progress_mark
from analytics.metrics import HEADLINE, METRICS, SERVICE_LEVELS, MetricDef
from analytics.settings import SETTING_LABELS, Settings
from analytics.summary import WeeklySummary, weekly_summary
from analytics.targets import Status, describe_target, status
from analytics.weeks import Week

TREND_WEEKS = 12


@dataclass(frozen=True)
class KpiLine:
    """One metric as the report shows it: this week, last week, the change and what it means."""

    name: str
    label: str
    unit: str
    higher_is_better: bool | None
    value: float | None
    previous: float | None
    delta: float | None
    numerator: float | None
    denominator: float | None
    definition: str
    target: str | None
    status: Status
    note: str | None = None
    """Why the value is missing or partial (inputs the files did not supply; metrics.md, "Missing inputs")."""


@dataclass(frozen=True)
class KpiSection:
    title: str
    lines: list[KpiLine]


@dataclass(frozen=True)
class ReportContent:
    """The week's report, independent of its format."""

    week: Week
    lang: Lang
    settings: Settings
    departments: tuple[str, ...] | None
    sections: list[KpiSection]
    summary: WeeklySummary
    trend: pd.DataFrame = field(default_factory=pd.DataFrame)
    breakdowns: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def lines(self) -> list[KpiLine]:
        return [line for section in self.sections for line in section.lines]

    def line(self, name: str) -> KpiLine:
        return next(line for line in self.lines if line.name == name)


def label(metric: MetricDef, lang: Lang) -> str:
    return metric.label_zh if lang == "zh" else metric.label_en


def section_names() -> list[tuple[str, str, tuple[str, ...]]]:
    """The cover's sections: headline numbers, service levels, then every other metric in registry order."""
    headline = tuple(HEADLINE)
    service = tuple(name for name in SERVICE_LEVELS if name in METRICS and name not in headline)
    rest = tuple(name for name in METRICS if name not in headline and name not in service)
    return [
        ("核心指标", "Headline numbers", headline),
        ("服务水平", "Service levels", service),
        ("其他指标", "Other numbers", rest),
    ]


def as_number(value: object) -> float | None:
    """A number from the engine or a frame as a float; None for missing and NaN."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else number  # NaN → None


def _scope(departments: Sequence[str] | None) -> tuple[str, ...] | None:
    return tuple(departments) if departments else None


def gather(
    con: duckdb.DuckDBPyConnection,
    week: Week,
    settings: Settings,
    departments: Sequence[str] | None = None,
    lang: Lang = "zh",
    *,
    trend_weeks: int = TREND_WEEKS,
) -> ReportContent:
    """Ask the engine for the week's numbers, last week's, the summary and (optionally) the trend."""
    scope = _scope(departments)
    scoped = list(scope) if scope else None
    results = {r.name: r for r in metrics.week_report(con, week, settings, departments=scoped)}
    summary_names = tuple(name for name in (*HEADLINE, *SERVICE_LEVELS) if name in results)
    breakdowns = {name: metrics.breakdown(con, name, week, settings, departments=scoped) for name in summary_names}
    summary = weekly_summary(list(results.values()), METRICS, breakdowns, lang, names=summary_names, scope=scoped)
    sections = []
    for title_zh, title_en, names in section_names():
        lines = [_kpi_line(METRICS[name], results[name], lang) for name in names if name in results]
        sections.append(KpiSection(title_zh if lang == "zh" else title_en, lines))
    trend = pd.DataFrame()
    if trend_weeks > 0:
        trend = metrics.trend(con, list(HEADLINE), week.shift(1 - trend_weeks), week, settings, departments=scoped)
    return ReportContent(week, lang, settings, scope, sections, summary, trend, breakdowns)


def _kpi_line(metric: MetricDef, result: object, lang: Lang) -> KpiLine:
    value = as_number(getattr(result, "value", None))
    return KpiLine(
        name=metric.name,
        label=label(metric, lang),
        unit=metric.unit,
        higher_is_better=metric.higher_is_better,
        value=value,
        previous=as_number(getattr(result, "previous", None)),
        delta=as_number(getattr(result, "delta", None)),
        numerator=as_number(getattr(result, "numerator", None)),
        denominator=as_number(getattr(result, "denominator", None)),
        definition=metric.definition_zh if lang == "zh" else metric.definition_en,
        target=describe_target(metric.name, metric.unit, lang),
        status=status(metric.name, value),
        note=getattr(result, "problem", None) or getattr(result, "note" if lang == "zh" else "note_en", None),
    )


def basis_text(line: KpiLine, lang: Lang) -> str | None:
    """`17 / 20` for shares, `¥120.00 / ¥1,500.00` for money ratios, `45.0 天 / 6 项` for means; a partial
    value's note follows (`1 / 2（3 条记录未提供响应时间，未计入）`)."""
    basis = _basis(line, lang)
    if line.note and line.value is not None:
        return f"{basis}（{line.note}）" if basis else line.note
    return basis


def _basis(line: KpiLine, lang: Lang) -> str | None:
    if line.numerator is None or line.denominator is None:
        return None
    metric = METRICS[line.name]
    if metric.aggregate == "share":
        return f"{line.numerator:,.0f} / {line.denominator:,.0f}"
    if metric.aggregate == "mean":
        total = format_value(line.numerator, metric.unit, lang)
        count = f"{line.denominator:,.0f}" + (" 项" if lang == "zh" else "")
        return f"{total} / {count}"
    unit = "money" if metric.ledger == "supplies" else "hours"
    return f"{format_value(line.numerator, unit, lang)} / {format_value(line.denominator, unit, lang)}"


def settings_note(settings: Settings, lang: Lang) -> str:
    """The thresholds behind the numbers, in one line."""
    parts = []
    for name, value in settings.as_dict().items():
        zh, en = SETTING_LABELS.get(name, (name, name))
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        parts.append(f"{zh if lang == 'zh' else en} = {shown}")
    head = "计算口径（阈值设置）：" if lang == "zh" else "Thresholds used: "
    return head + ("；" if lang == "zh" else "; ").join(parts)


def scope_note(departments: tuple[str, ...] | None, lang: Lang) -> str:
    if not departments:
        return "范围：全公司" if lang == "zh" else "Scope: whole company"
    joined = "、".join(departments) if lang == "zh" else ", ".join(departments)
    return f"范围：{joined}" if lang == "zh" else f"Scope: {joined}"


def week_title(week: Week, lang: Lang) -> str:
    if lang == "zh":
        return f"{week}（{week.start:%Y年%m月%d日} 至 {week.end:%Y年%m月%d日}）{progress_mark(week, lang)}"
    return f"{week} ({week.start:%Y-%m-%d} to {week.end:%Y-%m-%d}){progress_mark(week, lang)}"
