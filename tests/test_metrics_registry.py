"""The registry is metrics.md: the same names in the same order, and every metric answers on an empty database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analytics.db import connect
from analytics.ledgers import LEDGERS
from analytics.metrics import HEADLINE, METRICS, breakdown, metric_rows, trend, week_report, week_values
from analytics.metrics.engine import SHARED_INPUTS_DIR, SQL_DIR, population_sql
from analytics.settings import Settings
from tests.metrics_fixtures import W46, W47

SPEC = Path("/work/shared/spec/metrics.md")


def spec_metric_names() -> list[str]:
    """The first column of every metric table in metrics.md (a table whose header starts with `metric`)."""
    names, in_metric_table = [], False
    for line in SPEC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            in_metric_table = False
            continue
        first = line.split("|")[1].strip()
        if first == "metric":
            in_metric_table = True
        elif in_metric_table and (match := re.match(r"`([a-z_]+)`", first)):
            names.append(match.group(1))
    return names


@pytest.mark.skipif(not SPEC.exists(), reason="the shared spec is not on this machine")
def test_the_registry_names_exactly_the_metrics_of_the_spec_in_its_order() -> None:
    assert list(METRICS) == spec_metric_names()


def test_the_headline_metrics_are_the_three_the_seed_names() -> None:
    assert HEADLINE == ("decision_completion_rate", "low_efficiency_meeting_share", "supply_waste_rate")
    assert all(METRICS[name].headline for name in HEADLINE)


@pytest.mark.parametrize("metric", METRICS.values(), ids=list(METRICS))
def test_each_declaration_is_complete_and_consistent(metric) -> None:
    assert metric.label_zh and metric.label_en and metric.definition_zh and metric.definition_en
    assert metric.ledger in LEDGERS
    assert metric.department_column == LEDGERS[metric.ledger].department_column
    assert set(metric.settings) <= set(Settings().as_dict())
    assert (SQL_DIR / f"{metric.query}.sql").exists()
    assert (metric.numerator is not None) == (metric.aggregate in ("share", "ratio"))
    assert (metric.value is not None) == (metric.aggregate in ("sum", "mean", "ratio"))
    assert (metric.unit == "rate") == (metric.aggregate in ("share", "ratio"))
    for setting in metric.settings:  # a declared setting is one the metric's SQL really reads
        assert f"${setting}" in population_sql(metric.query)


@pytest.mark.parametrize("path", sorted(SQL_DIR.glob("*.sql")), ids=lambda p: p.name)
def test_each_sql_file_follows_the_house_style(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.rstrip().endswith("select * from final")
    code = re.sub(r"'[^']*'", "''", population_sql(path.stem))  # without comments and string literals
    assert code == code.lower()
    assert any(metric.query == path.stem for metric in METRICS.values()), "a SQL file no metric uses"


QUERY_FILES = sorted(path for path in SQL_DIR.rglob("*.sql") if path.parent != SHARED_INPUTS_DIR)


@pytest.mark.parametrize("path", sorted(SHARED_INPUTS_DIR.glob("*.sql")), ids=lambda p: p.name)
def test_each_shared_input_is_put_in_front_of_the_queries_that_read_it_and_restated_in_none(path: Path) -> None:
    definition = f"{path.stem} as ("
    queries = [str(query.relative_to(SQL_DIR).with_suffix("")) for query in QUERY_FILES]
    assert any(definition in population_sql(query) for query in queries), "a shared input no query reads"
    assert [query for query in QUERY_FILES if definition in query.read_text(encoding="utf-8")] == []
    code = re.sub(r"--.*|'[^']*'", "''", path.read_text(encoding="utf-8"))  # without comments and strings
    assert code == code.lower()


def test_every_metric_answers_on_an_empty_database() -> None:
    with connect(":memory:") as con:
        values = week_values(con, W47)
        assert list(values) == list(METRICS)
        for name, metric in METRICS.items():
            expected = 0 if metric.aggregate in ("count", "sum") else None
            assert values[name] == expected, name
            assert metric_rows(con, name, W47).empty
            assert breakdown(con, name, W47).empty
        report = week_report(con, W47)
        assert [r.name for r in report] == list(METRICS)
        frame = trend(con, list(METRICS), W46, W47)
        assert len(frame) == 2 * len(METRICS)


def test_counts_are_ints_and_sums_are_zero_not_null_on_an_empty_week() -> None:
    with connect(":memory:") as con:
        values = week_values(con, W47)
    for name, metric in METRICS.items():
        if metric.unit == "count":
            assert type(values[name]) is int, name
        if metric.aggregate == "sum":
            assert values[name] == 0, name
