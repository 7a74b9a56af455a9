"""The metrics engine: population SQL in, values, breakdowns, rows and trends out.

Every population query (analytics/sql/metrics/<query>.sql) reads inputs that this module puts in
front of it as common table expressions:

- `windows (window_id, window_start, window_end)`: the windows asked for (analytics.weeks.Window):
  a period's first day and its cut-off — its last day when complete, today while in progress
  (metrics.md, "Weeks in progress, and periods"). A query joins it for stocks at the cut-off
  (`due_date <= window_end`). A trend passes all its weeks at once, and a report this period and the
  one before, so each query runs once per request however many windows it spans;
- `window_days (window_id, window_start, window_end, day)`: one row per day of each window, for
  "dated in P" (an equality join: `window_days.day = cast(x as date)`);
- the ledger tables by their plain names (`decisions`, `meetings`, …): the whole ledger, or, with a
  department filter, only the rows whose department column is in it, each row with `_lacking`: the
  canonical columns its load did not supply (metrics.md, "Missing inputs"; from `load_log`). A query
  that must look across departments names the whole ledger explicitly (`main.decisions`);
- the shared relations in analytics/sql/metrics/inputs/, each defined once and put among a query's own
  common table expressions when it names them: `followed_up` (the non-cancelled decisions with their
  follow-up columns defaulted and decision_status_seen) and `cutoffs` (each window with `warn_until`,
  the `$warn_working_days`-th working day after its cut-off).

Settings reach a query as DuckDB parameters named after them (`$overrun_factor`); each query is given
exactly the parameters it uses. One generic aggregation turns any population into numerator and
denominator per window (and per department), and `_tally_value` into the published value.

The public functions take a period (`analytics.weeks.Week`, `Month`, `Quarter`, `Year`) and an
optional `as_of` day (default `analytics.weeks.today()`); a period not begun by then is a UsageError.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache
from pathlib import Path
from textwrap import indent
from typing import Any

import duckdb
import pandas as pd

from analytics.errors import UsageError
from analytics.ledgers import LEDGERS, Ledger
from analytics.metrics.notes import metric_note
from analytics.metrics.registry import LOW_EFFICIENCY_RULES, METRICS, MetricDef
from analytics.settings import INTEGER_SETTINGS, Settings
from analytics.weeks import Period, Week, Window, last_complete_week, period_window, today, weeks_between

SQL_DIR = Path(__file__).resolve().parent.parent / "sql" / "metrics"
SHARED_INPUTS_DIR = SQL_DIR / "inputs"
UNFILLED_DEPARTMENT = "（未填）"
_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")
DEFAULT_SETTINGS = Settings()  # the defaults of metrics.md (frozen, so safe as an argument default)
_SETTING_NAMES = frozenset(DEFAULT_SETTINGS.as_dict())
FAILED = -1
"""The window key of a metric whose population query failed (for every window and department)."""
QUERY_FAILURES = (duckdb.DataError, duckdb.InvalidInputException)
"""What a population query raises on bad data (a value out of range, a failed cast): the metric is
shown as missing with a reason, the others are computed."""


@dataclass(frozen=True)
class MetricResult:
    """One metric for one period: the value, the counts behind it, the previous value and the change.

    `week` is the period (a Week, or a Month, Quarter or Year); `window` the days it was computed over
    (`window.as_of`, `window.complete`) and `previous_window` those of the comparison (the period
    before, over the same weekdays while this one is in progress, or the period compared with).
    `numerator`/`denominator` are given for rates and means (None for counts and sums); `delta` is
    this − previous (a fraction for rates: the UI shows percentage points), None when either is
    missing; `settings` are the thresholds (by name) that produced the number. `note` (Chinese) and
    `note_en` say why the value is null or partial: inputs the files did not supply, or rows whose
    completion cannot be told (metrics.md, "Missing inputs" and "Status-only exports").
    """

    name: str
    week: Period
    value: float | int | None
    numerator: float | int | None
    denominator: float | int | None
    previous: float | int | None
    delta: float | int | None
    settings: dict[str, float] = field(default_factory=dict)
    problem: str | None = None
    """Why the value could not be computed (then `value` is None); the other metrics still are."""
    note: str | None = None
    note_en: str | None = None
    window: Window | None = None
    previous_window: Window | None = None

    @property
    def period(self) -> Period:
        return self.week

    @property
    def as_of(self) -> date | None:
        return self.window.as_of if self.window else None

    @property
    def complete(self) -> bool:
        return self.window.complete if self.window else True


@dataclass(frozen=True)
class _Tally:
    """Raw numerator and denominator of one metric in one group, before rounding; with `needs` or
    `unknown`, also the rows counted, the rows left out for lacking inputs (and which inputs), and the
    rows left out because their outcome is unknown."""

    numerator: Any = None
    denominator: Any = None
    problem: str | None = None
    counted: int | None = None
    left_out: int = 0
    lacking: tuple[str, ...] = ()
    unknown: int = 0


# ---------------------------------------------------------------------------------------------------
# SQL assembly


def _sql_text(path: Path) -> str:
    """A SQL file's text, whole-line comments removed (they may not hold `$` names)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("--")]
    return "\n".join(lines).strip().rstrip(";")


