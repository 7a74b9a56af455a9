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


@pytest.mark.parametrize("body", ["[thresholds]\nidle_dayz = 3\n", "[thresholds]\nidle_days = -1\n", "idle_days = 'x'\n", "[["])
def test_a_bad_settings_file_is_refused_with_its_name(tmp_path: Path, body: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(UsageError, match="settings.toml"):
        load_settings(path)
