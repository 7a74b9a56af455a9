"""The rows behind the week's numbers, one frame per report sheet, straight from `metric_rows`."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from analytics import metrics
from analytics.columns import HIDDEN
from analytics.formatting import Lang
from analytics.metrics import METRICS
from analytics.report.columns import SheetPlan
from analytics.settings import Settings
from analytics.weeks import Week


def population_rows(
    con: duckdb.DuckDBPyConnection,
    query: str,
    week: Week,
    settings: Settings,
    departments: Sequence[str] | None,
    key: str | None,
) -> pd.DataFrame:
    """Every row of one population that stands behind a number of the week.

    A metric with no row filter lists the whole population; when each metric of the population keeps
    only some rows (idle items, items short of stock), the union of their rows is returned.
    """
    scoped = list(departments) if departments else None
    defs = [m for m in METRICS.values() if m.query == query]
    whole = next((m for m in defs if m.where is None), None)
    chosen = [whole] if whole else defs
    frames = [metrics.metric_rows(con, m.name, week, settings, departments=scoped) for m in chosen]
    frames = [f.drop(columns=[c for c in f.columns if c in HIDDEN]) for f in frames]
    frames = [f for f in frames if not f.empty] or frames[:1]
    rows = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if len(frames) > 1 and key and key in rows:
        rows = rows.drop_duplicates(subset=[key], keep="first").reset_index(drop=True)
    return rows


def sheet_rows(
    con: duckdb.DuckDBPyConnection,
    plan: SheetPlan,
    week: Week,
    settings: Settings,
    departments: Sequence[str] | None = None,
    lang: Lang = "zh",
) -> pd.DataFrame:
    """A sheet's rows: its populations merged on the ledger key, with a yes/no column per population."""
    merged: pd.DataFrame | None = None
    members: list[str] = []
    for population in plan.populations:
        rows = population_rows(con, population.query, week, settings, departments, plan.key)
        if population.member_zh:
            member = population.member_zh if lang == "zh" else (population.member_en or population.member_zh)
            members.append(member)
            rows = rows.assign(**{member: True})
        if merged is None:
            merged = rows
            continue
        if plan.key is None or plan.key not in rows or plan.key not in merged:
            merged = pd.concat([merged, rows], ignore_index=True)
            continue
        merged = _merge_on_key(merged, rows, plan.key)
    assert merged is not None
    for member in members:
        merged[member] = merged[member].astype("boolean").fillna(False).astype(bool)
    if members:
        front = [c for c in ("department", plan.key) if c and c in merged]
        merged = merged[[*front, *members, *[c for c in merged.columns if c not in (*front, *members)]]]
    return merged.reset_index(drop=True)


def _merge_on_key(left: pd.DataFrame, right: pd.DataFrame, key: str) -> pd.DataFrame:
    """Outer-join two populations on the key; a column both carry is filled from either side."""
    shared = [c for c in right.columns if c in left.columns and c != key]
    joined = left.merge(right, on=key, how="outer", suffixes=("", "__right"), sort=False)
    for column in shared:
        joined[column] = joined[column].combine_first(joined.pop(f"{column}__right"))
    order = [*left.columns, *[c for c in right.columns if c not in left.columns]]
    return joined[order]
