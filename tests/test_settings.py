"""Thresholds: defaults from metrics.md, read from and written to a TOML file."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.errors import UsageError
from analytics.settings import Settings, load_settings, save_settings


def test_defaults_are_the_ones_metrics_md_names() -> None:
    assert Settings().as_dict() == {
        "overrun_factor": 1.25,
        "low_rating_max": 2,
        "minutes_sla_hours": 24,
        "idle_days": 90,
        "shortage_cover_days": 7,
        "response_sla_minutes": 5,
        "update_interval_minutes": 30,
        "report_sla_hours": 24,
        "warn_working_days": 3,
    }


def test_a_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "settings.toml") == Settings()


def test_saved_settings_read_back(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    save_settings(Settings().with_changes(idle_days=60, overrun_factor=1.5), path)
    loaded = load_settings(path)
    assert loaded.idle_days == 60 and isinstance(loaded.idle_days, int)
    assert loaded.overrun_factor == 1.5
    assert loaded.minutes_sla_hours == 24


@pytest.mark.parametrize(
    "body", ["[thresholds]\nidle_dayz = 3\n", "[thresholds]\nidle_days = -1\n", "idle_days = 'x'\n", "[["]
)
def test_a_bad_settings_file_is_refused_with_its_name(tmp_path: Path, body: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(UsageError, match="settings.toml"):
        load_settings(path)


def test_saving_thresholds_keeps_the_robots_and_the_dashboard_address(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        'dashboard_url = "http://ops.example.cn/"\n\n[thresholds]\nidle_days = 60\n\n'
        '[push.office]\nkind = "wecom"\nurl = "http://127.0.0.1:9/send?key=k"\n',
        encoding="utf-8",
    )
    assert load_settings(path).idle_days == 60
    save_settings(Settings().with_changes(warn_working_days=5), path)
    text = path.read_text(encoding="utf-8")
    assert 'dashboard_url = "http://ops.example.cn/"' in text and "[push.office]" in text and 'kind = "wecom"' in text
    loaded = load_settings(path)
    assert loaded.warn_working_days == 5 and isinstance(loaded.warn_working_days, int) and loaded.idle_days == 90


def test_robots_beside_top_level_thresholds_are_not_unknown_settings(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('idle_days = 30\ndashboard_url = "http://x/"\n[push.a]\nkind = "feishu"\nurl = "http://y/"\n')
    assert load_settings(path).idle_days == 30


def test_a_fractional_number_of_working_days_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("[thresholds]\nwarn_working_days = 2.5\n", encoding="utf-8")
    with pytest.raises(UsageError, match="warn_working_days"):
        load_settings(path)


def test_targets_are_read_with_the_settings_and_checked(tmp_path) -> None:
    from analytics import targets

    path = tmp_path / "settings.toml"
    path.write_text(
        "[thresholds]\noverrun_factor = 1.5\n[targets]\ndecision_completion_rate = { good = 0.7, alert = 0.6 }\n",
        encoding="utf-8",
    )
    try:
        assert load_settings(path).overrun_factor == 1.5
        assert (targets.TARGETS["decision_completion_rate"].good, targets.status("decision_completion_rate", 0.65)) == (
            0.7,
            "watch",
        )
        assert targets.TARGETS["supply_waste_rate"] == targets.DEFAULT_TARGETS["supply_waste_rate"]
        for bad in (
            "decision_completion_rate = { good = 0.7, alert = 0.8 }",  # higher is better: alert above target
            "supply_waste_rate = { good = 0.05, alert = 0.03 }",  # lower is better: alert below target
            "decision_completion_rate = { good = 1.5, alert = 0.8 }",  # a rate above 100%
            "meetings_held = { good = 1, alert = 0 }",  # no band for this metric
            "decision_completion_rate = 0.9",
        ):
            path.write_text(f"[targets]\n{bad}\n", encoding="utf-8")
            with pytest.raises(UsageError):
                load_settings(path)
        # saved with the thresholds: only bands that differ from the defaults, other sections kept
        path.write_text('dashboard_url = "http://oa"\n', encoding="utf-8")
        bands = {name: (t.good, t.alert) for name, t in targets.DEFAULT_TARGETS.items()}
        save_settings(Settings(), path, targets={**bands, "docs_overdue": (1.0, 4.0)})
        text = path.read_text(encoding="utf-8")
        assert 'dashboard_url = "http://oa"' in text and "docs_overdue = { good = 1.0, alert = 4.0 }" in text
        assert "decision_completion_rate" not in text
        load_settings(path)
        assert targets.TARGETS["docs_overdue"].alert == 4.0
        save_settings(Settings(), path, targets={})  # restore defaults: the [targets] table goes
        assert "[targets]" not in path.read_text(encoding="utf-8")
    finally:
        targets.use({})
