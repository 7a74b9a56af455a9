"""The query layer as a signed-in user sees it: every engine and report call, given a Scope.

The dashboard calls these, never the engine directly: the scope's departments become the engine's
`departments=` (a pick in the department filter narrows it, never widens it), and rows go through
`analytics.auth.masking`. `chosen` is the department filter's pick. The command line and notebooks
are administrator tools and call the engine without a scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb
import pandas as pd

from analytics import attention, metrics
from analytics.auth.identity import Scope
from analytics.auth.masking import mask_rows, row_mask
from analytics.errors import AccessError
from analytics.formatting import Lang
from analytics.settings import Settings
from analytics.weeks import Period, Week

PAGE_REFUSED = "您的角色无权打开此页面。 Your role may not open this page."


def require_page(scope: Scope, page: str) -> None:
    """AccessError unless the scope may open `page`."""
    if not scope.may_open(page):
        raise AccessError(PAGE_REFUSED)


def departments(con: duckdb.DuckDBPyConnection, scope: Scope) -> list[str]:
    """The departments the user may pick in the department filter."""
    return scope.visible_departments(metrics.departments(con))


def latest_week_with_data(con: duckdb.DuckDBPyConnection, today: date | None = None) -> Week | None:
    return metrics.latest_week_with_data(con, today)


def week_report(
    con: duckdb.DuckDBPyConnection,
    week: Period,
    settings: Settings,
    scope: Scope,
    chosen: Sequence[str] = (),
    *,
    compare: Period | None = None,
    as_of: date | None = None,
) -> list[metrics.MetricResult]:
    return metrics.week_report(con, week, settings, scope.engine_departments(chosen), compare=compare, as_of=as_of)


def trend(
    con: duckdb.DuckDBPyConnection,
    names: Sequence[str],
    first: Week,
    last: Week,
    settings: Settings,
    scope: Scope,
    chosen: Sequence[str] = (),
    *,
    as_of: date | None = None,
) -> pd.DataFrame:
    return metrics.trend(con, list(names), first, last, settings, scope.engine_departments(chosen), as_of=as_of)


def breakdown(
    con: duckdb.DuckDBPyConnection,
    name: str,
    week: Period,
    settings: Settings,
    scope: Scope,
    chosen: Sequence[str] = (),
    *,
    as_of: date | None = None,
) -> pd.DataFrame:
    return metrics.breakdown(con, name, week, settings, scope.engine_departments(chosen), as_of=as_of)


def metric_rows(
    con: duckdb.DuckDBPyConnection,
    name: str,
    week: Period,
    settings: Settings,
    scope: Scope,
    chosen: Sequence[str] = (),
    *,
    as_of: date | None = None,
) -> pd.DataFrame:
    """The rows behind a number, as the scope may see them."""
    rows = metrics.metric_rows(con, name, week, settings, scope.engine_departments(chosen), as_of=as_of)
    return mask_rows(con, scope, metrics.metric_def(name).ledger, rows)


def needs_attention(
    con: duckdb.DuckDBPyConnection,
    week: Week,
    settings: Settings,
    scope: Scope,
    chosen: Sequence[str] = (),
    lang: str = "zh",
    *,
    as_of: date | None = None,
) -> pd.DataFrame:
    """The attention list, built from masked rows (nothing at all for a scope without row detail)."""
    return attention.needs_attention(
        con, week, settings, scope.engine_departments(chosen), lang, mask=row_mask(con, scope), as_of=as_of
    )


def attention_rows(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    week: Period,
    settings: Settings,
    scope: Scope,
    chosen: Sequence[str] = (),
    *,
    as_of: date | None = None,
) -> pd.DataFrame:
    """The rows of one kind of the attention list, whole and masked: what its link opens."""
    return attention.source_rows(
        con, kind, week, settings, scope.engine_departments(chosen), as_of=as_of, mask=row_mask(con, scope)
    )


def report_xlsx(
    con: duckdb.DuckDBPyConnection,
    week: Week,
    settings: Settings,
    scope: Scope,
    chosen: Sequence[str] = (),
    lang: Lang = "zh",
) -> bytes:
    """The weekly report workbook of the scope: its departments' numbers, masked rows."""
    from analytics.report import build_xlsx

    return build_xlsx(con, week, settings, scope.engine_departments(chosen), lang, mask=row_mask(con, scope))


def report_document(
    con: duckdb.DuckDBPyConnection,
    week: Week,
    settings: Settings,
    scope: Scope,
    chosen: Sequence[str] = (),
    lang: Lang = "zh",
    *,
    kind: str = "pdf",
    comment: str | None = None,
) -> bytes:
    """The printed weekly review (.pdf or .docx) of the scope: its departments' numbers; the 需要关注
    items only for a reader who may see rows, masked as the scope requires."""
    from analytics.report.pdf import build_pdf
    from analytics.report.word import build_docx

    build = build_pdf if kind == "pdf" else build_docx
    return build(
        con,
        week,
        settings,
        scope.engine_departments(chosen),
        lang,
        comment=comment,
        attention=scope.row_detail,
        mask=row_mask(con, scope),
    )


def report_markdown(
    con: duckdb.DuckDBPyConnection,
    week: Week,
    settings: Settings,
    scope: Scope,
    chosen: Sequence[str] = (),
    lang: Lang = "zh",
) -> str:
    """The weekly report as Markdown (numbers and summary only, no rows) for the scope's departments."""
    from analytics.report import build_markdown

    return build_markdown(con, week, settings, scope.engine_departments(chosen), lang)
