"""Thresholds behind the metrics, with the defaults of shared/spec/metrics.md.

Users change them in a TOML file beside the database (`settings.toml`) or on the definitions page.
Every metric result carries the settings that produced it.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from analytics.errors import UsageError


@dataclass(frozen=True)
class Settings:
    """Metric thresholds (names as in metrics.md)."""

    overrun_factor: float = 1.25
    low_rating_max: float = 2
    minutes_sla_hours: float = 24
    idle_days: int = 90
    shortage_cover_days: float = 7
    response_sla_minutes: float = 5
    update_interval_minutes: float = 30
    report_sla_hours: float = 24

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    def with_changes(self, **changes: float) -> Settings:
        return replace(self, **changes)


SETTING_LABELS: dict[str, tuple[str, str]] = {
    "overrun_factor": ("超时倍数（实际时长超过计划时长的倍数）", "Overrun factor (actual / planned minutes)"),
    "low_rating_max": ("低评分上限（评分不高于此值为低效）", "Low rating (rating at or below is low)"),
    "minutes_sla_hours": ("纪要出具时限（小时）", "Minutes deadline (hours)"),
    "idle_days": ("闲置天数（此期间无领用为闲置）", "Idle days (no issue within)"),
    "shortage_cover_days": ("短缺覆盖天数", "Shortage cover (days of demand)"),
    "response_sla_minutes": ("响应时限（分钟）", "Response deadline (minutes)"),
    "update_interval_minutes": ("进展通报间隔（分钟）", "Progress update interval (minutes)"),
    "report_sla_hours": ("总结报告时限（小时）", "Summary report deadline (hours)"),
}


def load_settings(path: Path | None) -> Settings:
    """Read settings from a TOML file; a missing file gives the defaults. Unknown or non-positive values are refused."""
    if path is None or not path.exists():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"设置文件 {path} 无法读取：{exc}") from exc
    values = raw.get("thresholds", raw)
    known = {f.name: f.type for f in fields(Settings)}
    changes: dict[str, float] = {}
    for name, value in values.items():
        if name not in known:
            raise UsageError(f"设置文件 {path} 中有未知设置「{name}」；可用：{', '.join(known)}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise UsageError(f"设置文件 {path} 中「{name}」的值 {value!r} 不是正数")
        changes[name] = int(value) if name == "idle_days" else float(value)
    return replace(Settings(), **changes)


def save_settings(settings: Settings, path: Path) -> None:
    """Write settings as TOML (only the `[thresholds]` table)."""
    lines = ["# 指标阈值 / metric thresholds — see the 指标说明 page", "[thresholds]"]
    lines += [f"{name} = {value!r}" for name, value in settings.as_dict().items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
