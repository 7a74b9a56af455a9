"""The weekly review as a document to print and sign (PDF and Word): what it says, in reading order.

One place decides the words, numbers and order of the A4 report; `pdf.py` and `word.py` only lay
them out. The numbers and the summary come from `content.gather` (the same as the workbook and the
Markdown), the 需要关注 list from `analytics.attention`, the charts from `images.py`.

Order, conclusion first (结论先行): title and scope; 一、本周结论 (the conclusion, the three headline
numbers against their targets, the data lines); 二、下一步建议; 三、指标一览 (this week, last week,
change, target, status); 四、需要关注事项; 五、趋势与分布 (the charts); then, on a page of its own,
六、总经理助理意见 (the assistant's comment typed on the overview or given to the command line) with
room for the GM's 批示 and signature.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from analytics.attention import needs_attention
from analytics.formatting import MISSING, Lang, format_delta, format_value, is_flat, progress_mark
from analytics.metrics import HEADLINE
from analytics.report.content import KpiLine, ReportContent, basis_text, gather, scope_note, settings_note
from analytics.report.images import Chart, report_charts
from analytics.settings import Settings
from analytics.weeks import Week
from analytics.wording import english_plurals

ATTENTION_ROWS = 15
"""Items of the 需要关注 list printed in full; the rest are counted per kind."""
COMMENT_LIMIT = 5000
"""Characters of the assistant's comment kept (a page and a half at the report's type size)."""

STATUS_WORDS = {
    "zh": {"good": "达标", "watch": "需留意", "bad": "未达标", "unknown": "—"},
    "en": {"good": "on target", "watch": "watch", "bad": "off target", "unknown": "—"},
}
Mask = Callable[[str, pd.DataFrame], pd.DataFrame]


@dataclass(frozen=True)
class KpiRow:
    """One line of the KPI table, as text."""

    name: str
    label: str
    value: str
    previous: str
    change: str
    change_sense: str  # better | worse | flat
    basis: str
    target: str
    status: str  # good | watch | bad | unknown
    status_word: str
    headline: bool


@dataclass(frozen=True)
class AttentionItem:
    kind: str
    record_id: str
    title: str
    department: str
    date: str
    detail: str


@dataclass(frozen=True)
class ReportDocument:
    """Everything the printed report says, as text, plus its charts as PNG images."""

    lang: Lang
    title: str
    subtitle: str
    scope: str
    generated: str
    conclusion: str
    headline: list[KpiRow]
    summary_lines: list[str]
    proposals: list[str]
    sections: list[tuple[str, list[KpiRow]]]
    attention_counts: list[tuple[str, int]] | None  # None: this reader may not see items
    attention: list[AttentionItem]
    charts: list[Chart]
    comment: str
    notes: list[str]

    def words(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en


def report_title(week: Week, lang: Lang) -> str:
    """`总经理办公室周度运行复盘（2026年第47周）` — the document's title, as a 公文 names itself."""
    if lang == "zh":
        return f"总经理办公室周度运行复盘（{week.year}年第{week.number}周）"
    return f"GM Office Weekly Operations Review ({week.year}, week {week.number})"


def period_line(week: Week, lang: Lang) -> str:
    if lang == "zh":
        return f"统计周期：{week.start:%Y年%m月%d日}至{week.end:%Y年%m月%d日}（{week}）{progress_mark(week, lang)}"
    return f"Period: {week.start:%Y-%m-%d} to {week.end:%Y-%m-%d} ({week}){progress_mark(week, lang)}"


def short_target(line: KpiLine) -> str:
    """`≥ 90.0%` out of `目标 ≥ 90.0%（低于 80.0% 需处理）`: the table has no room for the alert edge."""
    if not line.target:
        return MISSING
    text = re.sub(r"^(目标|target)\s*", "", line.target)
    return re.split(r"[（(]", text, maxsplit=1)[0].strip() or line.target