def _reads(sql: str, relation: str) -> bool:
    """Whether the SQL names the relation (`main.decisions` names the stored table, not the input)."""
    return re.search(rf"(?<![\w.]){relation}\b", sql) is not None


@cache
def population_sql(query: str) -> str:
    """The text of a population query, whole-line comments removed, with the shared relations it reads
    (sql/metrics/inputs/<name>.sql) in front of its own common table expressions."""
    body = _sql_text(SQL_DIR / f"{query}.sql")
    shared = [path for path in sorted(SHARED_INPUTS_DIR.glob("*.sql")) if _reads(body, path.stem)]
    if not shared:
        return body
    if not body.startswith("with "):
        raise ValueError(f"{query}.sql reads {shared[0].stem} but does not begin with `with`")
    inputs = ",\n\n".join(f"{path.stem} as (\n{indent(_sql_text(path), '    ')}\n)" for path in shared)
    return f"with {inputs},\n\n{body.removeprefix('with ')}"


def _departments_list(departments: Collection[str] | None) -> list[str] | None:
    if departments is None:
        return None
    if isinstance(departments, str):
        departments = [departments]
    return sorted({str(d) for d in departments})


def department_label(column: str) -> str:
    """SQL for a department as people see it: blank and missing become （未填）."""
    return f"coalesce(nullif(trim({column}), ''), '{UNFILLED_DEPARTMENT}')"


_WINDOWS = (
    "windows as (select unnest(range(len(cast($window_starts as date[])))) as window_id, "
    "unnest(cast($window_starts as date[])) as window_start, unnest(cast($window_ends as date[])) as window_end)",
    "window_days as (select window_id, window_start, window_end, "
    "cast(unnest(generate_series(window_start, window_end, interval 1 day)) as date) as day from windows)",
)


def _scoped_population(
    query: str, windows: Sequence[Window], settings: Settings, departments: list[str] | None
) -> tuple[str, dict[str, Any]]:
    """The population query wrapped with its inputs, and exactly the parameters it uses.

    `window_id` in the population is the index of its window in `windows`."""
    body = population_sql(query)
    inputs = list(_WINDOWS)
    params: dict[str, Any] = {
        "window_starts": [window.start for window in windows],
        "window_ends": [window.end for window in windows],
    }
    for ledger in LEDGERS.values():
        if _reads(body, ledger.name):
            inputs.append(_ledger_input(ledger, departments is not None))
    if departments is not None:
        params["departments"] = departments
    for name in sorted(set(_PARAMETER.findall(body))):
        rule = name.removeprefix("inputs_")
        if rule != name and rule in LOW_EFFICIENCY_RULES:
            params[name] = list(LOW_EFFICIENCY_RULES[rule].needs)
            continue
        if name not in _SETTING_NAMES:
            raise ValueError(f"{query}.sql uses ${name}, which is not a setting")
        value = getattr(settings, name)
        params[name] = int(value) if name in INTEGER_SETTINGS else float(value)  # an int would overflow in SQL
    sql = "with " + ",\n".join(inputs) + f"\nselect * from (\n{body}\n) as population"
    return sql, params


