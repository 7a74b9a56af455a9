"""The overview as the weekly meeting sees it on a projector (`?view=present`), and the print stylesheet.

Presentation: no sidebar, header or widgets; on the first 1280×720 screen the title, the conclusion
(结论先行) and every review number in a card that carries its status, target and change; below,
the summary's lines and the proposals in large type. The cards are one HTML block (the numbers are
ours, every text is escaped), so their size and the order on screen do not depend on Streamlit's
widget layout. Numbers, targets and words come from the same functions as the tiles and the summary.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import streamlit as st

from analytics.formatting import format_delta, is_flat
from analytics.metrics import HEADLINE, SERVICE_LEVELS
from analytics.targets import status
from analytics.ui import data
from analytics.ui.frame import page_object, week_label
from analytics.ui.i18n import label, lang, t
from analytics.ui.kpi import comparison_text, short_target, shown
from analytics.ui.kpi import definition as metric_definition
from analytics.ui.overview import MAX_PROPOSALS_ON_SCREEN, review_summary
from analytics.ui.page import link_params, require_data
from analytics.weeks import Week

PRESENT = "present"

PRINT_CSS = """<style>
/* A tile's title wraps instead of ending in "…" (long English labels in four tiles a row) */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; height: auto !important;
}
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stElementToolbar"], [data-testid="stDownloadButton"], [data-testid="stButton"],
  [data-testid="stPageLink"], [data-testid="stExpander"], [data-testid="stTextArea"],
  [data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stRadio"],
  [data-testid="stSegmentedControl"], [data-testid="stButtonGroup"], [data-testid="stTabs"] [role="tablist"],
  .no-print { display: none !important; }
  [data-testid="stMain"], [data-testid="stAppViewContainer"] { margin-left: 0 !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
  [data-testid="stMetric"], .present-card { break-inside: avoid; }
  @page { size: A4 landscape; margin: 12mm; }
}
</style>"""
"""On every page: tile titles wrap rather than being cut off; printing leaves the page's content (no
sidebar, toolbars, buttons or input widgets)."""

SLIDE_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1.1rem 2rem 2rem !important; max-width: 100% !important; }
.present { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
  color: #1a1a1a; }
.present h1 { font-size: 28px; font-weight: 700; margin: 0 0 2px; padding: 0; line-height: 1.3; }
.present .scope { font-size: 16px; color: #555; margin-bottom: 10px; }
.present .conclusion { font-size: 25px; font-weight: 700; line-height: 1.4; margin: 0 0 14px;
  border-left: 6px solid #1F5FA8; padding: 4px 0 4px 14px; background: #F3F6FB; }
.present .grid { display: grid; gap: 12px; margin-bottom: 12px; }
.present .grid.headline { grid-template-columns: repeat(3, 1fr); }
.present .grid.service { grid-template-columns: repeat(4, 1fr); }
.present-card { border: 2px solid #d0d0d0; border-radius: 10px; padding: 10px 14px; background: #fff;
  border-top-width: 8px; }
.present-card.good { border-top-color: #2E7D32; }
.present-card.watch { border-top-color: #F29D0B; }
.present-card.bad { border-top-color: #C62828; }
.present-card .name { font-size: 18px; font-weight: 600; }
.present-card .value { font-size: 46px; font-weight: 700; line-height: 1.15; }
.grid.service .present-card .value { font-size: 32px; }
.grid.service .present-card .name { font-size: 16px; }
.present-card .status { display: inline-block; font-size: 16px; font-weight: 700; padding: 1px 10px;
  border-radius: 12px; color: #fff; background: #1F5FA8; margin-right: 8px; }
.present-card.good .status { background: #2E7D32; }
.present-card.watch .status { background: #B86E00; }
.present-card.bad .status { background: #C62828; }
.present-card .target { font-size: 16px; color: #333; }
.present-card .change { font-size: 16px; color: #555; margin-top: 2px; }
.present-card .change.better { color: #2E7D32; }
.present-card .change.worse { color: #C62828; }
.present .lines { font-size: 21px; line-height: 1.6; margin: 18px 0 0; }
.present .lines h2 { font-size: 24px; margin: 14px 0 6px; }
.present .lines li { margin: 4px 0; font-size: 21px; line-height: 1.55; }
</style>"""


