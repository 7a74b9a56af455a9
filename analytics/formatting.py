"""Numbers the Chinese way: percentages with one decimal, ¥ amounts, deltas in percentage points.

Pure functions (no streamlit) shared by the dashboard, the written summary, charts and the report.
"""

from __future__ import annotations

import math
import re
from typing import Literal

import pandas as pd

from analytics.weeks import Period, Window, period_window, today

Lang = Literal["zh", "en"]
Unit = Literal["rate", "count", "money", "hours", "days"]

MISSING = "—"
_MARKUP = re.compile(r"[\\`*_{}\[\]()<>#!|~:$&\"]|\.(?=[A-Za-z])|(?m:^\s*[-+=>]|^(\s*\d+)\.(?=\s|$))")
"""Characters that start Markdown, HTML or Streamlit markup: inline anywhere; `.` before a letter (a
bare `www.` address); `-`, `+`, `=`, `>` and `1.` at the start of a line (lists, headings, quotes)."""


def escape_markdown(text: object) -> str:
    """Text from a file, a URL or a user, to be shown as written where Streamlit renders Markdown.

    The characters of `_MARKUP` get a backslash (CommonMark lets any ASCII punctuation be escaped, and
    the escape shows nothing): no link, image, emphasis, heading, list, HTML tag, `$` formula,
    `:icon:` or `:red[…]` directive, and no bare `http://` or `www.` address turned into a link (its
    `:` and `.` are escaped). Numbers read as before (`60.0%`, `+10.0`). For st.markdown, captions,
    alerts, toasts, labels, help texts; not for st.text, st.code, data frames or file names (they show
    text as it is).
    """
    return _MARKUP.sub(_escaped, str(text))


def _escaped(match: re.Match[str]) -> str:
    text = match.group()
    return text[:-1] + "\\" + text[-1]


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(value: float | None, unit: str, lang: Lang = "zh") -> str:
    """One metric value for a person: `85.0%`, `¥1,234.50`, `12`, `3.5 小时`, `2.0 天`; missing is `—`."""
    if _is_missing(value):
        return MISSING
    if unit == "rate":
        return f"{value * 100:.1f}%"
    if unit == "money":
        return f"¥{value:,.2f}"
    if unit == "count":
        return f"{round(value):,}"
    if unit == "hours":
        return f"{value:,.1f} 小时" if lang == "zh" else f"{value:,.1f} h"
    if unit == "days":
        return f"{value:,.1f} 天" if lang == "zh" else f"{value:,.1f} days"
    return f"{value:,}"


def format_tile(value: float | None, unit: str, lang: Lang = "zh") -> str:
    """The big number of a dashboard tile: as format_value, without decimals for hundreds of hours or days."""
    if unit in ("hours", "days") and value is not None and abs(value) >= 100:
        words = {"hours": (" 小时", " h"), "days": (" 天", " days")}[unit]
        return f"{round(value):,}" + words[0 if lang == "zh" else 1]
    return format_value(value, unit, lang)


def format_delta(delta: float | None, unit: str, lang: Lang = "zh") -> str | None:
    """A week-over-week change with its sign: `+5.0个百分点` (rates), `-¥120.00`, `+2`; None when unknown."""
    if _is_missing(delta):
        return None
    sign = "+" if delta > 0 else "-" if delta < 0 else "±"
    if unit == "rate":
        points = abs(delta) * 100
        return f"{sign}{points:.1f}个百分点" if lang == "zh" else f"{sign}{points:.1f} pp"
    return sign + format_value(abs(delta), unit, lang)


def is_flat(delta: float | None, unit: str) -> bool:
    """Whether a delta rounds to nothing at the precision it is shown with."""
    if _is_missing(delta):
        return True
    if unit == "rate":
        return round(abs(delta) * 100, 1) == 0
    if unit == "count":
        return round(abs(delta)) == 0
    if unit == "money":
        return round(abs(delta), 2) == 0
    return round(abs(delta), 1) == 0


def axis_format(unit: str) -> dict[str, str]:
    """Plotly axis settings that show a unit the same way (`tickformat`, prefix, suffix)."""
    if unit == "rate":
        return {"tickformat": ".0%"}
    if unit == "money":
        return {"tickprefix": "¥", "tickformat": ",.0f"}
    if unit == "count":
        return {"tickformat": ",d"}
    return {"tickformat": ",.1f"}


def hover_format(unit: str) -> str:
    """A plotly hover template fragment for a `y` value in this unit."""
    if unit == "rate":
        return "%{y:.1%}"
    if unit == "money":
        return "¥%{y:,.2f}"
    if unit == "count":
        return "%{y:,d}"
    return "%{y:,.1f}"


def window_title(window: Window, lang: str = "zh") -> str:
    """`2026-W48（2026-11-23 至 2026-11-29，本周进行中 · 截至 11月25日）`: the period, its days and, while
    in progress, the day it is computed as of."""
    period = window.period
    if lang == "zh":
        note = "" if window.complete else f"，{in_progress_note(window, lang)}"
        return f"{period}（{period.start} 至 {period.end}{note}）"
    note = "" if window.complete else f", {in_progress_note(window, lang)}"
    return f"{period} ({period.start} to {period.end}{note})"


_KIND_ZH = {"week": "本周", "month": "本月", "quarter": "本季度", "year": "本年"}
_KIND_EN = {"week": "week", "month": "month", "quarter": "quarter", "year": "year"}


def progress_mark(period: Period, lang: str = "zh") -> str:
    """` · 本周进行中 · 截至 11月25日` after a period's name while it is in progress (as of today), else ``."""
    day = today()
    if not period.start <= day <= period.end:
        return ""
    return " · " + in_progress_note(period_window(period, day), lang)


def in_progress_note(window: Window, lang: str = "zh") -> str:
    """`本周进行中 · 截至 11月25日` / `week in progress · as of 25 Nov`; empty for a complete period."""
    if window.complete:
        return ""
    day = window.as_of
    if lang == "zh":
        return f"{_KIND_ZH[window.period.kind]}进行中 · 截至 {day.month}月{day.day}日"
    return f"{_KIND_EN[window.period.kind]} in progress · as of {day.day} {day.strftime('%b')}"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")  # text a spreadsheet would run as a formula


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for Excel on a Chinese Windows (UTF-8 with BOM); text that Excel would run as a formula
    (starting with = + - @, a tab or a newline) is prefixed with an apostrophe."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column].dtype):
            safe[column] = safe[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v
            )
    return safe.to_csv(index=False).encode("utf-8-sig")
