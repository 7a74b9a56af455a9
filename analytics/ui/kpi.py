"""KPI tiles: the number, its delta, sparkline, target badge and fraction; units and badges.

Colour rule for week-over-week deltas (the same on every tile, chart and badge): colour says
*better or worse*, the arrow says *up or down*. Green is an improvement and red a deterioration
whichever way the number moved — a falling waste rate is green, a falling completion rate red —
and grey means flat, no comparison, or a number without a good direction. We chose this over the
Chinese market convention (red = up) because the weekly meeting reads the tiles as a to-do list:
red must always mean "look here". A legend under the tiles says so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st

from analytics.formatting import format_delta, format_value, is_flat
from analytics.ledgers import LEDGERS
from analytics.metrics import METRICS, MetricDef, MetricResult
from analytics.targets import TARGETS, describe_target, status
from analytics.tiles import tile_face
from analytics.ui import data
from analytics.ui.frame import PAGE_FOR_LEDGER, current_view, may_open, page_object, week_label
from analytics.ui.i18n import label, lang, t
from analytics.ui.page import link_params
from analytics.wording import in_language

SPARK_WEEKS = 8
BADGES = {
    "good": ("green", ":material/check_circle:"),
    "watch": ("orange", ":material/visibility:"),
    "bad": ("red", ":material/error:"),
}
UNIT_KEYS = {
    "rate": "unit_rate",
    "count": "unit_count",
    "money": "unit_money",
    "hours": "unit_hours",
    "days": "unit_days",
}


def all_metrics() -> dict[str, MetricDef]:
    """The registry's metrics by name, in declaration order."""
    return METRICS


def definition(name: str) -> MetricDef:
    """One metric's declaration."""
    return all_metrics()[name]


def ledger_metrics(ledger: str) -> list[str]:
    """The registry's metrics of one ledger, in declaration order."""
    return [name for name, d in all_metrics().items() if d.ledger == ledger]


def status_badge(name: str, value: float | None) -> str:
    """`:green-badge[:material/check_circle: 达标]` — a metric's standing against its target band."""
    state = status(name, value)
    if state not in BADGES:
        return ""
    colour, icon = BADGES[state]
    return f":{colour}-badge[{icon} {t('status_' + state)}]"


def short_target(name: str, unit: str) -> str | None:
    """`目标 ≥ 90.0%` — the band's good edge, for the line under a tile."""
    target = TARGETS.get(name)
    if target is None:
        return None
    sign = "≥" if target.higher_is_better else "≤"
    return f"{t('target')} {sign} {format_value(target.good, unit, lang())}"


def _delta_style(result: MetricResult, definition: MetricDef) -> dict[str, Any]:
    delta = format_delta(result.delta, definition.unit, lang())
    if delta is None:
        return {"delta": None}
    if is_flat(result.delta, definition.unit):
        return {"delta": delta, "delta_color": "off", "delta_arrow": "off"}
    better = definition.higher_is_better
    colour = "off" if better is None else "normal" if better else "inverse"
    return {"delta": delta, "delta_color": colour}


# The unit of the sums behind a ratio (supply_waste_rate divides yuan, the hours shares divide hours).
RATIO_PARTS = {"signed_value": "money", "value": "money", "person_hours": "hours", "hours": "hours"}


def _fraction(result: MetricResult, definition: MetricDef) -> str | None:
    """`36 / 147` behind a share, `¥361.00 / ¥17,017.20` behind a ratio of sums."""
    if definition.unit != "rate" or result.denominator in (None, 0):
        return None
    numerator = result.numerator if result.numerator is not None else 0
    unit = RATIO_PARTS.get(definition.value, "count") if definition.aggregate == "ratio" else "count"
    return t("fraction", num=format_value(numerator, unit, lang()), den=format_value(result.denominator, unit, lang()))


def metric_note_text(result: MetricResult) -> str | None:
    """Why a value is missing or partial: the query's failure, else the inputs the files did not supply."""
    problem = getattr(result, "problem", None)
    if problem:
        return in_language(problem, lang())
    return getattr(result, "note" if lang() == "zh" else "note_en", None)


def comparison_text(result: MetricResult) -> str:
    """`较上周`, `较上周同期` (a period in progress), `较上月`, `较2026年5月` (a chosen comparison)."""
    before = getattr(result, "previous_window", None)
    window = getattr(result, "window", None)
    if before is None or window is None:
        return t("vs_last_week")
    if before.period != window.period.previous:
        return t("vs_period", period=week_label(before.period, note=False))
    if not window.complete:
        return t("vs_previous_same_days")
    return t(
        {"week": "vs_last_week", "month": "vs_last_month", "quarter": "vs_last_quarter"}.get(
            window.period.kind, "vs_last_year"
        )
    )


