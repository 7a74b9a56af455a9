"""A ledger page's body: its tiles, the metric picker, the trend and department charts, the rows tab;
and the supplies page's waste chart."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from analytics import charts
from analytics.ledgers import LEDGERS
from analytics.metrics.engine import QUERY_FAILURES, metric_problem
from analytics.metrics.registry import FOCUS
from analytics.ui import data
from analytics.ui.i18n import label, lang, t
from analytics.ui.kpi import balanced_columns, colour_legend, definition, kpi_grid, ledger_metrics
from analytics.ui.tables import rows_table
from analytics.ui.tabs import lazy_tabs
from analytics.wording import in_language


def ledger_sections(
    view: data.View, ledger: str, *, most_columns: int = 4, after: Callable[[str], None] | None = None
) -> str:
    """A ledger page's body: its KPIs, then for the chosen metric the trend and the departments, and
    on a second tab (built when opened) the rows; `after(chosen)` adds what depends on the choice.

    At most four tiles a row: five in a row truncate values like `1,569.0 小时` on a 1440-px screen.
    Picking another metric or tab reruns only the part below the tiles (a fragment): the tiles, the
    sidebar and the menu stay as they are, on the server and in the browser.
    """
    names = ledger_metrics(ledger)
    kpi_grid(view, names, columns=balanced_columns(len(names), most_columns))
    colour_legend()
    ledger_detail(view, ledger, tuple(names), after)
    return st.session_state[f"metric_{ledger}"]


@st.fragment
def ledger_detail(
    view: data.View, ledger: str, names: tuple[str, ...], after: Callable[[str], None] | None = None
) -> None:
    """The metric picker and the charts / rows tabs of a ledger page: a fragment, so a choice here
    reruns only this part (its URL parameters `metric` and `tab` are still written)."""
    chosen = metric_picker(names, key=f"metric_{ledger}", default=FOCUS.get(ledger, names[0]))
    opened, tab = lazy_tabs(f"tab_{ledger}", ("charts", "rows"), url="tab")
    with tab:
        if opened == "rows":
            rows_table(view, chosen)
        else:
            left, right = st.columns([3, 2])
            with left:
                trend_chart(view, chosen)
            with right:
                breakdown_chart(view, chosen)
    if after is not None:
        after(chosen)


def metric_picker(names: Sequence[str], key: str, default: str) -> str:
    """Pills to choose the metric whose trend, breakdown and rows are shown; kept in the URL as `metric`."""
    from analytics.ui import state

    adopted = state.adopt_url("metric", key)
    if adopted is not None and adopted not in names:
        st.session_state[key] = default
    if st.session_state.get(key) not in names:
        st.session_state[key] = default
    chosen = st.pills(
        t("pick_metric"),
        list(names),
        key=key,
        format_func=lambda n: label(definition(n)),
        required=True,
        label_visibility="collapsed",
    )
    state.write_url("metric", chosen)
    return chosen


def trend_chart(view: data.View, name: str, weeks: int = 13) -> None:
    """The chosen metric over recent weeks, with its target and alert lines."""
    d = definition(name)
    frame = data.trend(view, (name,), weeks)
    spec = charts.trend_spec(
        frame, {name: label(d)}, d.unit, lang(), title=t("trend"), highlight_week=str(view.last_week)
    )
    st.vega_lite_chart(spec=spec, width="stretch")


def breakdown_chart(view: data.View, name: str) -> None:
    """The chosen metric by department, coloured by target status."""
    d = definition(name)
    if not getattr(d, "department_column", None) and not LEDGERS[d.ledger].department_column:
        st.info(t("no_department"), icon=":material/info:")
        return
    frame = data.breakdown(view, name)
    spec = charts.breakdown_spec(frame, name, label(d), d.unit, lang(), title=t("by_department"))
    st.vega_lite_chart(spec=spec, width="stretch")


WASTE_WEEKS = 13


def waste_chart(view: data.View) -> None:
    """Waste value of recent weeks by item, stacked by the reason written on the row."""
    st.subheader(t("waste_by_item", n=WASTE_WEEKS), anchor=False)
    try:
        rows = data.metric_rows_over(view, "supply_waste_value", WASTE_WEEKS)
    except QUERY_FAILURES as error:
        st.warning(in_language(metric_problem(error), lang()), icon=":material/warning:")
        return
    reason = "note" if "note" in rows and rows["note"].notna().any() else "waste_kind"
    spec = charts.composition_spec(rows, "item", "value", "money", lang(), colour_by=reason)
    st.vega_lite_chart(spec=spec, width="stretch")