def _ledger_input(ledger: Ledger, scoped: bool) -> str:
    """A ledger as a population sees it: its rows (in the departments asked for) with `_lacking`, the
    canonical columns their load did not supply (none for loads that recorded nothing: they had every
    column)."""
    columns = ", ".join(f"'{c.name}'" for c in ledger.columns)
    where = ""
    if scoped and ledger.department_column:
        department = department_label(f'ledger_row."{ledger.department_column}"')
        where = f" where list_contains(cast($departments as varchar[]), {department})"
    return (
        f"{ledger.name} as (select ledger_row.*, coalesce(supplied.lacking, []::varchar[]) as _lacking "
        f"from main.{ledger.name} as ledger_row left join (select load_id, list_filter([{columns}], "
        "lambda c: not list_contains(columns_supplied, c)) as lacking from load_log "
        "where columns_supplied is not null) as supplied on supplied.load_id = ledger_row._load_id"
        f"{where})"
    )


def _lacks(need: str) -> str:
    """SQL: the row's load did not supply this input (`a|b`: neither of them)."""
    names = ", ".join(f"'{name}'" for name in need.split("|"))
    return f"list_has_all(_lacking, [{names}])"


def _counted(metric: MetricDef) -> str:
    """SQL: the row is counted in the metric (in `where`, carrying its inputs, its outcome known)."""
    where = f'"{metric.where}"' if metric.where else "true"
    if metric.needs:
        where += " and not (" + " or ".join(_lacks(need) for need in metric.needs) + ")"
    if metric.unknown:
        where += f' and not coalesce("{metric.unknown}", false)'
    return where


def _plain(number: object) -> object:
    """A sum as a float: exact decimal sums come as text (its repr is the decimal: 3.015 stays '3.015')."""
    if isinstance(number, str):
        return float(Decimal(number))
    return float(number) if isinstance(number, Decimal) else number


EXACT_BELOW = 1e18
"""Values below this add as exact decimals; DECIMAL(38,10) then holds the sum of 10^10 of them."""


def _sum(value: str, where: str) -> str:
    """The sum of `value` over the rows where `where` holds, as text: an exact decimal (DECIMAL(38,10)),
    or, when a value is too large for one, a double, so that no value can overflow the sum."""
    exact = f"sum(case when abs({value}) < {EXACT_BELOW} then cast({value} as decimal(38, 10)) end)"
    approximate = f"sum(cast({value} as double))"
    return (
        f"case when coalesce(max(abs({value})) filter (where {where}), 0) < {EXACT_BELOW} "
        f"then cast({exact} filter (where {where}) as varchar) "
        f"else cast({approximate} filter (where {where}) as varchar) end"
    )


def _aggregates(metric: MetricDef, index: int) -> str:
    """Numerator and denominator of one metric over a population, as two SQL aggregates.

    Sums add exact decimals (each value cast to DECIMAL(38,10)): the same whatever order DuckDB adds
    rows in, and a value on a rounding edge (0.3 × ¥10.05 = 3.015) rounds 四舍五入 as written.
    """
    where = _counted(metric)
    counted = f'{where} and "{metric.numerator}"' if metric.numerator else where
    value = f'"{metric.value}"' if metric.value else "null"
    numerator, denominator = {
        "count": (f"count(*) filter (where {where})", "null"),
        "sum": (_sum(value, where), "null"),
        "mean": (_sum(value, where), f"count({value}) filter (where {where})"),
        "share": (f"count(*) filter (where {counted})", f"count(*) filter (where {where})"),
        "ratio": (_sum(value, counted), _sum(value, where)),
    }[metric.aggregate]
    columns = [f"{numerator} as numerator_{index}", f"{denominator} as denominator_{index}"]
    if metric.needs or metric.unknown:
        # Rows left out: those in `where` (or that cannot tell, lacking what `where` reads) lacking an input.
        candidate = f'coalesce("{metric.where}", true)' if metric.where else "true"
        lacks = " or ".join(_lacks(need) for need in metric.needs) or "false"
        columns.append(f"count(*) filter (where {where}) as counted_{index}")
        columns.append(f"count(*) filter (where {candidate} and ({lacks})) as left_out_{index}")
        columns += [
            f"count(*) filter (where {candidate} and {_lacks(need)}) as lacking_{index}_{k}"
            for k, need in enumerate(metric.needs)
        ]
        unknown = (
            f'{candidate} and not ({lacks}) and coalesce("{metric.unknown}", false)' if metric.unknown else "false"
        )
        columns.append(f"count(*) filter (where {unknown}) as unknown_{index}")
    return ", ".join(columns)


