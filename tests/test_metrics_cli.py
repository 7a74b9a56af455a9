"""`python -m analytics metrics`: JSON with every metric and nothing else, a readable table, the default week."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from analytics.db import connect
from analytics.metrics import METRICS
from tests.conftest import PROJECT_ROOT, PYTHON
from tests.metrics_fixtures import decision, insert, meeting, supply


def run_cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PYTHON), "-m", "analytics", "metrics", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT_ROOT,
    )


@pytest.fixture
def loaded_db(db_path: Path) -> Path:
    with connect(db_path) as con:
        insert(
            con,
            "decisions",
            decision("D1", "2026-11-17", "2026-11-17", meeting_id="M1"),
            decision("D2", "2026-11-18"),
            decision("D0", "2026-11-10", "2026-11-10"),
        )
        insert(con, "meetings", meeting("M1", "2026-11-17 09:00", "2026-11-17 10:00", attendees=3))
        insert(
            con,
            "supplies",
            supply("S1", "2026-11-02", "笔", "purchase", 10, 2.5),
            supply("S2", "2026-11-17", "笔", "issue", 4),
            supply("S3", "2026-11-18", "笔", "scrap", 1),
        )
    return db_path


def test_json_is_one_object_with_every_metric(loaded_db: Path) -> None:
    result = run_cli("--week", "2026-W47", "--format", "json", db=loaded_db)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert {"week", "start", "end", "metrics"} <= set(payload)
    assert (payload["week"], payload["start"], payload["end"]) == ("2026-W47", "2026-11-16", "2026-11-22")
    assert list(payload["metrics"]) == list(METRICS)
    metrics = payload["metrics"]
    assert metrics["decisions_due"] == 2 and metrics["decision_completion_rate"] == 0.5
    assert metrics["meeting_person_hours"] == 3.0 and metrics["low_efficiency_meeting_share"] == 0.0
    assert metrics["supply_waste_value"] == 2.5 and metrics["supply_waste_rate"] == round(2.5 / 12.5, 4)
    assert metrics["incident_response_on_time_rate"] is None and metrics["incidents"] == 0
    assert payload["settings"]["overrun_factor"] == 1.25


def test_without_a_week_it_takes_the_latest_complete_week_with_data(loaded_db: Path) -> None:
    result = run_cli("--format", "json", db=loaded_db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["week"] == "2026-W47"


def test_the_settings_file_beside_the_database_changes_the_numbers(loaded_db: Path) -> None:
    (loaded_db.parent / "settings.toml").write_text("[thresholds]\nminutes_sla_hours = 48\n", encoding="utf-8")
    payload = json.loads(run_cli("--week", "2026-W47", "--format", "json", db=loaded_db).stdout)
    assert payload["settings"]["minutes_sla_hours"] == 48


def test_the_table_is_in_chinese_with_percentages_money_and_last_week(loaded_db: Path) -> None:
    result = run_cli("--week", "2026-W47", db=loaded_db)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "【决议督办台账】" in text and "【办公用品台账】" in text
    assert "决议执行率" in text and "50.0%" in text and "100.0%" in text  # this week, last week
    assert "-50.0个百分点" in text
    assert "¥2.50" in text
    english = run_cli("--week", "2026-W47", "--lang", "en", db=loaded_db).stdout
    assert "Decision completion rate" in english and "-50.0 pp" in english


def test_an_empty_database_answers_a_named_week_with_nulls_and_zeros(db_path: Path) -> None:
    result = run_cli("--week", "2026-W47", "--format", "json", db=db_path)
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout)["metrics"]
    assert metrics["decisions_due"] == 0 and metrics["decision_completion_rate"] is None
    assert not db_path.exists()  # asking a question creates no database


def test_an_empty_database_without_a_week_is_a_one_line_usage_error(db_path: Path) -> None:
    result = run_cli("--format", "json", db=db_path)
    assert result.returncode == 2
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1


def test_a_bad_week_is_a_usage_error(db_path: Path) -> None:
    result = run_cli("--week", "2026-W54", db=db_path)
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr


def test_a_week_in_progress_is_computed_as_of_today_and_says_so(loaded_db: Path) -> None:
    with connect(loaded_db) as con:
        insert(
            con,
            "decisions",
            decision("E1", "2026-11-23", "2026-11-24"),
            decision("E2", "2026-11-27"),  # due Friday: not yet counted
        )
    payload = json.loads(run_cli("--week", "2026-W48", "--format", "json", db=loaded_db).stdout)
    assert (payload["week"], payload["start"], payload["end"]) == ("2026-W48", "2026-11-23", "2026-11-29")
    assert (payload["as_of"], payload["complete"]) == ("2026-11-25", False)
    assert payload["metrics"]["decisions_due"] == 1 and payload["metrics"]["decision_completion_rate"] == 1.0
    complete = json.loads(run_cli("--week", "2026-W47", "--format", "json", db=loaded_db).stdout)
    assert (complete["as_of"], complete["complete"]) == ("2026-11-22", True)
    table = run_cli("--week", "2026-W48", db=loaded_db).stdout
    assert "本周进行中 · 截至 11月25日" in table and "2026-11-16 至 2026-11-18" in table


def test_a_period_answers_like_a_week_with_period_in_place_of_week(loaded_db: Path) -> None:
    result = run_cli("--period", "2026-11", "--format", "json", db=loaded_db)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert "week" not in payload
    assert (payload["period"], payload["start"], payload["end"]) == ("2026-11", "2026-11-01", "2026-11-30")
    assert (payload["as_of"], payload["complete"]) == ("2026-11-25", False)
    # D0 (11-10) and D1 done; D2 (11-18) open
    assert payload["metrics"]["decisions_due"] == 3 and payload["metrics"]["decision_completion_rate"] == 0.6667
    october = json.loads(run_cli("--period", "2026-10", "--format", "json", db=loaded_db).stdout)
    assert (october["as_of"], october["complete"], october["metrics"]["decisions_due"]) == ("2026-10-31", True, 0)
    week = json.loads(run_cli("--period", "2026-W47", "--format", "json", db=loaded_db).stdout)
    assert week["period"] == "2026-W47" and week["metrics"]["decisions_due"] == 2
    for period, start in (("2026-Q4", "2026-10-01"), ("2026", "2026-01-01")):
        payload = json.loads(run_cli("--period", period, "--format", "json", db=loaded_db).stdout)
        assert (payload["period"], payload["start"], payload["metrics"]["decisions_due"]) == (period, start, 3)


def test_a_week_or_period_not_begun_is_a_usage_error(loaded_db: Path) -> None:
    for args in (("--week", "2026-W49"), ("--period", "2026-12"), ("--period", "2027"), ("--period", "2026-13")):
        result = run_cli(*args, "--format", "json", db=loaded_db)
        assert result.returncode == 2, args
        assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_show_sql_prints_the_statement_the_engine_runs_for_one_metric(loaded_db: Path) -> None:
    result = run_cli("--show-sql", "decision_completion_rate", "--week", "2026-W47", db=loaded_db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("-- decision_completion_rate 决议执行率")
    assert "analytics/sql/metrics/decisions_due.sql" in lines[1]
    params = {
        line.split(" = ")[0].removeprefix("-- $"): json.loads(line.split(" = ", 1)[1])
        for line in lines
        if line.startswith("-- $")
    }
    assert params == {"window_starts": ["2026-11-16"], "window_ends": ["2026-11-22"]}
    with connect(loaded_db) as con:  # run as printed: D1 done on its due date, D2 open, both due in W47
        row = con.execute(result.stdout, params).fetchone()
    assert row[:3] == (0, 1, 2)  # window 0: numerator 1, denominator 2


def test_show_sql_of_an_unknown_metric_is_a_usage_error(loaded_db: Path) -> None:
    result = run_cli("--show-sql", "coffee_rate", db=loaded_db)
    assert result.returncode == 2
    assert "未知指标" in result.stderr and "decision_completion_rate" in result.stderr
