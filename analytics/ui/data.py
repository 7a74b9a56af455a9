"""Cached reads for the pages: thin wrappers over the scoped query layer and the quality checks.

Pages read the published snapshot of the database (analytics.snapshots): the frame pins one for the
whole script run, and `connect(db_path)` inside the run reads it, read-only, so no page ever waits for
a load and every number of a run comes from one version. Every cached function takes one ReadKey
(`View.read_key`: the database path, the snapshot's version, the period and its comparison as of
today, the departments, the settings and the user's Scope), so a publish (after a load, a settings
or an account change) shows on the next rerun, while a warm rerun costs a dictionary look-up. The Scope is part of every cache key: one user's rows are
never served to another who may not see them. Reads go through `analytics.auth.queries`, which
passes the scope's departments to the engine and masks rows. Only small results leave DuckDB: metric
values, weekly series, per-department rows and the rows behind one number.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from analytics import quality, snapshots
from analytics.auth import LOCAL_ADMINISTRATOR, Identity, Scope, accounts_configured, queries, scope_for
from analytics.db import connect
from analytics.settings import Settings
from analytics.weeks import Period, Week, Window, period_window, today


@dataclass(frozen=True)
class View:
    """What every page shows: one database at one data version, one period (`week`: a week, month,
    quarter or year, as of today while in progress) compared with another (`compare`; None: the one
    before), some departments, one language.

    The language is the session's (i18n.lang(), its one source) when the page starts; the view carries
    a copy because a download is built after the run, when the session can no longer be read. The
    period picker's widgets hold the period's ISO text (what the URL holds), parsed once, in
    frame._sidebar, into the `Period` kept here."""

    db_path: Path
    version: int
    week: Period
    departments: tuple[str, ...]
    settings: Settings
    lang: str
    has_data: bool
    identity: Identity = LOCAL_ADMINISTRATOR
    compare: Period | None = None

    @property
    def window(self) -> Window:
        """The days the view's numbers cover: to the period's end, or to today while it is in progress."""
        return period_window(self.week)

    @property
    def last_week(self) -> Week:
        """The week a trend ends with: the view's week, or the week of the period's cut-off."""
        return self.week if isinstance(self.week, Week) else Week.containing(self.window.end)

    @property
    def scope(self) -> Scope:
        return scope_for(self.identity)

    @property
    def read_key(self) -> ReadKey:
        """The one key every cached read of this view takes, whole."""
        return ReadKey(
            str(self.db_path),
            self.version,
            self.week,
            self.compare,
            today(),
            self.departments,
            self.settings,
            self.scope,
        )


@dataclass(frozen=True)
class ReadKey:
    """The whole key of a cached read: one snapshot version of one database, one period (and its
    comparison; None: the one before) as of one day (a period in progress changes at midnight even
    when the data does not), some departments, the settings and the user's Scope (one user's rows are
    never served to another)."""

    db: str
    version: int
    period: Period
    compare: Period | None
    as_of: date
    departments: tuple[str, ...]
    settings: Settings
    scope: Scope

    @property
    def last_week(self) -> Week:
        """The week a trend ends with: the period, or the week of its cut-off."""
        if isinstance(self.period, Week):
            return self.period
        return Week.containing(period_window(self.period, self.as_of).end)

    @property
    def engine_departments(self) -> list[str] | None:
        return self.scope.engine_departments(self.departments)


def key_text(key: ReadKey) -> str:
    """What Streamlit hashes for a ReadKey: the repr of its fields (every field, so two keys that differ
    in anything, the user's Scope included, never share an entry). Streamlit's own hashing of the
    dataclass, pickling it field by field on every cached call, was a seventh of a page's server time."""
    return repr(key)


BY_READ_KEY: dict[str, Any] = {"show_spinner": False, "hash_funcs": {ReadKey: key_text}}
"""The options of every cached read keyed by a ReadKey."""


@dataclass(frozen=True)
class DatabaseState:
    """What every rerun needs to know before it reads anything: the version of the published snapshot
    it reads (analytics.snapshots), when it was published, and whether any account exists (with none,
    the app runs as the local administrator)."""

    version: int
    accounts_configured: bool
    published_at: str = ""


_state_lock = threading.Lock()
_states: dict[tuple[str, int], DatabaseState] = {}
_snapshots: dict[tuple[str, int], snapshots.Snapshot] = {}


def database_state(db_path: Path) -> DatabaseState:
    """The state of the snapshot this run reads (inside `snapshots.serving`: the run's; outside: the
    current one). A warm rerun costs a `stat` of the pointer file; the accounts flag is read once per
    version. DataUpdatingError when there is no snapshot yet and none can be published now."""
    with snapshots.serving(db_path) as snapshot:
        key = (str(db_path), snapshot.version)
        with _state_lock:
            state = _states.get(key)
        if state is None:
            state = DatabaseState(snapshot.version, accounts_configured(db_path), snapshot.published_at)
            with _state_lock:
                _states[key] = state
                _snapshots[key] = snapshot
        return state


@contextmanager
def _reading(db: str, version: int) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection on the snapshot of `version`: the run's own in a script run; in a fragment's rerun
    (which runs no frame, so pins nothing) that version's file while it exists, else the current one."""
    with _state_lock:
        prefer = _snapshots.get((db, version))
    with snapshots.serving(db, prefer), connect(db) as con:
        yield con


def forget_database_state(db_path: Path | None = None) -> None:
    """Forget what was read of the snapshots (tests start cold)."""
    with _state_lock:
        if db_path is None:
            _states.clear()
            _snapshots.clear()
        else:
            for key in [k for k in _states if k[0] == str(db_path)]:
                del _states[key]
                _snapshots.pop(key, None)


def current_version(db_path: Path) -> int:
    """The version of the published snapshot (see `database_state`)."""
    return database_state(db_path).version


@st.cache_data(show_spinner=False, max_entries=32)
def database_facts(db: str, version: int, today: date) -> dict[str, Any]:
    """Latest complete week with data (as of `today`) and the department list: what the sidebar needs."""
    from analytics import metrics

    with _reading(db, version) as con:
        latest = metrics.latest_week_with_data(con, today)
        return {"latest_week": str(latest) if latest else None, "departments": metrics.departments(con)}


@st.cache_data(max_entries=128, **BY_READ_KEY)
def _week_report(key: ReadKey) -> list[Any]:
    with _reading(key.db, key.version) as con:
        return queries.week_report(
            con, key.period, key.settings, key.scope, key.departments, compare=key.compare, as_of=key.as_of
        )


@st.cache_data(max_entries=128, **BY_READ_KEY)
def _trend(key: ReadKey, names: tuple[str, ...], weeks: int) -> pd.DataFrame:
    last = key.last_week
    with _reading(key.db, key.version) as con:
        return queries.trend(
            con, list(names), last.shift(1 - weeks), last, key.settings, key.scope, key.departments, as_of=key.as_of
        )


@st.cache_data(max_entries=512, **BY_READ_KEY)
def _breakdown(key: ReadKey, name: str) -> pd.DataFrame:
    with _reading(key.db, key.version) as con:
        return queries.breakdown(con, name, key.period, key.settings, key.scope, key.departments, as_of=key.as_of)


@st.cache_data(max_entries=512, **BY_READ_KEY)
def _metric_rows(key: ReadKey, name: str) -> pd.DataFrame:
    with _reading(key.db, key.version) as con:
        return queries.metric_rows(con, name, key.period, key.settings, key.scope, key.departments, as_of=key.as_of)


@st.cache_data(max_entries=512, **BY_READ_KEY)
def _attention_rows(key: ReadKey, kind: str) -> pd.DataFrame:
    with _reading(key.db, key.version) as con:
        return queries.attention_rows(con, kind, key.period, key.settings, key.scope, key.departments, as_of=key.as_of)


@st.cache_data(max_entries=64, **BY_READ_KEY)
def _attention(key: ReadKey, lang: str) -> pd.DataFrame:
    with _reading(key.db, key.version) as con:
        return queries.needs_attention(con, key.period, key.settings, key.scope, key.departments, lang, as_of=key.as_of)


@st.cache_data(show_spinner=False, max_entries=16)
def _quality_checks(db: str, version: int, today: date) -> list[quality.CheckResult]:
    with _reading(db, version) as con:
        return quality.run_checks(con, today=today)


@st.cache_data(show_spinner=False, max_entries=16)
def _load_log(db: str, version: int, limit: int) -> pd.DataFrame:
    with _reading(db, version) as con:
        return quality.load_log(con, limit)


@st.cache_data(show_spinner=False, max_entries=16)
def _quarantine(db: str, version: int, limit: int) -> pd.DataFrame:
    with _reading(db, version) as con:
        return quality.quarantine(con, limit)


@st.cache_data(show_spinner=False, max_entries=16)
def _freshness(db: str, version: int, today: date) -> pd.DataFrame:
    with _reading(db, version) as con:
        return quality.ledger_freshness(con, today)


def week_report(view: View) -> dict[str, Any]:
    """This week's MetricResults by name (each with last week's value and the delta)."""
    return {result.name: result for result in _week_report(view.read_key)}


def trend(view: View, names: tuple[str, ...], weeks: int = 8) -> pd.DataFrame:
    """Weekly values of `names` over the `weeks` weeks ending with the view's week."""
    return _trend(view.read_key, tuple(names), weeks)


def breakdown(view: View, name: str) -> pd.DataFrame:
    """One metric per department (department, value, numerator, denominator)."""
    return _breakdown(view.read_key, name)


def metric_rows(view: View, name: str) -> pd.DataFrame:
    """The rows behind one number, with their reasons."""
    return _metric_rows(view.read_key, name)


def metric_rows_over(view: View, name: str, weeks: int) -> pd.DataFrame:
    """The rows behind one number in each of the `weeks` weeks ending with the view's (last) week."""
    key = view.read_key
    frames = []
    for back in range(weeks):
        week = key.last_week.shift(-back)
        rows = _metric_rows(replace(key, period=week, compare=None), name)
        frames.append(rows.assign(week=str(week)))
    return pd.concat(frames, ignore_index=True)


def needs_attention(view: View) -> pd.DataFrame:
    return _attention(view.read_key, view.lang)


def attention_rows(view: View, kind: str) -> pd.DataFrame:
    """The rows one kind of the attention list names, whole: what its link opens."""
    return _attention_rows(view.read_key, kind)


@st.cache_data(max_entries=64, **BY_READ_KEY)
def _ledgers_with_rows(key: ReadKey) -> frozenset[str]:
    from analytics import metrics

    with _reading(key.db, key.version) as con:
        return frozenset(metrics.ledgers_with_rows(con, key.period, key.engine_departments, as_of=key.as_of))


def ledgers_with_rows(view: View) -> frozenset[str]:
    """The ledgers with at least one row dated in the view's period (the others show 无数据, not 0)."""
    return _ledgers_with_rows(view.read_key)


def report_xlsx(view: View) -> bytes:
    """The weekly report workbook as the user may see it (their departments, masked rows).

    Not cached: built when the user clicks download (possibly outside a script run: then from the
    view's snapshot while it exists, else the current one)."""
    with _reading(str(view.db_path), view.version) as con:
        return queries.report_xlsx(con, view.week, view.settings, view.scope, view.departments, view.lang)  # type: ignore[arg-type]


@st.cache_data(max_entries=64, **BY_READ_KEY)
def _lights(key: ReadKey) -> dict[str, int]:
    from analytics.followup.bulletin import open_lights

    with _reading(key.db, key.version) as con:
        return open_lights(con, key.period, key.settings, key.engine_departments, as_of=key.as_of)


def lights(view: View) -> dict[str, int]:
    """Open decisions at the week's end by card: {"red": n, "yellow": n, "blue": n}."""
    return _lights(view.read_key)


def bulletin_file(view: View, kind: str) -> bytes:
    """The 督办通报 (`docx` or `xlsx`) of the month holding the view's week, as of today, for the
    departments the user may see; built when the user clicks download."""
    from analytics.followup.bulletin import gather_bulletin
    from analytics.followup.render import bulletin_docx, bulletin_xlsx
    from analytics.weeks import Month, today

    month = Month.containing(view.week.end)
    with snapshots.serving(view.db_path), connect(view.db_path) as con:
        bulletin = gather_bulletin(con, month, view.settings, view.scope.engine_departments(view.departments))
    days = view.settings.warn_working_days
    return bulletin_docx(bulletin, days, today()) if kind == "docx" else bulletin_xlsx(bulletin, days)


def followup_paper(view: View, name: str, kind: str) -> bytes:
    """督办单 (`supervision`, .docx) or 催办清单 (`reminders_docx`, `reminders_xlsx`) of the rows behind a
    decision metric, as the user may see them; built when the user clicks download."""
    from analytics.followup import forms
    from analytics.weeks import today

    with _reading(str(view.db_path), view.version) as con:
        rows = queries.metric_rows(con, name, view.week, view.settings, view.scope, view.departments)
    build = {
        "supervision": forms.supervision_docx,
        "reminders_docx": forms.reminder_docx,
        "reminders_xlsx": forms.reminder_xlsx,
    }[kind]
    return build(rows, today())


def report_document(view: View, kind: str, comment: str | None) -> bytes:
    """The printed weekly review (`kind` pdf or docx) as the user may see it, with the assistant's comment."""
    with _reading(str(view.db_path), view.version) as con:
        return queries.report_document(
            con,
            view.week,
            view.settings,
            view.scope,
            view.departments,
            view.lang,
            kind=kind,
            comment=comment,  # type: ignore[arg-type]
        )


# Data-quality reads show raw rows of every department: only for the pages that may show them.


def quality_checks(view: View) -> list[quality.CheckResult]:
    queries.require_page(view.scope, "quality")
    return _quality_checks(str(view.db_path), view.version, today())


def load_log(view: View, limit: int = 200) -> pd.DataFrame:
    if not view.scope.may_open("upload"):
        queries.require_page(view.scope, "quality")
    return _load_log(str(view.db_path), view.version, limit)


def quarantine(view: View, limit: int = 500) -> pd.DataFrame:
    queries.require_page(view.scope, "quality")
    return _quarantine(str(view.db_path), view.version, limit)


def freshness(view: View) -> pd.DataFrame:
    queries.require_page(view.scope, "quality")
    return _freshness(str(view.db_path), view.version, today())
