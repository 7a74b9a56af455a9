"""The frame around every page: navigation, the shared week / department / language controls.

`app.py` calls `run_app()`, which first finds out who the user is (analytics/ui/access.py: the
sign-in page stops the run until someone has signed in), builds the menu with st.navigation from
the pages the user's role may open (pages live in `app_pages/`, not `pages/`: see shared/style.md;
a page left out of the menu cannot be opened by its URL either), reads the view from the URL and
the sidebar, and runs the current page. Pages get the view with `current_view()`; the pages
themselves are listed once, in analytics/pages.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import streamlit as st

from analytics import snapshots
from analytics.auth import Identity, Scope, scope_for
from analytics.config import database_path, settings_path
from analytics.db import check_database_path
from analytics.errors import AccessError, DatabaseBusyError, UsageError
from analytics.formatting import escape_markdown, in_progress_note
from analytics.pages import PAGE_BY_KEY, PAGE_FOR_LEDGER, PAGES, PageSpec
from analytics.settings import Settings, load_settings, parse_settings
from analytics.ui import access, data, state
from analytics.ui.i18n import LANGS, lang, t
from analytics.weeks import Month, Period, Quarter, Week, Year, last_complete_week, parse_period, period_window, today
from analytics.wording import in_language

APP_ICON = Path(__file__).with_name("app_icon.svg")
"""The browser tab's icon, sent inline (a `:material/...:` page icon makes the browser fetch it from
fonts.gstatic.com: no network, see the README)."""
WEEKS_IN_PICKER = 52
PERIOD_KINDS: dict[str, type[Week] | type[Month] | type[Quarter] | type[Year]] = {
    "week": Week,
    "month": Month,
    "quarter": Quarter,
    "year": Year,
}
PICKER_SIZES = {"week": WEEKS_IN_PICKER, "month": 24, "quarter": 12, "year": 5}
"""How many complete periods of each kind the picker offers (besides the one in progress)."""
VIEW = "_view"
FILTERS, FILTERS_OPEN = "_filters", "_filters_open"


def _st_page(spec: PageSpec) -> st.Page:
    return st.Page(
        spec.path,
        title=t(f"page_{spec.key}"),
        icon=spec.icon,
        url_path="" if spec.key == "overview" else spec.key,
        default=spec.key == "overview",
    )


def _stand_in(spec: PageSpec, body: Callable[[], None], title: str) -> st.Page:
    """A hidden page at `spec`'s URL that runs `body` instead of the page file."""
    return st.Page(
        body,
        title=title,
        icon=spec.icon,
        url_path="" if spec.key == "overview" else spec.key,
        default=spec.key == "overview",
        visibility="hidden",
    )


def page_object(key: str) -> st.Page:
    """The st.Page of a page key, for st.page_link."""
    return _st_page(PAGE_BY_KEY[key])


def week_label(period: Period, *, note: bool = True) -> str:
    """`2026-W47（11/16–11/22）`, `2026年11月`, `2026年第4季度`, `2026年`; a period in progress says so:
    `2026-W48（11/23–11/29）· 本周进行中 · 截至 11月25日`."""
    if isinstance(period, Week):
        text = t("week_label", week=str(period), start=f"{period.start:%m/%d}", end=f"{period.end:%m/%d}")
    elif isinstance(period, Month):
        text = t("month_label", year=period.year, month=period.month)
    elif isinstance(period, Quarter):
        text = t("quarter_label", year=period.year, quarter=period.quarter)
    else:
        text = t("year_label", year=period.year)
    day = today()
    if note and period.start <= day <= period.end:
        text += " · " + in_progress_note(period_window(period, day), lang())
    return text


def _load_settings(db_path: Path) -> Settings:
    """The settings published with the run's snapshot (the file itself outside a run)."""
    snapshot = snapshots.pinned(db_path)
    try:
        if snapshot is not None:
            return parse_settings(snapshot.settings_text, settings_path(db_path))
        return load_settings(settings_path(db_path))
    except UsageError as exc:
        st.sidebar.warning(escape_markdown(exc), icon=":material/warning:")
        return Settings()


def _period_options(kind: str, latest: Week | None) -> tuple[list[str], str]:
    """Periods of one kind offered by the picker and the default one.

    The default is the last complete period with data (for weeks: the last complete week with data).
    Complete periods come newest first; the period in progress (computed as of today, and marked so)
    is offered second, never first nor by default. Periods not begun are not offered.
    """
    cls = PERIOD_KINDS[kind]
    day = today()
    last_complete = cls.containing(last_complete_week(day).end) if kind == "week" else cls.containing(day).shift(-1)
    default = last_complete
    if latest is not None:
        default = latest if kind == "week" else min(cls.containing(latest.end), last_complete)
    complete = [last_complete.shift(-i) for i in range(PICKER_SIZES[kind])]
    options = [str(complete[0]), str(cls.containing(day)), *(str(p) for p in complete[1:])]
    if str(default) not in options:
        options.append(str(default))
    return options, str(default)