def kpi_row(line: KpiLine, lang: Lang) -> KpiRow:
    change = format_delta(line.delta, line.unit, lang) or MISSING
    if line.delta is None or line.higher_is_better is None or is_flat(line.delta, line.unit):
        sense = "flat"
    else:
        sense = "better" if (line.delta > 0) == bool(line.higher_is_better) else "worse"
    return KpiRow(
        name=line.name,
        label=line.label,
        value=line.note if line.value is None and line.note else format_value(line.value, line.unit, lang),
        previous=format_value(line.previous, line.unit, lang),
        change=change,
        change_sense=sense,
        basis=basis_text(line, lang) or MISSING,
        target=short_target(line),
        status=line.status,
        status_word=STATUS_WORDS[lang][line.status],
        headline=line.name in HEADLINE,
    )


def _attention(frame: pd.DataFrame, lang: Lang) -> tuple[list[tuple[str, int]], list[AttentionItem]]:
    counts = [(str(kind), int(count)) for kind, count in frame.groupby("kind", sort=False).size().items()]
    items = []
    for record in frame.head(ATTENTION_ROWS).itertuples(index=False):
        date = pd.Timestamp(record.date) if not pd.isna(record.date) else None
        items.append(
            AttentionItem(
                kind=str(record.kind),
                record_id=_text(record.record_id),
                title=_text(record.title),
                department=_text(record.department),
                date=f"{date:%Y-%m-%d}" if date is not None else MISSING,
                detail=_text(record.detail),
            )
        )
    return counts, items


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[arg-type]
        return MISSING
    return " ".join(str(value).split())


def clean_comment(comment: str | None) -> str:
    """The assistant's comment as typed: line breaks kept, trailing blanks and control characters dropped."""
    if not comment:
        return ""
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", comment.replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()[:COMMENT_LIMIT]


def build_document(
    con: duckdb.DuckDBPyConnection,
    week: Week,
    settings: Settings,
    departments: Sequence[str] | None = None,
    lang: Lang = "zh",
    *,
    comment: str | None = None,
    attention: bool = True,
    mask: Mask | None = None,
    charts: bool = True,
) -> ReportDocument:
    """Gather the week once and put it in the order the printed report reads."""
    content = gather(con, week, settings, departments, lang)
    frame = needs_attention(con, week, settings, departments, lang, mask=mask) if attention else None
    return assemble(content, frame, report_charts(content) if charts else [], comment)


def assemble(
    content: ReportContent, attention: pd.DataFrame | None, charts: list[Chart], comment: str | None
) -> ReportDocument:
    lang = content.lang
    rows = {line.name: kpi_row(line, lang) for line in content.lines}
    words = english_plurals if lang == "en" else str  # "1 conflicts" → "1 conflict"
    counts, items = _attention(attention, lang) if attention is not None else (None, [])
    change_note = (
        "注：“较上周”为本周减上周，比率类以百分点计；“—”表示无可计算的数据（分母为 0）；“依据”为分子/分母。"
        if lang == "zh"
        else "Change is this week minus last week, in percentage points for rates; “—” means nothing to "
        "compute; basis is numerator / denominator."
    )
    return ReportDocument(
        lang=lang,
        title=report_title(content.week, lang),
        subtitle=period_line(content.week, lang),
        scope=scope_note(content.departments, lang),
        generated=(
            f"编制：总经理办公室　　生成时间：{datetime.now():%Y-%m-%d %H:%M}"
            if lang == "zh"
            else f"Prepared by the GM office · generated {datetime.now():%Y-%m-%d %H:%M}"
        ),
        conclusion=words(content.summary.conclusion),
        headline=[rows[name] for name in HEADLINE if name in rows],
        summary_lines=[words(line.text) for line in content.summary.lines],
        proposals=[words(p) for p in content.summary.proposals],
        sections=[(section.title, [rows[line.name] for line in section.lines]) for section in content.sections],
        attention_counts=counts,
        attention=items,
        charts=charts,
        comment=clean_comment(comment),
        notes=[change_note, settings_note(content.settings, lang)],
    )
