"""Every metric of shared/spec/metrics.md, computed in one place (DuckDB SQL in analytics/sql/metrics).

The dashboard, the report, the notebooks and the command line call only what is listed here:

- `METRICS` (name → MetricDef, in metrics.md order) and `HEADLINE`, the three headline metrics;
- `week_values`, `week_report`, `metric_result`: one week, with last week and the change;
- `trend`, `breakdown`, `metric_rows`: over weeks, per department, and the rows behind a number;
- `latest_week_with_data`, `departments`: what to offer in the week picker and department filter.

A `departments` argument restricts every ledger to rows whose department column is in it; the
meeting rule `no_outcome` still looks at the whole decisions ledger (a meeting's decisions may be
owned by other departments), and supply rows are still priced from the whole supplies ledger.
"""

from analytics.metrics.engine import (
    UNFILLED_DEPARTMENT,
    MetricResult,
    breakdown,
    departments,
    latest_week_with_data,
    metric_def,
    metric_result,
    metric_rows,
    trend,
    week_report,
    week_values,
)
from analytics.metrics.registry import HEADLINE, METRICS, MetricDef

__all__ = [
    "HEADLINE",
    "METRICS",
    "UNFILLED_DEPARTMENT",
    "MetricDef",
    "MetricResult",
    "breakdown",
    "departments",
    "latest_week_with_data",
    "metric_def",
    "metric_result",
    "metric_rows",
    "trend",
    "week_report",
    "week_values",
]