@dataclass(frozen=True)
class Shown:
    """What a tile or a presentation card shows for one metric (the rule is analytics.tiles.tile_face).

    `result` has its value and delta dropped when the period's ledger has no rows; `text` is the big
    text (无数据, "—" or the number); `note` says why it is not a number, or which rows a partial value
    left out; `no_rows` is True when the ledger has no row dated in the period."""

    result: MetricResult
    text: str
    note: str | None
    no_rows: bool


def shown(result: MetricResult, definition: MetricDef, *, has_rows: bool = True) -> Shown:
    """The tile rule applied to `result`, in the user's language."""
    note = metric_note_text(result)
    face = tile_face(result.value, definition.unit, has_rows=has_rows, problem=result.problem, note=note, lang=lang())
    if face.blank:
        result = replace(result, value=None, delta=None)
    no_rows = face.reason == "no_rows_in_period"
    if no_rows:
        note = t("no_rows_in_period", ledger=label(LEDGERS[definition.ledger]))
    return Shown(result, t("no_data") if face.text is None else face.text, note, no_rows)


def kpi_tile(
    result: MetricResult,
    definition: MetricDef,
    sparkline: Sequence[float] = (),
    *,
    link: dict[str, Any] | None = None,
    has_rows: bool = True,
) -> None:
    """One number: value, delta coloured by direction, sparkline, target band, numerator/denominator.

    `has_rows` False (its ledger has no row dated in the period): a count or sum of 0 is 无数据, with
    no status badge, never a green "0 · 达标" (`shown`)."""
    face = shown(result, definition, has_rows=has_rows)
    result = face.result
    definition_text = definition.definition_zh if lang() == "zh" else definition.definition_en
    band = describe_target(result.name, definition.unit, lang())
    if band:
        definition_text += f"\n\n{band}"
    st.metric(
        label(definition),
        face.text,
        help=definition_text,
        border=True,
        chart_data=list(sparkline) or None,
        chart_type="bar" if definition.unit in ("count", "money") else "line",
        delta_description=comparison_text(result) if result.delta is not None else None,
        **_delta_style(result, definition),
    )
    notes = [
        status_badge(result.name, result.value),
        _fraction(result, definition),
        short_target(result.name, definition.unit),
    ]
    if result.delta is None:
        notes.append(t("no_previous"))
    if face.no_rows:
        notes = [face.note]
    elif face.note:  # no data, or rows left out (metrics.md, "Missing inputs"): the note, not a number
        notes = [face.note] if result.value is None else [face.note, *notes]
    st.caption(" · ".join(n for n in notes if n))
    if link is not None:
        spec = PAGE_FOR_LEDGER.get(definition.ledger)
        if spec is not None and may_open(spec.key):
            st.page_link(
                page_object(spec.key),
                label=t("open_ledger"),
                icon=":material/arrow_forward:",
                query_params=link_params(current_view(), metric=result.name, tab="rows", **link),
            )


def sparklines(view: data.View, names: Sequence[str], weeks: int = SPARK_WEEKS) -> dict[str, list[float]]:
    """Recent weekly values per metric (gaps dropped), oldest first."""
    frame = data.trend(view, tuple(names), weeks)
    if frame.empty:
        return {}
    frame = frame.dropna(subset=["value"]).sort_values("week_start")
    return {name: [float(v) for v in group["value"]] for name, group in frame.groupby("metric")}


def kpi_grid(view: data.View, names: Sequence[str], columns: int = 4, *, links: bool = False) -> None:
    """A grid of KPI tiles for `names` (metrics missing from the registry are left out)."""
    report = data.week_report(view)
    names = [n for n in names if n in report]
    spark = sparklines(view, names)
    with_rows = data.ledgers_with_rows(view)
    for start in range(0, len(names), columns):
        cells = st.columns(columns)
        for cell, name in zip(cells, names[start : start + columns], strict=False):
            with cell:
                kpi_tile(
                    report[name],
                    definition(name),
                    spark.get(name, []),
                    link={} if links else None,
                    has_rows=definition(name).ledger in with_rows,
                )


def colour_legend() -> None:
    st.caption(t("colour_legend", n=SPARK_WEEKS))


def balanced_columns(count: int, most: int) -> int:
    """Tiles per row so that rows are as even as possible with at most `most` a row: 5 → 3 + 2, 7 → 4 + 3."""
    rows = max(1, math.ceil(count / most))
    return max(1, math.ceil(count / rows))
