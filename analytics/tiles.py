"""What a KPI tile shows in place of its number: the one rule the page, the projector's tests and the
serving test read (no streamlit here).

A tile shows 无数据 when there is nothing to count — its ledger has no row dated in the period, or the
files did not supply an input — and "—" with a reason when the metric could not be computed (its
query failed); otherwise the number.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.formatting import Lang, format_tile


@dataclass(frozen=True)
class TileFace:
    """The tile's big text and why it is not a number.

    `text` is the formatted number ("—" when there is none); None means 无数据 (the caller's word for it).
    `reason` is "no_rows_in_period", "input_missing", "not_computed" or None (a number, or no value
    without a reason). `blank` is True when the period's value is dropped because its ledger has no
    rows: a 0 then reads 无数据, never a green "0 · 达标", and no delta is shown."""

    text: str | None
    reason: str | None
    blank: bool


def tile_face(
    value: float | None,
    unit: str,
    *,
    has_rows: bool = True,
    problem: str | None = None,
    note: str | None = None,
    lang: Lang = "zh",
) -> TileFace:
    """Decide what a tile shows for `value` (of a metric in `unit`).

    `has_rows`: its ledger has a row dated in the period; `problem`: why the query failed; `note`: the
    inputs the files did not supply (or the rows left out of a partial value)."""
    blank = not has_rows and value in (0, 0.0, None)
    shown = None if blank else value
    if problem:
        reason = "not_computed" if shown is None else None
    elif shown is None and note:
        reason = "input_missing"
    elif shown is None and not has_rows:
        reason = "no_rows_in_period"
    else:
        reason = None
    no_data = reason in ("input_missing", "no_rows_in_period")
    return TileFace(None if no_data else format_tile(shown, unit, lang), reason, blank)
