"""The frame around every page: navigation, the shared week / department / language controls.

`app.py` calls `run_app()`, which first finds out who the user is (analytics/ui/access.py: the
sign-in page stops the run until someone has signed in), builds the menu with st.navigation from
the pages the user's role may open (pages live in `app_pages/`, not `pages/`: see shared/style.md;
a page left out of the menu cannot be opened by its URL either), reads the view from the URL and
the sidebar, and runs the current page. Pages get the view with `current_view()`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import streamlit as st

from analytics import snapshots
from analytics.auth import Identity, Scope, scope_for
from analytics.config import PROJECT_ROOT, database_path, settings_path
from analytics.db import check_database_path
from analytics.errors import AccessError, DatabaseBusyError, UsageError
from analytics.formatting import escape_markdown
from analytics.settings import Settings, load_settings, parse_settings
from analytics.ui import access, data, state
from analytics.ui.i18n import LANGS, lang, t
from analytics.weeks import Week, last_complete_week, today, weeks_between
from analytics.wording import in_language

PAGES_DIR = PROJECT_ROOT / "app_pages"
APP_ICON = Path(__file__).with_name("app_icon.svg")
"""The browser tab's icon, sent inline (a `:material/...:` page icon makes the browser fetch it from
fonts.gstatic.com: no network, see the README)."""
WEEKS_IN_PICKER = 52
VIEW = "_view"
FILTERS, FILTERS_OPEN = "_filters", "_filters_open"


@dataclass(frozen=True)
class PageSpec:
    """One page of the menu: its file in app_pages/, menu section, icon and URL path."""

    key: str
    section: str
    icon: str
    ledger: str | None = None

    @property
    def path(self) -> Path:
        return PAGES_DIR / f"{self.key}.py"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "nav_review", ":material/dashboard:"),
    PageSpec("meetings", "nav_ledgers", ":material/groups:", "meetings"),
    PageSpec("decisions", "nav_ledgers", ":material/task_alt:", "decisions"),
    PageSpec("supplies", "nav_ledgers", ":material/inventory_2:", "supplies"),
    PageSpec("documents", "nav_ledgers", ":material/description:", "documents"),
    PageSpec("incidents", "nav_ledgers", ":material/e911_emergency:", "incidents"),
    PageSpec("schedule", "nav_ledgers", ":material/calendar_month:", "schedule"),
    PageSpec("upload", "nav_data", ":material/upload_file:"),
    PageSpec("quality", "nav_data", ":material/fact_check:"),
    PageSpec("definitions", "nav_data", ":material/menu_book:"),
    PageSpec("audit", "nav_data", ":material/policy:"),
)
PAGE_BY_KEY = {spec.key: spec for spec in PAGES}
PAGE_FOR_LEDGER = {spec.ledger: spec for spec in PAGES if spec.ledger}


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


def week_label(week: Week) -> str:
    return t("week_label", week=str(week), start=f"{week.start:%m/%d}", end=f"{week.end:%m/%d}")


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


def _week_options(latest: Week | None) -> tuple[list[str], str]:
    """Weeks offered by the picker (newest first) and the default week."""
    default = latest or last_complete_week()
    anchor = max(default, Week.containing(today()))
    options = [str(w) for w in reversed(weeks_between(anchor.shift(1 - WEEKS_IN_PICKER), anchor))]
    return options, str(default)


def _sidebar(db_path: Path, identity: Identity) -> data.View:
    database = data.database_state(db_path)
    version = database.version
    facts = data.database_facts(str(db_path), version, today())
    latest = Week.parse(facts["latest_week"]) if facts["latest_week"] else None
    options, default = _week_options(latest)

    url_week = state.adopt_url("week")
    if url_week is not None:
        try:
            st.session_state["week"] = str(Week.parse(url_week))
        except UsageError:
            st.sidebar.warning(t("bad_week_in_link", value=escape_markdown(url_week)), icon=":material/link_off:")
            st.session_state["week"] = default
    previous_default = st.session_state.get("_default_week")
    if "week" not in st.session_state or st.session_state["week"] == previous_default:
        st.session_state["week"] = default
    st.session_state["_default_week"] = default
    if st.session_state["week"] not in options:
        options = sorted({*options, st.session_state["week"]}, reverse=True)

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
        week = st.selectbox(
            t("week"),
            options,
            key="week",
            format_func=lambda w: week_label(Week.parse(w)),
            help=t("week_help"),
        )
        _filters(scope, departments, chosen)
        published = database.published_at.replace("T", " ")[5:16]
        st.caption(t("data_version", version=version, at=published))
    depts = st.session_state["dept"]
    state.write_url("week", week)
    state.write_url("dept", depts)
    state.write_url("lang", None if lang() == "zh" else lang())
    return data.View(
        db_path=db_path,
        version=version,
        week=Week.parse(week),
        departments=tuple(depts),
        settings=_load_settings(db_path),
        lang=lang(),
        has_data=latest is not None,
        identity=identity,
    )


def _remember_filters_open() -> None:
    st.session_state[FILTERS_OPEN] = st.session_state[FILTERS]


def _filters(scope: Scope, departments: list[str], chosen: list[str]) -> None:
    """Departments and language, in an expander whose label says what is chosen.

    Its widgets are built only while it is open (they cost the browser about 0.2 s per page load,
    bench/README.md); closed, their values stay in session state and the URL.
    """
    everyone = "、".join(scope.departments) if scope.departments else t("all_departments")
    shown = escape_markdown("、".join(chosen) if chosen else everyone)  # departments come from data and links
    title = f"{shown} · {LANGS[lang()]}" if scope.department_filter else t("language_is", lang=LANGS[lang()])
    # The label is part of the expander's identity: keep it open when the label changes with a choice.
    st.session_state[FILTERS] = st.session_state.get(FILTERS_OPEN, False)
    with st.expander(title, key=FILTERS, icon=":material/tune:", on_change=_remember_filters_open) as box:
        if box.open:
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
    st.session_state["lang"] = st.session_state.get("lang") if st.session_state.get("lang") in LANGS else "zh"
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