def requested() -> bool:
    """Whether the URL asks for the presentation view (`?view=present`)."""
    return st.query_params.get("view") == PRESENT


def present_link(view: data.View) -> None:
    """The overview's button into the presentation view of the same week and departments."""
    st.page_link(
        page_object("overview"),
        label=t("present"),
        icon=":material/slideshow:",
        query_params={**link_params(view), "view": PRESENT},
        help=t("present_help"),
    )


def _card(name: str, report: dict[str, Any], with_rows: frozenset[str]) -> str:
    definition = metric_definition(name)
    face = shown(report[name], definition, has_rows=definition.ledger in with_rows)
    result, note = face.result, face.note
    state = status(name, result.value)
    delta = format_delta(result.delta, definition.unit, lang())
    if delta is None:
        change, sense = t("no_previous"), "flat"
    else:
        better = definition.higher_is_better
        flat = is_flat(result.delta, definition.unit) or better is None
        sense = "flat" if flat else "better" if (result.delta > 0) == bool(better) else "worse"
        change = f"{comparison_text(result)} {delta}"
    target = short_target(name, definition.unit) or ""
    e = html.escape
    standing = "" if state == "unknown" else f'<span class="status">{e(t("status_" + state))}</span>'
    return (
        f'<div class="present-card {state}" data-metric="{e(name)}">'
        f'<div class="name">{e(label(definition))}</div>'
        f'<div class="value">{e(face.text)}</div>'
        f'<div>{standing}<span class="target">{e(target)}</span></div>'
        + (f'<div class="target">{e(note)}</div>' if note else "")
        + f'<div class="change {sense}">{e(change)}</div></div>'
    )


def _grid(kind: str, names: Sequence[str], report: dict[str, Any], with_rows: frozenset[str]) -> str:
    cards = "".join(_card(name, report, with_rows) for name in names if name in report)
    return f'<div class="grid {kind}">{cards}</div>'


def slide(view: data.View) -> None:
    """The presentation view of the overview: conclusion and numbers first, then the summary's lines."""
    st.html(SLIDE_CSS)
    st.query_params["view"] = PRESENT  # the link keeps opening the presentation
    require_data(view)  # an empty database: the same offer as the overview's, then stop
    report = data.week_report(view)
    with_rows = data.ledgers_with_rows(view)
    summary = review_summary(view, report)
    shown = view.scope.engine_departments(view.departments)
    scope = "、".join(shown) if shown else t("all_departments")
    e = html.escape
    period = view.week
    title = (
        t("present_title", year=period.year, week=period.number)
        if isinstance(period, Week)
        else week_label(period, note=False)
    )
    first = (
        f'<div class="present"><h1>{e(title)}</h1>'
        f'<div class="scope">{e(week_label(view.week))} · {e(scope)}</div>'
        f'<div class="conclusion">{e(summary.conclusion)}</div>'
        f"{_grid('headline', HEADLINE, report, with_rows)}{_grid('service', SERVICE_LEVELS, report, with_rows)}</div>"
    )
    st.html(first)
    lines = "".join(f"<li>{e(line.text)}</li>" for line in summary.lines)
    proposals = "".join(f"<li>{e(p)}</li>" for p in summary.proposals[:MAX_PROPOSALS_ON_SCREEN])
    rest = f'<div class="present"><div class="lines"><h2>{e(t("present_data"))}</h2><ol>{lines}</ol>'
    if proposals:
        rest += f"<h2>{e(t('proposals'))}</h2><ol>{proposals}</ol>"
    st.html(rest + "</div></div>")
    st.page_link(
        page_object("overview"),
        label=t("present_exit"),
        icon=":material/close_fullscreen:",
        query_params=link_params(view),
    )