def metric_problem(error: duckdb.Error) -> str:
    """A plain sentence for a population query that failed on the data (never DuckDB's message)."""
    if isinstance(error, duckdb.DataError):
        return (
            "无法计算：台账中有超出可计算范围的数值（请在数据质量页检查并改正后重新导入）。"
            " Cannot be computed: a ledger holds a number beyond the computable range (check the data quality page)."
        )
    return "无法计算：数据有误（请在数据质量页检查）。 Cannot be computed: the data is wrong (check the data quality page)."


def _tallies(
    con: duckdb.DuckDBPyConnection,
    metrics: Iterable[MetricDef],
    windows: Sequence[Window],
    settings: Settings,
    departments: Collection[str] | None,
    by_department: bool = False,
) -> dict[tuple[str, int, str | None], _Tally]:
    """Numerator and denominator of every metric, per window (by its index in `windows`, and per
    department): one query per population."""
    scope = _departments_list(departments)
    by_query: dict[str, list[MetricDef]] = {}
    for metric in metrics:
        by_query.setdefault(metric.query, []).append(metric)
    tallies: dict[tuple[str, int, str | None], _Tally] = {}
    if not windows:
        return tallies
    for group in by_query.values():
        sql, params = _tally_statement(group, windows, settings, scope, by_department)
        try:
            result = con.execute(sql, params)
            names = [column[0] for column in result.description]
            rows = result.fetchall()
        except QUERY_FAILURES as error:  # one population's failure leaves the other metrics standing
            for metric in group:
                tallies[(metric.name, FAILED, None)] = _Tally(problem=metric_problem(error))
            continue
        for values in rows:
            row = dict(zip(names, values, strict=True))
            window_id, department = row["window_id"], row.get("department")
            for i, metric in enumerate(group):
                tallies[(metric.name, window_id, department)] = _row_tally(metric, i, row)
    return tallies


def _tally_statement(
    group: Sequence[MetricDef],
    windows: Sequence[Window],
    settings: Settings,
    scope: list[str] | None,
    by_department: bool = False,
) -> tuple[str, dict[str, Any]]:
    """The one statement that tallies metrics sharing a population query, and its parameters."""
    population, params = _scoped_population(group[0].query, windows, settings, scope)
    keys = "window_id" + (f", {department_label('department')} as department" if by_department else "")
    aggregates = ",\n    ".join(_aggregates(metric, i) for i, metric in enumerate(group))
    return f"select {keys},\n    {aggregates}\nfrom (\n{population}\n) as population\ngroup by all", params


def metric_sql(
    name: str, period: Period | Window, settings: Settings = DEFAULT_SETTINGS, as_of: date | None = None
) -> tuple[str, dict[str, Any]]:
    """The SQL that computes one metric for a period (numerator_0 / denominator_0 per window), with its
    parameters: what `python -m analytics metrics --show-sql NAME` prints."""
    return _tally_statement([metric_def(name)], [window_of(period, as_of)], settings, None)


def _row_tally(metric: MetricDef, index: int, row: dict[str, Any]) -> _Tally:
    numerator, denominator = _plain(row[f"numerator_{index}"]), _plain(row[f"denominator_{index}"])
    if not (metric.needs or metric.unknown):
        return _Tally(numerator, denominator)
    lacking = tuple(need for k, need in enumerate(metric.needs) if row[f"lacking_{index}_{k}"])
    return _Tally(
        numerator,
        denominator,
        counted=row[f"counted_{index}"],
        left_out=row[f"left_out_{index}"],
        lacking=lacking,
        unknown=row[f"unknown_{index}"],
    )


# ---------------------------------------------------------------------------------------------------
# From tallies to published numbers


