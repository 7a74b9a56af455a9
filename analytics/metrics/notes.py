"""The note beside a null or partial metric: which inputs the files did not supply, and how many rows
were left out (metrics.md, "Missing inputs" and "Status-only exports"). Chinese first, English too."""

from __future__ import annotations

from dataclasses import dataclass

from analytics.ledgers import LEDGERS
from analytics.metrics.registry import MetricDef

NO_DATA_ZH = "无数据："
NO_DATA_EN = "No data: "


@dataclass(frozen=True)
class Note:
    zh: str
    en: str


def _inputs(metric: MetricDef, needs: tuple[str, ...], lang: str) -> str:
    """`响应时间`, `计划结束时间或实际结束时间、参会人数`; English: `Responded, Attendees`."""
    ledger = LEDGERS[metric.ledger]

    def label(name: str) -> str:
        column = ledger.column(name)
        return column.label_zh if lang == "zh" else column.name

    alternatives = [("或" if lang == "zh" else " or ").join(label(n) for n in need.split("|")) for need in needs]
    return ("、" if lang == "zh" else ", ").join(alternatives)


def metric_note(metric: MetricDef, is_null: bool, left_out: int, lacking: tuple[str, ...], unknown: int) -> Note | None:
    """The note of a metric's value, or None when every row it reads carried its inputs.

    `is_null`: the published value is null; `left_out`: rows lacking one of `lacking` (the inputs some
    row lacked); `unknown`: rows done without a completed date whose completion by the cut-off cannot
    be told. A null value with nothing left out (no rows at all) has no note.
    """
    if not left_out and not unknown:
        return None
    ledger = LEDGERS[metric.ledger]
    zh: list[str] = []
    en: list[str] = []
    if left_out:
        inputs_zh, inputs_en = _inputs(metric, lacking, "zh"), _inputs(metric, lacking, "en")
        if is_null and not unknown:
            return Note(
                f"{NO_DATA_ZH}{ledger.label_zh}未提供{inputs_zh}",
                f"{NO_DATA_EN}the {ledger.label_en.lower()} files did not supply {inputs_en}",
            )
        zh.append(f"{left_out} 条记录未提供{inputs_zh}，未计入")
        en.append(f"{left_out} rows without {inputs_en} left out")
    if unknown:
        zh.append(f"{unknown} 条已办结但无办结日期的决议无法判断办结时间，未计入")
        en.append(f"{unknown} done decisions without a completed date whose completion time is unknown left out")
    text_zh, text_en = "；".join(zh), "; ".join(en)
    if is_null:
        text_zh, text_en = NO_DATA_ZH + text_zh, NO_DATA_EN + text_en
    return Note(text_zh, text_en)