def _period_in_link(value: str, parse: Callable[[str], Period] = parse_period) -> Period | None:
    """The begun period a link names, else None (and a warning in the sidebar)."""
    try:
        period = parse(value)
        if period.start > today():
            raise UsageError(str(period))
    except UsageError:
        st.sidebar.warning(t("bad_week_in_link", value=escape_markdown(value)), icon=":material/link_off:")
        return None
    return period


def _adopt_period_from_url(default_kind: str) -> None:
    """`?period=2026-11` (any kind) or `?week=2026-W47` from a link: kind and period into session state."""
    for key, parse in (("period", parse_period), ("week", Week.parse)):
        value = state.new_in_url(key)
        period = None if value is None else _period_in_link(value, parse)
        if period is not None:
            st.session_state["period_kind"] = period.kind
            st.session_state[_picker_key(period.kind)] = str(period)
    if st.session_state.get("period_kind") not in PERIOD_KINDS:
        st.session_state["period_kind"] = default_kind


def _picker_key(kind: str) -> str:
    return "week" if kind == "week" else f"period_{kind}"


def _adopt_compare_from_url() -> None:
    value = state.new_in_url("compare")
    if value is not None:
        period = _period_in_link(value)
        st.session_state["compare"] = str(period) if period else None


def _sidebar(db_path: Path, identity: Identity) -> data.View:
    database = data.database_state(db_path)
    version = database.version
    facts = data.database_facts(str(db_path), version, today())
    latest = Week.parse(facts["latest_week"]) if facts["latest_week"] else None
    _adopt_period_from_url("week")
    _adopt_compare_from_url()
    kind = st.session_state["period_kind"]
    picker = _picker_key(kind)
    options, default = _period_options(kind, latest)
    previous_default = st.session_state.get(f"_default_{kind}")
    if picker not in st.session_state or st.session_state[picker] == previous_default:
        st.session_state[picker] = default
    st.session_state[f"_default_{kind}"] = default
    if st.session_state[picker] not in options:
        options = [*options, st.session_state[picker]]

    scope = scope_for(identity)
    state.adopt_url("dept", multi=True)
    departments = scope.visible_departments(facts["departments"])
    chosen = [d for d in st.session_state.get("dept", []) if d]
    if scope.departments is None:
        departments += [d for d in chosen if d not in departments]
    else:  # a department outside the scope is never offered, even through a link
        chosen = [d for d in chosen if d in departments]
    if not scope.department_filter:
        chosen = []
    st.session_state["dept"] = chosen

    with st.sidebar:
        st.segmented_control(
            t("period_kind"),
            list(PERIOD_KINDS),
            key="period_kind",
            format_func=lambda k: t(f"kind_{k}"),
            required=True,
            label_visibility="collapsed",
        )
        chosen_text = st.selectbox(
            t("week") if kind == "week" else t("period"),
            options,
            key=picker,
            format_func=lambda p: week_label(parse_period(p)),
            help=t("week_help"),
        )
        period = parse_period(chosen_text)
        compare = _compare_choice(period)
        _filters(scope, departments, chosen, period, compare)
        published = database.published_at.replace("T", " ")[5:16]
        st.caption(t("data_version", version=version, at=published))
    depts = st.session_state["dept"]
    state.write_url("week", str(period) if kind == "week" else None)
    state.write_url("period", None if kind == "week" else str(period))
    state.write_url("compare", str(compare) if compare else None)
    state.write_url("dept", depts)
    state.write_url("lang", None if lang() == "zh" else lang())
    return data.View(
        db_path=db_path,
        version=version,
        week=period,
        departments=tuple(depts),
        settings=_load_settings(db_path),
        lang=lang(),
        has_data=latest is not None,
        identity=identity,
        compare=compare,
    )


def _compare_choice(period: Period) -> Period | None:
    """The period to compare with (None: the one before): kept in session state and the URL (`compare`)."""
    value = st.session_state.get("compare")
    other = None
    if value:
        try:
            other = parse_period(value)
        except UsageError:
            other = None
    if other is not None and (other == period or other.start > today()):
        other = None
    # re-assigned on every run: the comparison's widget is not built while its expander is closed
    st.session_state["compare"] = str(other) if other else None
    return other


def _remember_filters_open() -> None:
    st.session_state[FILTERS_OPEN] = st.session_state[FILTERS]


def _compare_options(period: Period) -> list[str | None]:
    """What a period may be compared with: the one before (None), or any begun period of its kind."""
    cls = PERIOD_KINDS[period.kind]
    newest = cls.containing(today())
    return [None, *(str(newest.shift(-i)) for i in range(PICKER_SIZES[period.kind] + 1) if newest.shift(-i) != period)]