def _round(number: float | int | None, decimals: int) -> float | int | None:
    """四舍五入 (round half away from zero, as Excel's ROUND) on the number as written: 0.15625 → 0.1563."""
    if number is None or not math.isfinite(number):
        return None
    with localcontext() as context:
        context.prec = 400  # room for any double's digits: quantize never fails
        exact = Decimal(repr(float(number))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if decimals == 0:
        return int(exact)
    return float(exact) + 0.0  # + 0.0 turns -0.0 into 0.0


def _tally(tallies: dict[tuple[str, int, str | None], _Tally], name: str, window_id: int) -> _Tally:
    """The company-level tally of a metric in a week: the failure when its query failed."""
    return tallies.get((name, FAILED, None)) or tallies.get((name, window_id, None), _Tally())


def _tally_value(metric: MetricDef, tally: _Tally) -> float | int | None:
    """The published value: rounded per unit; rates and means null when there is nothing to divide by."""
    if tally.problem:
        return None
    if metric.aggregate in ("count", "sum") and tally.left_out and not tally.counted:
        return None  # no row carries the inputs: no data, not 0
    if metric.aggregate == "count":
        return int(tally.numerator or 0)
    if metric.aggregate == "sum":
        return _round(tally.numerator or 0.0, metric.decimals)
    denominator = tally.denominator
    if denominator is None or round(denominator, 9) == 0:
        return None
    if metric.positive_denominator and denominator <= 0:
        return None
    return _round((tally.numerator or 0) / denominator, metric.decimals)


def _tally_parts(metric: MetricDef, tally: _Tally) -> tuple[float | int | None, float | int | None]:
    """Numerator and denominator as shown: counts for shares, 2 decimals for sums of money or hours."""
    if metric.aggregate in ("count", "sum") or tally.problem:
        return None, None
    if metric.aggregate == "share":
        return int(tally.numerator or 0), int(tally.denominator or 0)
    if metric.aggregate == "mean":
        return _round(tally.numerator or 0.0, 2), int(tally.denominator or 0)
    return _round(tally.numerator or 0.0, 2), _round(tally.denominator or 0.0, 2)


def _numbers(metric: MetricDef, tally: _Tally) -> tuple[float | int | None, ...]:
    """Value, numerator and denominator, as published."""
    return (_tally_value(metric, tally), *_tally_parts(metric, tally))


def _numbers_frame(rows: list[tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
    """A frame whose last three columns are value, numerator, denominator: floats, NaN where missing."""
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("value", "numerator", "denominator"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def _delta(metric: MetricDef, value: float | int | None, previous: float | int | None) -> float | int | None:
    if value is None or previous is None:
        return None
    return _round(value - previous, metric.decimals)


def metric_def(name: str) -> MetricDef:
    """The registry entry of a metric; an unknown name is a UsageError that lists the known ones."""
    try:
        return METRICS[name]
    except KeyError:
        raise UsageError(f"未知指标：{name!r}（可用：{', '.join(METRICS)}）") from None


def metric_settings(metric: MetricDef, settings: Settings) -> dict[str, float]:
    """The thresholds a metric uses, by name, with their values."""
    return {name: getattr(settings, name) for name in metric.settings}


# ---------------------------------------------------------------------------------------------------
# Public API (re-exported by analytics.metrics)


def window_of(period: Period | Window, as_of: date | None = None) -> Window:
    """The window a period is computed over as of `as_of` (default today): to its last day when
    complete, to `as_of` while in progress; a period not yet begun is a UsageError. A Window is
    returned as it is."""
    return period if isinstance(period, Window) else period_window(period, as_of)


def comparison_window(window: Window, compare: Period | Window | None = None, as_of: date | None = None) -> Window:
    """What a window is compared with: `compare` as of `as_of` when given, else the period before of
    the same kind, over the same days from its start while `window` is in progress."""
    if compare is None:
        return window.previous
    return window_of(compare, as_of)


def week_values(
    con: duckdb.DuckDBPyConnection,
    week: Period | Window,
    settings: Settings = DEFAULT_SETTINGS,
    departments: Collection[str] | None = None,
    *,
    as_of: date | None = None,
) -> dict[str, float | int | None]:
    """Every metric of a period (a week, month, quarter or year), by name in metrics.md order, rounded
    as metrics.md says, computed as of `as_of` (default today: an in-progress period up to today).

    `departments=None` is the whole company; a collection keeps, in every ledger, only the rows whose
    department column is in it ('（未填）' names rows without one). The `no_outcome` meeting rule,
    the pricing of supply rows and stock positions still look at the whole ledgers (see the package
    docstring).
    """
    window = window_of(week, as_of)
    tallies = _tallies(con, METRICS.values(), [window], settings, departments)
    return {name: _tally_value(metric, _tally(tallies, name, 0)) for name, metric in METRICS.items()}


def week_report(
    con: duckdb.DuckDBPyConnection,
    week: Period | Window,
    settings: Settings = DEFAULT_SETTINGS,
    departments: Collection[str] | None = None,
    names: Sequence[str] | None = None,
    *,
    as_of: date | None = None,
    compare: Period | Window | None = None,
) -> list[MetricResult]:
    """Every metric (or those named) for a period, with the previous value and the change.

    The previous value is the period before's (over the same weekdays while this one is in progress),
    or that of `compare` when given (any period, as of `as_of` if it is in progress)."""
    metrics = [metric_def(name) for name in names] if names is not None else list(METRICS.values())
    window = window_of(week, as_of)
    before = comparison_window(window, compare, as_of)
    tallies = _tallies(con, metrics, [before, window], settings, departments)
    results = []
    for metric in metrics:
        tally = _tally(tallies, metric.name, 1)
        value = _tally_value(metric, tally)
        previous = _tally_value(metric, _tally(tallies, metric.name, 0))
        numerator, denominator = _tally_parts(metric, tally)
        note = metric_note(metric, value is None, tally.left_out, tally.lacking, tally.unknown)
        results.append(
            MetricResult(
                name=metric.name,
                week=window.period,
                value=value,
                numerator=numerator,
                denominator=denominator,
                previous=previous,
                delta=_delta(metric, value, previous),
                settings=metric_settings(metric, settings),
                problem=tally.problem,
                window=window,
                previous_window=before,
                note=note.zh if note else None,
                note_en=note.en if note else None,
            )
        )
    return results


def metric_result(
    con: duckdb.DuckDBPyConnection,
    name: str,
    week: Period | Window,
    settings: Settings = DEFAULT_SETTINGS,
    departments: Collection[str] | None = None,
    *,
    as_of: date | None = None,
    compare: Period | Window | None = None,
) -> MetricResult:
    """One metric for a period, with the previous value and the change."""
    return week_report(con, week, settings, departments, names=[name], as_of=as_of, compare=compare)[0]


TREND_COLUMNS = ["week", "week_start", "metric", "value", "numerator", "denominator"]


def trend(
    con: duckdb.DuckDBPyConnection,
    names: Sequence[str],
    first: Week,
    last: Week,
    settings: Settings = DEFAULT_SETTINGS,
    departments: Collection[str] | None = None,
    *,
    as_of: date | None = None,
) -> pd.DataFrame:
    """The named metrics over every week from `first` to `last`: one row per metric and week.

    A week in progress is computed as of `as_of` (default today); weeks not begun are left out. Each
    population query runs once for all the weeks. Rows are in the order of `names`, then week.
    """
    metrics = [metric_def(name) for name in names]
    day = as_of or today()
    windows = [period_window(week, day) for week in weeks_between(first, last) if week.start <= day]
    tallies = _tallies(con, metrics, windows, settings, departments)
    rows = [
        (str(window.period), window.start, metric.name, *_numbers(metric, _tally(tallies, metric.name, i)))
        for metric in metrics
        for i, window in enumerate(windows)
    ]
    return _numbers_frame(rows, TREND_COLUMNS)


def breakdown(
    con: duckdb.DuckDBPyConnection,
    name: str,
    week: Period | Window,
    settings: Settings = DEFAULT_SETTINGS,
    departments: Collection[str] | None = None,
    *,
    as_of: date | None = None,
) -> pd.DataFrame:
    """A metric per department of its ledger (rows without one as '（未填）'), sorted by department.

    Supply stock (idle value, shortage items) belongs to no department and is all under '（未填）';
    a schedule conflict belongs to the department that requested the later entry of the pair.
    """
    metric = metric_def(name)
    tallies = _tallies(con, [metric], [window_of(week, as_of)], settings, departments, by_department=True)
    rows = sorted(
        ((department, *_numbers(metric, tally)) for (_, _, department), tally in tallies.items() if not tally.problem),
        key=lambda row: (row[0] == UNFILLED_DEPARTMENT, row[0]),
    )
    return _numbers_frame(rows, ["department", "value", "numerator", "denominator"])


def metric_rows(
    con: duckdb.DuckDBPyConnection,
    name: str,
    week: Period | Window,
    settings: Settings = DEFAULT_SETTINGS,
    departments: Collection[str] | None = None,
    *,
    as_of: date | None = None,
) -> pd.DataFrame:
    """The rows behind a metric in a period: its population with `in_numerator` (rates) and the reasons.

    For counts and sums, the counted rows; department first ('（未填）' when blank).
    """
    metric = metric_def(name)
    window = window_of(week, as_of)
    population, params = _scoped_population(metric.query, [window], settings, _departments_list(departments))
    flag = f', coalesce("{metric.numerator}", false) as in_numerator' if metric.numerator else ""
    where = f"where {_counted(metric)}"
    hidden = ", _lacking" if re.search(r"\b_lacking\b", population_sql(metric.query)) else ""
    sql = (
        f"select {department_label('department')} as department{flag}, * exclude (window_id, department{hidden})\n"
        f"from (\n{population}\n) as population\n{where}\norder by all"
    )
    return con.execute(sql, params).df()


def department_table(
    con: duckdb.DuckDBPyConnection,
    metrics: Sequence[MetricDef],
    period: Period | Window,
    settings: Settings = DEFAULT_SETTINGS,
    departments: Collection[str] | None = None,
    *,
    as_of: date | None = None,
) -> pd.DataFrame:
    """Several metrics per department over one period, in one query per population: one row per
    department and metric (department, metric, value, numerator, denominator, and the raw
    `exact_numerator`, `exact_denominator` before rounding, so that totals add up exactly).

    `metrics` may hold definitions outside the registry (the bulletin's 交办, 红牌, 黄牌) whose queries
    live in a folder under sql/metrics (`bulletin/decisions_open`).
    """
    tallies = _tallies(con, metrics, [window_of(period, as_of)], settings, departments, by_department=True)
    by_name = {metric.name: metric for metric in metrics}
    rows = [
        (department, name, *_numbers(by_name[name], tally), tally.numerator, tally.denominator)
        for (name, _, department), tally in tallies.items()
        if not tally.problem
    ]
    columns = ["department", "metric", "value", "numerator", "denominator", "exact_numerator", "exact_denominator"]
    return pd.DataFrame(rows, columns=columns)


def population_rows(
    con: duckdb.DuckDBPyConnection,
    metric: MetricDef,
    period: Period | Window,
    settings: Settings = DEFAULT_SETTINGS,
    departments: Collection[str] | None = None,
    *,
    as_of: date | None = None,
) -> pd.DataFrame:
    """The rows behind a metric definition that need not be registered (as `metric_rows` does for a name)."""
    window = window_of(period, as_of)
    population, params = _scoped_population(metric.query, [window], settings, _departments_list(departments))
    where = f'where "{metric.where}"' if metric.where else ""
    sql = (
        f"select {department_label('department')} as department, * exclude (window_id, department)\n"
        f"from (\n{population}\n) as population\n{where}\norder by all"
    )
    return con.execute(sql, params).df()


def latest_week_with_data(con: duckdb.DuckDBPyConnection, today: date | None = None) -> Week | None:
    """The last complete week (its Sunday before today) in which any ledger row has a date; None if none."""
    cutoff = last_complete_week(today).end
    parts = [
        f'select max(cast("{column.name}" as date)) as day from {ledger.name} '
        f'where cast("{column.name}" as date) <= $cutoff'
        for ledger in LEDGERS.values()
        for column in ledger.columns
        if column.type in ("date", "datetime")
    ]
    row = con.execute("select max(day) from (" + " union all ".join(parts) + ")", {"cutoff": cutoff}).fetchone()
    return Week.containing(row[0]) if row and row[0] is not None else None


def ledgers_with_rows(
    con: duckdb.DuckDBPyConnection,
    week: Period | Window,
    departments: Collection[str] | None = None,
    *,
    as_of: date | None = None,
) -> set[str]:
    """The ledgers with at least one row (of those departments) with a date in the period's window: a
    count of 0 from a ledger without any is "no data", not a result."""
    window = window_of(week, as_of)
    scope = _departments_list(departments)
    found = set()
    for ledger in LEDGERS.values():
        dated = [column.name for column in ledger.columns if column.type in ("date", "datetime")]
        if not dated:
            continue
        within = " or ".join(f'cast("{name}" as date) between $start and $end' for name in dated)
        where = f"({within})"
        params: dict[str, Any] = {"start": window.start, "end": window.end}
        if scope is not None and ledger.department_column:
            where += (
                f" and list_contains(cast($departments as varchar[]), {department_label(ledger.department_column)})"
            )
            params["departments"] = scope
        if con.execute(f"select exists (select 1 from {ledger.name} where {where})", params).fetchone()[0]:
            found.add(ledger.name)
    return found


def departments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every department named in any ledger's department column (for the department filter)."""
    parts = [
        f"select nullif(trim({ledger.department_column}), '') as department from {ledger.name}"
        for ledger in LEDGERS.values()
        if ledger.department_column
    ]
    rows = con.execute(
        "select distinct department from (" + " union all ".join(parts) + ") where department is not null"
    ).fetchall()
    return sorted(row[0] for row in rows)
