"""The weekly report as Markdown: the written summary and the KPI table, ready for an OA post or an email."""

from __future__ import annotations

import re
from collections.abc import Sequence

import duckdb

from analytics.formatting import MISSING, Lang, format_delta, format_value
from analytics.metrics import HEADLINE
from analytics.report.content import (
    KpiLine,
    ReportContent,
    basis_text,
    gather,
    scope_note,
    settings_note,
    week_title,
)
from analytics.settings import Settings
from analytics.weeks import Week

# Characters that would turn ledger text into links, emphasis, HTML or a broken table cell.
_SPECIAL = re.compile(r"([\\`*_\[\]<|])")


def escape(text: str) -> str:
    """Text from the ledgers made inert in Markdown: no links, emphasis, HTML or table breaks."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def build_markdown(
    con: duckdb.DuckDBPyConnection,
    week: Week,
    settings: Settings,
    departments: Sequence[str] | None = None,
    lang: Lang = "zh",
) -> str:
    """The week's summary and KPI tables as Markdown text."""
    return render_markdown(gather(con, week, settings, departments, lang, trend_weeks=0))


def render_markdown(content: ReportContent) -> str:
    lang = content.lang
    zh = lang == "zh"
    title = "总经理办公室周度复盘" if zh else "GM office weekly review"
    out = [f"# {title} · {week_title(content.week, lang)}", "", escape(scope_note(content.departments, lang)), ""]
    out += ["## 本周结论" if zh else "## This week in brief", "", f"**{escape(content.summary.conclusion)}**", ""]
    out += [f"- {escape(line.text)}" for line in content.summary.lines]
    if content.summary.proposals:
        out += ["", "**建议：**" if zh else "**Proposals:**", ""]
        out += [f"{number}. {escape(p)}" for number, p in enumerate(content.summary.proposals, 1)]
    headers = (
        ("指标", "本周", "上周", "较上周", "依据", "目标", "口径")
        if zh
        else ("Metric", "This week", "Last week", "Change", "Basis", "Target", "Definition")
    )
    for section in content.sections:
        if not section.lines:
            continue
        out += ["", f"## {escape(section.title)}", "", _row(headers), "| --- | ---: | ---: | ---: | ---: | --- | --- |"]
        out += [_row(_cells(line, lang)) for line in section.lines]
    change_note = (
        "注：“较上周”为本周减上周，比率类以百分点计；“—”表示无可计算的数据（分母为 0）。"
        if zh
        else "Note: change is this week minus last week, in percentage points for rates; “—” means nothing to compute."
    )
    out += ["", f"> {escape(change_note)}", ">", f"> {escape(settings_note(content.settings, lang))}", ""]
    return "\n".join(out)


def _cells(line: KpiLine, lang: Lang) -> list[str]:
    label = escape(line.label)
    return [
        f"**{label}**" if line.name in HEADLINE else label,
        escape(line.note) if line.value is None and line.note else format_value(line.value, line.unit, lang),
        format_value(line.previous, line.unit, lang),
        format_delta(line.delta, line.unit, lang) or MISSING,
        escape(basis_text(line, lang) or ""),
        escape(line.target or ""),
        escape(line.definition),
    ]


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"
