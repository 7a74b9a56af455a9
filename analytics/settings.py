"""Thresholds behind the metrics, with the defaults of shared/spec/metrics.md.

Users change them in a TOML file beside the database (`settings.toml`) or on the definitions page.
Every metric result carries the settings that produced it.
"""

from __future__ import annotations

import os
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
    warn_working_days: int = 3

    def __post_init__(self) -> None:
        problems = [problem for name, value in asdict(self).items() if (problem := setting_problem(name, value))]
        if problems:
            raise UsageError("；".join(problems))

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
    "warn_working_days": ("即将到期提前量（工作日）", "Due-soon warning (working days)"),
}
INTEGER_SETTINGS = frozenset({"idle_days", "warn_working_days"})
# Tables and keys of the settings file that are not thresholds (group robots, the dashboard's address):
# read by analytics.push, kept as they are when the thresholds are saved.
OTHER_KEYS = frozenset({"push", "dashboard_url", "gm_name", "targets"})


SETTING_RANGES: dict[str, tuple[float, float]] = {
    "overrun_factor": (1, 10),
    "low_rating_max": (1, 5),
    "minutes_sla_hours": (0.1, 8760),
    "idle_days": (1, 3650),
    "shortage_cover_days": (0.1, 365),
    "response_sla_minutes": (0.1, 10080),
    "update_interval_minutes": (1, 10080),
    "report_sla_hours": (0.1, 8760),
    "warn_working_days": (1, 60),
}
"""The values a setting may take (both ends included): beyond them a number means nothing for a
week's review (an idle window of 27 years, a rating above 5) and would overflow the date arithmetic."""


def setting_problem(name: str, value: object) -> str | None:
    """Why `value` cannot be setting `name` (a plain sentence), or None when it can."""
    low, high = SETTING_RANGES[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return f"「{name}」的值 {value!r} 不是数字"
    if not low <= value <= high:
        return f"「{name}」的值 {value!r} 超出范围（应在 {low:g} 到 {high:g} 之间）"
    if name in INTEGER_SETTINGS and value != int(value):
        return f"「{name}」的值 {value!r} 应为整数"
    return None


def load_gm_name(path: Path | None) -> str:
    """The GM's name (top-level `gm_name` of the settings file, text, default empty): a multi-person
    calendar's rows of other people are kept out of the schedule when it is set."""
    if path is None or not path.exists():
        return ""
    try:
        value = tomllib.loads(path.read_text(encoding="utf-8")).get("gm_name", "")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"设置文件 {path} 无法读取：{exc}") from exc
    if not isinstance(value, str):
        raise UsageError(f"设置文件 {path} 中「gm_name」应是文字（总经理的姓名）")
    return value.strip()


def load_settings(path: Path | None) -> Settings:
    """Read settings from a TOML file; a missing file gives the defaults. Unknown or out-of-range values are refused."""
    if path is None or not path.exists():
        return parse_settings(None, path or Path("settings.toml"))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"设置文件 {path} 无法读取：{exc}") from exc
    return parse_settings(text, path)


def parse_settings(text: str | None, path: Path) -> Settings:
    """Settings from the text of the TOML file at `path` (None: no file, the defaults); as load_settings.

    The file's `[targets]` are put in force too (analytics.targets.use): they are read with the
    thresholds, so every reader of the settings shows the same target bands."""
    from analytics import targets

    if text is None:
        targets.use({})
        return Settings()
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"设置文件 {path} 无法读取：{exc}") from exc
    targets.use(parse_targets(raw.get("targets", {}), path))
    values = raw.get("thresholds", {k: v for k, v in raw.items() if k not in OTHER_KEYS})
    if not isinstance(values, dict):
        raise UsageError(f"设置文件 {path} 中 [thresholds] 应是一张表")
    known = {f.name: f.type for f in fields(Settings)}
    changes: dict[str, float] = {}
    for name, value in values.items():
        if name not in known:
            raise UsageError(f"设置文件 {path} 中有未知设置「{name}」；可用：{', '.join(known)}")
        problem = setting_problem(name, value)
        if problem:
            raise UsageError(f"设置文件 {path} 中{problem}")
        changes[name] = int(value) if name in INTEGER_SETTINGS else float(value)
    return replace(Settings(), **changes)


def parse_targets(values: object, path: Path) -> dict[str, tuple[float, float]]:
    """The `[targets]` table: metric name → { good = …, alert = … }, each checked (targets.target_problem)."""
    from analytics.targets import target_problem

    if not isinstance(values, dict):
        raise UsageError(f"设置文件 {path} 中 [targets] 应是一张表")
    bands: dict[str, tuple[float, float]] = {}
    for name, band in values.items():
        if not isinstance(band, dict) or set(band) != {"good", "alert"}:
            raise UsageError(f"设置文件 {path} 中 [targets] 的「{name}」应写成 {{ good = 数值, alert = 数值 }}")
        problem = target_problem(name, band["good"], band["alert"])
        if problem:
            raise UsageError(f"设置文件 {path} 中{problem}")
        bands[name] = (float(band["good"]), float(band["alert"]))
    return bands


def save_settings(settings: Settings, path: Path, targets: dict[str, tuple[float, float]] | None = None) -> None:
    """Write the thresholds as the file's `[thresholds]` table (a Settings is always in range) and, when
    given, the target bands as `[targets]` (those that differ from the defaults), keeping everything
    else the file holds (the `[push.NAME]` robots, `dashboard_url`) word for word."""
    from analytics.targets import DEFAULT_TARGETS

    lines = ["# 指标阈值 / metric thresholds — see the 指标说明 page", "[thresholds]"]
    lines += [f"{name} = {value!r}" for name, value in settings.as_dict().items()]
    if targets is not None:
        changed = {
            name: band
            for name, band in targets.items()
            if band != (DEFAULT_TARGETS[name].good, DEFAULT_TARGETS[name].alert)
        }
        if changed:
            lines += ["", "# 目标值 / target bands (good = 目标, alert = 需处理线)", "[targets]"]
            lines += [f"{name} = {{ good = {good!r}, alert = {alert!r} }}" for name, (good, alert) in changed.items()]
    kept = _other_sections(path, drop_targets=targets is not None)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text("\n".join(kept + lines) + "\n", encoding="utf-8")
    os.replace(temporary, path)  # a reader (another app process, a publish) never sees half a file


def _other_sections(path: Path, *, drop_targets: bool = False) -> list[str]:
    """The lines of an existing settings file other than its thresholds: top-level keys that are not
    thresholds (before any table) and every table but `[thresholds]`."""
    if not path.exists():
        return []
    known = {f.name for f in fields(Settings)}
    top: list[str] = []
    tables: list[str] = []
    current: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            current = stripped.strip("[] ")
        if current is None:
            key = stripped.split("=", 1)[0].strip()
            if stripped and not stripped.startswith("#") and key not in known:
                top.append(line)
        elif current != "thresholds" and not (drop_targets and current == "targets"):
            tables.append(line)
    return top + ([""] if top and tables else []) + tables + ([""] if top or tables else [])