def _filters(scope: Scope, departments: list[str], chosen: list[str], period: Period, compare: Period | None) -> None:
    """Comparison, departments and language, in an expander whose label says what is chosen.

    Its widgets are built only while it is open (they cost the browser about 0.2 s per page load,
    bench/README.md); closed, their values stay in session state and the URL.
    """
    everyone = "、".join(scope.departments) if scope.departments else t("all_departments")
    shown = escape_markdown("、".join(chosen) if chosen else everyone)  # departments come from data and links
    title = f"{shown} · {LANGS[lang()]}" if scope.department_filter else t("language_is", lang=LANGS[lang()])
    if compare is not None:
        title = t("compared_with", period=week_label(compare, note=False)) + " · " + title
    # The label is part of the expander's identity: keep it open when the label changes with a choice.
    st.session_state[FILTERS] = st.session_state.get(FILTERS_OPEN, False)
    with st.expander(title, key=FILTERS, icon=":material/tune:", on_change=_remember_filters_open) as box:
        if box.open:
            options = _compare_options(period)
            if st.session_state.get("compare") not in options:
                options.append(st.session_state.get("compare"))
            st.selectbox(
                t("compare"),
                options,
                key="compare",
                format_func=lambda p: t("compare_previous") if p is None else week_label(parse_period(p), note=False),
            )
            if scope.department_filter:
                st.multiselect(t("departments"), departments, key="dept", placeholder=everyone)
            st.radio(t("language"), list(LANGS), key="lang", format_func=LANGS.get, horizontal=True)


def run_app() -> None:
    """Entry point of the app: page config, menu, shared controls, then the current page."""
    st.set_page_config(page_title=t("app_title"), page_icon=str(APP_ICON), layout="wide")
    from analytics.ui.present import PRINT_CSS

    st.html(PRINT_CSS)  # printing a page leaves its content: no sidebar, toolbars or widgets
    state.adopt_url("lang")
    # Re-assigned on every run: the language radio is not built while its expander is closed.
    st.session_state["lang"] = lang()
    db_path = database_path()
    try:  # OPS_DB naming a folder, a CSV or a device: a plain message, nothing opened or tightened
        check_database_path(db_path, "OPS_DB")
    except UsageError as exc:
        st.error(escape_markdown(exc), icon=":material/error:")
        return
    try:
        with snapshots.serving(db_path):  # every read of this run: one published snapshot
            st.session_state.pop(UPDATING_TRIES, None)
            _run(db_path)
    except snapshots.DataUpdatingError:
        _data_updating()


UPDATING_TRIES = "_updating_tries"
UPDATING_RETRIES = 60
"""How many times (every UPDATING_WAIT_SECONDS) a page that has no snapshot to read tries again by itself."""
UPDATING_WAIT_SECONDS = 2.0


def _data_updating() -> None:
    """No snapshot to read yet (the first publish waits for a load): say so, and try again shortly —
    for a couple of minutes; then the message stays until the user refreshes."""
    st.title(t("app_title"), anchor=False)
    st.info(t("data_updating"), icon=":material/sync:")
    tries = st.session_state.get(UPDATING_TRIES, 0)
    if tries < UPDATING_RETRIES:
        st.session_state[UPDATING_TRIES] = tries + 1
        time.sleep(UPDATING_WAIT_SECONDS)
        st.rerun()


def _run(db_path: Path) -> None:
    identity = access.identify(db_path)
    if identity is None:  # every URL opens the sign-in; after it, the page the URL names
        gate = [_stand_in(spec, partial(access.gate_page, db_path), t("sign_in")) for spec in PAGES]
        st.navigation(gate, position="hidden").run()
        return
    scope = scope_for(identity)
    sections: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        if scope.may_open(spec.key):
            sections.setdefault(t(spec.section), []).append(_st_page(spec))
        else:  # not in the menu; its URL shows a refusal (audited) instead of the page
            refusal = partial(access.refused_page, db_path, identity, spec.key)
            sections.setdefault(t(spec.section), []).append(_stand_in(spec, refusal, t(f"page_{spec.key}")))
    page = st.navigation(sections)
    st.session_state[VIEW] = _sidebar(db_path, identity)
    access.user_box(db_path, identity)
    if page.url_path not in PAGE_FOR_LEDGER:  # a link back to a ledger page then always counts as new
        state.write_url("metric", None)
        state.write_url("tab", None)
        state.write_url("attention", None)
    try:
        page.run()
    except DatabaseBusyError:
        st.error(t("db_busy"), icon=":material/hourglass_top:")
    except AccessError as exc:
        st.error(escape_markdown(in_language(str(exc), lang())), icon=":material/block:")


def current_view() -> data.View:
    """The view the frame worked out for this run."""
    return st.session_state[VIEW]


def current_scope() -> Scope:
    """What the signed-in user may see, for this run."""
    return current_view().scope


def may_open(key: str) -> bool:
    """Whether the user's role may open page `key` (links to other pages are left out)."""
    return current_scope().may_open(key)
