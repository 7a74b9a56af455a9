"""Hostile values already in a ledger or in the settings: no metric overflows, and one that cannot be
computed says why while every other metric answers (engine, command line)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics.cli import main
from analytics.db import connect
from analytics.errors import UsageError
from analytics.metrics import week_report, week_values
from analytics.settings import Settings, load_settings, save_settings
from tests.metrics_fixtures import W47, decision, insert, supply

DECISIONS = [decision("D1", "2026-11-18", "2026-11-17"), decision("D2", "2026-11-20")]  # 1 of 2 due done


def test_a_price_of_1e30_is_summed_without_overflow() -> None:
    """Loaded before prices had a ceiling: 10 scrapped at ¥1e30 is ¥1e31 of waste, not a failed page."""
    with connect(":memory:") as con:
        insert(con, "decisions", *DECISIONS)
        insert(
            con,
            "supplies",
            supply("S1", "2026-11-02", "笔", "purchase", 100, 2.0),
            supply("S2", "2026-11-17", "笔", "scrap", 10, 1e30),
        )
        values = week_values(con, W47)
    assert values["supply_waste_value"] == 1e31
    assert values["decision_completion_rate"] == 0.5


def test_a_metric_that_cannot_be_computed_is_missing_with_its_reason_and_the_others_answer() -> None:
    """A quantity of 1e40 does not fit the stock's exact decimals: the stock metrics fail, alone."""
    with connect(":memory:") as con:
        insert(con, "decisions", *DECISIONS)
        insert(con, "supplies", supply("S1", "2026-11-02", "笔", "opening", 1e40, 2.0))
        report = {result.name: result for result in week_report(con, W47)}
    assert report["supply_idle_value"].value is None
    assert report["supply_idle_value"].problem.startswith("无法计算：台账中有超出可计算范围的数值")
    assert report["supply_shortage_items"].problem == report["supply_idle_value"].problem
    assert report["decision_completion_rate"].value == 0.5 and report["decision_completion_rate"].problem is None
    assert report["supply_waste_value"].value == 0.0


def test_the_command_line_json_answers_the_others_with_a_note(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "ops.duckdb"
    with connect(db) as con:
        insert(con, "decisions", *DECISIONS)
        insert(con, "supplies", supply("S1", "2026-11-02", "笔", "opening", 1e40, 2.0))
    assert main(["metrics", "--week", "2026-W47", "--format", "json", "--db", str(db)]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["metrics"]["decision_completion_rate"] == 0.5
    assert answer["metrics"]["supply_idle_value"] is None
    assert set(answer["notes"]) == {"supply_idle_value", "supply_shortage_items"}
    assert main(["metrics", "--week", "2026-W47", "--db", str(db)]) == 0
    table = capsys.readouterr().out
    assert "— 闲置库存金额：无法计算：台账中有超出可计算范围的数值" in table


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("idle_days", 99999999999),
        ("idle_days", 0),
        ("idle_days", 2.5),
        ("overrun_factor", float("inf")),
        ("low_rating_max", 6),
    ],
)
def test_a_setting_out_of_its_range_is_refused_on_save_and_on_load(tmp_path: Path, name: str, value: float) -> None:
    """idle_days = 99999999999 once broke every metric; now it never becomes a Settings."""
    with pytest.raises(UsageError, match=name):
        Settings().with_changes(**{name: value})
    path = tmp_path / "settings.toml"
    save_settings(Settings(), path)
    path.write_text(path.read_text(encoding="utf-8").replace(f"{name} = ", f"{name} = {value!r} #"), encoding="utf-8")
    with pytest.raises(UsageError, match=f"settings.toml 中「{name}」"):
        load_settings(path)


def test_a_bad_settings_file_is_a_plain_message_on_the_command_line(tmp_path: Path, capsys) -> None:
    db = tmp_path / "ops.duckdb"
    (tmp_path / "settings.toml").write_text("[thresholds]\nidle_days = 99999999999\n", encoding="utf-8")
    assert main(["metrics", "--week", "2026-W47", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "idle_days" in err and "超出范围（应在 1 到 3650 之间）" in err and "Traceback" not in err
