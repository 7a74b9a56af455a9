"""Every metric of shared/spec/metrics.md, computed in one place (DuckDB SQL in analytics/sql/metrics).

The dashboard, the report, the notebooks and the command line call only what is listed here:

- `METRICS` (name → MetricDef, in metrics.md order: every per-metric fact), `HEADLINE` (the three headline
  metrics), `SERVICE_LEVELS`, `REVIEW` (both, the weekly review's order) and `FOCUS` (ledger → its page's metric);
- `week_values`, `week_report`, `metric_result`: one period (a Week, Month, Quarter or Year, as of today
  while in progress: analytics.weeks.Window), with the previous period (or `compare=`) and the change;
- `trend`, `breakdown`, `metric_rows`: over weeks, per department, and the rows behind a number;
- `latest_week_with_data`, `departments`: what to offer in the week picker and department filter;
- `ledgers_with_rows`: which ledgers have any row dated in a period (an empty one shows 无数据, not 0).

A `departments` argument restricts every ledger to rows whose department column is in it ('（未填）'
names rows without one), with three lookups that still see the whole company:
- the meeting rule `no_outcome` looks at the whole decisions ledger (a meeting's decisions may be
  owned by other departments), and so does "the decisions ledger has at least one row";
- supply rows are priced from the whole supplies ledger (a price belongs to the item);
- stock (idle value, shortage) is the shared store's: on-hand, demand and current price come from the
  whole ledger, and the filter keeps the items that have a row of those departments.
"""

from analytics.metrics.engine import (
    UNFILLED_DEPARTMENT,
    MetricResult,
    breakdown,
    departments,
    latest_week_with_data,
    ledgers_with_rows,
    metric_def,
    metric_result,
    metric_rows,
    trend,
    week_report,
    week_values,
    window_of,
)
from analytics.metrics.registry import FOCUS, HEADLINE, METRICS, REVIEW, SERVICE_LEVELS, MetricDef

__all__ = [
    "FOCUS",
    "HEADLINE",
    "METRICS",
    "REVIEW",
    "SERVICE_LEVELS",
    "UNFILLED_DEPARTMENT",
    "MetricDef",
    "MetricResult",
    "breakdown",
    "departments",
    "latest_week_with_data",
    "ledgers_with_rows",
    "metric_def",
    "metric_result",
    "metric_rows",
    "trend",
    "week_report",
    "week_values",
    "window_of",
]
