"""The written weekly summary, in the form the assistant reports upward.

Conclusion first, then the data, then a proposal — e.g.
"本周决议执行率85.0%（较上周+5.0个百分点），主要因财务部2项决议逾期；建议调整验收标准或延长3天周期".
Generated from metric results and department breakdowns only (no database, no streamlit), so the
dashboard and the exported report say the same words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import pandas as pd

from analytics.formatting import Lang, format_delta, format_value
from analytics.metrics import METRICS, REVIEW, UNFILLED_DEPARTMENT
from analytics.targets import TARGETS, Status, status


class ResultLike(Protocol):
    name: str
    value: float | None
    previous: float | None
    delta: float | None


class DefinitionLike(Protocol):
    label_zh: str
    label_en: str
    unit: str
    higher_is_better: bool | None


_STATUS_ORDER: dict[Status, int] = {"bad": 0, "watch": 1, "unknown": 2, "good": 3}


@dataclass(frozen=True)
class SummaryLine:
    """One metric: its value and change with the main cause when off target (`text`), and a proposal."""

    metric: str
    status: Status
    text: str
    proposal: str | None = None
    lang: Lang = "zh"

    @property
    def sentence(self) -> str:
        """Data and proposal in one sentence, the way the assistant says it upward."""
        if not self.proposal:
            return self.text
        return f"{self.text}；{self.proposal}" if self.lang == "zh" else f"{self.text}; {self.proposal}"


@dataclass(frozen=True)
class WeeklySummary:
    """Conclusion, then the supporting lines (worst first), then the proposals."""

    conclusion: str
    lines: list[SummaryLine] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)

    def as_text(self, lang: Lang = "zh") -> str:
        """Plain text for a report or a message: conclusion, data, proposals."""
        parts = [self.conclusion]
        parts += [f"- {line.text}" for line in self.lines]
        if self.proposals:
            parts.append("建议：" if lang == "zh" else "Proposals:")
            parts += [f"{i}. {p}" for i, p in enumerate(self.proposals, 1)]
        return "\n".join(parts)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _note(result: ResultLike, lang: Lang) -> str | None:
    """Why a value is missing or partial (metrics.md, "Missing inputs"), when the engine said so."""
    return getattr(result, "note" if lang == "zh" else "note_en", None)


_THIS = {
    "week": ("本周", "this week"),
    "month": ("本月", "this month"),
    "quarter": ("本季度", "this quarter"),
    "year": ("本年", "this year"),
}
_BEFORE = {
    "week": ("上周", "last week"),
    "month": ("上月", "last month"),
    "quarter": ("上季度", "last quarter"),
    "year": ("上年", "last year"),
}


def period_words(
    kind: str, complete: bool = True, compared_with: str | None = None, lang: Lang = "zh"
) -> tuple[str, str]:
    """How the summary names the period and what it is compared with: (`本月`, `上月`); a period in
    progress is compared with `上月同期` (the same days), a chosen comparison by its name."""
    side = 0 if lang == "zh" else 1
    this, before = _THIS[kind][side], _BEFORE[kind][side]
    if compared_with:
        before = compared_with
    elif not complete:
        before = f"{before}同期" if lang == "zh" else f"the same days of {before}"
    return this, before


def _reword(text: str, words: tuple[str, str], lang: Lang) -> str:
    """A sentence written for a week, said of the period in `words` (this, the one compared with)."""
    this, before = words
    if lang == "zh":
        return (
            text.replace("较上周", f"较{before}").replace("上周无可比数据", f"{before}无可比数据").replace("本周", this)
        )
    return (
        text.replace("on last week", f"on {before}")
        .replace("for last week", f"for {before}")
        .replace("this week", this)
    )


def missing_sentence(result: ResultLike, definition: DefinitionLike, note: str, lang: Lang = "zh") -> SummaryLine:
    """`本周5分钟响应率：无数据：突发事件台账未提供响应时间` — no number, and why."""
    if lang == "zh":
        return SummaryLine(result.name, "unknown", f"本周{definition.label_zh}：{note}", None, lang)
    return SummaryLine(result.name, "unknown", f"{definition.label_en} this week: {note}", None, lang)


def main_cause(name: str, breakdown: pd.DataFrame | None, lang: Lang = "zh") -> tuple[str, str] | None:
    """The department that explains a miss, and the phrase naming it; None if no named department does.

    The department named is the one furthest short of the target in absolute terms — the misses it
    has beyond what the target allows it (for a rate where higher is better: target × its
    denominator − its numerator; lower is better: its numerator − target × its denominator; a count:
    its value − the target) — not the one with the most misses: a large department at 89% explains
    less of a miss than a small one at 17%. Rows without a department are not a cause anyone can act
    on; with one department in view (a department filter) the summary names no cause (metric_sentence).
    """
    cause = METRICS[name].cause if name in METRICS else None
    if cause is None or breakdown is None or breakdown.empty or "department" not in breakdown:
        return None
    frame = breakdown.copy()
    target = TARGETS.get(name)
    good = target.good if target is not None else 0.0
    if cause.count in ("misses", "numerator"):
        if not {"numerator", "denominator"} <= set(frame.columns):
            return None
        numerator, denominator = frame["numerator"].fillna(0), frame["denominator"].fillna(0)
        if cause.count == "misses":
            frame["_n"] = denominator - numerator
            frame["_excess"] = good * denominator - numerator
        else:
            frame["_n"] = numerator
            frame["_excess"] = numerator - good * denominator
    else:
        frame["_n"] = frame["value"].fillna(0)
        frame["_excess"] = frame["_n"] - good
    named = frame["department"].notna() & (frame["department"] != UNFILLED_DEPARTMENT)
    frame = frame[named & (frame["_n"] > 0) & (frame["_excess"] > 0)]
    if frame.empty:
        return None
    top = frame.sort_values(["_excess", "department"], ascending=[False, True]).iloc[0]
    dept = str(top["department"])
    amount = format_value(float(top["_n"]), cause.unit, lang)
    template = cause.zh if lang == "zh" else cause.en
    return dept, template.format(dept=dept, n=amount)


def metric_sentence(
    result: ResultLike,
    definition: DefinitionLike,
    breakdown: pd.DataFrame | None = None,
    lang: Lang = "zh",
    scope: Sequence[str] | None = None,
) -> SummaryLine:
    """`本周决议执行率85.0%（较上周+5.0个百分点），主要因财务部2项决议逾期` and, off target, a proposal
    (`建议……`); `SummaryLine.sentence` joins them."""
    label = definition.label_zh if lang == "zh" else definition.label_en
    value = format_value(result.value, definition.unit, lang)
    delta = format_delta(result.delta, definition.unit, lang)
    state = status(result.name, result.value)
    note = _note(result, lang)
    if lang == "zh":
        change = f"较上周{delta}" if delta is not None else "上周无可比数据"
        text = f"本周{label}{value}（{change}" + (f"；{note}）" if note else "）")
    else:
        change = f"{delta} on last week" if delta is not None else "no figure for last week"
        text = f"{label} {value} this week ({change}" + (f"; {note})" if note else ")")
    proposal = None
    if state in ("bad", "watch"):
        # filtered to one department, every line would name it: the cause is then the department itself
        found = None if scope is not None and len(scope) == 1 else main_cause(result.name, breakdown, lang)
        dept = found[0] if found else ("相关部门" if lang == "zh" else "the departments concerned")
        if found:
            text += f"，主要因{found[1]}" if lang == "zh" else f", mainly because of {found[1]}"
        wording = METRICS[result.name].proposal if result.name in METRICS else None
        if wording:
            proposal = (wording.zh if lang == "zh" else wording.en).format(dept=dept)
    return SummaryLine(result.name, state, text, proposal, lang)


def weekly_summary(
    results: Sequence[ResultLike],
    definitions: Mapping[str, DefinitionLike],
    breakdowns: Mapping[str, pd.DataFrame] | None = None,
    lang: Lang = "zh",
    names: Sequence[str] = REVIEW,
    scope: Sequence[str] | None = None,
    words: tuple[str, str] | None = None,
) -> WeeklySummary:
    """The week in a conclusion, supporting lines and proposals, over the review metrics in `names`.

    `words` (period_words) say the period and its comparison when it is not a complete week
    compared with the week before: `本月决议执行率…（较上月…）`, `（较上周同期…）`."""
    summary = _weekly_summary(results, definitions, breakdowns, lang, names, scope)
    if words is None or words == period_words("week", lang=lang):
        return summary
    return WeeklySummary(
        _reword(summary.conclusion, words, lang),
        [replace(line, text=_reword(line.text, words, lang)) for line in summary.lines],
        summary.proposals,
    )


def _weekly_summary(
    results: Sequence[ResultLike],
    definitions: Mapping[str, DefinitionLike],
    breakdowns: Mapping[str, pd.DataFrame] | None,
    lang: Lang,
    names: Sequence[str],
    scope: Sequence[str] | None,
) -> WeeklySummary:
    by_name = {r.name: r for r in results}
    lines = [
        metric_sentence(by_name[name], definitions[name], (breakdowns or {}).get(name), lang, scope)
        for name in names
        if name in by_name and name in definitions and not _missing(by_name[name].value)
    ]
    without_data = [
        missing_sentence(by_name[name], definitions[name], note, lang)
        for name in names
        if name in by_name
        and name in definitions
        and _missing(by_name[name].value)
        and (note := _note(by_name[name], lang))
    ]
    if not lines:
        conclusion = (
            "结论：本周没有可计算的指标，请先导入本周台账。"
            if lang == "zh"
            else "Conclusion: no metric can be computed for this week; load its ledgers first."
        )
        return WeeklySummary(conclusion, without_data, [])
    bad = [line for line in lines if line.status == "bad"]
    watch = [line for line in lines if line.status == "watch"]
    good = [line for line in lines if line.status == "good"]

    def named(group: list[SummaryLine]) -> str:
        parts = []
        for line in group[:2]:
            definition = definitions[line.metric]
            value = format_value(by_name[line.metric].value, definition.unit, lang)
            parts.append(f"{definition.label_zh}（{value}）" if lang == "zh" else f"{definition.label_en} ({value})")
        return ("、" if lang == "zh" else " and ").join(parts)

    focus = bad or watch
    if lang == "zh":
        if not focus:
            conclusion = f"结论：本周{len(lines)}项核心及时效指标全部达标，行政运转正常。"
        else:
            conclusion = (
                f"结论：本周{len(lines)}项核心及时效指标中，{len(good)}项达标、{len(watch)}项需留意、"
                f"{len(bad)}项未达标，最需关注的是{named(focus)}。"
            )
    elif not focus:
        conclusion = f"Conclusion: all {len(lines)} headline and service-level numbers are on target this week."
    else:
        conclusion = (
            f"Conclusion: of {len(lines)} headline and service-level numbers this week, {len(good)} are on "
            f"target, {len(watch)} to watch and {len(bad)} off target; most pressing: {named(focus)}."
        )
    ordered = sorted(lines, key=lambda line: (_STATUS_ORDER[line.status], names.index(line.metric)))
    proposals = [line.proposal for line in ordered if line.proposal]
    return WeeklySummary(conclusion, ordered + without_data, list(dict.fromkeys(proposals)))
